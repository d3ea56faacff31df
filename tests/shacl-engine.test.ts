import { join } from 'node:path';
import N3 from 'n3';
import type { Quad, Quad_Object, Term } from '@rdfjs/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { indicatorShapes } from '../src/convert/indicator-shapes.js';
import { type Indicator, indicatorsFromVocab } from '../src/convert/indicators.js';
import { type ShaclProblem, loadShapes, validateShacl, validateShaclPerGraph } from '../src/convert/validate-shacl.js';
import { minted } from '../src/rdf/namespaces.js';
import { PROJECT_ROOT } from '../src/project.js';
import { BASE, convertDir } from './helpers.js';
import { validateShaclPerGraphReference, validateShaclReference } from './shacl-reference.js';

/**
 * The converter validates with shacl-engine; it did with rdf-validate-shacl (tests/shacl-reference.ts).
 * The shipped data, broken in every way our shapes (shapes/*.ttl and the generated indicator shapes)
 * can tell, must give the same problems with both, each with what the official needs: the file,
 * sheet and row the node came from, the path and the shape's message.
 */

const { namedNode, literal, quad, blankNode } = N3.DataFactory;
const VOCAB = `${BASE}graph/vocabulary`;
const CATALOG = `${BASE}graph/catalog`;
const UNITS = `${BASE}graph/units`;
const EDUCATION = `${BASE}graph/education`;
const LG = `${BASE}def/lg#`;
const IND = `${BASE}def/indicator/`;
const ID = `${BASE}id/`;
const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dct: 'http://purl.org/dc/terms/',
  prov: 'http://www.w3.org/ns/prov#',
  geo: 'http://www.opengis.net/ont/geosparql#',
  qb: 'http://purl.org/linked-data/cube#',
  dcat: 'http://www.w3.org/ns/dcat#',
};
const TYPE = `${NS.rdf}type`;
const typed = (v: string, dt: string) => literal(v, namedNode(`${NS.xsd}${dt}`));

let quads: Quad[];
let shapes: Quad[];
let indicators: Indicator[];

beforeAll(async () => {
  const out = await convertDir(join(PROJECT_ROOT, 'data'));
  const datasets = new Set(Object.keys(out.info.graphs).filter((g) => /\/graph\/(units|population|education|health|infrastructure|budget)$/.test(g)));
  quads = new N3.Parser({ format: 'N-Quads' }).parse(out.nquads).filter((q) => datasets.has(q.graph.value) || [VOCAB, CATALOG].includes(q.graph.value));
  indicators = indicatorsFromVocab(quads.filter((q) => q.graph.value === VOCAB), minted(BASE));
  shapes = [...(await loadShapes(join(PROJECT_ROOT, 'shapes'), BASE)), ...indicatorShapes(indicators, BASE)];
}, 120_000);

/** One way of breaking the data: what it does to the quads, and a problem it must give. */
interface Break {
  what: string;
  edit: (qs: Quad[]) => Quad[];
  expect: Partial<ShaclProblem> & { focusNode: string };
}

const is = (q: Quad, s: string, p: string) => q.subject.value === s && q.predicate.value === p;
const drop = (s: string, p: string, test: (o: Term) => boolean = () => true) => (qs: Quad[]) => qs.filter((q) => !(is(q, s, p) && test(q.object)));
const set = (s: string, p: string, o: Quad_Object) => (qs: Quad[]) => qs.map((q) => (is(q, s, p) ? quad(q.subject, q.predicate, o, q.graph) : q));
const add = (g: string, ...triples: [string, string, Quad_Object][]) => (qs: Quad[]) => [...qs, ...triples.map(([s, p, o]) => quad(namedNode(s), namedNode(p), o, namedNode(g)))];
const lang = (l: string) => (o: Term) => o.termType === 'Literal' && o.language === l;

const jamoat = (n: string) => `${ID}jamoat/TJ-KT-06-${n}`;
const district = (c: string) => `${ID}district/${c}`;
const region = (c: string) => `${ID}region/${c}`;
const obs = (unit: string, ind: string, year = 2023) => `${ID}observation/education/${unit}/${ind}/${year}`;
const xlsx = (file: string, sheet: string) => ({ file, sheet });

