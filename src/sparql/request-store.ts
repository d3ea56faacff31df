import type { AnswerShape, BoundedAnswer, LinkedDataStore, QueryLog, QueryOptions, StoreInfo } from '../store/store.js';

/**
 * The store as one SPARQL request's queries see it: every query carries the request's logger, so
 * the store's own lines about it (worker-pool.ts: stopped at its time limit, an engine failure)
 * name the request by its id (`reqId`, the X-Request-Id it was answered with: src/server/request-id.ts).
 * A wrapper rather than one more field threaded through run-query.ts: the route gives it in place
 * of the store, and nothing between them changes.
 */
export function storeForRequest(store: LinkedDataStore, request: { log: QueryLog; id?: string }): LinkedDataStore {
  const log = request.log;
  // The remote store sends it on as X-Request-Id (src/store/remote/protocol.ts).
  const ids = request.id !== undefined ? { requestId: request.id } : {};
  return {
    get dataVersion(): string {
      return store.dataVersion;
    },
    info: (): StoreInfo => store.info(),
    query: (sparql: string, opts: QueryOptions): Promise<string> => store.query(sparql, { ...opts, log, ...ids }),
    answer: (sparql: string, opts: QueryOptions, shape: AnswerShape): Promise<BoundedAnswer> => store.answer(sparql, { ...opts, log, ...ids }, shape),
    // The request does not own the store: the app closes it.
    close: async (): Promise<void> => undefined,
  };
}
