import { join } from 'node:path';
import jsonld from 'jsonld';
import N3 from 'n3';
import oxigraph from 'oxigraph';
import * as $rdf from 'rdflib';
import type { Quad, Term } from '@rdfjs/types';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { contextUrl, jsonLdContext } from '../src/serialize/context.js';
import type { RdfFormatKey } from '../src/serialize/formats.js';
import { contextDocumentLoader } from '../src/serialize/jsonld.js';
import { serialize } from '../src/serialize/serialize.js';

const BASE = 'http://localhost:3000/';
const { namedNode, blankNode, literal, quad, defaultGraph } = N3.DataFactory;
const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** Canonical N-Quads lines (N-Triples lines for the default graph): what "the same RDF" means here. */
function lines(quads: Iterable<Quad>, keepGraphs = true): Set<string> {
  const writer = new N3.Writer({ format: 'N-Quads' });
  const out = new Set<string>();
  for (const q of quads) {
    // Terms from rdflib and oxigraph become N3 terms first, so one writer prints every source
    // (term by term: an rdflib Statement is not an RDF/JS Quad, it has no termType).
    const [s, p, o, g] = [q.subject, q.predicate, q.object, q.graph].map(toN3);
    out.add(writer.quadToString(s as N3.Quad_Subject, p as N3.Quad_Predicate, o as N3.Quad_Object, keepGraphs ? (g as N3.Quad_Graph) : defaultGraph()));
  }
  return out;
}

function toN3(t: Term): N3.Term {
  switch (t.termType) {
    case 'NamedNode':
      return namedNode(t.value);
    case 'BlankNode':
      return blankNode(t.value);
    case 'Literal':
      return literal(t.value, t.language || namedNode(t.datatype.value));
    case 'DefaultGraph':
      return defaultGraph();
    default:
      throw new Error(`unexpected term ${t.termType}`);
  }
}

const sorted = (s: Set<string>) => [...s].sort();

/** Parsers other than the writers under test, one per format (oxigraph as a second opinion). */
const PARSE: Record<RdfFormatKey, (text: string) => Promise<Quad[]>> = {
  ttl: async (text) => new N3.Parser({ format: 'Turtle' }).parse(text),
  trig: async (text) => new N3.Parser({ format: 'TriG' }).parse(text),
  nt: async (text) => new N3.Parser({ format: 'N-Triples' }).parse(text),
  nq: async (text) => new N3.Parser({ format: 'N-Quads' }).parse(text),
  jsonld: async (text) => {
    const documentLoader = contextDocumentLoader(BASE);
    const expanded = await jsonld.expand(JSON.parse(text) as object, { documentLoader });
    const nquads = (await jsonld.toRDF(expanded, { format: 'application/n-quads' })) as string;
    return new N3.Parser({ format: 'N-Quads' }).parse(nquads);
  },
  rdf: async (text) => {
    const store = $rdf.graph();
    // A base no IRI of ours starts with: a relative IRI in the output would show up as wrong data.
    $rdf.parse(text, store, 'http://elsewhere.example/doc.rdf', 'application/rdf+xml');
    return store.statements as unknown as Quad[];
  },
};

const OXIGRAPH_FORMAT: Partial<Record<RdfFormatKey, string>> = {
  ttl: 'text/turtle',
  trig: 'application/trig',
  nt: 'application/n-triples',
  nq: 'application/n-quads',
  rdf: 'application/rdf+xml',
};

let all: Quad[];
let sample: Quad[];

