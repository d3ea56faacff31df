import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import jsonld from 'jsonld';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loopback, contextLoader, parseTurtle, startLoopback, tripleSet } from './harvest-helpers.js';
import { BASE } from './server-helpers.js';

let lb: Loopback;
let catalog: N3.Store;
let graphs: Record<string, number>;
beforeAll(async () => {
  lb = await startLoopback();
  catalog = new N3.Store(parseTurtle(await (await lb.fetchOk(`${BASE}catalog`, 'text/turtle')).text()));
  graphs = ((await (await lb.fetchOk(`${BASE}health`)).json()) as { graphs: Record<string, number> }).graphs;
});
afterAll(async () => lb.app.close());

const DCAT = 'http://www.w3.org/ns/dcat#';
const SPDX = 'http://spdx.org/rdf/terms#';
const IANA = 'https://www.iana.org/assignments/media-types/';
const one = (s: string, p: string) => catalog.getObjects(s, p, null)[0]?.value ?? '';

interface Promised { url: string; mediaType: string; compress: string; size: number; sha256: string; dataset: string }

/** What the catalog promises about every file it lists. */
function promises(): Promised[] {
  return catalog.getQuads(null, `${DCAT}downloadURL`, null, null).map((q) => {
    const d = q.subject.value;
    return {
      url: q.object.value,
      mediaType: one(d, `${DCAT}mediaType`).replace(IANA, ''),
      compress: one(d, `${DCAT}compressFormat`).replace(IANA, ''),
      size: Number(one(d, `${DCAT}byteSize`)),
      sha256: one(one(d, `${SPDX}checksum`), `${SPDX}checksumValue`),
      dataset: catalog.getSubjects(`${DCAT}distribution`, d, null)[0]?.value ?? '',
    };
  });
}

const parseCsv = (text: string) => parse(text, { bom: true }) as string[][];
/** A district's or region's slice (src/slices/): its files are checked by tests/slices.test.ts. */
const isSlice = (url: string) => /\/download\/(district|region)-[^/]+$/.test(url);

describe('every downloadURL serves what the catalog promises', () => {
  it('lists the files the design names, for every dataset', () => {
    const all = promises().map((p) => p.url.slice(`${BASE}download/`.length));
    const names = all.filter((n) => !isSlice(`${BASE}download/${n}`)).sort();
    // and three files (CSV, Turtle, XLSX) of each slice the slices catalog lists
    const sub = one(`${BASE}catalog`, `${DCAT}catalog`);
    expect(all.length - names.length).toBe(3 * catalog.getObjects(sub, `${DCAT}dataset`, null).length);
    for (const id of ['units', 'population', 'education', 'health', 'infrastructure', 'budget']) {
      expect(names).toEqual(expect.arrayContaining([`${id}.ttl`, `${id}.nt.gz`, `${id}.jsonld`, `${id}.csv`, `${id}.hxl.csv`]));
    }
    expect(names).toEqual(expect.arrayContaining(['all.nq.gz', 'country.csv', 'regions.xlsx', 'districts.xlsx', 'jamoats.xlsx', 'education.xlsx']));
    expect(names).toHaveLength(6 * 5 + 9 + 1);
  });

  it('each file: 200, its content type, its byte size, its SHA-256, and it parses with an independent parser', async () => {
    for (const p of promises()) {
      const r = await lb.fetchOk(p.url);
      const bytes = Buffer.from(await r.arrayBuffer());
      const name = p.url.slice(p.url.lastIndexOf('/') + 1);
      expect(bytes.length, name).toBe(p.size);
      expect(createHash('sha256').update(bytes).digest('hex'), name).toBe(p.sha256);
      expect(r.headers.get('content-type'), name).toMatch(new RegExp(`^${(p.compress || p.mediaType).replace(/[+.]/g, '\\$&')}`));
      expect(r.headers.get('content-disposition'), name).toBe(`attachment; filename="${name}"`);
      const graph = p.dataset.replace('/id/dataset/', '/graph/');
      if (isSlice(p.url)) {
        // A unit with no figures yet has a CSV of its header alone; its Turtle and XLSX hold its units.
        if (name.endsWith('.csv')) expect(parseCsv(bytes.toString('utf8')).length, name).toBeGreaterThan(0);
        else if (name.endsWith('.ttl')) expect(parseTurtle(bytes.toString('utf8')).length, name).toBeGreaterThan(0);
      } else if (name.endsWith('.ttl')) {
        expect(tripleSet(parseTurtle(bytes.toString('utf8'))).size, name).toBe(graphs[graph]);
      } else if (name.endsWith('.nt.gz')) {
        expect(tripleSet(new N3.Parser({ format: 'N-Triples' }).parse(gunzipSync(bytes).toString('utf8'))).size, name).toBe(graphs[graph]);
      } else if (name.endsWith('.jsonld')) {
        const nquads = (await jsonld.toRDF(JSON.parse(bytes.toString('utf8')) as object, { format: 'application/n-quads', documentLoader: contextLoader(lb.origin) as never })) as unknown as string;
        expect(tripleSet(new N3.Parser({ format: 'N-Quads' }).parse(nquads)).size, name).toBe(graphs[graph]);
      } else if (name.endsWith('.nq.gz')) {
        const quads = new N3.Parser({ format: 'N-Quads' }).parse(gunzipSync(bytes).toString('utf8'));
        const expected = Object.entries(graphs).filter(([g]) => g !== `${BASE}graph/distributions`);
        expect(quads.length).toBe(expected.reduce((n, [, c]) => n + c, 0));
        expect(new Set(quads.map((q) => q.graph.value))).toEqual(new Set(expected.map(([g]) => g)));
      } else if (name.endsWith('.csv')) {
        expect(parseCsv(bytes.toString('utf8')).length, name).toBeGreaterThan(1);
      } else if (name.endsWith('.xlsx')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(bytes as unknown as ArrayBuffer);
        expect(wb.worksheets.length, name).toBeGreaterThan(0);
        expect(wb.worksheets[0]?.rowCount, name).toBeGreaterThan(1);
      } else {
        throw new Error(`no parser for ${name}`);
      }
    }
  });

  it('Turtle, N-Triples and JSON-LD of a dataset carry the same triples', async () => {
    const get = async (f: string) => Buffer.from(await (await lb.fetchOk(`${BASE}download/${f}`)).arrayBuffer());
    const ttl = tripleSet(parseTurtle((await get('population.ttl')).toString('utf8')));
    const nt = tripleSet(new N3.Parser({ format: 'N-Triples' }).parse(gunzipSync(await get('population.nt.gz')).toString('utf8')));
    const nquads = (await jsonld.toRDF(JSON.parse((await get('population.jsonld')).toString('utf8')) as object, { format: 'application/n-quads', documentLoader: contextLoader(lb.origin) as never })) as unknown as string;
    const fromJsonLd = tripleSet(new N3.Parser({ format: 'N-Quads' }).parse(nquads));
    expect([...nt].filter((t) => !ttl.has(t))).toEqual([]);
    expect([...fromJsonLd].filter((t) => !ttl.has(t))).toEqual([]);
    expect(nt.size).toBe(ttl.size);
    expect(fromJsonLd.size).toBe(ttl.size);
  });
});

