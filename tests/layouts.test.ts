import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import N3 from 'n3';
import { BASE, convertDir, makeDataDir, problemsOf, storeOf } from './helpers.js';

const { namedNode, literal } = N3.DataFactory;
const id = (p: string) => namedNode(`${BASE}id/${p}`);
const lg = (t: string) => namedNode(`${BASE}def/lg#${t}`);
const ind = (t: string) => namedNode(`${BASE}def/indicator/${t}`);
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_TYPE = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
const QB = 'http://purl.org/linked-data/cube#';

describe('the units layout (CSV fixtures)', () => {
  let store: N3.Store;
  beforeAll(async () => {
    store = storeOf((await convertDir(await makeDataDir())).nquads);
  });

  it('gives each unit its class, code, level and containing unit', () => {
    const district = id('district/TJ-SU-01');
    expect(store.has(N3.DataFactory.quad(district, RDF_TYPE, lg('District'), namedNode(`${BASE}graph/units`)))).toBe(true);
    expect(store.getObjects(district, lg('code'), null)).toEqual([literal('TJ-SU-01')]);
    expect(store.getObjects(district, lg('adminLevel'), null)).toEqual([lg('level-district')]);
    expect(store.getObjects(district, lg('within'), null)).toEqual([id('region/TJ-SU')]);
    expect(store.getObjects(id('jamoat/TJ-SU-01-02'), RDF_TYPE, null)).toEqual([lg('Town')]);
    expect(store.getObjects(id('region/TJ-SU'), lg('within'), null)).toEqual([id('country/TJ')]);
    expect(store.getObjects(id('country/TJ'), lg('within'), null)).toEqual([]);
  });

  it('keeps the labels the sheet gives, in their languages, and invents none', () => {
    const labels = (s: string) => store.getObjects(id(s), namedNode(`${SKOS}prefLabel`), null).map((l) => `${l.value}@${(l as N3.Literal).language}`).sort();
    expect(labels('district/TJ-SU-01')).toEqual(['Testobod@en', 'Тестобод@tg']);
    expect(labels('jamoat/TJ-SU-01-02')).toEqual(['Beta@en']);
    expect(labels('region/TJ-SU')).toEqual(['Sughd Region@en', 'Вилояти Суғд@tg', 'Согдийская область@ru']);
  });

  it('reads "12 000" as 12000 and a date in the year column as its year', () => {
    expect(store.getObjects(id('district/TJ-SU-01'), lg('population'), null)).toEqual([literal('12000', namedNode(`${XSD}integer`))]);
    expect(store.getObjects(id('jamoat/TJ-SU-01-02'), lg('populationYear'), null)).toEqual([literal('2015', namedNode(`${XSD}gYear`))]);
  });

  it('turns identifiers into links and a URL source into an IRI, a citation into text', () => {
    expect(store.getObjects(id('region/TJ-SU'), namedNode('http://www.w3.org/2002/07/owl#sameAs'), null)).toEqual([namedNode('http://www.wikidata.org/entity/Q241582')]);
    const sources = store.getObjects(id('jamoat/TJ-SU-01-02'), namedNode('http://purl.org/dc/terms/source'), null);
    expect(sources).toEqual([literal('Field survey 2015')]);
    expect(store.getObjects(id('jamoat/TJ-SU-01-01'), namedNode('http://purl.org/dc/terms/source'), null)).toEqual([namedNode('https://example.org/source')]);
  });

  it('gives every unit but the country its governing body, and records the row it came from', () => {
    expect(store.getObjects(id('district/TJ-SU-01'), lg('governingBody'), null)).toEqual([id('hukumat/TJ-SU-01')]);
    expect(store.getObjects(id('jamoat/TJ-SU-01-01'), lg('governingBody'), null)).toEqual([id('jamoat-body/TJ-SU-01-01')]);
    expect(store.getObjects(id('hukumat/TJ-SU-01'), lg('governs'), null)).toEqual([id('district/TJ-SU-01')]);
    expect(store.getObjects(id('jamoat/TJ-SU-01-01'), namedNode('http://www.w3.org/ns/prov#wasDerivedFrom'), null)).toEqual([namedNode(`${BASE}download/jamoats.csv#row=2`)]);
  });
});

