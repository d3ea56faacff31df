import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import Fastify, { type FastifyInstance } from 'fastify';
import N3 from 'n3';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { renderReleasesPage } from '../src/html/releases-page.js';
import { renderReleasesFeed } from '../src/releases/atom.js';
import { type Changeset, computeChangeset, writeChangeset } from '../src/releases/changeset.js';
import { RELEASE_STRINGS } from '../src/releases/strings.js';
import { ReleaseStore } from '../src/releases/release-store.js';
import { releasesRoutes } from '../src/routes/releases.js';
import { AppContext } from '../src/server/app-context.js';
import { registerErrorHandlers } from '../src/server/errors.js';
import { openStateDb, type StateDb } from '../src/state/state-db.js';
import type { LinkedDataStore } from '../src/store/store.js';
import { BASE } from './server-helpers.js';

/** A name an official could type: markup must come out as text everywhere. */
const HOSTILE = '<script>alert(1)</script> Алӣ & "Co"\u0001';

let app: FastifyInstance;
let stateDir: string;
let db: StateDb;
let info1: BuildInfo;
let info2: BuildInfo;
let cs2: Changeset;
const dirOf = (n: number) => join(stateDir, 'releases', String(n));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The store is never queried by these routes; the context needs one for its data version. */
function storeOf(dataVersion: string): LinkedDataStore {
  return {
    dataVersion,
    info: () => ({ dataVersion, triples: 0, graphs: {}, loadedAt: new Date(0) }),
    query: async () => { throw new Error('the release routes do not query the store'); },
    answer: async () => { throw new Error('the release routes do not query the store'); },
    close: async () => undefined,
  };
}

