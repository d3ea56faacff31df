import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Representation } from '../src/server/representation.js';
import { startApp } from './server-helpers.js';

/**
 * Issue #11, HTTP details: the same strong ETag was sent for the identity, gzip and br bodies, and
 * a document's `.nt` and `.nq` (and `.ttl` and `.trig`) shared one. Strong validators must differ
 * per representation (RFC 9110 §8.8.3); If-None-Match must still give 304 to a client sending
 * back the tag of the body it got; the data version stays at the start of every tag.
 */

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app.close());

const DOC = '/doc/district/TJ-KT-06';
const CODINGS = ['identity', 'gzip', 'br'] as const;
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });
const versionOf = (etag: string) => /^"([0-9a-f]+)-/.exec(etag)?.[1];

describe('a strong ETag per representation', () => {
  it('differs per content coding, and each coding\'s tag gives 304 in that coding', async () => {
    const tags = new Map<string, string>();
    for (const coding of CODINGS) {
      const r = await get(`${DOC}.ttl`, { 'accept-encoding': coding });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-encoding']).toBe(coding === 'identity' ? undefined : coding);
      const etag = String(r.headers.etag);
      expect(etag).toMatch(/^"[0-9a-f]+-[A-Za-z0-9_-]+"$/);
      tags.set(coding, etag);
      const again = await get(`${DOC}.ttl`, { 'accept-encoding': coding, 'if-none-match': etag });
      expect(again.statusCode, coding).toBe(304);
      expect(again.headers.etag).toBe(etag);
    }
    expect(new Set(tags.values()).size).toBe(3);
    expect(tags.get('gzip')).toBe(`${tags.get('identity')?.slice(0, -1)}-gzip"`);
    expect(tags.get('br')).toBe(`${tags.get('identity')?.slice(0, -1)}-br"`);
    // the data version, first in every tag, is the same
    expect(new Set([...tags.values()].map(versionOf)).size).toBe(1);
    expect(versionOf(tags.get('br') ?? '')).toMatch(/^[0-9a-f]+$/);
  });

  it('does not validate one coding with the tag of another, and accepts a list holding the right one', async () => {
    const gz = String((await get(`${DOC}.ttl`, { 'accept-encoding': 'gzip' })).headers.etag);
    const plain = String((await get(`${DOC}.ttl`)).headers.etag);
    const r = await get(`${DOC}.ttl`, { 'if-none-match': gz });
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe(plain);
    expect((await get(`${DOC}.ttl`, { 'accept-encoding': 'gzip', 'if-none-match': `${plain}, W/${gz}` })).statusCode).toBe(304);
  });

  it('differs between formats whose bytes are the same: .nt and .nq, .ttl and .trig', async () => {
    for (const [a, b] of [['nt', 'nq'], ['ttl', 'trig']]) {
      const [ra, rb] = await Promise.all([get(`${DOC}.${a}`), get(`${DOC}.${b}`)]);
      expect(ra.statusCode).toBe(200);
      expect(rb.statusCode).toBe(200);
      expect(ra.body, `${a} and ${b} have the same bytes here`).toBe(rb.body);
      expect(ra.headers.etag).not.toBe(rb.headers.etag);
      expect((await get(`${DOC}.${b}`, { 'if-none-match': String(ra.headers.etag) })).statusCode).toBe(200);
    }
  });

  it('gives a small body (sent uncompressed whatever the client allows) its identity tag', () => {
    const rep = new Representation('text/turtle', 'x', 'abc');
    expect(rep.codingFor('br')).toBe('identity');
    expect(rep.etagFor(rep.codingFor('gzip'))).toBe(rep.etag);
    const big = new Representation('text/turtle', 'x'.repeat(2000), 'abc');
    expect(big.etagFor(big.codingFor('gzip'))).toBe(`${big.etag.slice(0, -1)}-gzip"`);
    expect(new Representation('application/n-triples', 'x', 'abc').etag).not.toBe(new Representation('application/n-quads', 'x', 'abc').etag);
  });

  it('a download: each coding its tag, and a range still follows the identity tag (If-Range)', async () => {
    const url = '/download/units.ttl';
    const tags = await Promise.all(CODINGS.map(async (c) => String((await get(url, { 'accept-encoding': c })).headers.etag)));
    expect(new Set(tags).size).toBe(3);
    const [identity, gz] = tags;
    expect((await get(url, { 'accept-encoding': 'gzip', 'if-none-match': gz ?? '' })).statusCode).toBe(304);
    const part = await get(url, { range: 'bytes=0-99', 'if-range': identity ?? '' });
    expect(part.statusCode).toBe(206);
    expect(part.headers.etag).toBe(identity);
  });
});
