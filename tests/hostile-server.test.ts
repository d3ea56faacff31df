import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { localPath } from '../src/html/layout.js';
import { buildApp } from '../src/server/app.js';
import { REFUSAL_LINES_PER_SECOND } from '../src/server/refusal-log.js';
import { StoreBusyError } from '../src/store/store.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import { BASE, listenLoopback } from './server-helpers.js';
import { rawGet as rawGetFrom } from './hostile/raw-get.js';

/**
 * Issue #14, the server's items 8, 9, 12 and 14, over real HTTP to the real app on the real store
 * (the shipped build), its log written to a stream the test reads:
 * - 8: Object.prototype names as path segments answered 500 (a lookup in an object literal);
 * - 9: a 404 page's language links were built from the request target (`//evil.example/x`);
 * - 12: expected refusals (LG_ERR_BUSY) were logged at error with a stack, one per request;
 * - 14: no nosniff and no CSP; error bodies with codes such as ENOENT.
 * The app serves its downloads from a copy of the build with one listed file removed (a 500 of
 * ours: ENOENT), and two routes added for the test: one refuses as the store does when busy,
 * one fails as a bug would.
 */

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});
interface LogLine { level: number; code?: string; msg: string; err?: { stack?: string }; suppressed?: number }
const parsed = (from: number) => lines.slice(from).map((l) => JSON.parse(l) as LogLine);

let app: FastifyInstance;
let origin: string;
let copy: string;
/** A download build-info.json lists whose file is gone from the copy. */
const MISSING = 'units.ttl';

beforeAll(async () => {
  const dir = inject('buildDir');
  copy = await mkdtemp(join(tmpdir(), 'lg-hostile-server-'));
  await cp(dir, copy, { recursive: true });
  await rm(join(copy, 'download', MISSING));
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'info', BUILD_DIR: copy });
  const store = await createWorkerStore({ nquadsPath: join(dir, 'data.nq'), dataVersion: info.dataVersion, timeoutMs: config.QUERY_TIMEOUT_MS, built: { quads: info.quads, graphs: info.graphs } });
  app = await buildApp({ config, store, logger: { level: 'info', stream: sink } as unknown as { level: string } });
  app.get('/test/busy', async () => { throw new StoreBusyError(2); });
  app.get('/test/bug', async () => { throw new Error('a bug of ours at /srv/app/secret.ts'); });
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
  // What the app logs once at its first request is out of the way before lines are counted.
  await (await fetch(`${origin}/health`)).arrayBuffer();
});
afterAll(async () => {
  await app?.close();
  if (copy) await rm(copy, { recursive: true, force: true });
});

const rawGet = (target: string, accept: string) => rawGetFrom(origin, target, accept);

describe('#14.8: a path is never a 500', () => {
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', '__lookupGetter__'];
  it.each(['/sparql/assets/', '/download/', '/doc/', '/doc/region/', '/id/', '/def/', '/def/indicator/', '/catalog/'])('%s{name of Object.prototype} is 404, logged as a refusal', async (prefix) => {
    const from = lines.length;
    for (const name of names) {
      for (const accept of ['application/json', 'text/html']) {
        const res = await fetch(`${origin}${prefix}${name}`, { headers: { accept } });
        const body = await res.text();
        expect(res.status, `${prefix}${name} ${body.slice(0, 200)}`).toBe(404);
        if (accept === 'application/json') expect(JSON.parse(body)).toMatchObject({ code: 'LG_ERR_NOT_FOUND' });
      }
    }
    expect(parsed(from).filter((l) => l.level >= 50)).toEqual([]);
  });

  it('the editor\'s own assets are still served', async () => {
    for (const name of ['editor.js', 'yasgui.min.js', 'yasgui.min.css', 'prefixes.json']) {
      const res = await fetch(`${origin}/sparql/assets/${name}`);
      await res.arrayBuffer();
      expect(res.status, name).toBe(200);
    }
  });
});

