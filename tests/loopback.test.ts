import type { FastifyInstance } from 'fastify';
import jsonld from 'jsonld';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, startApp, listenLoopback } from './server-helpers.js';
import { canonical, contextLoader, parseRdfXml } from './rdf-helpers.js';

let app: FastifyInstance;
let origin: string;
/** jsonld.js fetches our context over HTTP from the server under test (the data's base is :3000). */
const documentLoader = contextLoader(() => origin);

beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => app.close());

async function fetchText(path: string, accept: string): Promise<string> {
  const r = await fetch(`${origin}${path}`, { headers: { accept } });
  expect(r.status, `${path} as ${accept}`).toBe(200);
  return r.text();
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