function breaks(): Break[] {
  const pupils = `${IND}pupils`;
  const capped = indicators.find((i) => i.max !== undefined);
  return [
    // Administrative units (shapes/units.ttl): every shared property shape and each level's own.
    { what: 'no English name (qualifiedMinCount)', edit: drop(jamoat('06'), `${NS.skos}prefLabel`, lang('en')),
      expect: { focusNode: jamoat('06'), path: `${NS.skos}prefLabel`, ...xlsx('jamoats.xlsx', 'Khatlon'), row: 37 } },
    { what: 'rdfs:label not the names (equals)', edit: add(UNITS, [jamoat('05'), `${NS.rdfs}label`, literal('Other', 'en')]),
      expect: { focusNode: jamoat('05'), path: `${NS.rdfs}label`, value: 'Other' } },
    { what: 'two Tajik names (uniqueLang)', edit: add(UNITS, [jamoat('04'), `${NS.skos}prefLabel`, literal('Дигар', 'tg')], [jamoat('04'), `${NS.skos}prefLabel`, literal('Боз', 'tg')]),
      expect: { focusNode: jamoat('04'), path: `${NS.skos}prefLabel` } },
    { what: 'a German name (languageIn)', edit: add(UNITS, [jamoat('03'), `${NS.skos}prefLabel`, literal('Norin', 'de')]),
      expect: { focusNode: jamoat('03'), path: `${NS.skos}prefLabel`, value: 'Norin' } },
    { what: 'a Tajik name in Latin script (or, pattern)', edit: add(UNITS, [jamoat('07'), `${NS.skos}prefLabel`, literal('Norin', 'tg')]),
      expect: { focusNode: jamoat('07'), path: `${NS.skos}prefLabel`, value: 'Norin' } },
    { what: 'a code that is a number (datatype)', edit: set(jamoat('08'), `${LG}code`, typed('8', 'integer')),
      expect: { focusNode: jamoat('08'), path: `${LG}code`, value: '8' } },
    { what: 'two codes (maxCount)', edit: add(UNITS, [jamoat('09'), `${LG}code`, literal('TJ-KT-06-99')]),
      expect: { focusNode: jamoat('09'), path: `${LG}code` } },
    { what: 'a negative population (minInclusive)', edit: set(district('TJ-KT-06'), `${LG}population`, typed('-3', 'integer')),
      expect: { focusNode: district('TJ-KT-06'), path: `${LG}population`, value: '-3', ...xlsx('districts.xlsx', 'Khatlon'), row: 8 } },
    { what: 'an area of 0 (minExclusive)', edit: set(region('TJ-KT'), `${LG}area`, typed('0', 'decimal')),
      expect: { focusNode: region('TJ-KT'), path: `${LG}area`, value: '0' } },
    { what: 'an ill-formed integer (datatype)', edit: set(region('TJ-SU'), `${LG}population`, typed('12a', 'integer')),
      expect: { focusNode: region('TJ-SU'), path: `${LG}population`, value: '12a' } },
    { what: 'a founding date as text (or of datatypes)', edit: set(district('TJ-KT-06'), `${LG}validFrom`, literal('1934')),
      expect: { focusNode: district('TJ-KT-06'), path: `${LG}validFrom`, value: '1934' } },
    { what: 'sameAs elsewhere (pattern) and a literal (nodeKind)', edit: add(UNITS, [district('TJ-SU-01'), `${NS.owl}sameAs`, namedNode('http://example.org/x')], [district('TJ-SU-02'), `${NS.owl}sameAs`, literal('Q1')]),
      expect: { focusNode: district('TJ-SU-01'), path: `${NS.owl}sameAs`, value: 'http://example.org/x' } },
    { what: 'sameAs a literal (nodeKind)', edit: (qs) => qs,
      expect: { focusNode: district('TJ-SU-02'), path: `${NS.owl}sameAs`, value: 'Q1' } },
    { what: 'a HASC code out of pattern', edit: set(region('TJ-GB'), `${LG}hasc`, literal('TJ.G')),
      expect: { focusNode: region('TJ-GB'), path: `${LG}hasc`, value: 'TJ.G' } },
    { what: 'no source (minCount)', edit: drop(region('TJ-RA'), `${NS.dct}source`),
      expect: { focusNode: region('TJ-RA'), path: `${NS.dct}source` } },
    { what: 'a list status not in the list (in)', edit: set(district('TJ-KT-06'), `${LG}jamoatListStatus`, namedNode(`${LG}list-bogus`)),
      expect: { focusNode: district('TJ-KT-06'), path: `${LG}jamoatListStatus`, value: `${LG}list-bogus` } },
    { what: 'a region within a region (class)', edit: set(region('TJ-DU'), `${LG}within`, namedNode(region('TJ-KT'))),
      expect: { focusNode: region('TJ-DU'), path: `${LG}within`, value: region('TJ-KT') } },
    { what: 'a jamoat within a region (class through subclasses)', edit: set(jamoat('01'), `${LG}within`, namedNode(region('TJ-KT'))),
      expect: { focusNode: jamoat('01'), path: `${LG}within`, value: region('TJ-KT') } },
    { what: 'the wrong level (hasValue)', edit: set(jamoat('02'), `${LG}adminLevel`, namedNode(`${LG}level-district`)),
      expect: { focusNode: jamoat('02'), path: `${LG}adminLevel` } },
    { what: 'the country within something (maxCount 0)', edit: add(UNITS, [`${ID}country/TJ`, `${LG}within`, namedNode(region('TJ-KT'))]),
      expect: { focusNode: `${ID}country/TJ`, path: `${LG}within`, file: 'country.csv', row: 2 } },
    { what: 'a unit that no longer names its body (inverse path, equals)', edit: drop(district('TJ-SU-01'), `${LG}governingBody`),
      expect: { focusNode: `${ID}hukumat/TJ-SU-01`, path: `^<${LG}governingBody>`, value: district('TJ-SU-01') } },
    { what: 'a jamoat with a bad IRI (node pattern) and nothing else', edit: add(UNITS, [`${ID}jamoat/bad`, TYPE, namedNode(`${LG}Jamoat`)], [`${ID}jamoat/bad`, `${NS.prov}wasDerivedFrom`, namedNode(`${BASE}download/jamoats.xlsx#sheet=Sughd&row=99`)]),
      expect: { focusNode: `${ID}jamoat/bad`, value: `${ID}jamoat/bad`, ...xlsx('jamoats.xlsx', 'Sughd'), row: 99 } },
    { what: 'a blank-node unit (nodeKind)', edit: (qs) => [...qs, quad(blankNode('u'), namedNode(TYPE), namedNode(`${LG}Town`), namedNode(UNITS))],
      expect: { focusNode: 'u', file: '(graph)' } },
    { what: 'a centre without an English name (qualified) and two points (maxCount)', edit: (qs) => add(UNITS, [`${district('TJ-KT-06')}#centre`, `${NS.geo}hasGeometry`, namedNode(`${district('TJ-KT-06')}#point`)])(drop(`${district('TJ-KT-06')}#centre`, `${NS.rdfs}label`)(qs)),
      expect: { focusNode: `${district('TJ-KT-06')}#centre`, path: `${NS.rdfs}label` } },
    { what: 'a geometry with bad WKT (pattern)', edit: set(`${district('TJ-GB-01')}#point`, `${NS.geo}asWKT`, literal('POINT(a b)', namedNode(`${NS.geo}wktLiteral`))),
      expect: { focusNode: `${district('TJ-GB-01')}#point`, path: `${NS.geo}asWKT`, value: 'POINT(a b)' } },
    { what: 'a retired unit still within one, typed as existing (maxCount 0, in)', edit: add(UNITS, [jamoat('09'), `${LG}retiredOn`, typed('2020-01-01', 'date')]),
      expect: { focusNode: jamoat('09'), path: TYPE, value: `${LG}Jamoat` } },
    // Observations (shapes/statistics.ttl and the generated indicator shapes).
    { what: 'a negative figure (minInclusive)', edit: set(obs('TJ-KT-06-06', 'pupils'), pupils, typed('-5', 'integer')),
      expect: { focusNode: obs('TJ-KT-06-06', 'pupils'), path: pupils, value: '-5', ...xlsx('education.xlsx', 'Yovon'), row: 9 } },
    { what: 'a fraction of pupils (datatype)', edit: set(obs('TJ-KT-06-05', 'pupils'), pupils, typed('5.5', 'decimal')),
      expect: { focusNode: obs('TJ-KT-06-05', 'pupils'), path: pupils, value: '5.5' } },
    { what: 'an area that is not a unit (class across graphs)', edit: set(obs('TJ-KT-06-06', 'teachers'), `${LG}refArea`, namedNode(pupils)),
      expect: { focusNode: obs('TJ-KT-06-06', 'teachers'), path: `${LG}refArea`, value: pupils } },
    { what: 'a year that is a number (datatype)', edit: set(obs('TJ-KT-06-04', 'pupils'), `${LG}refPeriod`, typed('2023', 'integer')),
      expect: { focusNode: obs('TJ-KT-06-04', 'pupils'), path: `${LG}refPeriod`, value: '2023' } },
    { what: 'another measure type (hasValue)', edit: set(obs('TJ-KT-06-03', 'pupils'), `${NS.qb}measureType`, namedNode(`${IND}teachers`)),
      expect: { focusNode: obs('TJ-KT-06-03', 'pupils'), path: `${NS.qb}measureType` } },
    { what: 'no data set (minCount)', edit: drop(obs('TJ-KT-06-07', 'pupils'), `${NS.qb}dataSet`),
      expect: { focusNode: obs('TJ-KT-06-07', 'pupils'), path: `${NS.qb}dataSet` } },
    { what: 'no row (minCount)', edit: drop(obs('TJ-KT-06-08', 'pupils'), `${NS.prov}wasDerivedFrom`),
      expect: { focusNode: obs('TJ-KT-06-08', 'pupils'), path: `${NS.prov}wasDerivedFrom`, file: '(graph)' } },
    ...(capped ? [{ what: `${capped.id} above its maximum (maxInclusive)`, edit: (qs: Quad[]) => {
      const o = qs.find((q) => q.predicate.value === capped.iri)?.subject.value ?? '';
      return set(o, capped.iri, typed(String((capped.max ?? 0) + 1), capped.datatype))(qs);
    }, expect: { focusNode: '', path: capped.iri } }] : []),
    // Metadata (shapes/metadata.ttl).
    { what: 'a sample flag as text (datatype)', edit: set(`${ID}dataset/education`, `${LG}sampleData`, literal('yes')),
      expect: { focusNode: `${ID}dataset/education`, path: `${LG}sampleData`, value: 'yes' } },
    { what: 'no Russian title (qualifiedMinCount)', edit: drop(`${ID}dataset/health`, `${NS.dct}title`, lang('ru')),
      expect: { focusNode: `${ID}dataset/health`, path: `${NS.dct}title` } },
    { what: 'a component both measure and dimension (xone)', edit: add(EDUCATION, [`${ID}dataset/education/structure#pupils`, `${NS.qb}dimension`, namedNode(`${LG}refArea`)]),
      expect: { focusNode: `${ID}dataset/education/structure#pupils`, value: `${ID}dataset/education/structure#pupils` } },
    { what: 'a data set neither a dataset nor part of one (or)', edit: drop(`${ID}dataset/education/totals`, `${NS.dct}isPartOf`),
      expect: { focusNode: `${ID}dataset/education/totals`, value: `${ID}dataset/education/totals` } },
    { what: 'a conversion run by no software (class)', edit: set(`${ID}dataset/education/conversion`, `${NS.prov}wasAssociatedWith`, namedNode(`${ID}dataset/education`)),
      expect: { focusNode: `${ID}dataset/education/conversion`, path: `${NS.prov}wasAssociatedWith` } },
    // Indicators (the vocabulary, a shared graph).
    { what: 'a notation in capitals (pattern)', edit: set(`${IND}teachers`, `${NS.skos}notation`, literal('Teachers')),
      expect: { focusNode: `${IND}teachers`, path: `${NS.skos}notation`, value: 'Teachers' } },
    { what: 'a range not a number (in)', edit: set(`${IND}pupils`, `${NS.rdfs}range`, namedNode(`${NS.xsd}string`)),
      expect: { focusNode: `${IND}pupils`, path: `${NS.rdfs}range`, value: `${NS.xsd}string` } },
    { what: 'an HXL tag with a space (pattern)', edit: set(`${IND}general-schools`, `${LG}hxlTag`, literal('#indicator +num')),
      expect: { focusNode: `${IND}general-schools`, path: `${LG}hxlTag`, value: '#indicator +num' } },
  ];
}

