import type { FastifyInstance } from 'fastify';
import jsonld from 'jsonld';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextDocumentLoader } from '../src/serialize/jsonld.js';
import { serialize } from '../src/serialize/serialize.js';
import { BASE, startApp } from './server-helpers.js';

/**
 * Issue #11, HTTP details: the JSON-LD compaction wrote numbers as strings (`"population":
 * "21314"`). Integers are now JSON numbers; decimals stay typed strings (JSON-LD 1.1 §8.6 would
 * read a fractional JSON number back in another lexical form). Either way the JSON-LD reads back as
 * exactly the literals written.
 */

const { namedNode, literal, quad } = N3.DataFactory;
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const unit = namedNode(`${BASE}id/jamoat/TJ-KT-06-06`);
const obs = namedNode(`${BASE}id/observation/education/TJ-KT-06-06/pupils/2023`);
const lg = (t: string) => namedNode(`${BASE}def/lg#${t}`);
const typedLit = (v: string, t: string) => literal(v, namedNode(`${XSD}${t}`));

const quads = [
  quad(unit, lg('population'), typedLit('21314', 'integer')),
  quad(unit, lg('area'), typedLit('12.5', 'decimal')),
  quad(obs, namedNode(`${BASE}def/indicator/pupils`), typedLit('3071', 'integer')),
  quad(obs, namedNode(`${BASE}def/indicator/teachers`), typedLit('-0', 'integer')),
  quad(obs, namedNode(`${BASE}def/indicator/budget`), typedLit('12345678901234567890', 'integer')),
  quad(obs, namedNode(`${BASE}def/indicator/doctors`), typedLit('007', 'integer')),
  quad(obs, namedNode(`${BASE}def/indicator/hospital-beds`), typedLit('900', 'decimal')),
  quad(obs, namedNode('http://www.w3.org/ns/dcat#byteSize'), typedLit('4096', 'nonNegativeInteger')),
];

const canonical = (qs: Iterable<N3.Quad>) => {
  const w = new N3.Writer({ format: 'N-Triples' });
  return [...qs].map((q) => w.quadToString(q.subject, q.predicate, q.object)).sort();
};

async function readBack(text: string): Promise<N3.Quad[]> {
  const expanded = await jsonld.expand(JSON.parse(text) as object, { documentLoader: contextDocumentLoader(BASE) });
  return new N3.Parser({ format: 'N-Quads' }).parse((await jsonld.toRDF(expanded, { format: 'application/n-quads' })) as string);
}

type Node = Record<string, unknown>;
const nodes = (text: string) => (JSON.parse(text) as { '@graph': Node[] })['@graph'];

describe('JSON-LD numbers', () => {
  it('writes an xsd:integer as a JSON number, under a key of the context and under a compact IRI', async () => {
    const text = await serialize(quads, 'jsonld', { base: BASE });
    const byId = new Map(nodes(text).map((n) => [n.id, n]));
    expect(byId.get(unit.value)).toMatchObject({ population: 21314, area: '12.5' });
    expect(byId.get(obs.value)).toMatchObject({
      'ind:pupils': 3071,
      // not in canonical form, or too big for a JSON number to hold exactly: a typed string
      'ind:teachers': { type: 'xsd:integer', '@value': '-0' },
      'ind:budget': { type: 'xsd:integer', '@value': '12345678901234567890' },
      'ind:doctors': { type: 'xsd:integer', '@value': '007' },
      'ind:hospital-beds': { type: 'xsd:decimal', '@value': '900' },
      // the context's key fixes xsd:nonNegativeInteger: a bare number
      byteSize: 4096,
    });
  });

  it.each(['compacted', 'expanded', 'flattened', 'flattened-compacted'] as const)('%s: reads back as exactly the literals written', async (form) => {
    const text = await serialize(quads, 'jsonld', { base: BASE, jsonLdForm: form });
    expect(canonical(await readBack(text))).toEqual(canonical(quads));
  });
});

describe('JSON-LD numbers from the real server', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app.close());

  it('a jamoat\'s population is a number, its area a string, and the document reads back as its Turtle', async () => {
    const r = await app.inject({ url: '/doc/jamoat/TJ-KT-06-06', headers: { accept: 'application/ld+json' } });
    expect(r.statusCode).toBe(200);
    const jamoat = nodes(r.body).find((n) => n.id === unit.value) as Node;
    expect(typeof jamoat.population).toBe('number');
    const ttl = await app.inject({ url: '/doc/jamoat/TJ-KT-06-06', headers: { accept: 'text/turtle' } });
    expect(canonical(await readBack(r.body))).toEqual(canonical(new N3.Parser({ format: 'Turtle' }).parse(ttl.body)));
  });
});
