import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import oxigraph from 'oxigraph';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type AggregationUnit, type Figure, aggregate, sum } from '../src/convert/aggregate.js';
import type { Indicator } from '../src/convert/indicators.js';
import { documentQuery, figuresBelowQuery } from '../src/describe/document-query.js';
import { loadCubeChecks, runCubeChecks } from '../src/convert/validate-cube.js';
import { renderResourcePage } from '../src/html/pages.js';
import type { Lang } from '../src/html/models.js';
import { PROJECT_ROOT } from '../src/project.js';
import { BASE, convertDir, makeDataDir, wideSheet } from './helpers.js';

const indicator = (id: string, additive: boolean, datatype: 'integer' | 'decimal' = 'integer'): Indicator => ({
  id, iri: `${BASE}def/indicator/${id}`, datatype, unit: '', topic: '', labels: { en: id }, altLabels: [], unitLabels: {}, topicId: '', additive,
});
const PUPILS = indicator('pupils', true);
const WATER = indicator('drinking-water-access', false, 'decimal');
const ROADS = indicator('paved-road-length', true, 'decimal');

const UNITS = new Map<string, AggregationUnit>([
  ['TJ', { level: 'country' }],
  ['TJ-AA', { level: 'region', parent: 'TJ' }],
  ['TJ-AA-01', { level: 'district', parent: 'TJ-AA' }],
  ['TJ-AA-02', { level: 'district', parent: 'TJ-AA' }],
  ['TJ-AA-01-01', { level: 'jamoat', parent: 'TJ-AA-01' }],
  ['TJ-AA-01-02', { level: 'jamoat', parent: 'TJ-AA-01' }],
  ['TJ-AA-02-01', { level: 'jamoat', parent: 'TJ-AA-02' }],
]);
const fig = (unitCode: string, ind: Indicator, year: number, value: number): Figure => ({
  unitCode, unitLevel: (UNITS.get(unitCode) as AggregationUnit).level, indicator: ind, year, value,
});
const totalOf = (totals: ReturnType<typeof aggregate>, code: string, id: string, year: number) =>
  totals.find((t) => t.unitCode === code && t.indicator.id === id && t.year === year);

describe('aggregate (src/convert/aggregate.ts)', () => {
  it('sums a district when every jamoat reported, naming each figure summed, and carries it up to region and country', () => {
    const totals = aggregate([
      fig('TJ-AA-01-01', PUPILS, 2023, 310), fig('TJ-AA-01-02', PUPILS, 2023, 450), fig('TJ-AA-02-01', PUPILS, 2023, 100),
    ], UNITS);
    const d1 = totalOf(totals, 'TJ-AA-01', 'pupils', 2023);
    expect(d1?.value).toBe(760);
    expect(d1?.parts.map((p) => [p.unitCode, p.computed])).toEqual([['TJ-AA-01-01', false], ['TJ-AA-01-02', false]]);
    const region = totalOf(totals, 'TJ-AA', 'pupils', 2023);
    expect(region?.value).toBe(860);
    expect(region?.parts.map((p) => [p.unitCode, p.computed])).toEqual([['TJ-AA-01', true], ['TJ-AA-02', true]]);
    expect(totalOf(totals, 'TJ', 'pupils', 2023)?.value).toBe(860);
  });

  it('gives no total where one jamoat is missing, and none above it either', () => {
    const totals = aggregate([fig('TJ-AA-01-01', PUPILS, 2023, 310), fig('TJ-AA-02-01', PUPILS, 2023, 100)], UNITS);
    expect(totalOf(totals, 'TJ-AA-01', 'pupils', 2023)).toBeUndefined();
    expect(totalOf(totals, 'TJ-AA-02', 'pupils', 2023)?.value).toBe(100);
    expect(totalOf(totals, 'TJ-AA', 'pupils', 2023)).toBeUndefined();
    expect(totalOf(totals, 'TJ', 'pupils', 2023)).toBeUndefined();
  });

  it('never sums an indicator that is not additive (a percentage), complete or not', () => {
    const totals = aggregate([
      fig('TJ-AA-01-01', WATER, 2023, 80), fig('TJ-AA-01-02', WATER, 2023, 60),
      fig('TJ-AA-01-01', ROADS, 2023, 12.3), fig('TJ-AA-01-02', ROADS, 2023, 4.6),
    ], UNITS);
    expect(totals.filter((t) => t.indicator.id === 'drinking-water-access')).toEqual([]);
    // 12.3 + 4.6 is 16.900000000000002 in floating point
    expect(totalOf(totals, 'TJ-AA-01', 'paved-road-length', 2023)?.value).toBe(16.9);
  });

  it('keeps a district figure given in a sheet (no second figure for it) and sums the region with it', () => {
    const totals = aggregate([
      fig('TJ-AA-01-01', PUPILS, 2023, 310), fig('TJ-AA-01-02', PUPILS, 2023, 450),
      fig('TJ-AA-01', PUPILS, 2023, 770), fig('TJ-AA-02-01', PUPILS, 2023, 100),
    ], UNITS);
    expect(totalOf(totals, 'TJ-AA-01', 'pupils', 2023)).toBeUndefined();
    const region = totalOf(totals, 'TJ-AA', 'pupils', 2023);
    expect(region?.value).toBe(870);
    expect(region?.parts.map((p) => [p.unitCode, p.value, p.computed])).toEqual([['TJ-AA-01', 770, false], ['TJ-AA-02', 100, true]]);
  });

  it('counts a retired jamoat in the years it existed, and not after', () => {
    const units = new Map(UNITS);
    units.set('TJ-AA-01-03', { level: 'jamoat', parent: 'TJ-AA-01', retiredOn: '2023-01-01' });
    const figures = [
      fig('TJ-AA-01-01', PUPILS, 2022, 1), fig('TJ-AA-01-02', PUPILS, 2022, 2),
      fig('TJ-AA-01-01', PUPILS, 2023, 1), fig('TJ-AA-01-02', PUPILS, 2023, 2),
    ];
    // 2022: the retired jamoat existed and gave no figure, so a sum of the other two would be short
    expect(totalOf(aggregate(figures, units), 'TJ-AA-01', 'pupils', 2022)).toBeUndefined();
    expect(totalOf(aggregate(figures, units), 'TJ-AA-01', 'pupils', 2023)?.value).toBe(3);
    const withIt = [...figures, { ...fig('TJ-AA-01-01', PUPILS, 2022, 5), unitCode: 'TJ-AA-01-03' }];
    expect(totalOf(aggregate(withIt, units), 'TJ-AA-01', 'pupils', 2022)?.value).toBe(8);
  });

  it('adds decimals exactly and refuses a sum it cannot represent', () => {
    expect(sum([0.1, 0.2], ROADS)).toBe(0.3);
    expect(sum([1.25, 2.5, 3], ROADS)).toBe(6.75);
    expect(() => sum([Number.MAX_SAFE_INTEGER, 1], PUPILS)).toThrow(/too large/);
  });
});

