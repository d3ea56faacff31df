import { ERROR_CODES, type ErrorCode } from '../errors.js';

/**
 * A request the SPARQL endpoint refuses before any query runs: no query, a body it cannot read, an
 * update, a SERVICE clause. The HTTP status comes from the one error table (src/errors.ts), so the
 * code and the status can never disagree; the app's error handler sends `{ statusCode, code,
 * message }` (or the error page to a browser), as for every other error.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.statusCode = ERROR_CODES[code].status;
  }
}