describe('CSV on the Web: the metadata describes the CSV\'s real columns', () => {
  interface Column { name: string; titles: string; virtual?: boolean; propertyUrl?: string; valueUrl?: string; datatype?: string }
  interface Metadata { url: string; tableSchema: { columns: Column[]; aboutUrl: string; primaryKey: string | string[] }; 'dc:license': { '@id': string } }
  const load = async (id: string) => {
    const csv = await lb.fetchOk(`${BASE}download/${id}.csv`);
    const link = csv.headers.get('link') ?? '';
    const rows = parseCsv(await csv.text());
    const meta = (await (await lb.fetchOk(`${BASE}download/${id}.csv-metadata.json`)).json()) as Metadata;
    return { link, rows, meta };
  };

  it.each(['units', 'population', 'education', 'budget'])('%s: columns equal the header row, in order, with titles; the CSV links its metadata', async (id) => {
    const { link, rows, meta } = await load(id);
    expect(link).toContain(`<${id}.csv-metadata.json>; rel="describedby"; type="application/csvm+json"`);
    expect(meta.url).toBe(`${id}.csv`);
    expect(meta['dc:license']['@id']).toBe('https://creativecommons.org/licenses/by/4.0/');
    const real = meta.tableSchema.columns.filter((c) => !c.virtual);
    expect(real.map((c) => c.name)).toEqual(rows[0]);
    expect(real.map((c) => c.titles)).toEqual(rows[0]);
    for (const row of rows.slice(1)) expect(row).toHaveLength(real.length);
  });

  it('the statistics rows name our observations: aboutUrl expands to the IRIs the Turtle dump has', async () => {
    const { rows, meta } = await load('education');
    const [header, ...body] = rows as [string[], ...string[][]];
    const ttl = new N3.Store(parseTurtle(await (await lb.fetchOk(`${BASE}download/education.ttl`)).text()));
    // The figures reported: the totals the converter computed (lg:computed) are in the RDF only.
    const computed = new Set(ttl.getSubjects(`${BASE}def/lg#computed`, null, null).map((s) => s.value));
    const observations = new Set(ttl.getSubjects('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'http://purl.org/linked-data/cube#Observation', null).map((s) => s.value).filter((s) => !computed.has(s)));
    expect(computed.size).toBeGreaterThan(0);
    const about = body.map((row) => meta.tableSchema.aboutUrl.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(row[header.indexOf(k)] ?? '')));
    expect(new Set(about)).toEqual(observations);
    // and each value is the figure the RDF has
    const col = (k: string) => header.indexOf(k);
    for (const row of body.slice(0, 20)) {
      const value = ttl.getObjects(meta.tableSchema.aboutUrl.replace(/\{(\w+)\}/g, (_m, k: string) => row[col(k)] ?? ''), `${BASE}def/indicator/${row[col('indicator')]}`, null)[0]?.value;
      expect(value).toBe(row[col('value')]);
    }
  });

  it('the units rows are the units: one per unit, with its URI, names and links', async () => {
    const { rows } = await load('units');
    const [header, ...body] = rows as [string[], ...string[][]];
    const ttl = new N3.Store(parseTurtle(await (await lb.fetchOk(`${BASE}download/units.ttl`)).text()));
    const units = ttl.getSubjects(`${BASE}def/lg#adminLevel`, null, null).map((s) => s.value);
    expect(new Set(body.map((r) => r[header.indexOf('uri')]))).toEqual(new Set(units));
    const yovon = body.find((r) => r[header.indexOf('code')] === 'TJ-KT-06') ?? [];
    expect(yovon[header.indexOf('name_ru')]).toBe('Яванский район');
    expect(yovon[header.indexOf('geonames')]).toBe('8221240');
    expect(yovon[header.indexOf('geonames_relation')]).toBe('http://www.w3.org/2004/02/skos/core#exactMatch');
  });
});

describe('the download route serves only what it lists', () => {
  it.each(['/download/data.nq', '/download/build-info.json', '/download/..%2Fdata.nq', '/download/%2e%2e%2fbuild-info.json', '/download/', '/download/UNITS.TTL'])('404 for %s', async (url) => {
    expect((await lb.app.inject({ url })).statusCode).toBe(404);
  });

  it('answers conditional requests with 304 and does not compress a gzip file again', async () => {
    const first = await lb.app.inject({ url: '/download/all.nq.gz', headers: { 'accept-encoding': 'gzip, br' } });
    expect(first.headers['content-type']).toBe('application/gzip');
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.headers.etag).toMatch(/^"sha256-[0-9a-f]{64}"$/);
    const again = await lb.app.inject({ url: '/download/all.nq.gz', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const ttl = await lb.app.inject({ url: '/download/units.ttl', headers: { 'accept-encoding': 'gzip' } });
    expect(ttl.headers['content-encoding']).toBe('gzip');
    // The gzip body has its own tag (issue #11): sent back by a client asking for gzip again, 304.
    expect(ttl.headers.etag).toMatch(/-gzip"$/);
    expect((await lb.app.inject({ url: '/download/units.ttl', headers: { 'accept-encoding': 'gzip', 'if-none-match': String(ttl.headers.etag) } })).statusCode).toBe(304);
  });

  it('sends CORS and points to the catalog that describes the file', async () => {
    const r = await lb.app.inject({ url: '/download/units.ttl', headers: { origin: 'https://example.org' } });
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers.link).toContain(`<${BASE}catalog>; rel="describedby"`);
  });
});

describe('documents and dumps say the same', () => {
  it('every triple a document states about its subject is, term for term, in the all.nq.gz dump (numbers in one lexical form)', async () => {
    const dump = new N3.Store(new N3.Parser({ format: 'N-Quads' }).parse(gunzipSync(Buffer.from(await (await lb.fetchOk(`${BASE}download/all.nq.gz`)).arrayBuffer())).toString('utf8')));
    // Dushanbe's area is 100 km² exactly: an xsd:decimal whose lexical form a store may rewrite.
    for (const path of ['region/TJ-DU', 'district/TJ-KT-06', 'jamoat/TJ-KT-06-06', 'observation/budget/TJ-KT-06-01/budget-expenditure/2021']) {
      const iri = `${BASE}id/${path}`;
      const doc = new N3.Parser({ format: 'N-Triples' }).parse(await (await lb.fetchOk(`${BASE}doc/${path}.nt`)).text());
      const own = doc.filter((q) => q.subject.value === iri);
      expect(own.length, path).toBeGreaterThan(5);
      for (const q of own) expect(dump.countQuads(q.subject, q.predicate, q.object, null), `${path}: ${q.predicate.value} ${q.object.value}`).toBeGreaterThan(0);
    }
  });
});
