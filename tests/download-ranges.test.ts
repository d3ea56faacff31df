import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { chooseRange } from '../src/http/ranges.js';
import { computeChangeset } from '../src/releases/changeset.js';
import { ReleaseStore } from '../src/releases/release-store.js';
import { releasesRoutes } from '../src/routes/releases.js';
import { AppContext } from '../src/server/app-context.js';
import { registerErrorHandlers } from '../src/server/errors.js';
import { openStateDb, type StateDb } from '../src/state/state-db.js';
import type { LinkedDataStore } from '../src/store/store.js';
import { BASE, startApp, listenLoopback } from './server-helpers.js';

/**
 * Issue #11, "HTTP details": downloads ignored `Range`, so a broken download over a slow,
 * expensive connection started again from zero. Over loopback to the real server: `/download/`
 * (the app with the shipped build) and `/releases/{n}/download/` (the release routes on a release
 * made of the same build). A download broken at half resumes with `Range` + `If-Range`, and the
 * two parts together are the file, with the SHA-256 build-info.json (and the catalog) gives.
 */

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let app: FastifyInstance;
let releasesApp: FastifyInstance;
let origin: string;
let releasesOrigin: string;
let stateDir: string;
let db: StateDb;
let info: BuildInfo;
const buildDir = inject('buildDir');

