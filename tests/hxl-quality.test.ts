import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Table, toCsv } from '../src/catalog/csv-tables.js';
import { toHxlCsv } from '../src/catalog/hxl.js';
import { FIXTURES } from './helpers.js';
import { type Loopback, parseTurtle, startLoopback } from './harvest-helpers.js';
import { BASE } from './server-helpers.js';

/**
 * HXL-tagged CSVs and the DQV quality figures (issue #13), against one server on loopback: the
 * tag rows checked against the HXL core schema (tests/fixtures/hxl-core-hashtags.json), the
 * figures recomputed independently with SPARQL over the published data.
 */

let lb: Loopback;
beforeAll(async () => {
  lb = await startLoopback();
});
afterAll(async () => lb.app.close());

const DATASETS = ['units', 'population', 'education', 'health', 'infrastructure', 'budget'];
const DQV = 'http://www.w3.org/ns/dqv#';
const DCT = 'http://purl.org/dc/terms/';
const DCAT = 'http://www.w3.org/ns/dcat#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const LG = `${BASE}def/lg#`;
const PREFIXES = `PREFIX lg: <${LG}> PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX dqv: <${DQV}> PREFIX dct: <${DCT}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>`;

async function select(query: string): Promise<Record<string, string>[]> {
  const r = await fetch(`${lb.origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: `${PREFIXES}\n${query}` });
  expect(r.status, query).toBe(200);
  const json = (await r.json()) as { results: { bindings: Record<string, { value: string }>[] } };
  return json.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])));
}

/** A CSV's lines, split on CRLF; cells split on commas (our tag rows and headers have no quoted commas). */
const lines = (text: string) => text.replace(/\r\n$/, '').split('\r\n');

describe('HXL-tagged CSV downloads', () => {
  it('each dataset: the plain CSV\'s header, a hashtag row, then exactly the plain CSV\'s data rows', async () => {
    for (const id of DATASETS) {
      const plain = lines(await (await lb.fetchOk(`${BASE}download/${id}.csv`)).text());
      const r = await lb.fetchOk(`${BASE}download/${id}.hxl.csv`);
      expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
      const hxl = lines(await r.text());
      expect(hxl[0], id).toBe(plain[0]);
      expect(hxl.slice(2), id).toEqual(plain.slice(1));
      const tags = (hxl[1] as string).split(',');
      expect(tags).toHaveLength((plain[0] as string).split(',').length);
      // The second row is the tag row: every cell a hashtag, and no header cell is one.
      for (const t of tags) expect(t, `${id}: ${t}`).toMatch(/^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/);
      for (const h of (hxl[0] as string).split(',')) expect(h.startsWith('#')).toBe(false);
    }
  });

  it('every hashtag is an HXL core hashtag, every attribute core or of a declared kind', async () => {
    const fx = JSON.parse(await readFile(join(FIXTURES, 'hxl-core-hashtags.json'), 'utf8')) as {
      hashtags: { list: string[] }; attributes: { released: string[]; beta: string[] }; hxlStandardChooser: { attributes: string[] };
      attributePatterns: Record<string, { pattern: string }>; ourCustomAttributes: { list: Record<string, string> };
    };
    const core = new Set([...fx.attributes.released, ...fx.attributes.beta, ...fx.hxlStandardChooser.attributes]);
    const patterns = Object.values(fx.attributePatterns).map((p) => new RegExp(p.pattern));
    const ours = new Set(Object.keys(fx.ourCustomAttributes.list));
    // An indicator's own attribute is its notation (with _ for -), as the vocabulary has it.
    const notations = new Set((await select('SELECT ?n WHERE { ?i a qb:MeasureProperty ; skos:notation ?n }')).map((b) => (b.n as string).replace(/-/g, '_')));
    expect(notations.size).toBeGreaterThanOrEqual(11);
    const seen = new Set<string>();
    for (const id of DATASETS) {
      const row = lines(await (await lb.fetchOk(`${BASE}download/${id}.hxl.csv`)).text())[1] as string;
      for (const tag of row.split(',')) {
        const [hashtag, ...attributes] = tag.slice(1).split('+') as [string, ...string[]];
        expect(fx.hashtags.list, `${id}: #${hashtag}`).toContain(hashtag);
        for (const a of attributes) {
          seen.add(a);
          const allowed = core.has(a) || patterns.some((p) => p.test(a)) || ours.has(a) || notations.has(a);
          expect(allowed, `${id}: +${a} in ${tag}`).toBe(true);
        }
      }
    }
    // The declared custom attributes are all in use (none listed for nothing).
    for (const a of ours) expect(seen, a).toContain(a);
  });

  it('a name that would start a formula is neutralised in the HXL CSV as in the plain one', () => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", '@SUM(1+1)', '-2+3'];
    const table: Table = {
      aboutUrl: '{+uri}', primaryKey: ['code'], virtual: [],
      rows: hostile.map((name, i) => ({ code: `TJ-${i}`, name_en: name, population: String(-i) })),
      columns: [
        { name: 'code', hxl: '#loc+code', datatype: 'string', description: '' },
        { name: 'name_en', hxl: '#loc+name+i_en', datatype: 'string', description: '' },
        { name: 'population', hxl: '#population+total', datatype: 'integer', description: '' },
      ],
    };
    const plain = lines(toCsv(table));
    const hxl = lines(toHxlCsv(table));
    expect(hxl[1]).toBe('#loc+code,#loc+name+i_en,#population+total');
    expect(hxl.slice(2)).toEqual(plain.slice(1));
    for (const line of hxl.slice(2)) expect(line).toMatch(/^TJ-\d+,"'/);
  });

  it('tags come from the data and the vocabulary: the figures\' lg:hxlTag, the units\' level', async () => {
    const [pop] = await select(`SELECT ?tag WHERE { <${BASE}def/indicator/population> lg:hxlTag ?tag }`);
    const row = (await (await lb.fetchOk(`${BASE}download/population.hxl.csv`)).text()).split('\r\n');
    const header = (row[0] as string).split(',');
    const tags = (row[1] as string).split(',');
    expect(tags[header.indexOf('value')]).toBe(pop?.tag);
    // Every unit in the population CSV is a jamoat, so its unit columns are HXL admin level 3.
    const levels = new Set(row.slice(2).filter(Boolean).map((l) => /\/id\/([a-z]+)\//.exec(l)?.[1]));
    expect([...levels]).toEqual(['jamoat']);
    expect(tags[header.indexOf('unit_code')]).toBe('#adm3+code');
    // Education's value column holds three indicators: what their tags share.
    const edu = (await (await lb.fetchOk(`${BASE}download/education.hxl.csv`)).text()).split('\r\n');
    expect((edu[1] as string).split(',')[5]).toBe('#indicator+value+num');
  });

  it('is its own distribution in the catalog, CSV, conforming to HXL 1.1', async () => {
    const store = new N3.Store(parseTurtle(await (await lb.fetchOk(`${BASE}catalog`, 'text/turtle')).text()));
    for (const id of DATASETS) {
      const dist = `${BASE}id/dataset/${id}#distribution-hxl.csv`;
      expect(store.getObjects(`${BASE}id/dataset/${id}`, `${DCAT}distribution`, null).map((o) => o.value)).toContain(dist);
      expect(store.getObjects(dist, `${DCAT}downloadURL`, null).map((o) => o.value)).toEqual([`${BASE}download/${id}.hxl.csv`]);
      expect(store.getObjects(dist, `${DCT}format`, null).map((o) => o.value)).toEqual(['http://publications.europa.eu/resource/authority/file-type/CSV']);
      expect(store.getObjects(dist, `${DCT}conformsTo`, null).map((o) => o.value)).toEqual(['https://hxlstandard.org/standard/1-1final/']);
    }
  });
});