beforeAll(async () => {
  const buildDir = inject('buildDir');
  stateDir = await mkdtemp(join(tmpdir(), 'lg-state-'));
  db = openStateDb(stateDir);
  const store = new ReleaseStore(db);

  // Release 1: the shipped build, made by the service.
  const r1 = store.begin({ kind: 'seed', createdBy: { id: null, name: 'service' }, uploadId: null, rollbackTo: null, seedDigest: 'seed', overlays: [] });
  await cp(buildDir, dirOf(1), { recursive: true });
  const data1 = await readFile(join(dirOf(1), 'data.nq'), 'utf8');
  const cs1 = computeChangeset(null, data1);
  await writeChangeset(dirOf(1), cs1);
  info1 = JSON.parse(await readFile(join(dirOf(1), 'build-info.json'), 'utf8')) as BuildInfo;
  store.complete(r1.n, { dataVersion: info1.dataVersion, summary: cs1.summary });

  // Release 2: an upload with one figure changed; its own data version and its own education.csv.
  const r2 = store.begin({ kind: 'upload', createdBy: { id: 5, name: HOSTILE }, uploadId: 12, rollbackTo: null, seedDigest: 'seed', overlays: [12] });
  await cp(buildDir, dirOf(2), { recursive: true });
  const line = data1.split('\n').find((l) => l.includes('/id/observation/education/') && l.includes('/def/indicator/pupils> "'));
  if (!line) throw new Error('the shipped build has no education pupils figure');
  const data2 = data1.replace(line, line.replace(/"(\d+)"/, (_m, v: string) => `"${Number(v) + 1}"`));
  await writeFile(join(dirOf(2), 'data.nq'), data2);
  cs2 = computeChangeset(data1, data2);
  await writeChangeset(dirOf(2), cs2);
  const csv = Buffer.concat([await readFile(join(dirOf(2), 'download', 'education.csv')), Buffer.from('\r\n')]);
  await writeFile(join(dirOf(2), 'download', 'education.csv'), csv);
  info2 = { ...info1, dataVersion: 'release2version', downloads: info1.downloads.map((d) => (d.name === 'education.csv' ? { ...d, bytes: csv.length, sha256: sha256(csv) } : d)) };
  await writeFile(join(dirOf(2), 'build-info.json'), JSON.stringify(info2));
  store.complete(r2.n, { dataVersion: info2.dataVersion, summary: cs2.summary });

  // Release 3 failed, release 4 is still building: neither exists for the public.
  const r3 = store.begin({ kind: 'upload', createdBy: { id: 5, name: 'x' }, uploadId: 13, rollbackTo: null, seedDigest: 'seed', overlays: [12, 13] });
  store.fail(r3.n, 'did not convert');
  store.begin({ kind: 'rollback', createdBy: { id: 1, name: 'admin' }, uploadId: null, rollbackTo: 1, seedDigest: 'seed', overlays: [] });

  const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: dirOf(2), STATE_DIR: stateDir });
  const ctx = new AppContext(config, storeOf(info2.dataVersion));
  app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 } });
  registerErrorHandlers(app, ctx);
  // As the app passes its ReleaseService: an object whose dirOf is a method.
  class Releases {
    constructor(readonly store: ReleaseStore, private readonly root: string) {}
    dirOf(n: number): string {
      return join(this.root, 'releases', String(n));
    }
  }
  await app.register(releasesRoutes, { ctx, releases: new Releases(store, stateDir) });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  db?.close();
  await rm(stateDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('GET /releases', () => {
  it('lists the complete releases, newest first, the live one marked, in tg, ru and en', async () => {
    for (const [headers, url, lang, title, live] of [
      [{}, '/releases', 'tg', 'Нашри', 'ҳоло нишон дода мешавад'],
      [{ 'accept-language': 'ru-RU,ru;q=0.9' }, '/releases', 'ru', 'Выпуск', 'публикуется сейчас'],
      [{ 'accept-language': 'ru' }, '/releases?lang=en', 'en', 'Release', 'served now'],
    ] as const) {
      const r = await get(url, headers);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-language']).toBe(lang);
      expect(r.body).toContain(`<html lang="${lang}">`);
      const i2 = r.body.indexOf(`${title} 2</strong>`);
      const i1 = r.body.indexOf(`${title} 1</strong>`);
      expect(i2).toBeGreaterThan(0);
      expect(i1).toBeGreaterThan(i2);
      expect(r.body).not.toContain(`${title} 3<`);
      expect(r.body).not.toContain(`${title} 4<`);
      expect(r.body.slice(i2, i1)).toContain(live);
      expect(r.body.slice(i1)).not.toContain(live);
      expect(r.body).toContain(`href="/releases/2?lang=${lang}"`);
      expect(r.body).toContain('type="application/atom+xml"');
    }
  });

  it('escapes the publisher name', async () => {
    const r = await get('/releases?lang=en');
    expect(r.body).not.toContain('<script>alert');
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Алӣ &amp; &quot;Co&quot;');
    expect(r.body).toContain('the service itself');
  });

  it('JSON for scripts, with caching headers; 406 for what it cannot give', async () => {
    const r = await get('/releases', { accept: 'application/json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = r.json() as { live: number; releases: { n: number; live: boolean; publishedBy: { name: string }; summary: unknown }[] };
    expect(body.live).toBe(2);
    expect(body.releases.map((x) => [x.n, x.live])).toEqual([[2, true], [1, false]]);
    expect(body.releases[0]?.publishedBy.name).toBe(HOSTILE);
    expect(body.releases[0]?.summary).toEqual(cs2.summary);
    expect(r.headers.etag).toBeTruthy();
    expect(r.headers.vary).toContain('Accept');
    const again = await get('/releases', { accept: 'application/json', 'if-none-match': String(r.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect((await get('/releases', { accept: 'image/png' })).statusCode).toBe(406);
  });
});

describe('GET /releases/{n}', () => {
  it('the page: who, when, kind, upload, previous release, counts, the changed figure, the files', async () => {
    const r = await get('/releases/2?lang=en');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=86400');
    const body = r.body;
    expect(body).toContain('<h1>Release 2</h1>');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('Upload (upload no. 12)');
    expect(body).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/);
    expect(body).toContain('<a href="/releases/1?lang=en" rel="prev">Release 1</a>');
    expect(body).toContain('<code>release2version</code>');
    expect(body).toContain('Figures changed: 1');
    const change = cs2.observations[0];
    expect(change?.what).toBe('changed');
    const unitName = cs2.names.get(change?.unit ?? '')?.labels.en ?? '';
    expect(unitName).not.toBe('');
    expect(body).toContain(unitName);
    expect(body).toContain(`>${change?.oldValue}</td>`);
    expect(body).toContain(`>${change?.newValue}</td>`);
    for (const f of ['added.nq.gz', 'removed.nq.gz', 'observations.csv', 'changes.json']) expect(body).toContain(`href="/releases/2/changes/${f}"`);
    expect(body).toContain('href="/releases/2/download/all.nq.gz"');
    expect(body).toContain(`sha256:${info2.downloads.find((d) => d.name === 'education.csv')?.sha256}`);
  });

  it('in Tajik and Russian too, and the first release says it is the first', async () => {
    const tg = await get('/releases/2');
    expect(tg.headers['content-language']).toBe('tg');
    expect(tg.body).toContain('<h1>Нашри 2</h1>');
    expect(tg.body).toContain('Боргузорӣ (боргузории № 12)');
    const ru = await get('/releases/1', { 'accept-language': 'ru' });
    expect(ru.body).toContain('<h1>Выпуск 1</h1>');
    expect(ru.body).toContain('Первый выпуск: всё в нём новое.');
    expect(ru.body).toContain('сам сервис (автоматически)');
  });

  it('a long table shows its first 500 rows and links the full CSV', async () => {
    const r = await get('/releases/1?lang=en');
    expect(r.body.match(/<tr><td data-l=/g)).toHaveLength(500);
    expect(r.body).toMatch(/The first 500 of \d{1,3}(,\d{3})* changes are shown\./);
    expect(r.body).toContain('href="/releases/1/changes/observations.csv" download>The full table (CSV)</a>');
  });

  it('JSON: the record, the changes and the downloads', async () => {
    const r = await get('/releases/2', { accept: 'application/json' });
    const body = r.json() as { n: number; kind: string; uploadId: number; previous: number; publishedBy: { name: string; automatic: boolean }; changes: { files: { name: string; url: string }[]; observations: unknown[]; observationsTotal: number }; downloads: { name: string; url: string; sha256: string }[] };
    expect(body).toMatchObject({ n: 2, kind: 'upload', uploadId: 12, previous: 1, publishedBy: { name: HOSTILE, automatic: false } });
    expect(body.changes.observations).toEqual(cs2.observations);
    expect(body.changes.observationsTotal).toBe(1);
    expect(body.changes.files.map((f) => f.url)).toContain(`${BASE}releases/2/changes/added.nq.gz`);
    expect(body.downloads.find((d) => d.name === 'education.csv')?.url).toBe(`${BASE}releases/2/download/education.csv`);
  });
});

describe('the changeset files', () => {
  it('each of the four downloads, with its type and file name, and parses', async () => {
    const added = await get('/releases/2/changes/added.nq.gz');
    expect(added.statusCode).toBe(200);
    expect(added.headers['content-type']).toBe('application/gzip');
    expect(added.headers['content-disposition']).toBe('attachment; filename="release-2-added.nq.gz"');
    const text = gunzipSync(added.rawPayload).toString('utf8');
    expect(text).toBe(cs2.added);
    expect(new N3.Parser({ format: 'N-Quads' }).parse(text)).toHaveLength(cs2.summary.quadsAdded);
    const removed = await get('/releases/2/changes/removed.nq.gz');
    expect(gunzipSync(removed.rawPayload).toString('utf8')).toBe(cs2.removed);

    const csv = await get('/releases/2/changes/observations.csv', { 'accept-encoding': 'gzip' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const rows = parseCsv(csv.headers['content-encoding'] === 'gzip' ? gunzipSync(csv.rawPayload) : csv.rawPayload, { bom: true }) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]?.at(-1)).toBe('changed');

    const json = await get('/releases/2/changes/changes.json');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((JSON.parse(json.body) as { summary: unknown }).summary).toEqual(cs2.summary);
    const again = await get('/releases/2/changes/changes.json', { 'if-none-match': String(json.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('nothing else: other names, paths and releases are 404', async () => {
    for (const url of ['/releases/2/changes/data.nq', '/releases/2/changes/..%2Fdata.nq', '/releases/2/changes/CHANGES.JSON', '/releases/3/changes/changes.json', '/releases/4/changes/changes.json']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
  });
});

describe('the dumps of a release', () => {
  it("serves the release's own files, with the SHA-256 its build-info.json gives", async () => {
    for (const [n, info] of [[1, info1], [2, info2]] as const) {
      for (const name of ['education.csv', 'all.nq.gz', 'units.ttl']) {
        const entry = info.downloads.find((d) => d.name === name);
        const r = await get(`/releases/${n}/download/${name}`);
        expect(r.statusCode, `${n} ${name}`).toBe(200);
        expect(r.headers['content-type']).toBe(entry?.contentType);
        expect(r.headers['content-disposition']).toBe(`attachment; filename="${name}"`);
        expect(sha256(r.rawPayload)).toBe(entry?.sha256);
      }
    }
    const one = info1.downloads.find((d) => d.name === 'education.csv')?.sha256;
    expect(one).not.toBe(info2.downloads.find((d) => d.name === 'education.csv')?.sha256);
  });

  it('compresses text in transit when asked, with its own ETag', async () => {
    const plain = await get('/releases/2/download/units.ttl');
    const zipped = await get('/releases/2/download/units.ttl', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    const gz = await get('/releases/2/download/all.nq.gz', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBeUndefined();
  });

  it('HEAD: the headers without the body', async () => {
    const r = await app.inject({ method: 'HEAD', url: '/releases/2/download/all.nq.gz' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-length']).toBe(String(info2.downloads.find((d) => d.name === 'all.nq.gz')?.bytes));
    expect(r.rawPayload.length).toBe(0);
  });

  it('only names build-info.json lists: no path from the request reaches the disk', async () => {
    for (const url of ['/releases/2/download/build-info.json', '/releases/2/download/..%2Fdata.nq', '/releases/2/download/%2E%2E%2Fbuild-info.json', '/releases/2/download/nope.csv', '/releases/3/download/all.nq.gz', '/releases/4/download/all.nq.gz']) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
  });
});

interface XmlElement { name: string; uri: string; attributes: Record<string, string>; children: XmlElement[]; text: string }

/** A strict, namespace-aware XML parse (saxes throws on anything not well-formed). */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (e) => { throw e; });
  parser.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.local, uri: tag.uri, attributes: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value])), children: [], text: '' };
    stack.at(-1)?.children.push(el);
    stack.push(el);
    root ??= el;
  });
  parser.on('text', (t) => { const top = stack.at(-1); if (top) top.text += t; });
  parser.on('closetag', () => { stack.pop(); });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

describe('GET /releases.atom', () => {
  it('is Atom 1.0: the feed and one entry per complete release, well-formed, escaped', async () => {
    const r = await get('/releases.atom?lang=en');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = parseXml(r.body);
    const ATOM = 'http://www.w3.org/2005/Atom';
    expect([feed.name, feed.uri]).toEqual(['feed', ATOM]);
    const child = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name && c.uri === ATOM);
    for (const required of ['id', 'title', 'updated', 'author']) expect(child(feed, required), required).toHaveLength(1);
    expect(child(feed, 'link').find((l) => l.attributes.rel === 'self')?.attributes.href).toBe(`${BASE}releases.atom?lang=en`);
    const entries = child(feed, 'entry');
    expect(entries.map((e) => child(e, 'id')[0]?.text)).toEqual([`${BASE}releases/2`, `${BASE}releases/1`]);
    for (const e of entries) {
      for (const required of ['id', 'title', 'updated', 'summary', 'author']) expect(child(e, required), required).toHaveLength(1);
      expect(child(e, 'updated')[0]?.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(child(e, 'link').find((l) => l.attributes.rel === 'alternate')?.attributes.href).toMatch(new RegExp(`^${BASE}releases/\\d\\?lang=en$`));
    }
    expect(child(feed, 'updated')[0]?.text).toBe(child(entries[0] as XmlElement, 'updated')[0]?.text);
    // The name comes back as the text it was, less the control character XML cannot carry.
    expect(child(child(entries[0] as XmlElement, 'author')[0] as XmlElement, 'name')[0]?.text).toBe(HOSTILE.replace('\u0001', ''));
    expect(child(entries[0] as XmlElement, 'summary')[0]?.text).toContain('figures: 0 added, 1 changed, 0 removed');
  });

  it('in the language asked for, Tajik by default', async () => {
    const tg = parseXml((await get('/releases.atom')).body);
    expect(tg.attributes['xml:lang']).toBe('tg');
    const ru = await get('/releases.atom', { 'accept-language': 'ru' });
    expect(parseXml(ru.body).attributes['xml:lang']).toBe('ru');
    expect(ru.body).toContain('<title>Выпуск 2: Загрузка (загрузка № 12)</title>');
  });
});

describe('hostile release numbers', () => {
  it('are 404, never an error', async () => {
    const numbers = ['01', '1.5', '0', '-1', '+1', '1e3', '0x1', 'abc', ' 1', '1%00', '99999999999999999999', '9'.repeat(250), '3', '4', '9'];
    for (const n of numbers) {
      for (const url of [`/releases/${encodeURIComponent(n)}`, `/releases/${encodeURIComponent(n)}/changes/changes.json`, `/releases/${encodeURIComponent(n)}/download/all.nq.gz`]) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(404);
      }
    }
  });
});

describe('before the first release', () => {
  it('the list says so and the feed is valid Atom without entries', () => {
    const page = renderReleasesPage({ releases: [], live: null }, { lang: 'en', base: BASE, path: '/releases', alternates: [], dataVersion: 'v' });
    expect(page).toContain('No release has been published yet.');
    const feed = parseXml(renderReleasesFeed({ releases: [], base: BASE, lang: 'tg', emptyUpdated: '2025-01-01T00:00:00.000Z' }));
    expect(feed.children.filter((c) => c.name === 'entry')).toHaveLength(0);
    expect(feed.children.find((c) => c.name === 'updated')?.text).toBe('2025-01-01T00:00:00.000Z');
  });

  it('every text exists in the three languages, none empty', () => {
    const keys = Object.keys(RELEASE_STRINGS.en).sort();
    for (const lang of ['tg', 'ru'] as const) {
      expect(Object.keys(RELEASE_STRINGS[lang]).sort()).toEqual(keys);
      for (const [k, v] of Object.entries(RELEASE_STRINGS[lang])) expect(v.trim(), `${lang}.${k}`).not.toBe('');
    }
  });
});
