/**
 * The remote store (STORE=remote): every query goes to an existing SPARQL 1.1 store over the
 * SPARQL 1.1 Protocol (STORE_QUERY_URL); the release's data was put there by load-release.ts.
 *
 * The graphs: the store holds each load of a release under graph names of its own (graph-names.ts,
 * LoadNames), and this store reads only those of the load it opened, so a switch to another load
 * (load-release.ts) changes nothing it reads. Queries name the release's graphs by their public
 * names: each query is renamed before it is sent (rename-iris.ts), and its answer renamed back.
 *
 * The dataset: a query that names none (no FROM, no protocol dataset) is asked with the load's
 * union graph as its default graph (design.md /sparql) and the load's graphs as its named graphs,
 * POSTed as default-graph-uri / named-graph-uri. Without that, Virtuoso's default graph is the
 * union of ALL its graphs: its own system graphs, our service graph and other loads. A dataset the
 * client names (protocol or FROM) is passed on renamed; the half it leaves out is given as one
 * graph that never exists, so it is empty as SPARQL 1.1 Protocol §2.1.4 says.
 *
 * Formats: the remote store is asked for SPARQL JSON or N-Triples only and the asked format is
 * written here (normalise.ts), so answers are the same whatever store stands behind.
 *
 * Limits: QUERY_TIMEOUT_MS aborts the request (from the client's arrival, as in the embedded
 * store); a client's answer is read up to a cap and shaped by src/sparql/shape-answer.ts as the
 * embedded store's is (MAX_QUERY_RESULTS, MAX_RESULT_BYTES).
 *
 * Fair use: at most STORE_CONCURRENCY queries of this instance are in flight to the store, admitted
 * by the embedded store's rules (fair-gate.ts, src/store/fair-use.ts): one client's heavy queries
 * leave places for others, the waiting queue is bounded (StoreBusyError, 503 with Retry-After).
 * The store's own 503 (its thread and connection limits, shared by every instance) becomes
 * StoreBusyError too.
 */
import N3 from 'n3';
import { formatByMediaType, type RdfFormatKey } from '../../serialize/formats.js';
import { shapeAnswer, type PartialText } from '../../sparql/shape-answer.js';
import { hasDatasetClause } from '../dataset-clause.js';
import { QueryFailedError, StoreUnavailableError, type AnswerShape, type BoundedAnswer, type LinkedDataStore, type QueryOptions, type StoreInfo } from '../store.js';
import { RemoteStoreError } from './errors.js';
import type { QueueLimits } from '../fair-use.js';
import { FairGate } from './fair-gate.js';
import { EMPTY_GRAPH, type LoadNames } from './graph-names.js';
import { renameIris } from './rename-iris.js';
import { readJsonResults, readNTriples, writeNTriples, writeResults, type JsonResults } from './normalise.js';
import { postQuery, type ProtocolAnswer } from './protocol.js';

export interface RemoteStoreOptions extends QueueLimits {
  queryUrl: string;
  dataVersion: string;
  /** QUERY_TIMEOUT_MS. */
  timeoutMs: number;
  /** The release's named graphs by their public names (build-info.json). */
  graphs: readonly string[];
  /** STORE_CONCURRENCY: queries of this instance in flight to the store at once (default 4). */
  concurrency?: number;
}

