import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentQuery } from '../src/describe/document-query.js';
import { formatNumber } from '../src/html/i18n.js';
import { BASE, listenLoopback, startApp } from './server-helpers.js';

/**
 * Issue #10: the indicator page /def/indicator/{id} as a citizen and a researcher read it, and the
 * CSV of exactly its figures. Real server on loopback, real store; the figures are checked against
 * SPARQL queries of our own, not against the page's query.
 */
let app: FastifyInstance;
let origin: string;
beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => app?.close());

const PUPILS = `${BASE}def/indicator/pupils`;
const LG = `${BASE}def/lg#`;
const QB = 'http://purl.org/linked-data/cube#';

async function sparql(query: string): Promise<Record<string, string>[]> {
  const r = await fetch(`${origin}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  const json = (await r.json()) as { results: { bindings: Record<string, { value: string }>[] } };
  return json.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])));
}

const page = async (lang: string) => (await fetch(`${origin}/def/indicator/pupils?lang=${lang}`)).text();

/** The figures of the page's tables: observation path, text shown, whether marked computed. */
function tableCells(html: string): { obs: string; text: string; computed: boolean }[] {
  const cells = [...html.matchAll(/<td class="n( cp)?"><a href="(\/doc\/observation\/[^"?]+)[^"]*">([^<]+)<\/a>( <abbr class="computed"[^>]*>Σ<\/abbr>)?<\/td>/g)];
  return cells.map((m) => ({ obs: m[2] as string, text: m[3] as string, computed: m[1] !== undefined && m[4] !== undefined }));
}

describe('the indicator page in three languages', () => {
  const definitions: Record<string, string> = {
    tg: 'Шумораи хонандагоне, ки дар мактабҳои таҳсилоти умумии воҳид таҳсил мекунанд',
    ru: 'Число учащихся, обучающихся в общеобразовательных школах единицы',
    en: 'The number of pupils enrolled in the general education schools of the unit',
  };
  const units: Record<string, string> = { tg: 'нафар', ru: 'человек', en: 'persons' };
  const samples: Record<string, string> = { tg: 'Маълумоти намунавӣ', ru: 'Примерные данные', en: 'Sample data' };

  it.each(['tg', 'ru', 'en'])('%s: the definition, the unit, a figure as SPARQL has it, totals marked Σ, the sample mark', async (lang) => {
    const html = await page(lang);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain(definitions[lang]);
    expect(html).toMatch(new RegExp(`<dd>${units[lang]}</dd>`));
    expect(html).toContain(`<strong class="sample">${samples[lang]}`);
    // A reported figure of Norin (Yovon), latest year, from SPARQL: the page shows that number, unmarked.
    const [norin] = await sparql(`SELECT ?obs ?v WHERE { ?obs <${QB}measureType> <${PUPILS}> ; <${PUPILS}> ?v ; <${LG}refArea> <${BASE}id/jamoat/TJ-KT-06-06> ; <${LG}refPeriod> ?y . FILTER NOT EXISTS { ?obs <${LG}computed> true } } ORDER BY DESC(STR(?y)) LIMIT 1`);
    const obs = norin?.obs ?? '';
    expect(obs).toMatch(/\/id\/observation\//);
    const cells = tableCells(html);
    const shown = cells.find((c) => `${BASE}id/${c.obs.slice('/doc/'.length)}` === obs);
    expect(shown).toEqual({ obs: `/doc/${obs.slice(`${BASE}id/`.length)}`, text: formatNumber(norin?.v ?? '', lang as 'tg'), computed: false });
    // Every computed total of the indicator (lg:computed true) is marked Σ on the page, and only those.
    const totals = new Set((await sparql(`SELECT ?obs WHERE { ?obs <${QB}measureType> <${PUPILS}> ; <${LG}computed> true }`)).map((r) => r.obs));
    expect(totals.size).toBeGreaterThan(0);
    expect(new Set(cells.filter((c) => c.computed).map((c) => `${BASE}id/${c.obs.slice(5)}`))).toEqual(totals);
    // The sum of Yovon's total is the sum of its jamoats' figures that year (an independent SPARQL sum).
    const [sum] = await sparql(`SELECT ?total (SUM(?v) AS ?sum) WHERE { ?t <${QB}measureType> <${PUPILS}> ; <${LG}computed> true ; <${LG}refArea> <${BASE}id/district/TJ-KT-06> ; <${LG}refPeriod> ?y ; <${PUPILS}> ?total . ?o <${QB}measureType> <${PUPILS}> ; <${LG}refArea>/<${LG}within> <${BASE}id/district/TJ-KT-06> ; <${LG}refPeriod> ?y ; <${PUPILS}> ?v } GROUP BY ?total ?y ORDER BY DESC(STR(?y)) LIMIT 1`);
    expect(sum!.sum).toBe(sum!.total);
    expect(cells.some((c) => c.computed && c.text === formatNumber(sum!.total!, lang as 'tg'))).toBe(true);
  });

  it('tells who reports, how often (unknown: said so), and gives a citation with the data version and the URI', async () => {
    const html = await page('en');
    expect(html).toContain('Local Development Committee publishes the figures');
    expect(html).toMatch(/jamoats and towns: 26 \(/);
    expect(html).toContain('The publisher has not said how often this dataset is updated.');
    const version = ((await (await fetch(`${origin}/health`)).json()) as { dataVersion: string }).dataVersion;
    const citation = /<textarea id="cite-text" readonly rows="4">([^<]+)<\/textarea>/.exec(html)?.[1];
    expect(citation).toContain(`data version ${version}`);
    expect(citation).toContain(PUPILS);
    expect(citation).toContain(`(accessed ${new Date().toISOString().slice(0, 10)})`);
  });
});

describe('the map', () => {
  it('colours the district-level units by their latest figure, as SPARQL has it, with the sample mark', async () => {
    const html = await page('en');
    const section = html.slice(html.indexOf('<section aria-labelledby="map">'));
    expect(section).toContain('<figure class="lgmap">');
    const [yovon] = await sparql(`SELECT ?y ?v WHERE { ?o <${QB}measureType> <${PUPILS}> ; <${LG}refArea> <${BASE}id/district/TJ-KT-06> ; <${LG}refPeriod> ?y ; <${PUPILS}> ?v } ORDER BY DESC(STR(?y)) LIMIT 1`);
    expect(section).toContain(`<h2 id="map">Map, ${yovon?.y}</h2>`);
    expect(section).toContain(`<title>Yovon (TJ-KT-06): ${formatNumber(yovon?.v ?? '', 'en')}</title>`);
    expect(section.slice(0, section.indexOf('<figure'))).toContain('<strong class="sample">');
    // A district with no figure is drawn as such, not left out.
    expect(section).toMatch(/<title>[^<]+ \(TJ-KT-01\): no data<\/title>/);
  });
});

describe('the CSV slice', () => {
  it('parses, and has exactly the figures the table shows, in its order, safe for spreadsheets', async () => {
    const html = await page('ru');
    const href = /<a href="(\/download\/indicator-pupils\.csv)"/.exec(html)?.[1];
    expect(href).toBe('/download/indicator-pupils.csv');
    const r = await fetch(`${origin}${href}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await r.text();
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const cells = tableCells(html);
    expect(rows.map((row) => row.observation)).toEqual(cells.map((c) => `${BASE}id/${c.obs.slice(5)}`));
    expect(rows.map((row) => row.status === 'computed')).toEqual(cells.map((c) => c.computed));
    const yovon = rows.find((row) => row.unit_code === 'TJ-KT-06');
    expect(yovon).toMatchObject({ unit_name_ru: 'Яванский район', unit_name_en: 'Yovon', level: 'district', unit_of_measure: 'persons', status: 'computed', dataset: `${BASE}id/dataset/education`, sample: 'true' });
    // No cell a spreadsheet would run as a formula.
    expect(rows.flatMap((row) => Object.values(row)).filter((v) => /^[=+\-@]/.test(v))).toEqual([]);
  });

  it('has an ETag (304 on a match) and is compressed when asked', async () => {
    const r = await fetch(`${origin}/download/indicator-pupils.csv`, { headers: { 'accept-encoding': 'identity' } });
    const etag = r.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{16}-/);
    expect((await fetch(`${origin}/download/indicator-pupils.csv`, { headers: { 'if-none-match': etag!, 'accept-encoding': 'identity' } })).status).toBe(304);
    const gz = await app.inject({ url: '/download/indicator-pupils.csv', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(await r.text());
    expect((await fetch(`${origin}/download/indicator-no-such.csv`)).status).toBe(404);
  });
});

describe('the RDF variants', () => {
  it('are the indicator\'s document, without the figures the page adds', async () => {
    const nt = await (await fetch(`${origin}/def/indicator/pupils`, { headers: { accept: 'application/n-triples' } })).text();
    const served = new N3.Parser({ format: 'N-Triples' }).parse(nt).map((q) => `${q.subject.value} ${q.predicate.value} ${q.object.value}`).sort();
    const r = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/n-triples' }, body: documentQuery(PUPILS, BASE) });
    const expected = new N3.Parser({ format: 'N-Triples' }).parse(await r.text()).map((q) => `${q.subject.value} ${q.predicate.value} ${q.object.value}`).sort();
    expect(served).toEqual([...new Set(expected)]);
    expect(served.some((t) => t.includes('/id/observation/'))).toBe(false);
  });
});
