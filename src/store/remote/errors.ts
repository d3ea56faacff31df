import { QueryTimeoutError, StoreError } from '../store.js';

/**
 * The remote SPARQL store failed in a way that is neither the query's fault nor a plain outage:
 * it answered 5xx, refused our credentials, or sent something that is not the asked format. 502,
 * as a gateway whose upstream misbehaved.
 */
export class RemoteStoreError extends StoreError {
  override readonly name = 'RemoteStoreError';
  readonly code = 'LG_ERR_REMOTE_STORE';
  readonly statusCode = 502;
}

/**
 * A time limit reached on the remote store's side (its own limit, or its partial "anytime" answer):
 * the same code and status as ours, with what the store said.
 */
export class RemoteTimeoutError extends QueryTimeoutError {
  constructor(timeoutMs: number, message: string) {
    super(timeoutMs);
    this.message = message;
  }
}
