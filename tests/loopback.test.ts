import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import jsonld from 'jsonld';
import N3 from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, startApp } from './server-helpers.js';

let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  app = await startApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => app.close());

/** Canonical N-Triples lines, graph dropped, so triples from different parsers compare as sets. */
function canonical(quads: Iterable<{ subject: N3.Term; predicate: N3.Term; object: N3.Term }>): Set<string> {
  const w = new N3.Writer({ format: 'N-Triples' });
  const out = new Set<string>();
  for (const q of quads) out.add(w.quadToString(q.subject as N3.Quad_Subject, q.predicate as N3.Quad_Predicate, q.object as N3.Quad_Object));
  return out;
}

async function fetchText(path: string, accept: string): Promise<string> {
  const r = await fetch(`${origin}${path}`, { headers: { accept } });
  expect(r.status, `${path} as ${accept}`).toBe(200);
  return r.text();
}

/** jsonld.js fetches our context over HTTP from the server under test (the data's base is :3000). */
const documentLoader = async (url: string) => {
  if (url !== `${BASE}context.jsonld`) throw new Error(`the test refuses to fetch ${url}`);
  const r = await fetch(`${origin}/context.jsonld`);
  return { contextUrl: undefined, documentUrl: url, document: await r.json() };
};

function parseRdfXml(text: string): Promise<N3.Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: N3.Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI: BASE, dataFactory: N3.DataFactory as never });
    parser.on('data', (q: N3.Quad) => quads.push(q)).on('error', reject).on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}

describe('a jamoat document over real HTTP, read by independent clients', () => {
  const path = '/doc/jamoat/TJ-KT-06-06';

  it('carries the same triples in Turtle, N-Triples, JSON-LD, RDF/XML, N-Quads and TriG', async () => {
    const fromTurtle = canonical(new N3.Parser({ format: 'text/turtle' }).parse(await fetchText(path, 'text/turtle')));
    expect(fromTurtle.size).toBeGreaterThan(200);

    const fromNt = canonical(new N3.Parser({ format: 'N-Triples' }).parse(await fetchText(path, 'application/n-triples')));
    const doc = JSON.parse(await fetchText(path, 'application/ld+json')) as object;
    const nquads = (await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader: documentLoader as never })) as unknown as string;
    const fromJsonLd = canonical(new N3.Parser({ format: 'N-Quads' }).parse(nquads));
    const fromXml = canonical(await parseRdfXml(await fetchText(path, 'application/rdf+xml')));
    const fromNq = canonical(new N3.Parser({ format: 'N-Quads' }).parse(await fetchText(path, 'application/n-quads')));
    const fromTrig = canonical(new N3.Parser({ format: 'application/trig' }).parse(await fetchText(path, 'application/trig')));

    for (const [name, set] of [['N-Triples', fromNt], ['JSON-LD', fromJsonLd], ['RDF/XML', fromXml], ['N-Quads', fromNq], ['TriG', fromTrig]] as const) {
      expect([...set].filter((t) => !fromTurtle.has(t)), `${name} has triples Turtle lacks`).toEqual([]);
      expect([...fromTurtle].filter((t) => !set.has(t)), `${name} lacks triples Turtle has`).toEqual([]);
    }
  });

  it('JSON-LD is compacted with the published context and expands with jsonld.js', async () => {
    const doc = JSON.parse(await fetchText(path, 'application/ld+json')) as Record<string, unknown>;
    expect(doc['@context']).toBe(`${BASE}context.jsonld`);
    const expanded = await jsonld.expand(doc, { documentLoader: documentLoader as never });
    const me = expanded.find((n) => n['@id'] === `${BASE}id/jamoat/TJ-KT-06-06`);
    expect(me?.['http://www.w3.org/2004/02/skos/core#prefLabel']).toEqual([{ '@value': 'Norin', '@language': 'en' }]);
  });

  it('/id/ redirects with 303 for a real client, which lands on the document', async () => {
    const r = await fetch(`${origin}/id/jamoat/TJ-KT-06-06`, { headers: { accept: 'text/turtle' }, redirect: 'manual' });
    expect(r.status).toBe(303);
    const followed = await fetch(`${origin}/id/jamoat/TJ-KT-06-06`, { headers: { accept: 'text/turtle' } });
    expect(followed.url).toBe(`${origin}/doc/jamoat/TJ-KT-06-06`);
    expect(followed.headers.get('content-type')).toMatch(/^text\/turtle/);
  });
});
