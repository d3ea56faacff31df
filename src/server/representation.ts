import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateEncoding } from '../http/negotiate.js';

/**
 * One prepared response body. The data changes only when it is published, so a representation is
 * built once per data version and served from memory; its compressed forms are made the first
 * time a client asks for them.
 */
export class Representation {
  readonly body: Buffer;
  readonly etag: string;
  private compressed: { br?: Buffer; gzip?: Buffer } = {};

  constructor(readonly type: string, text: string | Buffer, dataVersion: string, readonly language?: string) {
    this.body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    // Strong validator of the identity body (RFC 9110 §8.8.3): the data version, then a hash of
    // the media type, the language and the bytes. The type is in the hash because two formats can
    // have the same bytes (a document's N-Triples and N-Quads, its Turtle and TriG) and are still
    // two representations; the version first, so a client can tell which data it got.
    const hash = createHash('sha1').update(`${type}\n${language ?? ''}\n`).update(this.body).digest('base64url').slice(0, 16);
    this.etag = `"${dataVersion}-${hash}"`;
  }

  /** The content coding the body is actually sent in when `encoding` is negotiated. */
  codingFor(encoding: 'br' | 'gzip' | 'identity'): 'br' | 'gzip' | 'identity' {
    return encoding === 'identity' || this.body.length < 1024 ? 'identity' : encoding;
  }

  /**
   * The strong ETag of the body in a content coding: the identity ETag, or it with `-gzip` or `-br`
   * before the closing quote (as the files of `/releases/{n}/download/` have). A gzip body is other
   * bytes than the identity one, so it is another representation with its own validator (RFC 9110
   * §8.8.3); the suffix keeps the data version first.
   */
  etagFor(coding: 'br' | 'gzip' | 'identity'): string {
    return coding === 'identity' ? this.etag : `${this.etag.slice(0, -1)}-${coding}"`;
  }

  get size(): number {
    return this.body.length + (this.compressed.br?.length ?? 0) + (this.compressed.gzip?.length ?? 0);
  }

  encoded(encoding: 'br' | 'gzip' | 'identity'): Buffer {
    // Below about one packet compression gains nothing and costs CPU.
    if (this.codingFor(encoding) === 'identity') return this.body;
    if (encoding === 'br') {
      this.compressed.br ??= brotliCompressSync(this.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: this.body.length } });
      return this.compressed.br;
    }
    this.compressed.gzip ??= gzipSync(this.body, { level: 9 });
    return this.compressed.gzip;
  }
}

/** Least-recently-used cache of representations, bounded in bytes. Keys include the data version. */
export class RepresentationCache {
  private readonly map = new Map<string, Representation>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): Representation | undefined {
    const rep = this.map.get(key);
    if (rep) {
      this.map.delete(key);
      this.map.set(key, rep);
    }
    return rep;
  }

  set(key: string, rep: Representation): Representation {
    const old = this.map.get(key);
    if (old) this.bytes -= old.size;
    this.map.set(key, rep);
    this.bytes += rep.size * 2; // room for its compressed forms, made later
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes || this.map.size <= 1) break;
      this.map.delete(k);
      this.bytes -= v.size * 2;
    }
    return rep;
  }

  /** Drops everything (a new release is live: every key of the old data version is dead). */
  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  /** Returns the cached value, or builds it once even when many requests miss at the same time. */
  async getOrBuild(key: string, build: () => Promise<Representation | undefined>): Promise<Representation | undefined> {
    const hit = this.get(key);
    if (hit) return hit;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = build().finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    const rep = await pending;
    if (rep && !this.map.has(key)) this.set(key, rep);
    return rep;
  }

  private readonly pending = new Map<string, Promise<Representation | undefined>>();
}

export interface SendOptions {
  vary?: string;
  link?: string;
  contentLocation?: string;
  cacheControl?: string;
  status?: number;
}

/** Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a prepared representation: conditional request (304), compression, caching headers.
 *
 * The ETag is that of the coding sent (`etagFor`), and If-None-Match is compared with it: a client
 * that sends back the tag of the body it got, asking in the same coding, gets 304; a tag of another
 * coding (a cache holding the gzip body, asking now without gzip) does not validate this one, and
 * the full body is sent. A cache holding several codings sends all their tags (RFC 9110 §13.1.2).
 */
export function sendRepresentation(request: FastifyRequest, reply: FastifyReply, rep: Representation, opts: SendOptions = {}): FastifyReply {
  const encoding = negotiateEncoding(request.headers['accept-encoding']);
  const coding = rep.codingFor(encoding);
  const etag = rep.etagFor(coding);
  reply.header('ETag', etag);
  reply.header('Cache-Control', opts.cacheControl ?? 'public, max-age=300, must-revalidate');
  const vary = ['Accept-Encoding', ...(opts.vary ? [opts.vary] : [])].join(', ');
  reply.header('Vary', vary);
  if (opts.link) reply.header('Link', opts.link);
  if (opts.contentLocation) reply.header('Content-Location', opts.contentLocation);
  if (rep.language) reply.header('Content-Language', rep.language);
  reply.type(rep.type);
  // Preconditions apply only where the response would be 2xx (RFC 9110 §13.2.1): a 404 page is
  // always sent in full.
  const status = opts.status ?? 200;
  if (status >= 200 && status < 300 && matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  const body = rep.encoded(coding);
  if (coding !== 'identity') reply.header('Content-Encoding', coding);
  return reply.code(status).send(body);
}
