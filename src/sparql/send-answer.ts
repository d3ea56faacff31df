import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateEncoding } from '../http/negotiate.js';

/**
 * Sending a query's answer: validators, caching, compression, the truncation headers.
 *
 * The ETag is computed before the query runs, from everything the answer depends on: the data
 * version, the query text as run, the dataset, the media type (and page language), the result
 * limit. A client that repeats a query with If-None-Match gets a 304 without the query running at
 * all (RFC 9110 §13.1.2). The validator is weak (`W/`): the same data and query give the same
 * answer, but nothing promises the same bytes (e.g. blank-node labels), and it holds for every
 * content coding (RFC 9110 §8.8.1).
 *
 * Compression uses moderate levels: an answer is sent once, unlike a prepared document, so the
 * fast levels pay off where documents use the best ones. Large answers are compressed on libuv's
 * thread pool (async zlib), off the event loop.
 */

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Below about one packet compression gains nothing (as in representation.ts). */
const MIN_COMPRESS = 1024;
/** Up to this size compressing takes tens of microseconds: less than the hop to the thread pool. */
const MAX_SYNC_COMPRESS = 64 * 1024;

async function compress(bytes: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  const br = { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } };
  if (bytes.length <= MAX_SYNC_COMPRESS) return encoding === 'br' ? brotliCompressSync(bytes, br) : gzipSync(bytes, { level: 6 });
  return encoding === 'br' ? brotli(bytes, br) : gz(bytes, { level: 6 });
}

export const TRUNCATED_HEADER = 'X-SPARQL-Results-Truncated';
export const LIMIT_HEADER = 'X-SPARQL-Results-Limit';
/** Sent instead of LIMIT_HEADER when MAX_RESULT_BYTES cut the answer: the cap, in bytes. */
export const BYTE_LIMIT_HEADER = 'X-SPARQL-Results-Byte-Limit';

export function answerEtag(dataVersion: string, parts: readonly string[]): string {
  const hash = createHash('sha1');
  for (const p of parts) hash.update(p).update('\u0000');
  return `W/"${dataVersion}-${hash.digest('base64url').slice(0, 22)}"`;
}

/** If-None-Match with weak comparison (RFC 9110 §13.1.2). */
export function notModified(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export interface AnswerHeaders {
  etag: string;
  vary: string;
  contentType?: string;
  /** Set when the answer was cut to this many results. */
  truncatedAt?: number;
  /** Set when the answer was cut to fit in this many bytes (MAX_RESULT_BYTES). */
  byteLimit?: number;
  language?: string;
}

function common(reply: FastifyReply, h: AnswerHeaders): void {
  reply.header('ETag', h.etag);
  // Answers change only when the data does: a short max-age, then a cheap revalidation.
  reply.header('Cache-Control', 'public, max-age=300, must-revalidate');
  reply.header('Vary', h.vary);
  if (h.language) reply.header('Content-Language', h.language);
}

export function sendNotModified(reply: FastifyReply, h: AnswerHeaders): FastifyReply {
  common(reply, h);
  return reply.code(304).send();
}

/** `body` is the answer in UTF-8, as the store's worker made it (bounded there: store.ts, answer). */
export async function sendAnswer(request: FastifyRequest, reply: FastifyReply, body: Uint8Array, h: AnswerHeaders): Promise<FastifyReply> {
  common(reply, h);
  if (h.truncatedAt !== undefined || h.byteLimit !== undefined) {
    // No standard header says "partial result"; these are documented in README and exposed to
    // browsers through CORS (app.ts). The limit header names the limit that cut the answer.
    reply.header(TRUNCATED_HEADER, 'true');
    if (h.byteLimit !== undefined) reply.header(BYTE_LIMIT_HEADER, String(h.byteLimit));
    else reply.header(LIMIT_HEADER, String(h.truncatedAt));
  }
  if (h.contentType) reply.type(h.contentType);
  // A view of the same memory: the answer is not copied on this thread.
  let bytes: Buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const encoding = negotiateEncoding(request.headers['accept-encoding']);
  if (encoding !== 'identity' && bytes.length >= MIN_COMPRESS) {
    bytes = await compress(bytes, encoding);
    reply.header('Content-Encoding', encoding);
  }
  return reply.code(200).send(bytes);
}
