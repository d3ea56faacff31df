import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, startApp } from './server-helpers.js';
import { type Answer, CONNEG_CASES, FIXED_EXTENSIONS, JAMOAT, UNKNOWN_IDS, expectNegotiated, expectNotAcceptable } from './linked-data-checks.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app.close());

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const turtle = (body: string) => new N3.Store(new N3.Parser({ baseIRI: BASE }).parse(body));
// The Linked Data route checks are shared with the static export behind nginx (tests/linked-data-checks.ts).
const answer = (r: { statusCode: number; headers: Record<string, unknown>; body: string }): Answer => ({
  status: r.statusCode,
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v === undefined ? undefined : String(v)])),
  body: r.body,
});
const lg = (t: string) => `${BASE}def/lg#${t}`;

describe('/health', () => {
  it('says what is loaded', async () => {
    const r = await get('/health');
    expect(r.statusCode).toBe(200);
    const body = r.json() as { triples: number; dataVersion: string; graphs: Record<string, number> };
    expect(body.triples).toBeGreaterThan(10_000);
    expect(body.dataVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(body.graphs)).toContain(`${BASE}graph/units`);
  });
});

describe('/id/ -> 303 -> /doc/ (Cool URIs)', () => {
  it('redirects a thing to its document', async () => {
    const r = await get(`/id/${JAMOAT}`);
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/doc/${JAMOAT}`);
  });

  it.each(UNKNOWN_IDS)('answers 404 for %s', async (url) => {
    expect((await get(url)).statusCode).toBe(404);
  });
});

describe('/doc/ content negotiation', () => {
  it.each(CONNEG_CASES)('Accept %s -> %s', async (accept, type, ext) => {
    expectNegotiated(answer(await get(`/doc/${JAMOAT}`, { accept })), `/doc/${JAMOAT}`, type, ext);
  });

  it('gives HTML when there is no Accept header', async () => {
    const r = await app.inject({ method: 'GET', url: `/doc/${JAMOAT}` });
    expect(r.headers['content-type']).toMatch(/^text\/html/);
  });

  it('answers 406 with the alternatives when nothing is acceptable', async () => {
    expectNotAcceptable(answer(await get(`/doc/${JAMOAT}`, { accept: 'image/png' })));
  });

  it.each(FIXED_EXTENSIONS)('serves the fixed variant .%s without negotiation', async (ext) => {
    const r = await get(`/doc/${JAMOAT}.${ext}`, { accept: 'image/png' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-location']).toBeUndefined();
  });

  it('answers a conditional request with 304', async () => {
    const first = await get(`/doc/${JAMOAT}`, { accept: 'text/turtle' });
    const again = await get(`/doc/${JAMOAT}`, { accept: 'text/turtle', 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('compresses with brotli or gzip when the client allows it', async () => {
    const plain = await get(`/doc/${JAMOAT}.ttl`);
    const br = await get(`/doc/${JAMOAT}.ttl`, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await get(`/doc/${JAMOAT}.ttl`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(gz.headers.vary).toContain('Accept-Encoding');
  });

  it('is open to other origins (CORS)', async () => {
    const r = await get(`/doc/${JAMOAT}.ttl`, { origin: 'https://portal.example.org' });
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const pre = await app.inject({ method: 'OPTIONS', url: `/doc/${JAMOAT}`, headers: { origin: 'https://portal.example.org', 'access-control-request-method': 'GET' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers 404 with a page that helps: search and the units above', async () => {
    const r = await get('/doc/jamoat/TJ-KT-06-99?lang=en', { accept: 'text/html' });
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('action="/search"');
    // The units above, by their names in the reader's language.
    expect(r.body).toContain('<a href="/doc/district/TJ-KT-06?lang=en">Yovon</a>');
    expect(r.body).toContain('<a href="/doc/region/TJ-KT?lang=en">Khatlon Region</a>');
    const json = await get('/doc/jamoat/TJ-KT-06-99', { accept: 'application/json' });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toMatchObject({ statusCode: 404, code: 'LG_ERR_NOT_FOUND' });
  });

  it.each([
    ['/doc/' + 'a/'.repeat(400), {}],
    [`/doc/${JAMOAT}`, { accept: ';;;q=abc,' + ','.repeat(5000) }],
    [`/doc/${JAMOAT}`, { 'accept-language': 'x'.repeat(10_000) }],
    [`/doc/${JAMOAT}?lang=<script>`, {}],
    ['/doc/jamoat/TJ-KT-06-06%00.ttl', {}],
  ] as [string, Record<string, string>][])('survives hostile input %#', async (url, headers) => {
    const r = await get(url, headers);
    expect(r.statusCode).toBeLessThan(500);
    expect(r.body).not.toContain('<script>');
  });
});

describe('what a document holds', () => {
  it('a jamoat: its own triples, its district and region with names, its statistics', async () => {
    const s = turtle((await get(`/doc/${JAMOAT}.ttl`)).body);
    const me = `${BASE}id/${JAMOAT}`;
    expect(s.getObjects(me, lg('within'), null).map((o) => o.value)).toEqual([`${BASE}id/district/TJ-KT-06`]);
    expect(s.getObjects(`${BASE}id/district/TJ-KT-06`, 'http://www.w3.org/2004/02/skos/core#prefLabel', null).map((l) => l.value)).toContain('Yovon');
    expect(s.getObjects(`${BASE}id/region/TJ-KT`, 'http://www.w3.org/2004/02/skos/core#prefLabel', null).map((l) => l.value)).toContain('Khatlon Region');
    const obs = s.getSubjects(lg('refArea'), me, null);
    expect(obs.length).toBeGreaterThan(20);
    const pupils2023 = `${BASE}id/observation/education/TJ-KT-06-06/pupils/2023`;
    expect(s.getObjects(pupils2023, lg('refPeriod'), null).map((o) => o.value)).toEqual(['2023']);
    expect(s.getObjects(`${BASE}id/dataset/education`, lg('sampleData'), null).map((o) => o.value)).toEqual(['true']);
  });

  it('a district lists its jamoats, a region its districts', async () => {
    const d = turtle((await get('/doc/district/TJ-KT-06.ttl')).body);
    expect(d.getSubjects(lg('within'), `${BASE}id/district/TJ-KT-06`, null)).toHaveLength(9);
    const r = turtle((await get('/doc/region/TJ-KT.ttl')).body);
    expect(r.getSubjects(lg('within'), `${BASE}id/region/TJ-KT`, null)).toHaveLength(25);
  });

  it('an organisation names the unit it governs', async () => {
    const h = turtle((await get('/doc/hukumat/TJ-KT-06.ttl')).body);
    expect(h.getObjects(`${BASE}id/hukumat/TJ-KT-06`, lg('governs'), null).map((o) => o.value)).toEqual([`${BASE}id/district/TJ-KT-06`]);
    expect(h.getObjects(`${BASE}id/district/TJ-KT-06`, 'http://www.w3.org/2004/02/skos/core#prefLabel', null).length).toBeGreaterThan(0);
  });
});

describe('/def/lg, /def/indicator, /graph, /context.jsonld', () => {
  it('publishes the vocabulary as HTML documentation and as RDF', async () => {
    const html = await get('/def/lg', { accept: 'text/html' });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('id="District"');
    const ttl = await get('/def/lg', { accept: 'text/turtle' });
    expect(ttl.headers['content-location']).toBe('/def/lg.ttl');
    expect(turtle(ttl.body).getObjects(lg('District'), 'http://www.w3.org/2000/01/rdf-schema#label', null).length).toBe(3);
    expect((await get('/def/lg.nt')).statusCode).toBe(200);
  });

  it('publishes each indicator', async () => {
    const s = turtle((await get('/def/indicator/pupils', { accept: 'text/turtle' })).body);
    expect(s.getObjects(`${BASE}def/indicator/pupils`, 'http://www.w3.org/2000/01/rdf-schema#range', null).map((o) => o.value)).toEqual(['http://www.w3.org/2001/XMLSchema#integer']);
    expect((await get('/def/indicator/no-such-thing', { accept: 'text/turtle' })).statusCode).toBe(404);
  });

  it('describes each named graph: the dataset it holds and its size', async () => {
    const s = turtle((await get('/graph/units.ttl')).body);
    expect(s.getObjects(`${BASE}graph/units`, 'http://xmlns.com/foaf/0.1/primaryTopic', null).map((o) => o.value)).toEqual([`${BASE}id/dataset/units`]);
    expect(Number(s.getObjects(`${BASE}graph/units`, 'http://rdfs.org/ns/void#triples', null)[0]?.value)).toBeGreaterThan(1000);
    expect((await get('/graph/nope')).statusCode).toBe(404);
    // The graphs of shared metadata hold no dataset: their topic is the vocabulary or the catalog.
    const vocab = turtle((await get('/graph/vocabulary.ttl')).body);
    expect(vocab.getObjects(`${BASE}graph/vocabulary`, 'http://xmlns.com/foaf/0.1/primaryTopic', null).map((o) => o.value)).toEqual([`${BASE}def/lg`]);
  });

  it('serves the JSON-LD context', async () => {
    const r = await get('/context.jsonld');
    expect(r.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect((r.json() as { '@context': Record<string, unknown> })['@context']).toBeTruthy();
  });
});

describe('/search', () => {
  it.each(['Ёвон', 'Яван', 'yovon', 'YOVON', 'ёвон'])('finds the Yovon district from %s', async (q) => {
    const r = await get(`/search?q=${encodeURIComponent(q)}`, { accept: 'application/json' });
    const hits = (r.json() as { hits: { iri: string }[] }).hits.map((h) => h.iri);
    expect(hits).toContain(`${BASE}id/district/TJ-KT-06`);
  });

  it('tolerates Tajik letters typed as Russian look-alikes', async () => {
    // "Ноҳияи Ҷалолиддин Балхӣ" typed on a Russian keyboard: ҳ->х, ҷ->ч, ӣ->и
    const r = await get(`/search?q=${encodeURIComponent('нохияи чалолиддин балхи')}`, { accept: 'application/json' });
    expect((r.json() as { hits: { iri: string }[] }).hits.map((h) => h.iri)).toEqual([`${BASE}id/district/TJ-KT-07`]);
  });

  it('answers people with a page', async () => {
    const r = await get('/search?q=yovon', { accept: 'text/html' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('/doc/district/TJ-KT-06');
  });
});

describe('home and coverage', () => {
  it('the home page links the hierarchy, the datasets, SPARQL and the catalog', async () => {
    const r = await get('/', { accept: 'text/html' });
    expect(r.statusCode).toBe(200);
    for (const href of ['/doc/region/TJ-KT', '/doc/dataset/education', '/sparql', '/catalog']) expect(r.body).toContain(`href="${href}`);
  });

  it('the coverage page says which districts lack their jamoat list and what is sample data', async () => {
    const r = await get('/coverage', { accept: 'application/json' });
    const model = r.json() as { districts: { code: string; jamoatList: string }[]; statistics: { dataset: { sample: boolean; iri: string } }[] };
    expect(model.districts).toHaveLength(68);
    expect(model.districts.filter((d) => d.jamoatList === 'missing').length).toBeGreaterThan(10);
    expect(model.statistics.find((s) => s.dataset.iri.endsWith('/education'))?.dataset.sample).toBe(true);
    expect(model.statistics.find((s) => s.dataset.iri.endsWith('/population'))?.dataset.sample).toBe(false);
    expect((await get('/coverage', { accept: 'text/html' })).statusCode).toBe(200);
  });

  it('the coverage page has one heading per region, in code order, with its districts in code order, in every language', async () => {
    for (const [lang, dushanbe] of [['en', 'Dushanbe'], ['ru', 'Душанбе'], ['tg', 'Душанбе']] as const) {
      const page = (await get(`/coverage?lang=${lang}`, { accept: 'text/html' })).body;
      const table = page.slice(page.indexOf('<section aria-labelledby="lists">'), page.indexOf('<section aria-labelledby="stats">'));
      const headings = [...table.matchAll(/<th scope="colgroup" colspan="5">([^<]*)<\/th>/g)].map((m) => m[1]);
      expect(headings, lang).toHaveLength(5);
      expect(headings[0], lang).toContain(dushanbe);
      // Each heading's rows: the codes of its districts, which begin with the region's code.
      const bodies = table.split('<tbody>').slice(1);
      const codes = bodies.map((b) => [...b.matchAll(/<td><code>(TJ-[A-Z]{2})-(\d{2})<\/code><\/td>/g)].map((m) => `${m[1]}-${m[2]}`));
      const regionOrder = codes.map((c) => c[0]?.slice(0, 5));
      expect(regionOrder, lang).toEqual(['TJ-DU', 'TJ-GB', 'TJ-KT', 'TJ-RA', 'TJ-SU']);
      for (const group of codes) {
        expect(new Set(group.map((c) => c.slice(0, 5))).size, lang).toBe(1);
        expect(group, lang).toEqual([...group].sort());
      }
      expect(codes.flat()).toHaveLength(68);
    }
  });

  it('per indicator and year, the coverage page measures every figure of a dataset against the same units', async () => {
    // Which units lack a figure is tested on data with a gap (tests/coverage-model.test.ts); the
    // shipped statistics have none, so here: with or without, each indicator-year adds up alike.
    const model = (await get('/coverage', { accept: 'application/json' })).json() as {
      statistics: { dataset: { iri: string }; indicators: { years: { units: number; missing: unknown[] }[] }[] }[];
    };
    expect(model.statistics.length).toBeGreaterThan(3);
    for (const st of model.statistics) {
      const totals = new Set(st.indicators.flatMap((i) => i.years.map((y) => y.units + y.missing.length)));
      expect(totals.size, st.dataset.iri).toBe(1);
    }
  });
});

describe('schemas (Fastify compiles them lazily here: src/server/lazy-schema-compilers.ts)', () => {
  it('a route that declares a schema is validated and serialized with Fastify\'s own Ajv and fast-json-stringify', async () => {
    const probe = await startApp();
    probe.get('/probe', {
      schema: {
        querystring: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
        response: { 200: { type: 'object', properties: { twice: { type: 'integer' } } } },
      },
    }, async (request) => ({ twice: (request.query as { n: number }).n * 2, dropped: 'by the serializer' }));
    try {
      const bad = await probe.inject({ url: '/probe?n=x', headers: { accept: 'application/json' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('querystring/n must be integer');
      const ok = await probe.inject('/probe?n=21');
      expect(ok.json()).toEqual({ twice: 42 });
    } finally {
      await probe.close();
    }
  });
});
