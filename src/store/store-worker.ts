/**
 * One Oxigraph store in a worker thread (style.md example 11). Oxigraph's `query()` is synchronous
 * and cannot be cancelled, so it runs here, off the server's event loop; the pool stops a runaway
 * query by terminating this whole thread.
 *
 * Protocol: the worker loads `nquadsPath`, then posts a ReadyMessage; it answers each QueryMessage
 * with a ResultMessage carrying the same id. A load failure is thrown, so the pool sees it as the
 * worker's 'error' event before any ready message.
 *
 * A SPARQL client's answer (QueryMessage.shape) is also cut to its bounds here, and a results
 * page rendered here (src/sparql/shape-answer.ts): only what is sent crosses to the server's
 * thread, as bytes moved without a copy. Every message reports the worker's memory after the
 * query, which the pool compares with QUERY_WORKER_MEMORY_MB: Oxigraph's WebAssembly memory grows
 * to the largest answer or string a query built and never shrinks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import oxigraph from 'oxigraph';
import { hasDatasetClause } from './dataset-clause.js';
import { loadNQuads } from './load-nquads.js';
import type { AnswerShape, QueryOptions } from './store.js';

export interface WorkerData {
  /** For messages; the data itself comes in `nquads`. */
  nquadsPath: string;
  /**
   * The file's bytes, read once by the pool: every worker, a replacement started an hour later
   * included, loads the same data, even if build/data.nq has been replaced on disk since.
   */
  nquads: SharedArrayBuffer;
  /** Only the first worker counts the quads per graph; replacements load the same file. */
  countGraphs: boolean;
}

export interface QueryMessage {
  type: 'query';
  id: number;
  sparql: string;
  opts: Pick<QueryOptions, 'resultsFormat' | 'defaultGraphs' | 'namedGraphs'>;
  /** Set for a SPARQL client's answer: bound and shape it here (`opts.resultsFormat` is then unused). */
  shape?: AnswerShape;
}

export interface ReadyMessage {
  type: 'ready';
  triples: number;
  graphs: Record<string, number>;
  /** memoryBytes() with the data loaded: what a fresh worker holds. */
  memoryBytes: number;
}

export type ResultMessage = (
  | { id: number; ok: true; body: string }
  | { id: number; ok: true; bytes: Uint8Array; truncatedAt?: number; byteLimit?: number }
  | { id: number; ok: false; error: { name: string; message: string } }
) & { memoryBytes: number };

/** Oxigraph's own options for `Store.query` (node_modules/oxigraph/node.d.ts, 0.5.11). */
type OxQueryOptions = NonNullable<Parameters<oxigraph.Store['query']>[1]>;

const COUNT_GRAPHS = 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g';

/**
 * Maps our protocol-level options to Oxigraph's. When the client names a dataset, both parts are
 * set, so the one not named is empty as SPARQL 1.1 Protocol §2.1.4 says (Oxigraph alone would keep
 * every named graph, or the store's real default graph). `namedNode` throws on a relative or
 * malformed IRI ("No scheme found in an absolute IRI"), which becomes a QueryFailedError.
 */
export function toOxigraphOptions(sparql: string, opts: QueryMessage['opts']): OxQueryOptions {
  const out: OxQueryOptions = { results_format: opts.resultsFormat };
  if (opts.defaultGraphs !== undefined || opts.namedGraphs !== undefined) {
    out.default_graph = (opts.defaultGraphs ?? []).map(graphIri);
    out.named_graphs = (opts.namedGraphs ?? []).map(graphIri);
  } else if (!hasDatasetClause(sparql)) {
    out.use_default_graph_as_union = true;
  }
  return out;
}

function graphIri(iri: string): oxigraph.NamedNode {
  try {
    return oxigraph.namedNode(iri);
  } catch (err) {
    throw new Error(`graph ${JSON.stringify(iri)} is not an absolute IRI: ${messageOf(err)}`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The memory this thread holds outside its JavaScript heap: `external` counts the WebAssembly
 * memory (measured: a 256 MB string built by a query left it at 804 MB), which only grows. The JS
 * heap is left out: the answer strings there are garbage the collector takes back.
 */
export function memoryBytes(): number {
  return process.memoryUsage().external;
}

function load(data: WorkerData): { store: oxigraph.Store; ready: ReadyMessage } {
  const store = new oxigraph.Store();
  // In pieces of strings (load-nquads.ts): one string of a file past 512 MiB is refused by V8.
  loadNQuads(store, new Uint8Array(data.nquads));
  const graphs: Record<string, number> = {};
  if (data.countGraphs) {
    for (const row of store.query(COUNT_GRAPHS) as Map<string, oxigraph.Term>[]) {
      graphs[row.get('g')!.value] = Number(row.get('n')!.value);
    }
  }
  return { store, ready: { type: 'ready', triples: store.size, graphs, memoryBytes: memoryBytes() } };
}

function runText(store: oxigraph.Store, sparql: string, opts: QueryMessage['opts']): string {
  const body = store.query(sparql, toOxigraphOptions(sparql, opts));
  // With results_format set, Oxigraph always serialises; anything else would be our bug.
  if (typeof body !== 'string') throw new Error(`Oxigraph returned ${typeof body}, not a string`);
  return body;
}

async function answer(store: oxigraph.Store, msg: QueryMessage): Promise<{ result: ResultMessage; transfer: ArrayBuffer[] }> {
  try {
    if (!msg.shape) {
      const body = runText(store, msg.sparql, msg.opts);
      return { result: { id: msg.id, ok: true, body, memoryBytes: memoryBytes() }, transfer: [] };
    }
    // Loaded on the first client answer only: the site's own look-ups never need it.
    const { shapeAnswer } = await import('../sparql/shape-answer.js');
    const shaped = await shapeAnswer((sparql, resultsFormat) => runText(store, sparql, { ...msg.opts, resultsFormat }), msg.sparql, msg.shape);
    // TextEncoder gives a buffer of its own (Buffer.from may hand out a slice of a shared pool), so it can be moved.
    const bytes = new TextEncoder().encode(shaped.body);
    const cut = { ...(shaped.truncatedAt !== undefined ? { truncatedAt: shaped.truncatedAt } : {}), ...(shaped.byteLimit !== undefined ? { byteLimit: shaped.byteLimit } : {}) };
    return { result: { id: msg.id, ok: true, bytes, ...cut, memoryBytes: memoryBytes() }, transfer: [bytes.buffer as ArrayBuffer] };
  } catch (err) {
    // A WebAssembly.RuntimeError (name 'RuntimeError') means the WASM instance aborted, e.g. past
    // its 4 GiB memory; the pool replaces this worker rather than trust it again.
    const name = err instanceof Error ? err.name : 'Error';
    return { result: { id: msg.id, ok: false, error: { name, message: messageOf(err) }, memoryBytes: memoryBytes() }, transfer: [] };
  }
}

// Only when the pool started this file (a vitest 'threads' pool also has a parentPort).
if (parentPort && typeof (workerData as Partial<WorkerData> | null)?.nquadsPath === 'string') {
  const port = parentPort;
  const { store, ready } = load(workerData as WorkerData);
  // The pool sends one query at a time and waits for its result, so answers never overlap.
  port.on('message', (msg: QueryMessage) => {
    void answer(store, msg).then(({ result, transfer }) => port.postMessage(result, transfer));
  });
  port.postMessage(ready);
}