beforeAll(async () => {
  info = JSON.parse(await readFile(join(buildDir, 'build-info.json'), 'utf8')) as BuildInfo;
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;

  // A release 1 made of the shipped build, served by the release routes alone.
  stateDir = await mkdtemp(join(tmpdir(), 'lg-ranges-'));
  db = openStateDb(stateDir);
  const store = new ReleaseStore(db);
  const r1 = store.begin({ kind: 'seed', createdBy: { id: null, name: 'service' }, uploadId: null, rollbackTo: null, seedDigest: 'seed', overlays: [] });
  await cp(buildDir, join(stateDir, 'releases', '1'), { recursive: true });
  store.complete(r1.n, { dataVersion: info.dataVersion, summary: computeChangeset(null, await readFile(join(buildDir, 'data.nq'), 'utf8')).summary });
  const dataVersion = info.dataVersion;
  const noStore: LinkedDataStore = {
    dataVersion,
    info: () => ({ dataVersion, triples: 0, graphs: {}, loadedAt: new Date(0) }),
    query: async () => { throw new Error('the release routes do not query the store'); },
    answer: async () => { throw new Error('the release routes do not query the store'); },
    close: async () => undefined,
  };
  const ctx = new AppContext(loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: join(stateDir, 'releases', '1'), STATE_DIR: stateDir }), noStore);
  releasesApp = Fastify({ logger: false });
  registerErrorHandlers(releasesApp, ctx);
  await releasesApp.register(releasesRoutes, { ctx, releases: { store, dirOf: (n: number) => join(stateDir, 'releases', String(n)) } });
  await releasesApp.listen({ port: 0, host: '127.0.0.1' });
  releasesOrigin = `http://127.0.0.1:${(releasesApp.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await releasesApp?.close();
  db?.close();
  await rm(stateDir, { recursive: true, force: true });
});

/** Both download routes, for one file name. */
const routes = () => [
  ['/download/', (name: string) => `${origin}/download/${name}`],
  ['/releases/1/download/', (name: string) => `${releasesOrigin}/releases/1/download/${name}`],
] as const;

/** A binary file (gzip: never content-coded) and a text file (compressed in transit when allowed). */
const FILES = ['all.nq.gz', 'units.ttl'];

describe.each(routes())('%s', (_route, url) => {
  it.each(FILES)('%s: a download broken at half resumes; the parts are the file and its SHA-256', async (name) => {
    const entry = info.downloads.find((d) => d.name === name);
    if (!entry) throw new Error(`the build lists no ${name}`);
    const file = await readFile(join(buildDir, 'download', name));
    expect(sha256(file)).toBe(entry.sha256);

    const full = await fetch(url(name), { headers: { 'accept-encoding': 'identity' } });
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const etag = full.headers.get('etag') as string;
    await full.arrayBuffer();

    // The connection broke after the first half; a download manager asks for the first half again
    // in one request (Range with a start and an end), then for the rest.
    const half = Math.floor(file.length / 2);
    const first = await fetch(url(name), { headers: { range: `bytes=0-${half - 1}`, 'accept-encoding': 'gzip, br' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-${half - 1}/${file.length}`);
    expect(first.headers.get('content-length')).toBe(String(half));
    expect(first.headers.get('content-encoding')).toBeNull();
    expect(first.headers.get('etag')).toBe(etag);
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    const part1 = Buffer.from(await first.arrayBuffer());

    const rest = await fetch(url(name), { headers: { range: `bytes=${half}-`, 'if-range': etag, 'accept-encoding': 'gzip, br' } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${half}-${file.length - 1}/${file.length}`);
    expect(rest.headers.get('content-encoding')).toBeNull();
    const part2 = Buffer.from(await rest.arrayBuffer());

    const joined = Buffer.concat([part1, part2]);
    expect(joined.equals(file)).toBe(true);
    expect(sha256(joined)).toBe(entry.sha256);
  });

  it('the last bytes (a suffix range), and a range past the end is cut at the end', async () => {
    const file = await readFile(join(buildDir, 'download', 'all.nq.gz'));
    const tail = await fetch(url('all.nq.gz'), { headers: { range: 'bytes=-100' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${file.length - 100}-${file.length - 1}/${file.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(-100))).toBe(true);
    const over = await fetch(url('all.nq.gz'), { headers: { range: `bytes=10-${file.length + 5000}` } });
    expect(over.status).toBe(206);
    expect(Buffer.from(await over.arrayBuffer()).equals(file.subarray(10))).toBe(true);
  });

  it('If-Range with another ETag (the file changed) gets the whole file, 200', async () => {
    const file = await readFile(join(buildDir, 'download', 'all.nq.gz'));
    for (const ifRange of ['"sha256-0000"', 'W/"whatever"', 'Sat, 01 Jan 2000 00:00:00 GMT']) {
      const r = await fetch(url('all.nq.gz'), { headers: { range: 'bytes=100-', 'if-range': ifRange } });
      expect(r.status, ifRange).toBe(200);
      expect(Buffer.from(await r.arrayBuffer()).equals(file), ifRange).toBe(true);
    }
  });

  it('a range that starts past the end is 416 with Content-Range */size, in our error format', async () => {
    const file = await readFile(join(buildDir, 'download', 'all.nq.gz'));
    for (const range of [`bytes=${file.length}-`, `bytes=${file.length + 10}-${file.length + 20}`, 'bytes=-0']) {
      const r = await fetch(url('all.nq.gz'), { headers: { range, accept: 'application/json' } });
      expect(r.status, range).toBe(416);
      expect(r.headers.get('content-range'), range).toBe(`bytes */${file.length}`);
      expect(r.headers.get('content-disposition'), range).toBeNull();
      expect(await r.json()).toMatchObject({ statusCode: 416, code: 'LG_ERR_RANGE_NOT_SATISFIABLE' });
    }
  });

  it('several ranges, an unknown unit or a malformed header get the whole file, uncompressed', async () => {
    const file = await readFile(join(buildDir, 'download', 'units.ttl'));
    for (const range of ['bytes=0-9,20-29', 'items=0-5', 'bytes=abc', 'bytes=9-3']) {
      const r = await fetch(url('units.ttl'), { headers: { range, 'accept-encoding': 'gzip' } });
      expect(r.status, range).toBe(200);
      expect(r.headers.get('content-encoding'), range).toBeNull();
      expect(Buffer.from(await r.arrayBuffer()).equals(file), range).toBe(true);
    }
  });

  it('If-None-Match that matches is still 304; HEAD ignores Range', async () => {
    const etag = (await fetch(url('all.nq.gz'), { method: 'HEAD' })).headers.get('etag') as string;
    const r = await fetch(url('all.nq.gz'), { headers: { range: 'bytes=0-9', 'if-none-match': etag } });
    expect(r.status).toBe(304);
    const head = await fetch(url('all.nq.gz'), { method: 'HEAD', headers: { range: 'bytes=0-9' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
  });
});

describe('chooseRange (the decision alone)', () => {
  const etag = '"sha256-abc"';
  const get = (range: string, extra: { ifRange?: string; ifNoneMatch?: string } = {}) => chooseRange({ method: 'GET', range, ...extra }, 1000, etag);
  it.each([
    ['bytes=0-0', { kind: 'partial', start: 0, end: 0 }],
    ['bytes=0-', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=999-', { kind: 'partial', start: 999, end: 999 }],
    ['bytes=-1', { kind: 'partial', start: 999, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['Bytes = 10 - 19', { kind: 'partial', start: 10, end: 19 }],
    ['bytes=0-1,5-6', { kind: 'full' }],
    ['bytes=5-4', { kind: 'full' }],
    ['bytes=', { kind: 'full' }],
  ])('%s', (range, expected) => expect(get(range)).toEqual(expected));

  it('If-Range compares strongly; a matching If-None-Match wins', () => {
    expect(get('bytes=1-2', { ifRange: etag })).toEqual({ kind: 'partial', start: 1, end: 2 });
    expect(get('bytes=1-2', { ifRange: `W/${etag}` })).toEqual({ kind: 'full' });
    expect(get('bytes=1-2', { ifNoneMatch: etag })).toEqual({ kind: 'full' });
    expect(() => get('bytes=1000-')).toThrow(/outside the file/);
    expect(chooseRange({ method: 'HEAD', range: 'bytes=0-1' }, 1000, etag)).toEqual({ kind: 'full' });
    expect(() => chooseRange({ method: 'GET', range: 'bytes=0-' }, 0, etag)).toThrow(/outside the file/);
  });
});