const LG = `${BASE}def/lg#`;
const QB = 'http://purl.org/linked-data/cube#';
const PROV = 'http://www.w3.org/ns/prov#';

function storeOf(nquads: string): oxigraph.Store {
  const store = new oxigraph.Store();
  store.load(nquads, { format: 'application/n-quads' });
  return store;
}

/** The totals by an independent query: the jamoats' figures of each district summed by SPARQL. */
const SPARQL_SUMS = `PREFIX lg: <${LG}>
PREFIX qb: <${QB}>
SELECT ?d ?ind ?year (SUM(?v) AS ?sum) (COUNT(?obs) AS ?n) WHERE {
  ?j lg:within ?d ; lg:adminLevel lg:level-jamoat .
  ?obs lg:refArea ?j ; qb:measureType ?ind ; lg:refPeriod ?year .
  ?obs ?ind ?v .
  FILTER NOT EXISTS { ?obs lg:computed true }
} GROUP BY ?d ?ind ?year`;
const TOTALS = `PREFIX lg: <${LG}>
PREFIX qb: <${QB}>
SELECT ?d ?ind ?year ?v WHERE { ?t lg:computed true ; lg:refArea ?d ; qb:measureType ?ind ; lg:refPeriod ?year . ?t ?ind ?v . ?d lg:adminLevel lg:level-district }`;

type Bindings = Map<string, oxigraph.Term>[];
function checkAgainstSparql(store: oxigraph.Store): number {
  const sums = new Map((store.query(SPARQL_SUMS, { use_default_graph_as_union: true }) as Bindings).map((b) => [
    `${b.get('d')?.value}|${b.get('ind')?.value}|${b.get('year')?.value}`, Number(b.get('sum')?.value),
  ]));
  const totals = store.query(TOTALS, { use_default_graph_as_union: true }) as Bindings;
  for (const t of totals) {
    const k = `${t.get('d')?.value}|${t.get('ind')?.value}|${t.get('year')?.value}`;
    expect(sums.get(k), k).toBeCloseTo(Number(t.get('v')?.value), 6);
  }
  return totals.length;
}

