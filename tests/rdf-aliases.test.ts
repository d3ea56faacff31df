import type { FastifyInstance } from 'fastify';
import jsonld from 'jsonld';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, startApp, listenLoopback } from './server-helpers.js';
import { canonical, contextLoader, parseRdfXml } from './rdf-helpers.js';

/**
 * Issue #11, item 3: rdflib's `Graph().parse(uri, format="nt")` sends `Accept: text/plain,
 * *\/*;q=0.1` and got the HTML page. The usual aliases of our syntaxes, and JSON-LD's `profile`,
 * over real HTTP to the real server: each answer parses to the same triples as the Turtle one.
 */

let app: FastifyInstance;
let origin: string;
/** jsonld.js fetches our context over HTTP from the server under test (the data's base is :3000). */
const documentLoader = contextLoader(() => origin);
const PATH = '/doc/jamoat/TJ-KT-06-06';
const NS = 'http://www.w3.org/ns/json-ld#';

beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => app.close());

async function fromJsonLd(doc: unknown): Promise<Set<string>> {
  const nquads = (await jsonld.toRDF(doc as object, { format: 'application/n-quads', documentLoader: documentLoader as never })) as unknown as string;
  return canonical(new N3.Parser({ format: 'N-Quads' }).parse(nquads));
}

async function get(accept: string): Promise<Response> {
  const r = await fetch(`${origin}${PATH}`, { headers: { accept } });
  expect(r.status, accept).toBe(200);
  expect(r.headers.get('vary'), accept).toMatch(/\bAccept\b/);
  return r;
}

let turtle: Set<string>;
beforeAll(async () => {
  turtle = canonical(new N3.Parser({ format: 'text/turtle' }).parse(await (await get('text/turtle')).text()));
  expect(turtle.size).toBeGreaterThan(200);
});

describe('aliases of our RDF syntaxes', () => {
  it.each([
    // rdflib's Graph().parse(uri, format="nt"), exactly as it sends it.
    ['text/plain, */*;q=0.1', 'application/n-triples', 'N-Triples'],
    ['text/plain', 'application/n-triples', 'N-Triples'],
    ['application/x-turtle', 'text/turtle; charset=utf-8', 'text/turtle'],
    ['text/n3', 'text/turtle; charset=utf-8', 'text/turtle'],
    ['application/xml', 'application/rdf+xml; charset=utf-8', 'rdfxml'],
    ['text/xml;q=0.9, text/html;q=0.1', 'application/rdf+xml; charset=utf-8', 'rdfxml'],
  ])('Accept: %s gets %s, the same triples', async (accept, contentType, syntax) => {
    const r = await get(accept);
    expect(r.headers.get('content-type')).toBe(contentType);
    const text = await r.text();
    const got = syntax === 'rdfxml' ? canonical(await parseRdfXml(text)) : canonical(new N3.Parser({ format: syntax }).parse(text));
    expect(got).toEqual(turtle);
  });

  it('on /sparql: CONSTRUCT answers the aliases, SELECT keeps application/xml for SPARQL XML results', async () => {
    const query = (q: string) => `${origin}/sparql?query=${encodeURIComponent(q)}`;
    const construct = await fetch(query(`CONSTRUCT WHERE { <${BASE}id/jamoat/TJ-KT-06-06> ?p ?o }`), { headers: { accept: 'text/plain, */*;q=0.1' } });
    expect(construct.headers.get('content-type')).toBe('application/n-triples');
    expect(canonical(new N3.Parser({ format: 'N-Triples' }).parse(await construct.text())).size).toBeGreaterThan(5);
    const select = await fetch(query('SELECT * { ?s ?p ?o } LIMIT 1'), { headers: { accept: 'application/xml' } });
    expect(select.headers.get('content-type')).toMatch(/^application\/sparql-results\+xml/);
  });

  it('a browser still gets HTML, though it lists application/xml', async () => {
    const r = await get('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe("JSON-LD's profile parameter", () => {
  it('expanded: an array of node objects with full IRIs, no context', async () => {
    const r = await get(`application/ld+json;profile="${NS}expanded"`);
    expect(r.headers.get('content-type')).toBe(`application/ld+json; profile="${NS}expanded"`);
    expect(r.headers.get('content-location')).toBeNull();
    const doc = (await r.json()) as Record<string, unknown>[];
    expect(Array.isArray(doc)).toBe(true);
    expect(JSON.stringify(doc)).not.toContain('@context');
    expect(doc.find((n) => n['@id'] === `${BASE}id/jamoat/TJ-KT-06-06`)?.['http://www.w3.org/2004/02/skos/core#prefLabel']).toEqual([{ '@value': 'Norin', '@language': 'en' }]);
    expect(await fromJsonLd(doc)).toEqual(turtle);
  });

  it('flattened: every node object at the top level', async () => {
    const r = await get(`application/ld+json;profile="${NS}flattened"`);
    expect(r.headers.get('content-type')).toBe(`application/ld+json; profile="${NS}flattened"`);
    const doc = (await r.json()) as Record<string, unknown>[];
    expect(Array.isArray(doc)).toBe(true);
    expect(await fromJsonLd(doc)).toEqual(turtle);
  });

  it('flattened and compacted (either order): @graph with our context', async () => {
    for (const profile of [`${NS}flattened ${NS}compacted`, `${NS}compacted ${NS}flattened`]) {
      const r = await get(`application/ld+json;profile="${profile}"`);
      expect(r.headers.get('content-type')).toBe(`application/ld+json; profile="${NS}flattened ${NS}compacted"`);
      const doc = (await r.json()) as Record<string, unknown>;
      expect(doc['@context']).toBe(`${BASE}context.jsonld`);
      expect(Array.isArray(doc['@graph'])).toBe(true);
      expect(await fromJsonLd(doc)).toEqual(turtle);
    }
  });

  it('compacted, asked for or not, is the published document; each form is cached under its own key', async () => {
    const plain = await get('application/ld+json');
    const compacted = await get(`application/ld+json;profile="${NS}compacted"`);
    const expanded = await get(`application/ld+json;profile="${NS}expanded"`);
    expect(plain.headers.get('content-type')).toBe('application/ld+json');
    expect(plain.headers.get('content-location')).toBe(`${PATH}.jsonld`);
    const [a, b, c] = await Promise.all([plain.text(), compacted.text(), expanded.text()]);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(compacted.headers.get('etag')).toBe(plain.headers.get('etag'));
    expect(expanded.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    // Asked again after the other forms: still compacted (the key holds the profile).
    expect(await (await get('application/ld+json')).text()).toBe(a);
  });
});
