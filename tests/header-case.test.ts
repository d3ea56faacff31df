import { request as httpRequest } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHeaderName } from '../src/http/canonical-header-case.js';
import { startApp, listenLoopback } from './server-helpers.js';

/**
 * Issue #11, item 2: header names go out in canonical case (R's RCurl reads only `Content-Type:`).
 * node:http's `rawHeaders` keeps the names as they came over the wire from the real server.
 */

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = await startApp();
  port = await listenLoopback(app);
});
afterAll(async () => app.close());

function rawNames(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; names: string[] }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, names: res.rawHeaders.filter((_, i) => i % 2 === 0) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every dash-separated word starts with a capital (ETag, WWW-Authenticate: capitals throughout). */
const CANONICAL = /^[A-Z][A-Za-z0-9]*(-[A-Z][A-Za-z0-9]*)*$/;

describe('header names in canonical case', () => {
  it('knows the registry spellings', () => {
    expect(['content-type', 'etag', 'access-control-allow-origin', 'www-authenticate', 'x-sparql-results-truncated', 'Cache-Control'].map(canonicalHeaderName))
      .toEqual(['Content-Type', 'ETag', 'Access-Control-Allow-Origin', 'WWW-Authenticate', 'X-SPARQL-Results-Truncated', 'Cache-Control']);
  });

  it.each([
    ['a document', 'GET', '/doc/jamoat/TJ-KT-06-06', { accept: 'text/turtle', 'accept-encoding': 'gzip', origin: 'https://example.org' }, ['Content-Type', 'ETag', 'Cache-Control', 'Vary', 'Link', 'Content-Location', 'Content-Encoding', 'Access-Control-Allow-Origin', 'Access-Control-Expose-Headers']],
    ['an HTML page', 'GET', '/doc/jamoat/TJ-KT-06-06', { accept: 'text/html' }, ['Content-Type', 'Content-Length', 'ETag', 'Content-Language']],
    ['a 303', 'GET', '/id/jamoat/TJ-KT-06-06', { accept: 'text/turtle' }, ['Location', 'Vary']],
    ['a 404', 'GET', '/doc/jamoat/TJ-KT-06-99', { accept: 'application/json' }, ['Content-Type', 'Cache-Control', 'Content-Length']],
    ['SPARQL results', 'GET', `/sparql?query=${encodeURIComponent('ASK {}')}`, { accept: 'application/sparql-results+xml' }, ['Content-Type']],
    ['a CORS preflight', 'OPTIONS', '/sparql', { origin: 'https://example.org', 'access-control-request-method': 'POST' }, ['Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Max-Age']],
  ])('%s', async (_name, method, path, headers, expected) => {
    const { status, names } = await rawNames(method, path, headers);
    expect(status).toBeLessThan(500);
    expect(names.filter((n) => !CANONICAL.test(n))).toEqual([]);
    for (const name of expected) expect(names, name).toContain(name);
  });
});
