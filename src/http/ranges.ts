import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../errors.js';

/**
 * Range requests for the download files (RFC 9110 §14), so that a broken download of a dump over
 * a slow, expensive connection resumes where it stopped instead of starting again.
 *
 * What we do, by the RFC's sections:
 * - `Accept-Ranges: bytes` on every GET and HEAD of a file (§14.3).
 * - One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`, §14.1.2): **206** with `Content-Range`
 *   (§14.4, §15.3.7). Several ranges: the whole file with 200, which §14.2 allows ("a server MAY
 *   ignore the Range header field"), and which costs a resuming client nothing (it asks for one).
 * - A range that starts at or past the end (or `bytes=-0`): **416** with a `Content-Range` that
 *   gives the size (`bytes *` then `/{size}`, §15.5.17) and our error body
 *   (`LG_ERR_RANGE_NOT_SATISFIABLE`).
 * - A Range header that does not parse, in another unit, or on a method other than GET (§14.2:
 *   "GET is the only method for which range handling is defined"): ignored, 200.
 * - `If-Range` (§13.1.5): the range is sent only if the validator is our current strong ETag,
 *   compared strongly; a weak tag or a date (we send no Last-Modified) gets the whole file, so a
 *   client never glues bytes of two different files together.
 * - Preconditions first (§13.2.2): an `If-None-Match` that matches is the caller's 304, not a range.
 * - A range counts bytes of the identity body: a part is never content-coded, and a request that
 *   has a Range header is answered without content coding even when the range is not honoured,
 *   so the lengths a client sees are always the file's.
 */

export type RangeAnswer =
  /** Send the whole file (no Range, or one we ignore). */
  | { kind: 'full' }
  /** Send bytes start..end, both inclusive. */
  | { kind: 'partial'; start: number; end: number };

/** 416: no byte of the range is in the file. Sent by the app's error handler in our error format. */
export class RangeNotSatisfiableError extends Error {
  override readonly name = 'RangeNotSatisfiableError';
  readonly code = 'LG_ERR_RANGE_NOT_SATISFIABLE';
  readonly statusCode = ERROR_CODES.LG_ERR_RANGE_NOT_SATISFIABLE.status;
  constructor(readonly size: number, range: string) {
    super(`the range ${JSON.stringify(range.slice(0, 100))} is outside the file, which has ${size} bytes (bytes 0-${Math.max(size - 1, 0)})`);
  }
}

/** `bytes=a-b` | `bytes=a-` | `bytes=-n`, one range; anything else is not a range we answer. */
const ONE_RANGE = /^bytes[ \t]*=[ \t]*(?:(\d{1,15})[ \t]*-[ \t]*(\d{0,15})|-[ \t]*(\d{1,15}))[ \t]*$/i;

/**
 * The range to answer, as a pure function of the request's headers, the file's size and its
 * strong ETag. Throws RangeNotSatisfiableError for a single range with no byte in the file.
 */
export function chooseRange(h: { method: string; range?: string; ifRange?: string; ifNoneMatch?: string }, size: number, etag: string): RangeAnswer {
  if (h.method !== 'GET' || h.range === undefined) return { kind: 'full' };
  if (h.ifNoneMatch !== undefined && noneMatchHits(h.ifNoneMatch, etag)) return { kind: 'full' };
  if (h.ifRange !== undefined && h.ifRange.trim() !== etag) return { kind: 'full' };
  const m = ONE_RANGE.exec(h.range.trim());
  if (!m) {
    // Several ranges are valid, but we answer them with the whole file (200); so is garbage.
    return { kind: 'full' };
  }
  const [, first, last, suffix] = m;
  if (suffix !== undefined) {
    const n = Number(suffix);
    if (n === 0 || size === 0) throw new RangeNotSatisfiableError(size, h.range);
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' || last === undefined ? undefined : Number(last);
  // first > last is an invalid range-spec (§14.1.1): the header is ignored.
  if (end !== undefined && end < start) return { kind: 'full' };
  if (start >= size) throw new RangeNotSatisfiableError(size, h.range);
  return { kind: 'partial', start, end: Math.min(end ?? size - 1, size - 1) };
}

function noneMatchHits(header: string, etag: string): boolean {
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * For a route that sends a file: `Accept-Ranges`, then the range to answer. On a 416 the error
 * carries the size in `Content-Range` (set here; the error handler's reply keeps the header).
 */
export function rangeFor(request: FastifyRequest, reply: FastifyReply, size: number, etag: string): RangeAnswer {
  reply.header('Accept-Ranges', 'bytes');
  const h: Parameters<typeof chooseRange>[0] = { method: request.method };
  const { range, 'if-range': ifRange, 'if-none-match': ifNoneMatch } = request.headers;
  if (typeof range === 'string') h.range = range;
  if (typeof ifRange === 'string') h.ifRange = ifRange;
  if (typeof ifNoneMatch === 'string') h.ifNoneMatch = ifNoneMatch;
  try {
    return chooseRange(h, size, etag);
  } catch (err) {
    if (err instanceof RangeNotSatisfiableError) reply.header('Content-Range', `bytes */${size}`);
    throw err;
  }
}

/** Whether the request has a Range header: then the answer is sent without content coding. */
export function hasRange(request: FastifyRequest): boolean {
  return request.headers.range !== undefined;
}

/** Sends bytes start..end of `body` with 206 and Content-Range (the caller has set the other headers). */
export function sendPartial(reply: FastifyReply, body: Buffer, range: Extract<RangeAnswer, { kind: 'partial' }>): FastifyReply {
  return reply
    .code(206)
    .header('Content-Range', `bytes ${range.start}-${range.end}/${body.length}`)
    .send(body.subarray(range.start, range.end + 1));
}

export interface StoredFile {
  path: string;
  type: string;
  filename: string;
  /** The file's strong ETag (the same the full response carries). */
  etag: string;
  cacheControl: string;
}

/**
 * A range of a file on disk, streamed: 206 (or 416, thrown), or undefined when the whole file is
 * to be sent, which the caller does its own way (after this has set Accept-Ranges).
 */
export async function sendFileRange(request: FastifyRequest, reply: FastifyReply, f: StoredFile): Promise<FastifyReply | undefined> {
  const st = await stat(f.path).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  const range = rangeFor(request, reply, st.size, f.etag);
  if (range.kind === 'full') return undefined;
  return reply
    .code(206)
    .header('ETag', f.etag)
    .header('Cache-Control', f.cacheControl)
    .header('Content-Disposition', `attachment; filename="${f.filename}"`)
    .header('Content-Range', `bytes ${range.start}-${range.end}/${st.size}`)
    .header('Content-Length', range.end - range.start + 1)
    .type(f.type)
    .send(createReadStream(f.path, { start: range.start, end: range.end }));
}