beforeAll(async () => {
  // The shipped data as the run's global setup converted it (tests/global-setup.ts, this BASE):
  // what is serialised here, not how it was converted.
  const nquads = await readFile(join(inject('buildDir'), 'data.nq'), 'utf8');
  all = new N3.Parser({ format: 'N-Quads' }).parse(nquads);
  const id = (path: string) => `${BASE}id/${path}`;
  const firstSubject = (prefix: string) => all.find((q) => q.subject.value.startsWith(prefix))?.subject.value ?? prefix;
  const subjects = new Set([
    // a district with its point, administrative centre and hukumat (units graph): labels in tg/ru/en,
    // xsd:integer, xsd:decimal, xsd:gYear, geo:wktLiteral, dct:source IRIs with percent-encoded Cyrillic
    id('district/TJ-KT-06'),
    id('district/TJ-KT-06#point'),
    id('district/TJ-KT-06#centre'),
    id('district/TJ-KT-06#centre-point'),
    id('hukumat/TJ-KT-06'),
    id('region/TJ-KT'),
    // one of its jamoats, with Tajik and Russian names
    id('jamoat/TJ-KT-06-02'),
    // observations: an xsd:integer (population) and an xsd:decimal (budget) measure
    firstSubject(id('observation/population/TJ-KT-06-02/')),
    firstSubject(id('observation/budget/TJ-KT-06-02/')),
    // a dataset (xsd:boolean, xsd:date, a literal dct:source), its file (xsd:nonNegativeInteger)
    // and checksum (xsd:hexBinary)
    id('dataset/budget'),
    `${BASE}download/budget.xlsx`,
    `${BASE}download/budget.xlsx#checksum`,
    // an indicator (vocabulary graph) and the publisher (catalog graph)
    `${BASE}def/indicator/population`,
    id('organisation/local-development-committee'),
  ]);
  sample = all.filter((q) => subjects.has(q.subject.value));
  // Synthetic, to test escaping: quotes, backslash, CR LF, tab, XML and JSON specials, a character
  // outside the BMP, and a quad repeated in a second graph (triple formats must write it once).
  const district = namedNode(id('district/TJ-KT-06'));
  const note = namedNode('http://www.w3.org/2004/02/skos/core#note');
  const hostile = literal('"quoted" \\ back\r\nnew line\ttab <tag> & ]]> {"json": 1} 𝄞 ёҷҳ', 'en');
  sample.push(quad(district, note, hostile, namedNode(`${BASE}graph/units`)), quad(district, note, hostile, namedNode(`${BASE}graph/test`)));
}, 120_000);

