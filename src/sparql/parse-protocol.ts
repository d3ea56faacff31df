/**
 * What the parse pool (parse-pool.ts) and its workers (parse-worker.ts) exchange, apart from the
 * worker's code: the pool is loaded at start-up and the worker's module loads sparqljs, which the
 * server's thread should not read and compile before the first query, if ever (README, "Start-up").
 */
import type { ErrorCode } from '../errors.js';
import { QuerySyntaxError } from '../store/store.js';
import type { PrepareOptions, PreparedQuery } from './prepare-query.js';
import { ProtocolError } from './protocol-error.js';

export interface ParseRequest {
  id: number;
  text: string;
  opts: PrepareOptions;
}

/** A refusal as data: rebuilt into the same error class by `refusalError`. */
export type Refusal =
  | { kind: 'protocol'; code: ErrorCode; message: string }
  | { kind: 'syntax'; message: string; position?: { line: number; column: number } }
  /** Anything else is our bug: the route answers it as any internal error. */
  | { kind: 'internal'; message: string };

export type ParseReply = { id: number; ok: true; prepared: PreparedQuery } | { id: number; ok: false; refusal: Refusal };

/** What the pool passes as workerData, so that only a pool's thread starts serving. */
export const PARSE_WORKER_DATA = { lgParseWorker: true } as const;

export function refusalOf(err: unknown): Refusal {
  if (err instanceof ProtocolError) return { kind: 'protocol', code: err.code, message: err.message };
  if (err instanceof QuerySyntaxError) return { kind: 'syntax', message: err.message, ...(err.position ? { position: err.position } : {}) };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export function refusalError(r: Refusal): Error {
  if (r.kind === 'protocol') return new ProtocolError(r.code, r.message);
  if (r.kind === 'syntax') return new QuerySyntaxError(r.message, r.position);
  return new Error(`the query parser failed: ${r.message}`);
}