describe('totals in a conversion', () => {
  let complete: oxigraph.Store;
  let completeNq: string;
  let partial: oxigraph.Store;
  beforeAll(async () => {
    completeNq = (await convertDir(await makeDataDir())).nquads;
    complete = storeOf(completeNq);
    partial = storeOf((await convertDir(await makeDataDir({
      education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 310, 330], ['TJ-SU-01-02', 'Beta', 450, null]])],
    }))).nquads);
  }, 60_000);

  it('publishes district, region and country totals as computed observations of the totals qb:DataSet, derived from what they sum', () => {
    const ask = (q: string) => complete.query(`PREFIX lg: <${LG}> PREFIX qb: <${QB}> PREFIX prov: <${PROV}> PREFIX dct: <http://purl.org/dc/terms/> ${q}`, { use_default_graph_as_union: true });
    const obs = (code: string, year: number) => `<${BASE}id/observation/education/${code}/pupils/${year}>`;
    // 310 + 450 and 1,020 + 470, as the fixture's two jamoats give them
    expect(ask(`ASK { ${obs('TJ-SU-01', 2022)} lg:computed true ; qb:dataSet <${BASE}id/dataset/education/totals> ; lg:refArea <${BASE}id/district/TJ-SU-01> ; <${BASE}def/indicator/pupils> 760 ;
      prov:wasDerivedFrom ${obs('TJ-SU-01-01', 2022)} , ${obs('TJ-SU-01-02', 2022)} }`)).toBe(true);
    expect(ask(`ASK { ${obs('TJ-SU-01', 2023)} <${BASE}def/indicator/pupils> 1490 }`)).toBe(true);
    expect(ask(`ASK { ${obs('TJ-SU', 2023)} <${BASE}def/indicator/pupils> 1490 ; prov:wasDerivedFrom ${obs('TJ-SU-01', 2023)} }`)).toBe(true);
    expect(ask(`ASK { ${obs('TJ', 2023)} <${BASE}def/indicator/pupils> 1490 ; lg:refArea <${BASE}id/country/TJ> }`)).toBe(true);
    // the sample mark of what it was made from: the education dataset is sample data
    expect(ask(`ASK { <${BASE}id/dataset/education/totals> dct:isPartOf <${BASE}id/dataset/education> ; lg:sampleData true . <${BASE}id/dataset/education> lg:sampleData true }`)).toBe(true);
    expect(checkAgainstSparql(complete)).toBe(2);
  });

  it('passes all 21 Data Cube integrity constraints, IC-12 and IC-17 included', async () => {
    const checks = await loadCubeChecks(join(PROJECT_ROOT, 'shapes', 'data-cube-ic'));
    expect(checks.map((c) => c.file)).toContain('ic-17.rq');
    const quads = new N3.Parser({ format: 'N-Quads' }).parse(completeNq).filter((q) =>
      [`${BASE}graph/education`, `${BASE}graph/vocabulary`].includes(q.graph.value));
    expect(runCubeChecks(quads, checks)).toEqual([]);
  });

  it('gives no total where a jamoat is missing a year', () => {
    const totals = partial.query(`PREFIX lg: <${LG}> SELECT ?t WHERE { ?t lg:computed true }`, { use_default_graph_as_union: true }) as Bindings;
    expect(totals.map((b) => b.get('t')?.value.slice(BASE.length)).sort()).toEqual([
      'id/observation/education/TJ-SU-01/pupils/2022', 'id/observation/education/TJ-SU/pupils/2022', 'id/observation/education/TJ/pupils/2022',
    ]);
  });

  const page = (store: oxigraph.Store, path: string, lang: Lang) => {
    const iri = `${BASE}id/${path}`;
    const construct = (q: string) => new N3.Parser({ format: 'N-Triples' }).parse(store.query(q, { use_default_graph_as_union: true, results_format: 'application/n-triples' }) as string);
    const quads = [...construct(documentQuery(iri, BASE)), ...construct(figuresBelowQuery(iri, BASE))];
    return renderResourcePage({ iri, quads }, { lang, base: BASE, path: `/doc/${path}`, alternates: [], dataVersion: 'test' });
  };

  it.each([
    ['en', 'Computed: the sum of the figures of 2 units below', '1 of 2 units reported'],
    ['ru', 'Вычислено: сумма значений 2 нижестоящих единиц', 'данные от 1 из 2 единиц'],
    ['tg', 'Ҳисобшуда: ҷамъи рақамҳои 2 воҳиди поёнӣ', 'аз 2 воҳид 1 маълумот додаанд'],
  ] as const)('the district page (%s) shows a total with its link, and "n of m" where a jamoat is missing', (lang, computed, nOfM) => {
    const full = page(complete, 'district/TJ-SU-01', lang);
    expect(full).toContain('<a href="/doc/observation/education/TJ-SU-01/pupils/2023">');
    expect(full).toContain(`title="${computed}">Σ</abbr>`);
    expect(full).not.toContain(nOfM);
    const half = page(partial, 'district/TJ-SU-01', lang);
    expect(half).toContain('<a href="/doc/observation/education/TJ-SU-01/pupils/2022">');
    expect(half).not.toContain('/doc/observation/education/TJ-SU-01/pupils/2023');
    expect(half).toContain(`<td class="n partial" data-label="2023">${nOfM}</td>`);
  });
});

describe('totals of the shipped data', () => {
  it('equal the sums an independent SPARQL query computes over the jamoats', async () => {
    // The shipped data as the run's global setup converted it (tests/global-setup.ts, same base and limits).
    const nquads = await readFile(join(inject('buildDir'), 'data.nq'), 'utf8');
    // 3 pilot districts: 10 additive indicators over their years (population 2015 only, roads 2021-2024, ...)
    expect(checkAgainstSparql(storeOf(nquads))).toBe(111);
  }, 120_000);
});
