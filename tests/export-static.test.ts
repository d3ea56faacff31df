import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportSummary, exportSite } from '../src/export/export-site.js';
import { prepare, searchOffline } from '../src/export/offline-search.js';
import { type ExportedSite, ROOT_RELATIVE, exportedHref } from '../src/export/rewrite-links.js';
import type { OfflineIndex } from '../src/export/search-data.js';
import { PROJECT_ROOT } from '../src/project.js';
import { launchChromium } from './browser-helpers.js';
import { type Answer, CONNEG_CASES, FIXED_EXTENSIONS, JAMOAT, UNKNOWN_IDS, expectNegotiated, expectNotAcceptable } from './linked-data-checks.js';
import { type RunningNginx, startNginx } from './nginx-helpers.js';
import { BASE, startApp } from './server-helpers.js';

/**
 * A part of the site, so the test stays fast (the whole of it takes minutes here: `npm run bench
 * -- --part export`): every page that is not a thing's document, the country and the regions, and
 * all of Yovon district (TJ-KT-06): the district, its jamoats, their governing bodies, its slice,
 * the datasets, and the figures of one jamoat. Links to what is left out go to the online service.
 */
function testPart(path: string): boolean {
  if (!path.startsWith('/doc/')) return true;
  const [, , kind = '', code = ''] = path.split('/');
  if (kind === 'country' || kind === 'region') return true;
  if (kind === 'observation') return path.includes(`/${JAMOAT.split('/')[1]}/`);
  if (kind === 'dataset') return !/^(district|region)-/.test(code) || code.startsWith('district-tj-kt-06');
  if (['district', 'hukumat', 'jamoat', 'jamoat-body'].includes(kind)) return code === 'TJ-KT-06' || code.startsWith('TJ-KT-06-');
  return true;
}

const LANGS = ['tg', 'ru', 'en'] as const;
const RDF = ['ttl', 'jsonld', 'nt', 'rdf', 'nq', 'trig'];

let app: FastifyInstance;
let tmp: string;
let site: string;
let summary: ExportSummary;
let nginx: RunningNginx;

beforeAll(async () => {
  app = await startApp();
  tmp = await mkdtemp(join(tmpdir(), 'lg-export-'));
  // nginx's workers run as another user (nobody) when the test runs as root: the copy must be readable.
  await chmod(tmp, 0o755);
  site = join(tmp, 'site');
  summary = await exportSite({ app, out: site, base: BASE, include: testPart });
  // The configuration in the repository, as it is, with only its port and root set.
  const conf = (await readFile(join(PROJECT_ROOT, 'deploy', 'nginx', 'static-export.conf'), 'utf8'))
    .replace('listen 8080;', 'listen 127.0.0.1:{{PORT}};')
    .replace('root /srv/lg-open-data/export;', `root ${site};`);
  nginx = await startNginx(conf);
}, 240_000);

afterAll(async () => {
  await nginx?.stop();
  await app?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(site, join(e.parentPath, e.name)));
}

describe('a link in the copy (exportedHref)', () => {
  const part: ExportedSite = {
    base: BASE,
    pages: new Set(['/', '/doc/jamoat/TJ-KT-06-06', '/doc/district/TJ-KT-06', '/def/lg']),
    files: new Set(['/doc/jamoat/TJ-KT-06-06.ttl', '/download/all.nq.gz']),
    searchFile: (lang) => `search.${lang}.html`,
  };
  const from = 'doc/jamoat/TJ-KT-06-06.tg.html';
  it.each([
    ['/doc/district/TJ-KT-06?lang=tg', '../district/TJ-KT-06.tg.html'],
    ['/doc/jamoat/TJ-KT-06-06?lang=ru', 'TJ-KT-06-06.ru.html'],
    [`${BASE}doc/jamoat/TJ-KT-06-06?lang=en`, 'TJ-KT-06-06.en.html'],
    [`${BASE}doc/jamoat/TJ-KT-06-06`, 'TJ-KT-06-06.tg.html'],
    ['/doc/jamoat/TJ-KT-06-06.html', 'TJ-KT-06-06.tg.html'],
    [`${BASE}id/district/TJ-KT-06`, '../district/TJ-KT-06.tg.html'],
    ['/doc/jamoat/TJ-KT-06-06.ttl', 'TJ-KT-06-06.ttl'],
    ['/def/lg?lang=ru#District', '../../def/lg.ru.html#District'],
    ['/download/all.nq.gz', '../../download/all.nq.gz'],
    ['/?lang=en', '../../index.en.html'],
    ['/search?lang=tg&q=Ёвон', `../../search.tg.html?q=${encodeURIComponent('Ёвон')}`],
    ['/sparql?query=ASK%7B%7D', `${BASE}sparql?query=ASK%7B%7D`],
    ['/doc/jamoat/TJ-KT-06-07?lang=tg', `${BASE}doc/jamoat/TJ-KT-06-07?lang=tg`],
    ['https://www.wikidata.org/entity/Q1', undefined],
    ['//evil.example/x', undefined],
    ['#main', undefined],
  ] as const)('%s -> %s', (href, expected) => {
    expect(exportedHref(href, from, 'tg', part)).toBe(expected);
  });

  it('from the root, for a page served at any depth', () => {
    expect(exportedHref('/doc/district/TJ-KT-06?lang=en', ROOT_RELATIVE, 'tg', part)).toBe('/doc/district/TJ-KT-06.en.html');
  });
});

