/**
 * What routes know about the triple store: a query goes in, a serialised result string comes out.
 * Nothing here names Oxigraph or worker threads, so a remote SPARQL endpoint (or the embedded pool
 * in `worker-pool.ts`) can stand behind the same interface.
 */

export interface QueryOptions {
  /**
   * Media type the result is serialised to. SELECT/ASK: 'application/sparql-results+json',
   * 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'. CONSTRUCT/DESCRIBE:
   * 'application/n-triples', 'text/turtle', 'application/n-quads', 'application/trig',
   * 'application/rdf+xml', 'application/ld+json'. A results type for a graph query (or the
   * reverse) rejects with QueryFailedError.
   */
  resultsFormat: string;
  /**
   * SPARQL 1.1 Protocol dataset (§2.1.4, default-graph-uri / named-graph-uri). When either is given
   * it replaces any FROM / FROM NAMED in the query, and the one not given is empty. When neither is
   * given, the query's own FROM clauses apply; without those the default graph is the union of all
   * named graphs (design.md, /sparql).
   */
  defaultGraphs?: string[];
  namedGraphs?: string[];
  /** Overrides the store's default time limit for this query. */
  timeoutMs?: number;
  /**
   * performance.now() when the client's request arrived, if earlier than the call (the query was
   * parsed first, in src/sparql/parse-pool.ts): a client's time limit counts from then.
   */
  arrivedAt?: number;
  /**
   * Who asked (the client's address, for /sparql): a client holds at most one worker while others
   * wait, and its further queries queue behind its own (worker-pool.ts, "Fair use"). Omitted for
   * the site's own look-ups (documents, the catalogue), which wait in the same FIFO queue but are
   * never refused for load: neither a busy SPARQL endpoint nor a crawler gets a document refused.
   */
  client?: string;
  /**
   * Where the store writes its lines about this query (stopped at its time limit, an engine that
   * failed under it): the request's logger, which names the request (its X-Request-Id) in every
   * line (src/sparql/request-store.ts). Without it the store writes none.
   */
  log?: QueryLog;
  /**
   * The id of the client's request (X-Request-Id, src/server/request-id.ts): a remote store gets it
   * as that header, so its own log names the same request.
   */
  requestId?: string;
}

/** The two levels the store logs a query's trouble at (pino's, and so Fastify's, signature). */
export interface QueryLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * What a SPARQL answer is to be, and within what bound (MAX_QUERY_RESULTS, MAX_RESULT_BYTES);
 * src/sparql/shape-answer.ts makes it.
 * - results: a SELECT/ASK answer in a SPARQL results format; `rowBound` set when the query's LIMIT
 *   was raised to rowBound + 1 (cut to rowBound rows, marked).
 * - graph: a CONSTRUCT/DESCRIBE answer in an RDF format; `probe` (a one-row SELECT) set when the
 *   query's LIMIT was lowered to `bound`, to tell whether solutions were left out.
 * - page: the results part of the HTML page (a table, a yes/no, the graph as Turtle), rendered
 *   within `room`, what the page around it leaves of `maxBytes` (the cap the page reports).
 * `base` (BASE_URI) gives a re-serialised graph its prefixes and the page its links.
 */