describe('#14.9: links are built from a local path only', () => {
  it('localPath keeps a path of this site and nothing else', () => {
    expect(localPath('//evil.example/x')).toBe('/evil.example/x');
    expect(localPath('/\\evil.example/x')).toBe('/evil.example/x');
    expect(localPath('/\\/\\//evil.example')).toBe('/evil.example');
    expect(localPath('http://evil.example/x?lang=en')).toBe('/x');
    expect(localPath('HTTPS://evil.example')).toBe('/');
    expect(localPath('*')).toBe('/*');
    expect(localPath('/doc/jamoat/TJ-KT-06-06?lang=ru#x')).toBe('/doc/jamoat/TJ-KT-06-06');
    expect(localPath('/a//b')).toBe('/a//b');
  });

  it.each(['//evil.example/x', '/\\evil.example/x', '///evil.example/x', '/\\/evil.example/x', 'http://evil.example/x', '//evil.example/x?lang=ru&q=1'])(
    'the 404 page for %s links only to this site',
    async (target) => {
      const res = await rawGet(target, 'text/html');
      expect(res.status).toBe(404);
      expect(res.headers.location).toBeUndefined();
      const hrefs = [...res.body.matchAll(/\s(?:href|action)="([^"]*)"/g)].map((m) => m[1] ?? '');
      // The three language links and the three hreflang alternates: the local path, whatever was asked.
      const switches = [...res.body.matchAll(/<(?:a|link rel="alternate") (?:href="([^"]*)" hreflang="|hreflang="[a-z]+" href="([^"]*)")/g)].map((m) => m[1] ?? m[2] ?? '');
      expect(switches).toHaveLength(6);
      // The head's alternates are absolute (search engines ignore relative ones): on our own origin.
      const local = (h: string) => (h.startsWith(BASE) ? h.slice(BASE.length - 1) : h);
      for (const h of switches) expect(local(h)).toMatch(/^\/(?:evil\.example\/)?x\?/);
      for (const h of hrefs.filter((x) => x !== 'https://creativecommons.org/licenses/by/4.0/')) expect(local(h), target).toMatch(/^(?:\/(?![/\\])|#)/);
    },
  );

  it('a retired unit\'s redirect and /id/ 303s stay on this site', async () => {
    const res = await rawGet('/id/jamoat/TJ-KT-06-06?x=//evil.example', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/doc\/jamoat\/TJ-KT-06-06\?/);
  });
});

describe('#14.12: expected refusals are one short line, sampled; our failures keep their stack', () => {
  it('a busy refusal answered as a page is one line at warn, no stack', async () => {
    const from = lines.length;
    const res = await fetch(`${origin}/test/busy`, { headers: { accept: 'text/html' } });
    await res.text();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    const logged = parsed(from);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, code: 'LG_ERR_BUSY' });
    expect(logged[0]).not.toHaveProperty('err');
    expect(Buffer.byteLength(lines[from] as string)).toBeLessThan(500);
    expect(lines[from]).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it(`under load at most ${REFUSAL_LINES_PER_SECOND} lines a second per code, then one "suppressed K" line`, async () => {
    // A quiet second first, so that the burst starts a window of its own.
    await new Promise((r) => setTimeout(r, 1100));
    const from = lines.length;
    const started = Date.now();
    const N = 200;
    const statuses = await Promise.all(Array.from({ length: N }, async () => {
      const res = await fetch(`${origin}/test/busy`, { headers: { accept: 'application/json' } });
      await res.arrayBuffer();
      return res.status;
    }));
    const seconds = (Date.now() - started) / 1000;
    expect(statuses.every((s) => s === 503)).toBe(true);
    // The summary of the last second is written when that second is over, with no request after it.
    await new Promise((r) => setTimeout(r, 1300));
    const busy = parsed(from).filter((l) => l.code === 'LG_ERR_BUSY');
    const each = busy.filter((l) => l.suppressed === undefined);
    const summaries = busy.filter((l) => l.suppressed !== undefined);
    // Every refusal is either a line or counted in a summary, and the lines are few.
    expect(each.length + summaries.reduce((n, l) => n + (l.suppressed ?? 0), 0)).toBe(N);
    expect(each.length).toBeLessThanOrEqual(REFUSAL_LINES_PER_SECOND * (Math.ceil(seconds) + 1));
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries[0]?.msg).toMatch(/^suppressed \d+ more LG_ERR_BUSY refusals/);
    expect(busy.every((l) => l.level === 40 && l.err === undefined)).toBe(true);
  });

  it('404s under load are sampled the same way, at info', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const from = lines.length;
    await Promise.all(Array.from({ length: 60 }, async (_, i) => (await fetch(`${origin}/no/such/${i}`, { headers: { accept: 'application/json' } })).arrayBuffer()));
    await new Promise((r) => setTimeout(r, 1300));
    const notFound = parsed(from).filter((l) => l.code === 'LG_ERR_NOT_FOUND');
    expect(notFound.length).toBeLessThan(60);
    expect(notFound.every((l) => l.level === 30)).toBe(true);
  });

  it('a real 500 is logged at error with its stack, and its body says nothing of it', async () => {
    const from = lines.length;
    const res = await fetch(`${origin}/test/bug`, { headers: { accept: 'application/json' } });
    const body = await res.json() as { code: string; message: string };
    expect(res.status).toBe(500);
    expect(body).toEqual({ statusCode: 500, code: 'LG_ERR_INTERNAL', message: 'Internal error; it has been logged.' });
    const errors = parsed(from).filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.err?.stack).toMatch(/a bug of ours/);
  });
});

