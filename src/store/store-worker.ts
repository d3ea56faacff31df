/**
 * One Oxigraph store in a worker thread (style.md example 11). Oxigraph's `query()` is synchronous
 * and cannot be cancelled, so it runs here, off the server's event loop; the pool stops a runaway
 * query by terminating this whole thread.
 *
 * Protocol: the worker loads `nquadsPath`, then posts a ReadyMessage; it answers each QueryMessage
 * with a ResultMessage carrying the same id. A load failure is thrown, so the pool sees it as the
 * worker's 'error' event before any ready message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import oxigraph from 'oxigraph';
import { hasDatasetClause } from './dataset-clause.js';
import type { QueryOptions } from './store.js';

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
}

export interface ReadyMessage {
  type: 'ready';
  triples: number;
  graphs: Record<string, number>;
}

export type ResultMessage =
  | { id: number; ok: true; body: string }
  | { id: number; ok: false; error: { name: string; message: string } };

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

function load(data: WorkerData): { store: oxigraph.Store; ready: ReadyMessage } {
  const store = new oxigraph.Store();
  // A JS string, not a Buffer: measured 1.7x faster to load (style.md section 4).
  // slice(): TextDecoder does not read views of shared memory.
  store.load(new TextDecoder().decode(new Uint8Array(data.nquads).slice()), { format: 'application/n-quads' });
  const graphs: Record<string, number> = {};
  if (data.countGraphs) {
    for (const row of store.query(COUNT_GRAPHS) as Map<string, oxigraph.Term>[]) {
      graphs[row.get('g')!.value] = Number(row.get('n')!.value);
    }
  }
  return { store, ready: { type: 'ready', triples: store.size, graphs } };
}

function answer(store: oxigraph.Store, msg: QueryMessage): ResultMessage {
  try {
    const body = store.query(msg.sparql, toOxigraphOptions(msg.sparql, msg.opts));
    // With results_format set, Oxigraph always serialises; anything else would be our bug.
    if (typeof body !== 'string') throw new Error(`Oxigraph returned ${typeof body}, not a string`);
    return { id: msg.id, ok: true, body };
  } catch (err) {
    // A WebAssembly.RuntimeError (name 'RuntimeError') means the WASM instance aborted, e.g. past
    // its 4 GiB memory; the pool replaces this worker rather than trust it again.
    const name = err instanceof Error ? err.name : 'Error';
    return { id: msg.id, ok: false, error: { name, message: messageOf(err) } };
  }
}

// Only when the pool started this file (a vitest 'threads' pool also has a parentPort).
if (parentPort && typeof (workerData as Partial<WorkerData> | null)?.nquadsPath === 'string') {
  const port = parentPort;
  const { store, ready } = load(workerData as WorkerData);
  port.on('message', (msg: QueryMessage) => port.postMessage(answer(store, msg)));
  port.postMessage(ready);
}