export type AnswerShape =
  | { kind: 'results'; format: string; maxBytes: number; rowBound?: number }
  | { kind: 'graph'; format: string; maxBytes: number; base: string; bound?: number; probe?: string }
  | { kind: 'page'; form: 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE'; maxBytes: number; room: number; base: string; lang: 'tg' | 'ru' | 'en'; rowBound?: number; bound?: number; probe?: string };

export interface BoundedAnswer {
  /**
   * The answer in UTF-8 (for a page: its results part, HTML), complete and valid in its format.
   * Bytes, not a string: they cross from the worker without a copy and are sent as they are.
   */
  body: Uint8Array;
  /** Set when results were cut: how many were kept. */
  truncatedAt?: number;
  /** Set when the answer was cut to fit in this many bytes (MAX_RESULT_BYTES). */
  byteLimit?: number;
}

export interface StoreInfo {
  /** From build-info.json, as given by the caller. */
  dataVersion: string;
  /** Every quad loaded (named graphs and the default graph). */
  triples: number;
  /** Quads per named graph IRI. */
  graphs: Record<string, number>;
  loadedAt: Date;
}

export interface LinkedDataStore {
  /**
   * Which data this store holds or is loading (build-info.json's dataVersion): known before the
   * load ends, so representations and caches can be keyed on it while the application is built.
   */
  readonly dataVersion: string;
  /** Synchronous: what was loaded, for /health and VoID. Throws until the store is ready. */
  info(): StoreInfo;
  /** Always resolves to the serialised result; rejects with one of the StoreError classes below. */
  query(sparql: string, opts: QueryOptions): Promise<string>;
  /**
   * A SPARQL client's answer, bounded where it is produced (the embedded store does it in its
   * worker thread): cut to `shape.maxBytes` and marked, so no answer larger than the cap, and no
   * serialising or rendering of one, ever reaches the caller's thread. Rejects as query() does.
   */
  answer(sparql: string, opts: QueryOptions, shape: AnswerShape): Promise<BoundedAnswer>;
  close(): Promise<void>;
}

/**
 * Every error the store rejects with: a stable code, the HTTP status a route answers with, and a
 * message that is safe to show to a client (no stack, no file paths). The codes belong in
 * src/errors.ts and README's error table.
 */
export abstract class StoreError extends Error {
  abstract readonly code: string;
  abstract readonly statusCode: number;
}

/** The query ran past its time limit and was stopped (SPARQL 1.1 Protocol leaves 5xx to us). */
export class QueryTimeoutError extends StoreError {
  override readonly name = 'QueryTimeoutError';
  readonly code = 'LG_ERR_QUERY_TIMEOUT';
  readonly statusCode = 503;
  constructor(readonly timeoutMs: number) {
    super(`the query was stopped after ${timeoutMs} ms, its time limit (which counts from its arrival, time waiting for a worker included); add a LIMIT or make it more selective`);
  }
}

/**
 * The query does not parse (SPARQL 1.1 Protocol §2.1.1: 400 Bad Request). The message is
 * Oxigraph's, e.g. "error at 1:10: expected CONSTRUCT"; line and column are 1-based and count
 * characters, not bytes.
 */
export class QuerySyntaxError extends StoreError {
  override readonly name = 'QuerySyntaxError';
  readonly code = 'LG_ERR_QUERY_SYNTAX';
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly position?: { line: number; column: number },
  ) {
    super(message);
  }

  /** Oxigraph 0.5.11 reports every parse error as "error at LINE:COL: expected …". */
  static from(message: string): QuerySyntaxError | undefined {
    const m = /^error at (\d+):(\d+): /.exec(message);
    return m ? new QuerySyntaxError(message, { line: Number(m[1]), column: Number(m[2]) }) : undefined;
  }
}

/**
 * Every worker is busy and the queue is full, or the query waited so long for a worker that too
 * little of its time limit (which counts from arrival) was left to run it.
 */
export class StoreBusyError extends StoreError {
  override readonly name = 'StoreBusyError';
  readonly code = 'LG_ERR_BUSY';
  readonly statusCode = 503;
  constructor(readonly retryAfterSeconds = 1, message = 'the query service is busy; try again shortly') {
    super(message);
  }
}

/**
 * The query parsed but the engine refused it: unsupported SERVICE or custom function, a graph IRI
 * that is not an absolute IRI, a results format that does not fit the query form.
 */
export class QueryFailedError extends StoreError {
  override readonly name = 'QueryFailedError';
  readonly code = 'LG_ERR_QUERY_FAILED';
  readonly statusCode = 400;
}

/** The store is closed, or the engine crashed while answering (the worker is being replaced). */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'LG_ERR_STORE_UNAVAILABLE';
  readonly statusCode = 503;
}