describe('the wide statistics layout (XLSX with merged headers and a totals row)', () => {
  let store: N3.Store;
  beforeAll(async () => {
    store = storeOf((await convertDir(await makeDataDir())).nquads);
  });

  it('makes one Data Cube observation per unit, indicator and year, and none for the totals row', () => {
    // The sheet's own "Total" row gives nothing; the converter's totals (lg:computed) are its own.
    const computed = new Set(store.getSubjects(lg('computed'), null, null).map((s) => s.value));
    const obs = store.getSubjects(RDF_TYPE, namedNode(`${QB}Observation`), null).filter((o) => !computed.has(o.value)).map((o) => o.value.slice(BASE.length)).sort();
    expect(obs).toEqual([
      'id/observation/education/TJ-SU-01-01/pupils/2022',
      'id/observation/education/TJ-SU-01-01/pupils/2023',
      'id/observation/education/TJ-SU-01-02/pupils/2022',
      'id/observation/education/TJ-SU-01-02/pupils/2023',
    ]);
  });

  it('gives each observation its area, period, measure, typed value, unit and source cell row', () => {
    const o = id('observation/education/TJ-SU-01-01/pupils/2023');
    expect(store.getObjects(o, lg('refArea'), null)).toEqual([id('jamoat/TJ-SU-01-01')]);
    expect(store.getObjects(o, lg('refPeriod'), null)).toEqual([literal('2023', namedNode(`${XSD}gYear`))]);
    expect(store.getObjects(o, namedNode(`${QB}measureType`), null)).toEqual([ind('pupils')]);
    expect(store.getObjects(o, ind('pupils'), null)).toEqual([literal('1020', namedNode(`${XSD}integer`))]);
    expect(store.getObjects(o, lg('unitMeasure'), null)).toEqual([lg('unit-persons')]);
    expect(store.getObjects(o, namedNode('http://www.w3.org/ns/prov#wasDerivedFrom'), null)).toEqual([namedNode(`${BASE}download/education.xlsx#sheet=Testobod&row=4`)]);
  });

  it('marks the dataset as sample data in its own metadata', () => {
    expect(store.getObjects(id('dataset/education'), lg('sampleData'), null)).toEqual([literal('true', namedNode(`${XSD}boolean`))]);
  });
});

describe('a broken manifest or layout (maintainers\' files) gets errors that say what was expected', () => {
  it('names the file, the field and what it should be', async () => {
    const dir = await makeDataDir();
    const manifest = JSON.parse(await readFile(join(dir, 'datasets.json'), 'utf8')) as { license: string; datasets: { issued: string; kind: string }[] };
    manifest.license = 'not a url';
    manifest.datasets[0]!.issued = '2024-13-01';
    manifest.datasets[0]!.kind = 'maps';
    await writeFile(join(dir, 'datasets.json'), JSON.stringify(manifest));
    const problems = await problemsOf(dir);
    expect(problems).toEqual(expect.arrayContaining([
      { code: 'LG_ERR_MANIFEST', file: 'datasets.json', column: 'license', reason: 'Invalid URL' },
      { code: 'LG_ERR_MANIFEST', file: 'datasets.json', column: 'datasets.0.kind', reason: 'Invalid option: expected one of "units"|"statistics"' },
      { code: 'LG_ERR_MANIFEST', file: 'datasets.json', column: 'datasets.0.issued', reason: 'Invalid ISO date' },
    ]));
  });

  it('in a layout: a cell type that does not exist', async () => {
    const dir = await makeDataDir();
    const layout = JSON.parse(await readFile(join(dir, 'layouts', 'units.json'), 'utf8')) as { columns: Record<string, { type: string }> };
    layout.columns.population!.type = 'number';
    await writeFile(join(dir, 'layouts', 'units.json'), JSON.stringify(layout));
    const problems = await problemsOf(dir);
    expect(problems[0]).toMatchObject({ code: 'LG_ERR_MANIFEST', column: 'columns.population.type', reason: expect.stringContaining('Invalid option: expected one of "text"|"cyrillic"') });
  });
});
