import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import N3 from 'n3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { SHARED } from './helpers.js';
import { BASE } from './server-helpers.js';

/**
 * The fifth star: our units link to the same place in other datasets, with the property the
 * semantics allow, and only from identifiers a source gives (../shared/reference/).
 */
type Row = Record<string, string>;
const csv = async (path: string) => parse(await readFile(path, 'utf8'), { columns: true }) as Row[];

const OWL_SAME = 'http://www.w3.org/2002/07/owl#sameAs';
const EXACT = 'http://www.w3.org/2004/02/skos/core#exactMatch';
const CLOSE = 'http://www.w3.org/2004/02/skos/core#closeMatch';
const lg = (t: string) => `${BASE}def/lg#${t}`;
const WD = 'http://www.wikidata.org/entity/';
const GN = 'https://sws.geonames.org/';

let store: N3.Store;
/** Our unit IRI for each reference row id. */
const unitOf = new Map<string, string>();
const reference = new Map<string, Row & { level: string }>();

beforeAll(async () => {
  store = new N3.Store(new N3.Parser({ format: 'N-Quads' }).parse(await readFile(join(inject('buildDir'), 'data.nq'), 'utf8')));
  for (const [file, level] of [['regions.csv', 'region'], ['districts.csv', 'district'], ['jamoats.csv', 'jamoat']] as const) {
    const codes = level === 'region' ? undefined : new Map((await csv(join(PROJECT_ROOT, 'data', 'units', 'csv', file))).map((r) => [r['Reference key'], r.Code]));
    for (const r of await csv(join(SHARED, 'reference', file))) {
      const key = level === 'region' ? (r.code ?? '') : (r.id ?? '');
      const iri = `${BASE}id/${level}/${level === 'region' ? key : codes?.get(key)}`;
      unitOf.set(key, iri);
      reference.set(iri, { ...r, level });
    }
  }
});

/** Every link of a unit to one of the two datasets: [predicate, id]. */
function links(unit: string, space: string): [string, string][] {
  return store.getQuads(unit, null, null, null).filter((q) => q.object.value.startsWith(space)).map((q) => [q.predicate.value, q.object.value.slice(space.length).replace(/\/$/, '')]);
}

describe('the fifth star: links to other datasets', () => {
  it('regions are the same thing as their Wikidata items and GeoNames ADM1 features (owl:sameAs), except Dushanbe\'s city item', () => {
    for (const code of ['TJ-SU', 'TJ-KT', 'TJ-GB', 'TJ-RA']) {
      const r = reference.get(`${BASE}id/region/${code}`);
      expect(links(`${BASE}id/region/${code}`, WD)).toEqual([[OWL_SAME, r?.wikidata]]);
      expect(links(`${BASE}id/region/${code}`, GN)).toEqual([[OWL_SAME, r?.geonames]]);
    }
    // Q9365 is the city of Dushanbe, a settlement; the region TJ-DU is its territory as a first-level unit.
    expect(links(`${BASE}id/region/TJ-DU`, WD)).toEqual([[lg('settlementWikidata'), 'Q9365']]);
    expect(links(`${BASE}id/region/TJ-DU`, GN)).toEqual([[OWL_SAME, '7280679']]);
  });

  it('districts match their GeoNames ADM2 feature (skos:exactMatch); cities only closely (an earlier unit of that name)', () => {
    let districts = 0;
    let cities = 0;
    for (const [iri, r] of reference) {
      if (r.level !== 'district' || !r.geonames) continue;
      const expected = r.type === 'district' ? EXACT : CLOSE;
      expect(links(iri, GN), iri).toEqual([[expected, r.geonames]]);
      if (r.type === 'district') districts++;
      else cities++;
    }
    expect(districts).toBeGreaterThan(40);
    expect(cities).toBeGreaterThan(5);
  });

  it('cities and towns link to the Wikidata item of their settlement, never with owl:sameAs', () => {
    let n = 0;
    for (const [iri, r] of reference) {
      if (r.level === 'region' || !r.wikidata) continue;
      expect(links(iri, WD), iri).toEqual([[lg('settlementWikidata'), r.wikidata]]);
      n++;
    }
    expect(n).toBe(14 + 18);
    const vocabulary = store.getObjects(lg('settlementWikidata'), 'http://www.w3.org/2000/01/rdf-schema#subPropertyOf', null).map((o) => o.value);
    expect(vocabulary).toEqual([CLOSE]);
  });

  it('no identifier is guessed: every Wikidata and GeoNames link of a unit is the one its reference row gives', () => {
    const units = store.getSubjects(lg('adminLevel'), null, null).map((s) => s.value);
    let checked = 0;
    for (const u of units) {
      const r = reference.get(u);
      for (const [, id] of links(u, WD)) { expect(id, u).toBe(r?.wikidata); checked++; }
      for (const [, id] of links(u, GN)) { expect(id, u).toBe(r?.geonames); checked++; }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('HASC and ISO 3166-2 codes are notations (sub-properties of skos:notation), as the sources give them', () => {
    for (const p of ['hasc', 'iso3166-2']) {
      expect(store.getObjects(lg(p), 'http://www.w3.org/2000/01/rdf-schema#subPropertyOf', null).map((o) => o.value)).toEqual(['http://www.w3.org/2004/02/skos/core#notation']);
    }
    for (const [iri, r] of reference) {
      if (r.hasc) expect(store.getObjects(iri, lg('hasc'), null).map((o) => o.value), iri).toEqual([r.hasc]);
      if (r.level === 'region') expect(store.getObjects(iri, lg('iso3166-2'), null).map((o) => o.value)).toEqual([r.code]);
    }
  });
});