describe('the files', () => {
  it('has every unit of the part in three languages and in every RDF variant', async () => {
    const store = new N3.Store(new N3.Parser({ baseIRI: BASE }).parse(await readFile(join(site, 'doc/district/TJ-KT-06.ttl'), 'utf8')));
    const within = `${BASE}def/lg#within`;
    const jamoats = store.getSubjects(within, `${BASE}id/district/TJ-KT-06`, null).map((s) => s.value.slice(`${BASE}id/`.length));
    expect(jamoats).toHaveLength(9);
    const country = new N3.Store(new N3.Parser({ baseIRI: BASE }).parse(await readFile(join(site, 'doc/country/TJ.ttl'), 'utf8')));
    const regions = country.getSubjects(within, `${BASE}id/country/TJ`, null).map((s) => s.value.slice(`${BASE}id/`.length));
    expect(regions).toHaveLength(5);
    for (const unit of ['country/TJ', ...regions, 'district/TJ-KT-06', ...jamoats]) {
      for (const lang of LANGS) expect(existsSync(join(site, 'doc', `${unit}.${lang}.html`)), `${unit}.${lang}.html`).toBe(true);
      for (const ext of RDF) expect(existsSync(join(site, 'doc', `${unit}.${ext}`)), `${unit}.${ext}`).toBe(true);
    }
    for (const file of ['index.html', 'index.tg.html', 'catalog.ru.html', 'catalog.ttl', '.well-known/void.en.html', '.well-known/void.ttl', 'context.jsonld', 'def/lg.tg.html', 'def/lg.ttl', 'def/indicator/pupils.en.html', 'graph/units.ttl', 'download/all.nq.gz', 'sitemap.xml', 'search.tg.html', 'search.js', 'search-index.json']) {
      expect(existsSync(join(site, file)), file).toBe(true);
    }
    expect(summary.pages).toBeGreaterThan(100);
    expect(summary.bytes).toBeGreaterThan(1_000_000);
  });

  it('the files are what the service answers: an RDF variant byte for byte, a download too', async () => {
    const ttl = await app.inject({ method: 'GET', url: `/doc/${JAMOAT}.ttl` });
    expect(await readFile(join(site, `doc/${JAMOAT}.ttl`), 'utf8')).toBe(ttl.body);
    const dump = await app.inject({ method: 'GET', url: '/download/all.nq.gz' });
    expect((await readFile(join(site, 'download/all.nq.gz'))).equals(dump.rawPayload)).toBe(true);
  });

  it('every link of every page leads to a file of the copy, or to the online service for what the copy cannot do', async () => {
    // The 404 pages are served at any depth by the web server: their links go from the root (checked below).
    const html = (await allFiles(site)).filter((f) => f.endsWith('.html') && !f.startsWith('404.'));
    expect(html.length).toBeGreaterThan(300);
    const broken: string[] = [];
    const online = new Set<string>();
    for (const file of html) {
      const page = await readFile(join(site, file), 'utf8');
      for (const m of page.matchAll(/ (href|src|action)="([^"]*)"/g)) {
        const link = m[2]!.replace(/&amp;/g, '&');
        if (link.startsWith('#') || /^(https?|mailto|data):/.test(link)) {
          if (link.startsWith(BASE)) online.add(new URL(link).pathname);
          continue;
        }
        // A path from the root would leave the copy on a USB stick (file:///doc/...).
        if (link.startsWith('/')) { broken.push(`${file}: ${link} (from the root)`); continue; }
        const target = join(dirname(join(site, file)), decodeURI(link.split(/[?#]/)[0]!));
        if (!existsSync(target)) broken.push(`${file}: ${link}`);
      }
    }
    expect(broken.slice(0, 20)).toEqual([]);
    // What goes online is what a copy cannot do, or what this part of the site leaves out (and the
    // online search, offered on the offline one's page to readers without JavaScript).
    online.delete('/search');
    for (const path of online) {
      expect(existsSync(join(site, `${path.slice(1)}.tg.html`)) || (path !== '/' && existsSync(join(site, path.slice(1)))), path).toBe(false);
    }
    expect(online).toContain('/sparql');
  });

  it('the page for what the copy does not have links from the root, to files of the copy', async () => {
    for (const lang of LANGS) {
      const page = await readFile(join(site, `404.${lang}.html`), 'utf8');
      const local = [...page.matchAll(/ (?:href|src|action)="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').split(/[?#]/)[0]!);
      expect(local).toContain(`/search.${lang}.html`);
      expect(local).toContain(`/index.${lang}.html`);
      for (const path of local) expect(existsSync(join(site, path)), path).toBe(true);
      // Its details named the probe's address; nothing but the links to its own languages does.
      expect(page).not.toMatch(/\/404(?!\.(tg|ru|en)\.html)/);
    }
  });

  it('a page links to itself in the other two languages, and says it is an offline copy', async () => {
    const page = await readFile(join(site, `doc/${JAMOAT}.tg.html`), 'utf8');
    expect(page).toContain('<a href="TJ-KT-06-06.ru.html" hreflang="ru" lang="ru">');
    expect(page).toContain('<a href="TJ-KT-06-06.en.html" hreflang="en" lang="en">');
    expect(page).toContain('href="TJ-KT-06-06.ttl"');
    expect(page).toContain('<a href="../district/TJ-KT-06.tg.html">');
    expect(page).toContain('Нусхаи офлайни');
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;; script-src &#39;self&#39;/);
    expect((await readFile(join(site, `doc/${JAMOAT}.en.html`), 'utf8'))).toContain(`Offline copy of <code>${summary.dataVersion}</code>`);
  });
});

describe('the offline search', () => {
  it.each([['Ёвон', 'tg'], ['Яван', 'ru'], ['Yovon', 'en'], ['yovon', 'en'], ['нохияи ёвон', 'tg']])('finds the Yovon district from %s (%s)', async (q) => {
    const index = JSON.parse(await readFile(join(site, 'search-index.json'), 'utf8')) as OfflineIndex;
    expect(searchOffline(prepare(index), q).hits.map((h) => h.p)).toContain('doc/district/TJ-KT-06');
  });

  it('the index is small and holds only pages of the copy', async () => {
    const index = JSON.parse(await readFile(join(site, 'search-index.json'), 'utf8')) as OfflineIndex;
    for (const e of index.entries) expect(existsSync(join(site, `${e.p}.en.html`)), e.p).toBe(true);
    expect(index.entries.find((e) => e.p === `doc/${JAMOAT}`)?.n.en).toBe('Norin');
    expect((await readFile(join(site, 'search-index.json'))).length).toBeLessThan(200_000);
  });

  it('works in a browser from the files alone (file://, the pages\' CSP), in each language', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(e.message));
      for (const [lang, q, name] of [['en', 'yovon', 'Yovon'], ['ru', 'Яван', 'Яван'], ['tg', 'ёвон', 'Ёвон']] as const) {
        await page.goto(`file://${site}/search.${lang}.html?q=${encodeURIComponent(q)}`);
        const first = page.locator('#offline-results ol li a').first();
        await first.waitFor({ timeout: 10_000 });
        expect(await first.textContent()).toContain(name);
        expect(await page.locator('#offline-noscript').count()).toBe(0);
        await first.click();
        await page.waitForLoadState();
        expect(page.url()).toMatch(new RegExp(`\\.${lang}\\.html$`));
        expect(await page.locator('h1').first().textContent()).toContain(name);
      }
      // The search form in every page's header leads to the offline search (the CSP's form-action 'self' holds for the copy's files).
      await page.goto(`file://${site}/doc/${JAMOAT}.ru.html`);
      await page.fill('#hq', 'Яван');
      await page.press('#hq', 'Enter');
      await page.locator('#offline-results ol li a').first().waitFor({ timeout: 10_000 });
      expect(page.url()).toContain('/search.ru.html?');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('the copy behind nginx (deploy/nginx/static-export.conf): the Linked Data routes over HTTP', () => {
  const get = async (path: string, headers: Record<string, string> = {}): Promise<Answer & { raw: Response }> => {
    const r = await fetch(`http://127.0.0.1:${nginx.port}${path}`, { headers, redirect: 'manual' });
    return { status: r.status, headers: Object.fromEntries(r.headers), body: await r.text(), raw: r };
  };

  it('/id/ answers 303 to /doc/ (Cool URIs)', async () => {
    const r = await get(`/id/${JAMOAT}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(`/doc/${JAMOAT}`);
  });

  it.each(UNKNOWN_IDS)('answers 404 for %s', async (url) => {
    expect((await get(url)).status).toBe(404);
  });

  it.each(CONNEG_CASES)('Accept %s -> %s', async (accept, type, ext) => {
    expectNegotiated(await get(`/doc/${JAMOAT}`, { accept }), `/doc/${JAMOAT}`, type, ext);
  });

  it('the negotiated variant is the exported file', async () => {
    const ttl = await get(`/doc/${JAMOAT}`, { accept: 'text/turtle' });
    expect(ttl.body).toBe(await readFile(join(site, `doc/${JAMOAT}.ttl`), 'utf8'));
  });

  it('gives HTML when there is no Accept header, in the language of ?lang= or Accept-Language', async () => {
    const none = await fetch(`http://127.0.0.1:${nginx.port}/doc/${JAMOAT}`, { headers: { accept: '' } });
    expect(none.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await none.text()).toContain('<html lang="tg">');
    expect((await get(`/doc/${JAMOAT}`, { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' })).body).toContain('<html lang="ru">');
    const en = await get(`/doc/${JAMOAT}?lang=en`, { 'accept-language': 'ru' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.headers.vary).toContain('Accept-Language');
    expect((await get(`/doc/${JAMOAT}.html`, { 'accept-language': 'en' })).body).toContain('<html lang="en">');
    expect((await get('/', { 'accept-language': 'en' })).body).toContain('<html lang="en">');
  });

  it('answers 406 with the alternatives when nothing is acceptable', async () => {
    expectNotAcceptable(await get(`/doc/${JAMOAT}`, { accept: 'image/png' }));
  });

  it.each(FIXED_EXTENSIONS)('serves the fixed variant .%s without negotiation', async (ext) => {
    const r = await get(`/doc/${JAMOAT}.${ext}`, { accept: 'image/png' });
    expect(r.status).toBe(200);
    expect(r.headers['content-location']).toBeUndefined();
  });

  it('serves each file with its media type', async () => {
    for (const [path, type] of [
      [`/doc/${JAMOAT}.ttl`, 'text/turtle'], [`/doc/${JAMOAT}.jsonld`, 'application/ld+json'], [`/doc/${JAMOAT}.nt`, 'application/n-triples'],
      [`/doc/${JAMOAT}.rdf`, 'application/rdf+xml'], [`/doc/${JAMOAT}.nq`, 'application/n-quads'], [`/doc/${JAMOAT}.trig`, 'application/trig'],
      ['/context.jsonld', 'application/ld+json'], ['/download/all.nq.gz', 'application/gzip'], ['/catalog.ttl', 'text/turtle'], ['/sitemap.xml', 'application/xml'],
    ] as const) {
      expect((await get(path)).headers['content-type'], path).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
    }
  });

  it('negotiates the other documents too: the catalog, VoID, the vocabulary, an indicator, a graph', async () => {
    for (const path of ['/catalog', '/.well-known/void', '/def/lg', '/def/indicator/pupils', '/graph/units', '/doc/district/TJ-KT-06']) {
      expectNegotiated(await get(path, { accept: 'text/turtle' }), path, 'text/turtle', 'ttl');
      expect((await get(path, { accept: 'text/html' })).status, path).toBe(200);
    }
    expect((await get('/def/indicator/no-such-thing', { accept: 'text/turtle' })).status).toBe(404);
    expect((await get('/graph/nope')).status).toBe(404);
  });

  it('answers a conditional request with 304', async () => {
    const first = await get(`/doc/${JAMOAT}`, { accept: 'text/turtle' });
    const again = await get(`/doc/${JAMOAT}`, { accept: 'text/turtle', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('compresses with gzip when the client allows it, and is open to other origins', async () => {
    const plain = await readFile(join(site, `doc/${JAMOAT}.ttl`));
    const raw = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      // node:http, which does not decompress: the bytes as sent.
      void import('node:http').then(({ get: httpGet }) => {
        httpGet({ host: '127.0.0.1', port: nginx.port, path: `/doc/${JAMOAT}.ttl`, headers: { 'accept-encoding': 'gzip', origin: 'https://portal.example.org' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(raw.body).equals(plain)).toBe(true);
    expect(raw.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers an address the copy does not have with the 404 page in the reader\'s language', async () => {
    const r = await get('/doc/jamoat/TJ-KT-06-99', { 'accept-language': 'en' });
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('<html lang="en">');
    expect(r.body).toContain('action="/search.en.html"');
    expect((await get('/id/nothing?lang=ru')).body).toContain('<html lang="ru">');
  });

  it('sends /search to the offline search page', async () => {
    const r = await get('/search?q=yovon', { 'accept-language': 'en' });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/search.en.html?q=yovon');
  });
});