const JSON_RESULTS = 'application/sparql-results+json';
const N_TRIPLES = 'application/n-triples';
const RESULTS_FORMATS = new Set([JSON_RESULTS, 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values']);

/**
 * How much of a client's answer is read from the remote store, beyond MAX_RESULT_BYTES: the shaped
 * answer needs no more than its cap, and the margin lets the cut find the row or triple boundary.
 */
const READ_MARGIN = 64 * 1024;

export class RemoteStore implements LinkedDataStore {
  private loaded?: StoreInfo;
  private names?: LoadNames;
  private readonly graphs: ReadonlySet<string>;
  private closed = false;
  private readonly gate: FairGate;

  constructor(private readonly options: RemoteStoreOptions) {
    this.graphs = new Set(options.graphs);
    this.gate = new FairGate({ concurrency: options.concurrency ?? 4, ...pick(options) });
  }

  /** Places taken and queries waiting at the fair-use gate (tests, /metrics). */
  gateStats(): { busy: number; queued: number } {
    return this.gate.stats();
  }

  get dataVersion(): string {
    return this.options.dataVersion;
  }

  info(): StoreInfo {
    if (!this.loaded) throw new Error('the store is not loaded');
    return this.loaded;
  }

  /** Set once the release is in the remote store (the load read from) and its counts checked (open-remote-store.ts). */
  setLoaded(info: StoreInfo, names: LoadNames): void {
    this.loaded = info;
    this.names = names;
  }

  async query(sparql: string, opts: QueryOptions): Promise<string> {
    const got = await this.run(sparql, opts, opts.resultsFormat, undefined);
    return typeof got === 'string' ? got : got.partial;
  }

  async answer(sparql: string, opts: QueryOptions, shape: AnswerShape): Promise<BoundedAnswer> {
    const cap = shape.maxBytes + READ_MARGIN;
    const shaped = await shapeAnswer((text, format) => this.run(text, opts, format, cap), sparql, shape);
    return {
      body: new TextEncoder().encode(shaped.body),
      ...(shaped.truncatedAt !== undefined ? { truncatedAt: shaped.truncatedAt } : {}),
      ...(shaped.byteLimit !== undefined ? { byteLimit: shaped.byteLimit } : {}),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.gate.close();
  }

  /** One query, its answer in `format`; a PartialText when more than `cap` bytes were there. */
  private async run(sparql: string, opts: QueryOptions, format: string, cap: number | undefined): Promise<string | PartialText> {
    if (this.closed) throw new StoreUnavailableError('the store is closed');
    const results = RESULTS_FORMATS.has(format);
    const rdf = results ? undefined : formatByMediaType(format);
    if (!results && (rdf === undefined || rdf.key === 'html')) throw new QueryFailedError(`no SPARQL results or RDF format ${format}`);
    const names = this.names;
    if (names === undefined) throw new StoreUnavailableError('the release is not loaded in the SPARQL store yet');
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs;
    const stored = (iri: string) => (this.graphs.has(iri) ? names.graph(iri) : undefined);
    const renamed = renameIris(sparql, stored);
    const leave = await this.gate.enter(opts.client, timeoutMs, opts.arrivedAt);
    let answer: ProtocolAnswer;
    try {
      // A client's limit counts from its arrival (its wait at the gate included), as the embedded store's does.
      const left = opts.client !== undefined && opts.arrivedAt !== undefined ? timeoutMs - (performance.now() - opts.arrivedAt) : timeoutMs;
      answer = await postQuery({
        endpoint: this.options.queryUrl,
        sparql: renamed,
        accept: results ? JSON_RESULTS : N_TRIPLES,
        ...this.dataset(sparql, opts, names),
        timeoutMs: left,
        ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
        ...(cap !== undefined ? { maxBytes: cap } : {}),
      });
    } finally {
      // The store's part is over: the answer is read and is renamed and written on this thread.
      leave();
    }
    // Only an answer naming one of the load's graphs is renamed back (a document's never does).
    const back = names.mayBeIn(answer.text) ? (iri: string) => names.publicOf(iri) ?? iri : undefined;
    return results ? resultsAnswer(answer, format, back) : graphAnswer(answer, rdf!.key as RdfFormatKey, back);
  }

  private dataset(sparql: string, opts: QueryOptions, names: LoadNames): { defaultGraphs?: readonly string[]; namedGraphs?: readonly string[] } {
    const stored = (g: string) => (this.graphs.has(g) ? names.graph(g) : g);
    if (opts.defaultGraphs !== undefined || opts.namedGraphs !== undefined) {
      const d = (opts.defaultGraphs ?? []).map(stored);
      const n = (opts.namedGraphs ?? []).map(stored);
      return { defaultGraphs: d.length > 0 ? d : [EMPTY_GRAPH], namedGraphs: n.length > 0 ? n : [EMPTY_GRAPH] };
    }
    if (hasDatasetClause(sparql)) return {};
    const { graphs } = this.options;
    return { defaultGraphs: [names.union], namedGraphs: graphs.length > 0 ? graphs.map(stored) : [EMPTY_GRAPH] };
  }
}
function pick(o: QueueLimits): QueueLimits {
  return { ...(o.maxQueued !== undefined ? { maxQueued: o.maxQueued } : {}), ...(o.maxQueuedPerClient !== undefined ? { maxQueuedPerClient: o.maxQueuedPerClient } : {}) };
}

function resultsAnswer(answer: ProtocolAnswer, format: string, back: ((iri: string) => string) | undefined): string | PartialText {
  if (answer.contentType !== JSON_RESULTS) throw mismatch(answer, 'SPARQL results');
  let parsed: JsonResults;
  try {
    parsed = readJsonResults(answer.overflowed ? closeJsonResults(answer.text) : answer.text);
  } catch {
    throw new RemoteStoreError('the SPARQL store sent SPARQL JSON results that do not parse');
  }
  if (parsed.boolean === undefined && parsed.results === undefined) throw mismatch(answer, 'SPARQL results');
  if (back) for (const row of parsed.results?.bindings ?? []) for (const term of Object.values(row)) if (term.type === 'uri') term.value = back(term.value);
  const text = writeResults(parsed, format);
  return answer.overflowed ? { partial: text } : text;
}

/**
 * The beginning of a SPARQL JSON answer closed after its last whole row (`]}}`), scanning brace
 * depth outside strings as src/sparql/cut-results.ts does.
 */
export function closeJsonResults(text: string): string {
  const key = text.indexOf('"bindings"');
  const open = key < 0 ? -1 : text.indexOf('[', key);
  if (open < 0) throw new Error('no bindings in the answer read');
  let depth = 0;
  let inString = false;
  let lastEnd = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) lastEnd = i + 1;
  }
  return `${text.slice(0, lastEnd)}]}}`;
}

async function graphAnswerAsync(quads: N3.Quad[], key: RdfFormatKey): Promise<string> {
  const { serialize } = await import('../../serialize/serialize.js');
  return serialize(quads, key, { base: '', graph: false, jsonLdForm: 'expanded' });
}

function graphAnswer(answer: ProtocolAnswer, key: RdfFormatKey, back: ((iri: string) => string) | undefined): string | PartialText | Promise<string | PartialText> {
  if (answer.contentType !== N_TRIPLES && answer.contentType !== 'text/plain') throw mismatch(answer, 'N-Triples');
  // A cut answer ends at its last whole line.
  const text = answer.overflowed ? answer.text.slice(0, answer.text.lastIndexOf('\n') + 1) : answer.text;
  let quads: N3.Quad[];
  try {
    quads = readNTriples(text);
    if (back) quads = quads.map((q) => renamedBack(q, back));
  } catch (err) {
    throw new RemoteStoreError(`the SPARQL store sent N-Triples that do not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  const wrap = (s: string): string | PartialText => (answer.overflowed ? { partial: s } : s);
  if (key === 'nt' || key === 'nq') return wrap(writeNTriples(quads));
  return graphAnswerAsync(quads, key).then(wrap);
}

/** A triple of an answer with the load's graph names put back to their public names. */
function renamedBack(q: N3.Quad, back: (iri: string) => string): N3.Quad {
  const { namedNode, quad } = N3.DataFactory;
  const term = <T extends N3.Term>(t: T): T => (t.termType === 'NamedNode' ? (namedNode(back(t.value)) as unknown as T) : t);
  return quad(term(q.subject), term(q.predicate), term(q.object), q.graph);
}

/**
 * What the remote store sends for a query whose form does not fit the asked format (a results
 * format for CONSTRUCT, or the reverse): the embedded store refuses it as a QueryFailedError.
 */
function mismatch(answer: ProtocolAnswer, wanted: string): QueryFailedError {
  return new QueryFailedError(`the query's form does not give ${wanted} (the SPARQL store answered ${answer.contentType || 'without a media type'}): ask a SELECT or ASK query for a results format, a CONSTRUCT or DESCRIBE query for an RDF format`);
}