describe('quality figures (W3C DQV)', () => {
  let catalog: N3.Store;
  const measurement = (ds: string, key: string) => `${BASE}id/dataset/${ds}#quality-${key}`;
  const value = (ds: string, key: string) => catalog.getObjects(measurement(ds, key), `${DQV}value`, null)[0]?.value;
  /** A share, as a number: the store gives decimals in canonical form ("1.0000" reads back as 1). */
  const shareOf = (ds: string, key: string) => Number(value(ds, key));
  const ratio = (n: unknown, of: unknown) => Number((Number(n) / Number(of)).toFixed(4));
  beforeAll(async () => {
    catalog = new N3.Store(parseTurtle(await (await lb.fetchOk(`${BASE}catalog`, 'text/turtle')).text()));
  });

  it('every dataset has its measurements in /catalog, each on a metric of the vocabulary, its value typed as the metric says', async () => {
    const metrics = new Map((await select('SELECT ?m ?type WHERE { ?m a dqv:Metric ; dqv:expectedDataType ?type }')).map((b) => [b.m, b.type]));
    expect(metrics.size).toBe(6);
    const labelled = await select('SELECT ?m (COUNT(DISTINCT LANG(?l)) AS ?n) WHERE { ?m a dqv:Metric ; skos:prefLabel ?l FILTER(LANG(?l) IN ("tg", "ru", "en")) } GROUP BY ?m');
    expect(labelled.map((b) => b.n)).toEqual(['3', '3', '3', '3', '3', '3']);
    for (const id of DATASETS) {
      const ds = `${BASE}id/dataset/${id}`;
      const ms = catalog.getObjects(ds, `${DQV}hasQualityMeasurement`, null).map((o) => o.value);
      expect(ms.length, id).toBeGreaterThanOrEqual(6);
      for (const m of ms) {
        expect(catalog.getObjects(m, RDF_TYPE, null).map((o) => o.value)).toEqual([`${DQV}QualityMeasurement`]);
        expect(catalog.getObjects(m, `${DQV}computedOn`, null).map((o) => o.value)).toEqual([ds]);
        const metric = catalog.getObjects(m, `${DQV}isMeasurementOf`, null)[0]?.value as string;
        const v = catalog.getObjects(m, `${DQV}value`, null)[0] as N3.Literal;
        expect(v.datatype.value, m).toBe(metrics.get(metric));
      }
      expect(value(id, 'conformance')).toBe('true');
    }
  });

  it('completeness per year equals what SPARQL counts: units with a figure / units of that level existing that year', async () => {
    for (const id of ['population', 'education']) {
      const rows = await select(`SELECT ?year (COUNT(DISTINCT ?u) AS ?reported) WHERE { ?o qb:dataSet <${BASE}id/dataset/${id}> ; lg:refArea ?u ; lg:refPeriod ?year } GROUP BY ?year`);
      expect(rows.length).toBeGreaterThan(0);
      for (const { year, reported } of rows) {
        const [expected] = await select(`SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?u lg:adminLevel lg:level-jamoat .
          OPTIONAL { ?u lg:validFrom ?from } OPTIONAL { ?u lg:retiredOn ?retired }
          FILTER(!BOUND(?from) || xsd:integer(SUBSTR(STR(?from), 1, 4)) <= ${Number(year)})
          FILTER(!BOUND(?retired) || STR(?retired) > "${year}-01-01") }`);
        expect(shareOf(id, `completeness-${year}`), `${id} ${year}`).toBe(ratio(reported, expected?.n));
      }
    }
  });

  it('names in each language, links to Wikidata and GeoNames, as SPARQL counts them over the units', async () => {
    const [all] = await select(`SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { GRAPH <${BASE}graph/units> { ?u lg:adminLevel ?l } }`);
    const n = Number(all?.n);
    for (const lang of ['tg', 'ru', 'en']) {
      const [named] = await select(`SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { GRAPH <${BASE}graph/units> { ?u lg:adminLevel ?l } ?u skos:prefLabel ?name FILTER(LANG(?name) = "${lang}") }`);
      expect(shareOf('units', `names-${lang}`), lang).toBe(ratio(named?.n, n));
    }
    const [wd] = await select(`SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { GRAPH <${BASE}graph/units> { ?u lg:adminLevel ?l } ?u owl:sameAs ?w FILTER(STRSTARTS(STR(?w), "http://www.wikidata.org/entity/")) }`);
    expect(shareOf('units', 'wikidata')).toBe(ratio(wd?.n, n));
    const [gn] = await select(`SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { GRAPH <${BASE}graph/units> { ?u lg:adminLevel ?l } ?u owl:sameAs|skos:exactMatch|skos:closeMatch ?g FILTER(STRSTARTS(STR(?g), "https://sws.geonames.org/")) }`);
    expect(shareOf('units', 'geonames')).toBe(ratio(gn?.n, n));
    expect(shareOf('units', 'names-en')).toBe(1);
    expect(shareOf('units', 'names-ru')).toBeLessThan(1);
  });

  it('freshness: days from the end of the latest figure\'s year to the build date the measurement states', async () => {
    const [latest] = await select(`SELECT (MAX(?y) AS ?year) WHERE { ?o qb:dataSet <${BASE}id/dataset/education> ; lg:refPeriod ?y }`);
    const date = catalog.getObjects(measurement('education', 'freshness'), `${DCT}date`, null)[0]?.value as string;
    const [modified] = await select(`SELECT (MAX(STR(?d)) AS ?m) WHERE { ?ds a <${DCAT}Dataset> ; dct:modified ?d }`);
    expect(date).toBe(modified?.m);
    const days = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${latest?.year}-12-31T00:00:00Z`)) / 86_400_000;
    expect(value('education', 'freshness')).toBe(String(days));
  });

  it('the dataset page shows them in a Quality table, in tg, ru and en', async () => {
    const [pop] = await select(`SELECT ?v WHERE { <${measurement('population', 'names-tg')}> dqv:value ?v }`);
    const percent = (Number(pop?.v) * 100).toFixed(1);
    for (const [lang, heading, row] of [['tg', 'Сифат', 'Воҳидҳое, ки ном ба забони тоҷикӣ доранд'], ['ru', 'Качество', 'Единицы с названием на языке: таджикский'], ['en', 'Quality', 'Units with a name in Tajik']] as const) {
      const page = await (await lb.fetchOk(`${BASE}doc/dataset/population?lang=${lang}`, 'text/html')).text();
      expect(page, lang).toContain(`<h2 id="quality">${heading}</h2>`);
      const tr = page.split('<tr>').find((r) => r.includes(row)) ?? '';
      expect(tr, lang).toMatch(new RegExp(`${percent.replace('.', '[.,]')}\\s%`));
    }
  });

  it('the coverage page links each statistics dataset to its quality figures', async () => {
    for (const [lang, text] of [['tg', 'Рақамҳои сифати ин маҷмӯа'], ['ru', 'Показатели качества этого набора'], ['en', 'Quality figures of this dataset']] as const) {
      const page = await (await lb.fetchOk(`${BASE}coverage?lang=${lang}`, 'text/html')).text();
      const link = new RegExp(`<a href="/doc/dataset/education[^"]*#quality">${text}</a>`);
      expect(page, lang).toMatch(link);
    }
  });

  it('the CKAN facade carries them as extras', async () => {
    const r = await (await lb.fetchOk(`${BASE}api/3/action/package_show?id=population`)).json() as { result: { extras: { key: string; value: string }[] } };
    expect(r.result.extras).toContainEqual({ key: 'quality_conformance', value: 'true' });
    expect(r.result.extras.find((e) => e.key === 'quality_names-en')?.value).toBe(value('population', 'names-en'));
  });
});