describe('#14.14: error bodies are generic', () => {
  it('a download whose file is missing: LG_ERR_INTERNAL, no ENOENT, no path (logged with its stack)', async () => {
    const from = lines.length;
    for (const accept of ['application/json', 'text/html']) {
      const res = await fetch(`${origin}/download/${MISSING}`, { headers: { accept } });
      const body = await res.text();
      expect(res.status).toBe(500);
      expect(body).not.toMatch(/ENOENT|errno|no such file/i);
      expect(body).not.toContain(copy);
      if (accept === 'application/json') expect(JSON.parse(body)).toMatchObject({ code: 'LG_ERR_INTERNAL' });
    }
    expect(parsed(from).filter((l) => l.level === 50).every((l) => /ENOENT/.test(l.err?.stack ?? ''))).toBe(true);
  });

  it('a request the HTTP parser refuses: our code, a sentence, the security headers', async () => {
    const { hostname, port } = new URL(origin);
    const answer = await new Promise<string>((resolve) => {
      let got = '';
      const s = connect(Number(port), hostname, () => s.write('GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n'));
      s.setEncoding('latin1');
      s.on('data', (c: string) => { got += c; });
      s.on('error', () => undefined);
      s.on('close', () => resolve(got));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/);
    expect(answer).toMatch(/\r\nContent-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string; message: string };
    expect(body.code).toBe('LG_ERR_MALFORMED_REQUEST');
    expect(body.message).not.toMatch(/HPE_/);
  });
});

describe('#14.14: nosniff and a Content-Security-Policy on every answer', () => {
  const PAGES = ['/?lang=en', '/doc/jamoat/TJ-KT-06-06', '/doc/region/TJ-KT', '/sparql', `/sparql?query=${encodeURIComponent('ASK {}')}`, '/catalog', '/coverage', '/search?q=Norin', '/def/lg', '/void', '/no/such/page'];

  it.each(PAGES)('%s as HTML: strict policy; its inline styles allowed by hash, no inline script or style attribute', async (path) => {
    const res = await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } });
    const body = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(/;\s*/).map((d) => { const [name, ...values] = d.split(' '); return [name, values] as const; }));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-|\*|https?:/);
    const styles = [...body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? '');
    expect(styles.length).toBeGreaterThan(0);
    for (const css of styles) expect(directives.get('style-src')).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    expect(body).not.toMatch(/\sstyle="/);
    expect(body).not.toMatch(/\son[a-z]+="/);
    // Scripts are files of ours, or data (JSON, JSON-LD), which script-src does not govern.
    for (const m of body.matchAll(/<script([^>]*)>/g)) expect(m[1]).toMatch(/\ssrc="\/|\stype="application\/(?:ld\+)?json"/);
  });

  it.each([
    ['/doc/jamoat/TJ-KT-06-06', 'text/turtle'],
    ['/doc/jamoat/TJ-KT-06-06.jsonld', '*/*'],
    [`/sparql?query=${encodeURIComponent('ASK {}')}`, 'application/sparql-results+json'],
    ['/sparql?query=SELEC', 'application/json'],
    ['/download/units.csv', '*/*'],
    ['/sparql/assets/editor.js', '*/*'],
    ['/favicon.svg', '*/*'],
    ['/health', '*/*'],
    ['/no/such/page', 'application/json'],
  ])('%s as %s: default-src \'none\', frame-ancestors \'none\'', async (path, accept) => {
    const res = await fetch(`${origin}${path}`, { headers: { accept } });
    await res.arrayBuffer();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('a CORS preflight carries them too', async () => {
    const res = await fetch(`${origin}/sparql`, { method: 'OPTIONS', headers: { origin: 'http://example.org', 'access-control-request-method': 'POST' } });
    await res.arrayBuffer();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });
});
