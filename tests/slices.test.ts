import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLICE_STRINGS } from '../src/slices/strings.js';
import { BASE, listenLoopback, startApp } from './server-helpers.js';

/**
 * Issue #13, "Slices": per district and region one download of its units and all their figures,
 * as CSV, Turtle and XLSX, linked from the unit's page and listed in the catalog. Over loopback
 * to the real server on the shipped build; the expected figures come from the SPARQL endpoint,
 * not from the code that made the files.
 */

let app: FastifyInstance;
let origin: string;
beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => app?.close());

const LG = `${BASE}def/lg#`;
const QB = 'http://purl.org/linked-data/cube#';
const DCAT = 'http://www.w3.org/ns/dcat#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const YOVON = `${BASE}id/district/TJ-KT-06`;
/** A figure of the shipped education.xlsx (Yovon's sheet, first jamoat, general schools in 2021). */
const KNOWN = `${BASE}id/observation/education/TJ-KT-06-01/general-schools/2021`;

async function sparql(query: string): Promise<Record<string, string>[]> {
  const r = await fetch(`${origin}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  const json = (await r.json()) as { results: { bindings: Record<string, { value: string }>[] } };
  return json.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])));
}

async function download(path: string): Promise<Buffer> {
  const r = await fetch(`${origin}${path}`);
  expect(r.status, path).toBe(200);
  return Buffer.from(await r.arrayBuffer());
}

describe("Yovon's slice", () => {
  let rows: Record<string, string>[];
  let expected: Set<string>;
  beforeAll(async () => {
    rows = parse(await download('/download/district-TJ-KT-06.csv'), { columns: true }) as Record<string, string>[];
    // Yovon and everything within it, at any depth; every observation about any of them.
    expected = new Set((await sparql(`SELECT DISTINCT ?o WHERE { ?o a <${QB}Observation> ; <${LG}refArea> ?u . ?u <${LG}within>* <${YOVON}> }`)).map((r) => r.o as string));
  });

  it('CSV: exactly the observations SPARQL finds for Yovon and its jamoats, a known figure among them', async () => {
    expect(expected.size).toBeGreaterThan(100);
    expect(rows).toHaveLength(expected.size);
    expect(new Set(rows.map((r) => r.observation))).toEqual(expected);
    const [known] = await sparql(`SELECT ?v WHERE { <${KNOWN}> <${BASE}def/indicator/general-schools> ?v }`);
    expect(known?.v).toBe('2');
    expect(rows.find((r) => r.observation === KNOWN)).toMatchObject({
      unit_code: 'TJ-KT-06-01', level: 'jamoat', parent_code: 'TJ-KT-06', indicator: 'general-schools', year: '2021', value: '2', computed: 'false', sample: 'true',
    });
    // Yovon's own figures are totals this service summed, and say so.
    const own = rows.filter((r) => r.unit_code === 'TJ-KT-06');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r) => r.computed === 'true' && r.unit_name_tg === 'Ноҳияи Ёвон' && r.unit_name_ru === 'Яванский район')).toBe(true);
  });

  it('Turtle: parses alone with N3.js and holds the same observations', async () => {
    const quads = new N3.Parser().parse((await download('/download/district-TJ-KT-06.ttl')).toString('utf8'));
    const store = new N3.Store(quads);
    const observations = store.getSubjects(RDF_TYPE, `${QB}Observation`, null).map((s) => s.value);
    expect(new Set(observations)).toEqual(expected);
    expect(store.getObjects(`${BASE}id/jamoat/TJ-KT-06-01`, `${LG}within`, null).map((o) => o.value)).toEqual([YOVON]);
    // The sample mark travels with the figures: their data sets say lg:sampleData.
    expect(store.getObjects(`${BASE}id/dataset/education`, `${LG}sampleData`, null).map((o) => o.value)).toEqual(['true']);
  });

  it('XLSX: a units sheet and a statistics sheet headed SAMPLE DATA', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download('/download/district-TJ-KT-06.xlsx')) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['units', 'statistics']);
    const units = await sparql(`SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?u <${LG}within>* <${YOVON}> ; <${LG}adminLevel> ?l }`);
    const unitSheet = wb.getWorksheet('units');
    expect(unitSheet?.getRow(1).getCell(1).value).toBe('code');
    expect(unitSheet?.getRow(2).getCell(1).value).toBe('TJ-KT-06');
    expect(unitSheet?.actualRowCount).toBe(Number(units[0]?.n) + 1);
    const stats = wb.getWorksheet('statistics');
    expect(String(stats?.getRow(1).getCell(1).value)).toMatch(/^SAMPLE DATA/);
    const header = stats?.getRow(4);
    expect(header?.getCell(1).value).toBe('unit_code');
    expect(stats?.actualRowCount).toBe(3 + 1 + expected.size);
  });
});

describe('the district page links its slice in each language', () => {
  it.each(['tg', 'ru', 'en'] as const)('%s', async (lang) => {
    const page = await (await fetch(`${origin}/doc/district/TJ-KT-06?lang=${lang}`)).text();
    const section = /<section aria-labelledby="all-data">(.*?)<\/section>/s.exec(page)?.[1] ?? '';
    expect(section).toContain(SLICE_STRINGS[lang].downloadDistrict);
    const hrefs = [...section.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(hrefs).toEqual(['csv', 'ttl', 'xlsx'].map((x) => `/download/district-TJ-KT-06.${x}`));
    for (const href of hrefs) expect((await fetch(`${origin}${href}`, { method: 'HEAD' })).status, href).toBe(200);
  });
});

describe('the catalog lists every slice', () => {
  it('as a dataset of the slices catalog, each file a distribution with its size and checksum', async () => {
    const store = new N3.Store(new N3.Parser().parse(await (await fetch(`${origin}/catalog.ttl`)).text()));
    const sub = store.getObjects(`${BASE}catalog`, `${DCAT}catalog`, null)[0]?.value ?? '';
    const datasets = store.getObjects(sub, `${DCAT}dataset`, null).map((d) => d.value);
    const units = await sparql(`SELECT ?u WHERE { VALUES ?l { <${LG}level-district> <${LG}level-region> } ?u <${LG}adminLevel> ?l }`);
    expect(datasets).toHaveLength(units.length);
    const yovon = `${BASE}id/dataset/district-tj-kt-06`;
    expect(datasets).toContain(yovon);
    // Its IRI resolves, as every IRI we mint (303 to its document).
    // (Dataset ids are lower case, shapes/metadata.ttl; the file names keep the unit's code.)
    const doc = await fetch(`${origin}/id/dataset/district-tj-kt-06`, { redirect: 'manual' });
    expect([doc.status, doc.headers.get('location')]).toEqual([303, '/doc/dataset/district-tj-kt-06']);
    expect((await fetch(`${origin}/doc/dataset/district-tj-kt-06?lang=ru`)).status).toBe(200);
    expect(store.getObjects(yovon, 'http://purl.org/dc/terms/spatial', null).map((o) => o.value)).toEqual([YOVON]);
    const urls = store.getObjects(yovon, `${DCAT}distribution`, null).flatMap((d) => store.getObjects(d, `${DCAT}downloadURL`, null).map((u) => u.value));
    expect(urls.sort()).toEqual(['csv', 'ttl', 'xlsx'].map((x) => `${BASE}download/district-TJ-KT-06.${x}`));
    const csvDist = store.getSubjects(`${DCAT}downloadURL`, `${BASE}download/district-TJ-KT-06.csv`, null)[0] ?? null;
    const checksum = store.getObjects(csvDist, 'http://spdx.org/rdf/terms#checksum', null)[0] ?? null;
    const bytes = await download('/download/district-TJ-KT-06.csv');
    expect(store.getObjects(checksum, 'http://spdx.org/rdf/terms#checksumValue', null)[0]?.value).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('served like every download', () => {
  it('resumes with Range and answers 304 to its ETag', async () => {
    const path = '/download/region-TJ-KT.xlsx';
    const whole = await fetch(`${origin}${path}`);
    const body = Buffer.from(await whole.arrayBuffer());
    const etag = whole.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"sha256-[0-9a-f]{64}"$/);
    const part = await fetch(`${origin}${path}`, { headers: { range: 'bytes=100-', 'if-range': etag } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100))).toBe(true);
    expect((await fetch(`${origin}${path}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});
