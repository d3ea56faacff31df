import { ParsePool, type ParseJobOptions } from './parse-pool.js';
import type { PrepareOptions, PreparedQuery } from './prepare-query.js';
import { checkQueryShape } from './query-shape.js';

/**
 * A client's query made ready to run (prepare-query.ts), without parsing on the server's thread:
 * 1. its size and nesting are checked here (query-shape.ts: one linear scan, well under a
 *    millisecond at MAX_QUERY_BYTES), so a query past the bounds never reaches a parser;
 * 2. a query asked before (paging, dashboards, the editor) is taken from a cache of the last few
 *    hundred prepared queries: a round trip to a worker saved;
 * 3. anything else is parsed and rewritten in a parse worker (parse-pool.ts), with the request's
 *    fair-use and time rules. Refusals come back as the same errors (codes, messages, positions).
 */

const CACHE_SIZE = 256;
const CACHE_MAX_TEXT = 16 * 1024;
const prepared = new Map<string, PreparedQuery>();

let pool: ParsePool | undefined;

export async function prepareForClient(text: string, opts: PrepareOptions, job: ParseJobOptions): Promise<PreparedQuery> {
  if (opts.bounds) checkQueryShape(text, opts.bounds);
  const key = `${opts.baseIri}\n${opts.maxResults}\n${opts.maxBytes ?? ''}\n${text}`;
  const hit = prepared.get(key);
  if (hit) {
    prepared.delete(key);
    prepared.set(key, hit);
    return hit;
  }
  pool ??= new ParsePool();
  // The bounds were checked above; the worker need not scan again.
  const { bounds: _checked, ...rest } = opts;
  const result = await pool.prepare(text, rest, job);
  if (text.length <= CACHE_MAX_TEXT) {
    prepared.set(key, result);
    if (prepared.size > CACHE_SIZE) prepared.delete(prepared.keys().next().value as string);
  }
  return result;
}

/** The process's parse pool, for tests and measurements (undefined before the first query). */
export function parsePool(): ParsePool | undefined {
  return pool;
}

/**
 * Starts the parse workers now rather than with the first query, and resolves once one has parsed
 * a query. The first query's time limit counts the workers' start, as it counts a store worker's
 * loading; a test with a short QUERY_TIMEOUT_MS warms the pool first (a worker started through tsx
 * takes a few hundred milliseconds on a busy machine, the bundle's far less).
 */
export async function warmParsePool(): Promise<void> {
  pool ??= new ParsePool();
  await pool.prepare('ASK {}', { baseIri: 'urn:lg:warm-up', maxResults: 1 }, { arrivedAt: performance.now(), timeoutMs: 60_000 });
}
