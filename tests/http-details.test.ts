import { brotliDecompressSync, crc32, gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, listenLoopback } from './server-helpers.js';

/**
 * Issue #11, "HTTP details": `/search` and the 404 pages were sent uncompressed and without ETag,
 * and `/favicon.ico` was a 4.4 KB HTML 404 (a second request on every first visit). Over real
 * HTTP to the real server (fetch decompresses, so the compressed bytes are checked with inject).
 */

let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => app.close());

describe('/search is sent as every page is', () => {
  it.each([
    ['text/html', /^text\/html/],
    ['application/json', /^application\/json/],
  ])('%s: ETag, 304 on If-None-Match, compressed', async (accept, type) => {
    const url = `${origin}/search?q=${encodeURIComponent('Яван')}`;
    const first = await fetch(url, { headers: { accept } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(type);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"/);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(first.headers.get('vary')).toMatch(/Accept-Encoding/);
    const body = await first.text();
    expect(body).toContain('Яван');

    const again = await fetch(url, { headers: { accept, 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
    // Another query is another representation.
    const other = await fetch(`${origin}/search?q=Norin`, { headers: { accept, 'if-none-match': etag as string } });
    expect(other.status).toBe(200);

    // Bodies under 1 KB are not worth compressing (representation.ts); the page is larger.
    const br = await app.inject({ url: `/search?q=${encodeURIComponent('Яван')}`, headers: { accept, 'accept-encoding': 'br' } });
    if (accept === 'text/html') expect(Buffer.byteLength(body)).toBeGreaterThan(1024);
    if (Buffer.byteLength(body) >= 1024) {
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(body);
    } else {
      expect(br.body).toBe(body);
    }
  });
});

describe('404 pages', () => {
  it.each([
    ['text/html', /^text\/html/, 'gzip'],
    ['application/json', /^application\/json/, 'br'],
  ])('%s: compressed, with an ETag, cached briefly, never 304', async (accept, type, encoding) => {
    const url = '/doc/jamoat/TJ-KT-06-99';
    const r = await app.inject({ url, headers: { accept, 'accept-encoding': encoding } });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(type);
    expect(r.headers.etag).toMatch(/^"/);
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    expect(r.headers.vary).toMatch(/Accept-Encoding/);
    const plain = (await fetch(`${origin}${url}`, { headers: { accept } }));
    const text = await plain.text();
    if (accept === 'text/html') expect(text.length).toBeGreaterThan(1024);
    else expect(JSON.parse(text)).toMatchObject({ statusCode: 404, code: 'LG_ERR_NOT_FOUND' });
    if (Buffer.byteLength(text) >= 1024) {
      expect(r.headers['content-encoding']).toBe(encoding);
      const decoded = encoding === 'gzip' ? gunzipSync(r.rawPayload) : brotliDecompressSync(r.rawPayload);
      expect(decoded.toString('utf8')).toBe(text);
    }
    // A precondition is ignored where the answer is not 2xx (RFC 9110 §13.2.1).
    const again = await fetch(`${origin}${url}`, { headers: { accept, 'if-none-match': r.headers.etag as string } });
    expect(again.status).toBe(404);
    expect(await again.text()).toBe(text);
  });

  it('other errors are still not stored', async () => {
    const r = await fetch(`${origin}/sparql?query=${encodeURIComponent('SELECT')}`, { headers: { accept: 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the site icon', () => {
  it('every page links the SVG icon in its head', async () => {
    for (const path of ['/', '/search?q=x', '/doc/jamoat/TJ-KT-06-06', '/nothing-here']) {
      const html = await (await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } })).text();
      const head = html.split('</head>')[0] as string;
      expect(head, path).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    }
  });

  it('/favicon.svg is a small SVG, cached for long', async () => {
    const r = await fetch(`${origin}/favicon.svg`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/svg+xml');
    expect(r.headers.get('cache-control')).toBe('public, max-age=2592000');
    const svg = await r.text();
    expect(svg.length).toBeLessThan(400);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 16 16"/);
    const again = await fetch(`${origin}/favicon.svg`, { headers: { 'if-none-match': r.headers.get('etag') as string } });
    expect(again.status).toBe(304);
  });

  it('/favicon.ico is a valid ICO of one 16×16 PNG, a few hundred bytes, cached for long', async () => {
    const r = await fetch(`${origin}/favicon.ico`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/x-icon');
    expect(r.headers.get('cache-control')).toBe('public, max-age=2592000');
    const ico = Buffer.from(await r.arrayBuffer());
    expect(ico.length).toBeLessThan(400);
    // ICONDIR: reserved 0, type 1 (icon), one image.
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 1]);
    // ICONDIRENTRY: 16×16, the image's size and offset within the file.
    expect([ico[6], ico[7]]).toEqual([16, 16]);
    const size = ico.readUInt32LE(14);
    const offset = ico.readUInt32LE(18);
    expect(offset + size).toBe(ico.length);
    const png = ico.subarray(offset);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Every chunk's CRC holds; IHDR says 16×16 RGB; the pixels inflate to 16 rows of 1 + 48 bytes.
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      const type = png.subarray(at + 4, at + 8).toString('latin1');
      const data = png.subarray(at + 8, at + 8 + length);
      expect(png.readUInt32BE(at + 8 + length), type).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
      chunks.push({ type, data });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]?.data as Buffer;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([16, 16, 8, 2]);
    expect(inflateSync(chunks[1]?.data as Buffer).length).toBe(16 * (1 + 16 * 3));
  });
});