describe('the sample covers what the brief asks for', () => {
  it('has labels in three languages, typed literals, Cyrillic IRIs, literal sources, several graphs', () => {
    const got = lines(sample);
    const has = (re: RegExp) => [...got].some((l) => re.test(l));
    expect(has(/"Ноҳияи Ёвон"@tg/)).toBe(true);
    expect(has(/"Яван"@ru/)).toBe(true);
    for (const t of ['integer', 'decimal', 'gYear', 'boolean', 'date', 'hexBinary', 'nonNegativeInteger']) {
      expect(has(new RegExp(`\\^\\^<${XSD}${t}>`)), t).toBe(true);
    }
    expect(has(/<https:\/\/tg\.wikipedia\.org\/wiki\/%D0%9D/)).toBe(true);
    expect(has(/terms\/source> "Generated sample data/)).toBe(true);
    expect(new Set(sample.map((q) => q.graph.value)).size).toBeGreaterThanOrEqual(5);
    expect(has(/^<[^>]*\/id\/observation\/population\/TJ-KT-06-02\/[^>]*> <[^>]*#type> <http:\/\/purl\.org\/linked-data\/cube#Observation>/)).toBe(true);
    expect(has(/^<[^>]*\/id\/observation\/budget\/TJ-KT-06-02\/[^>]*> <[^>]*#type> <http:\/\/purl\.org\/linked-data\/cube#Observation>/)).toBe(true);
  });
});

describe('serialize(quads, format) round-trips through an independent parser', () => {
  const formats: RdfFormatKey[] = ['ttl', 'nt', 'jsonld', 'rdf', 'nq', 'trig'];

  it.each(formats)('%s: the same set of triples (or quads)', async (format) => {
    const keepGraphs = format === 'nq' || format === 'trig';
    const text = await serialize(sample, format, { base: BASE });
    const back = await PARSE[format](text);
    expect(sorted(lines(back, keepGraphs))).toEqual(sorted(lines(sample, keepGraphs)));
  });

  it.each(Object.entries(OXIGRAPH_FORMAT))('%s: oxigraph (Rust parsers) reads the same', async (format, mediaType) => {
    const keepGraphs = format === 'nq' || format === 'trig';
    const text = await serialize(sample, format as RdfFormatKey, { base: BASE });
    const back = oxigraph.parse(text, { format: mediaType, base_iri: 'http://elsewhere.example/doc' }) as unknown as Quad[];
    expect(sorted(lines(back, keepGraphs))).toEqual(sorted(lines(sample, keepGraphs)));
  });

  it('graph: false writes N-Quads and TriG in the default graph', async () => {
    for (const format of ['nq', 'trig'] as const) {
      const back = await PARSE[format](await serialize(sample, format, { base: BASE, graph: false }));
      expect(back.every((q) => q.graph.termType === 'DefaultGraph')).toBe(true);
      expect(sorted(lines(back))).toEqual(sorted(lines(sample, false)));
    }
  });

  it('triple formats write a triple found in two graphs once', async () => {
    const nt = await serialize(sample, 'nt', { base: BASE });
    expect(nt.split('\n').filter((l) => l.includes('core#note>'))).toHaveLength(1);
    const nq = await serialize(sample, 'nq', { base: BASE });
    expect(nq.split('\n').filter((l) => l.includes('core#note>'))).toHaveLength(2);
  });

  it.each(formats)('%s: the output depends on the set of quads only, not their order', async (format) => {
    const shuffled = [...sample].reverse();
    shuffled.push(...sample.slice(0, 10));
    expect(await serialize(shuffled, format, { base: BASE })).toBe(await serialize(sample, format, { base: BASE }));
  });

  it.each(formats.filter((f) => f !== 'jsonld'))('%s: the whole converted dataset round-trips too', async (format) => {
    const keepGraphs = format === 'nq' || format === 'trig';
    const back = await PARSE[format](await serialize(all, format, { base: BASE }));
    expect(sorted(lines(back, keepGraphs))).toEqual(sorted(lines(all, keepGraphs)));
  });

  it('an empty set of quads gives an empty but valid document in each format', async () => {
    for (const format of formats) {
      const back = await PARSE[format](await serialize([], format, { base: BASE }));
      expect(back, format).toEqual([]);
    }
  });
});

describe('JSON-LD: compact, with our published context', () => {
  let doc: { '@context': unknown; '@graph': Record<string, unknown>[] };
  let text: string;
  const node = (iri: string) => doc['@graph'].find((n) => n.id === iri) as Record<string, unknown>;

  beforeAll(async () => {
    text = await serialize(sample, 'jsonld', { base: BASE });
    doc = JSON.parse(text) as typeof doc;
  });

  it('names the context by its URL', () => {
    expect(doc['@context']).toBe(`${BASE}context.jsonld`);
    expect(contextUrl(BASE)).toBe(`${BASE}context.jsonld`);
  });

  it('gives labels as language maps', () => {
    const district = node(`${BASE}id/district/TJ-KT-06`);
    expect(district.prefLabel).toEqual({ en: 'Yovon', tg: 'Ноҳияи Ёвон', ru: 'Яванский район' });
    expect(district.label).toEqual({ en: 'Yovon', tg: 'Ноҳияи Ёвон', ru: 'Яванский район' });
    expect(node(`${BASE}id/jamoat/TJ-KT-06-02`).prefLabel).toMatchObject({ tg: 'Ёвон', ru: 'Яван' });
  });

  it('uses short keys and compact IRIs, never a full IRI of our vocabulary', () => {
    const district = node(`${BASE}id/district/TJ-KT-06`);
    expect(district).toMatchObject({
      type: 'lg:District',
      code: 'TJ-KT-06',
      level: 'lg:level-district',
      within: `${BASE}id/region/TJ-KT`,
      governingBody: `${BASE}id/hukumat/TJ-KT-06`,
      population: 234600,
      populationYear: '2020',
      area: '900',
      // A district's GeoNames ADM2 feature is matched by name: skos:exactMatch (README, "The fifth star").
      exactMatch: 'https://sws.geonames.org/8221240/',
      // its point, and its boundary (Who's On First, data/geometry)
      hasGeometry: expect.arrayContaining([`${BASE}id/district/TJ-KT-06#point`, `${BASE}id/district/TJ-KT-06#boundary`]),
    });
    expect(district.source).toContain('https://tg.wikipedia.org/wiki/%D0%9D%D0%BE%D2%B3%D0%B8%D1%8F%D0%B8_%D0%81%D0%B2%D0%BE%D0%BD');
    expect(text).not.toMatch(new RegExp(`"${BASE}def/(lg#|indicator/)`));
    // every key is a term of the context, a compact IRI or a keyword
    const terms = new Set(Object.keys(jsonLdContext(BASE)['@context']));
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, w] of Object.entries(v)) keys.add(k), walk(w);
    };
    walk(doc['@graph']);
    for (const key of keys) {
      const languageMapKey = /^[a-z]{2}$/.test(key);
      expect(terms.has(key) || key.startsWith('@') || /^[a-z-]+:[^/]/.test(key) || languageMapKey, key).toBe(true);
    }
  });

  it('keeps what does not fit a key under its compact IRI: a literal dct:source, a typed measure', () => {
    expect(node(`${BASE}id/dataset/budget`)['dct:source']).toBe('Generated sample data (src/tools/make-sample-stats.ts); not from any official source');
    const observation = doc['@graph'].find((n) => String(n.id).startsWith(`${BASE}id/observation/budget/`)) as Record<string, unknown>;
    const measure = Object.keys(observation).find((k) => k.startsWith('ind:'));
    expect(observation[measure as string]).toMatchObject({ type: 'xsd:decimal' });
  });

  it('is lossless on the whole converted dataset: expand(compact(doc)) gives exactly the input triples', async () => {
    const text = await serialize(all, 'jsonld', { base: BASE });
    const back = await PARSE.jsonld(text);
    expect(sorted(lines(back, false))).toEqual(sorted(lines(all, false)));
  });

  it('never loads a document other than our context', async () => {
    const documentLoader = contextDocumentLoader(BASE);
    await expect(documentLoader(`${BASE}context.jsonld`)).resolves.toMatchObject({ document: jsonLdContext(BASE) });
    await expect(jsonld.expand({ '@context': 'https://schema.org/', name: 'x' } as object, { documentLoader })).rejects.toThrow();
    await expect(documentLoader('https://schema.org/')).rejects.toThrow(/refusing to load https:\/\/schema\.org\//);
  });
});

describe('the published context', () => {
  const context = jsonLdContext(BASE)['@context'];

  it('is JSON-LD 1.1 with our prefixes under BASE_URI', () => {
    expect(context['@version']).toBe(1.1);
    expect(context.lg).toBe(`${BASE}def/lg#`);
    expect(context.ind).toBe(`${BASE}def/indicator/`);
    expect(context.schema).toBe('http://schema.org/');
    expect(context['sdmx-dimension']).toBe('http://purl.org/linked-data/sdmx/2009/dimension#');
    expect(jsonLdContext('https://data.example.tj/')['@context'].lg).toBe('https://data.example.tj/def/lg#');
  });

  it('maps the keys harvesters rely on (a key, once published, keeps its meaning)', () => {
    expect(context).toMatchObject({
      id: '@id',
      type: '@type',
      prefLabel: { '@id': 'skos:prefLabel', '@container': '@language' },
      label: { '@id': 'rdfs:label', '@container': '@language' },
      code: 'lg:code',
      level: { '@id': 'lg:adminLevel', '@type': '@id' },
      within: { '@id': 'lg:within', '@type': '@id' },
      population: { '@id': 'lg:population', '@type': 'xsd:integer' },
      populationYear: { '@id': 'lg:populationYear', '@type': 'xsd:gYear' },
      area: { '@id': 'lg:area', '@type': 'xsd:decimal' },
      refArea: { '@id': 'lg:refArea', '@type': '@id' },
      refPeriod: { '@id': 'lg:refPeriod', '@type': 'xsd:gYear' },
      source: { '@id': 'dct:source', '@type': '@id' },
    });
  });
});

describe('RDF/XML refuses what it cannot express, naming it', () => {
  const s = namedNode(`${BASE}id/x`);
  it.each([
    ['a predicate without an XML local name', quad(s, namedNode('http://example.org/1st'), literal('x')), /predicate <http:\/\/example\.org\/1st>/],
    ['a predicate ending in a slash', quad(s, namedNode('http://example.org/p/'), literal('x')), /predicate <http:\/\/example\.org\/p\/>/],
    ['a class rdflib would use as element name', quad(s, namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), namedNode('http://example.org/9Class')), /class <http:\/\/example\.org\/9Class>/],
    ['a control character XML 1.0 cannot hold', quad(s, namedNode('http://example.org/p'), literal('bell \u0007')), /control character/],
  ])('%s', async (_name, q, message) => {
    await expect(serialize([q], 'rdf', { base: BASE })).rejects.toThrow(message);
    // the other formats write it
    expect(await serialize([q], 'nt', { base: BASE })).toContain('<http://example.org/');
  });
});

describe('readable output', () => {
  it('Turtle declares only the prefixes it uses, and starts descriptions with `a`', async () => {
    const district = sample.filter((q) => q.subject.value === `${BASE}id/district/TJ-KT-06`);
    const ttl = await serialize(district, 'ttl', { base: BASE });
    expect(ttl).toContain(`@prefix lg: <${BASE}def/lg#>.`);
    expect(ttl).toContain(`<${BASE}id/district/TJ-KT-06> a lg:District;`);
    expect(ttl).toContain('skos:prefLabel "Yovon"@en, "Ноҳияи Ёвон"@tg, "Яванский район"@ru;');
    expect(ttl).not.toContain('@prefix foaf:');
    expect(ttl).not.toContain('@prefix rdf:');
  });

  it('RDF/XML keeps IRIs absolute (rdflib would write them relative to a base, without xml:base)', async () => {
    const xml = await serialize(sample, 'rdf', { base: BASE });
    expect(xml).toContain(`rdf:about="${BASE}id/district/TJ-KT-06"`);
    expect(xml).toContain(`rdf:resource="${BASE}download/districts.xlsx#sheet=Khatlon&amp;row=8"`);
    expect(xml).toContain(`xmlns:geo="http://www.opengis.net/ont/geosparql#"`);
    expect(xml).not.toMatch(/rdf:(about|resource)="(?!https?:)/);
  });
});