const byJson = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

describe('shacl-engine against rdf-validate-shacl', () => {
  it('the shipped data: no problem with either', async () => {
    expect(await validateShacl(quads, shapes)).toEqual([]);
    expect(await validateShaclReference(quads, shapes)).toEqual([]);
  }, 60_000);

  it('the data broken in every way the shapes tell: the same problems, each with its row, path and message', async () => {
    const all = breaks();
    let broken = quads;
    for (const b of all) broken = b.edit(broken);
    const isShared = (g: string) => g === VOCAB || g === CATALOG;
    const fast = await validateShaclPerGraph(broken, shapes, isShared);
    const reference = await validateShaclPerGraphReference(broken, shapes, isShared);
    expect(byJson(fast)).toEqual(byJson(reference));
    // One run on the whole graph (the publishing path, validate-upload.ts) agrees too.
    expect(byJson(await validateShacl(broken, shapes))).toEqual(byJson(fast));
    expect(byJson(await validateShaclReference(broken, shapes))).toEqual(byJson(fast));

    for (const b of all) {
      const want = b.expect.focusNode === '' ? { ...b.expect, focusNode: expect.any(String) } : b.expect;
      expect(fast, b.what).toContainEqual(expect.objectContaining({ code: 'LG_ERR_SHACL', ...want }));
    }
    // Every problem says which rule it broke, in the shape's own words, and where.
    for (const p of fast) {
      expect(p.reason).toMatch(/^\S.*\.\s\(focus node <[^>]+>(, path (<[^>]+>|\^<[^>]+>))?\)$/);
      expect(p.reason).not.toMatch(/ConstraintComponent/);
    }
    expect(fast.length).toBeGreaterThan(all.length);
  }, 120_000);
});
