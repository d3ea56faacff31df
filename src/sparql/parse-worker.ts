/**
 * A parse worker (parse-pool.ts): runs prepareQuery, which parses a client's query with sparqljs
 * and rewrites it (LIMIT, SELECT *, the probe), off the server's event loop. A 64 KiB query takes
 * sparqljs 0.2 s (VALUES rows) to 1.1 s (triple patterns); on the server's thread every other
 * request waited that long.
 *
 * Protocol: the pool posts a ParseRequest; the worker answers with a ParseReply of the same id.
 * A refusal (ProtocolError, QuerySyntaxError) crosses as data, so the client gets the same code,
 * message and position as when the parser ran on the server's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCode } from '../errors.js';
import { QuerySyntaxError } from '../store/store.js';
import { type PrepareOptions, type PreparedQuery, prepareQuery } from './prepare-query.js';
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

export function parseReply(req: ParseRequest): ParseReply {
  try {
    return { id: req.id, ok: true, prepared: prepareQuery(req.text, req.opts) };
  } catch (err) {
    return { id: req.id, ok: false, refusal: refusalOf(err) };
  }
}

function refusalOf(err: unknown): Refusal {
  if (err instanceof ProtocolError) return { kind: 'protocol', code: err.code, message: err.message };
  if (err instanceof QuerySyntaxError) return { kind: 'syntax', message: err.message, ...(err.position ? { position: err.position } : {}) };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export function refusalError(r: Refusal): Error {
  if (r.kind === 'protocol') return new ProtocolError(r.code, r.message);
  if (r.kind === 'syntax') return new QuerySyntaxError(r.message, r.position);
  return new Error(`the query parser failed: ${r.message}`);
}

if (parentPort && (workerData as Partial<typeof PARSE_WORKER_DATA> | null)?.lgParseWorker === true) {
  const port = parentPort;
  port.on('message', (req: ParseRequest) => port.postMessage(parseReply(req)));
}
