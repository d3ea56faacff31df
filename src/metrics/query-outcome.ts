/**
 * How a SPARQL query ended, as /metrics counts it. The SPARQL route decides it (it knows whether
 * the answer was cut, and which error ended the query) and notes it on the request; the metrics
 * hooks take it when the response is sent. Noting costs one WeakMap entry whether metrics are on
 * or not, and the route needs nothing from the metrics' state.
 *
 * - ok: answered whole; truncated: answered, cut at MAX_QUERY_RESULTS or MAX_RESULT_BYTES;
 * - refused: the client's request or query was refused (4xx: syntax, an update, SERVICE, too
 *   large or deep, no acceptable answer type);
 * - busy: refused for load (LG_ERR_BUSY, 503 with Retry-After);
 * - timeout: stopped at QUERY_TIMEOUT_MS (LG_ERR_QUERY_TIMEOUT);
 * - error: any other failure (the engine restarting, a 500 of ours).
 */

export type QueryOutcome = 'ok' | 'truncated' | 'refused' | 'busy' | 'timeout' | 'error';

export const QUERY_OUTCOMES: readonly QueryOutcome[] = ['ok', 'truncated', 'refused', 'busy', 'timeout', 'error'];

const noted = new WeakMap<object, QueryOutcome>();

export function noteQueryOutcome(request: object, outcome: QueryOutcome): void {
  noted.set(request, outcome);
}

/** The outcome noted for a request, if it carried a query; forgotten once taken. */
export function takeQueryOutcome(request: object): QueryOutcome | undefined {
  const outcome = noted.get(request);
  if (outcome !== undefined) noted.delete(request);
  return outcome;
}

/** The outcome of a query that ended in an error, by the error's stable code and status. */
export function outcomeOfError(error: unknown): QueryOutcome {
  const e = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (e.code === 'LG_ERR_QUERY_TIMEOUT') return 'timeout';
  if (e.code === 'LG_ERR_BUSY') return 'busy';
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  return status < 500 ? 'refused' : 'error';
}
