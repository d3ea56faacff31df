import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import jsonld from 'jsonld';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BASE, startApp, listenLoopback } from './server-helpers.js';
import { canonical, contextLoader, parseRdfXml } from './rdf-helpers.js';

/**
 * Issue #11, item 5: `/sparql?graph=IRI` silently returned the Service Description. The read side
 * of the SPARQL 1.1 Graph Store HTTP Protocol, over real HTTP to the real server: every RDF format
 * of a graph parses back (N3.js, jsonld.js, rdfxml-streaming-parser) to exactly the triples the
 * build's data.nq holds in that graph; `?default` is the union of the named graphs; unknown graphs
 * are 404, ambiguous or malformed names 400, writes refused. The GSP manifest's two read cases
 * (`head_existing_indirect`, `head_non_existing_indirect`) are the HEAD tests below.
 */

let app: FastifyInstance;
let origin: string;
/** jsonld.js fetches our context over HTTP from the server under test (the data's base is :3000). */
const documentLoader = contextLoader(() => origin);
/** Triples per graph IRI (and '' for the union), as N-Triples lines, from the build's data.nq. */
const expected = new Map<string, Set<string>>();
const UNITS = `${BASE}graph/units`;
const NS = 'http://www.w3.org/ns/json-ld#';

beforeAll(async () => {
  const quads = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(join(inject('buildDir'), 'data.nq'), 'utf8'));
  for (const q of quads) {
    for (const key of [q.graph.value, '']) {
      const set = expected.get(key) ?? new Set<string>();
      for (const line of canonical([q])) set.add(line);
      expected.set(key, set);
    }
  }
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => app.close());

const graphUrl = (iri: string) => `${origin}/sparql?graph=${encodeURIComponent(iri)}`;

/** The triples of a body, read by a parser that knows its syntax. */
async function triples(contentType: string, text: string): Promise<Set<string>> {
  const type = contentType.split(';')[0] as string;
  if (type === 'application/rdf+xml') return canonical(await parseRdfXml(text));
  if (type === 'application/ld+json') {
    const nquads = (await jsonld.toRDF(JSON.parse(text) as object, { format: 'application/n-quads', documentLoader: documentLoader as never })) as unknown as string;
    return canonical(new N3.Parser({ format: 'N-Quads' }).parse(nquads));
  }
  return canonical(new N3.Parser({ format: type, baseIRI: BASE }).parse(text));
}

describe('GET /sparql?graph=IRI: a named graph in every RDF format', () => {
  it.each([
    ['text/turtle', 'text/turtle; charset=utf-8'],
    ['application/n-triples', 'application/n-triples'],
    ['application/n-quads', 'application/n-quads'],
    ['application/trig', 'application/trig'],
    ['application/rdf+xml', 'application/rdf+xml; charset=utf-8'],
    ['application/ld+json', 'application/ld+json'],
    [`application/ld+json;profile="${NS}expanded"`, `application/ld+json; profile="${NS}expanded"`],
    ['text/plain', 'application/n-triples'],
  ])('Accept: %s gives %s with exactly the graph\'s triples', async (accept, contentType) => {
    const r = await fetch(graphUrl(UNITS), { headers: { accept } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(contentType);
    expect(r.headers.get('vary')).toMatch(/\bAccept\b/);
    expect(r.headers.get('etag')).toMatch(/^"/);
    const got = await triples(contentType, await r.text());
    const want = expected.get(UNITS) as Set<string>;
    expect(want.size).toBeGreaterThan(1000);
    expect(got.size).toBe(want.size);
    expect([...got].filter((t) => !want.has(t))).toEqual([]);
  });

  it('every named graph of data.nq, as N-Triples, is that graph', async () => {
    const graphs = [...expected.keys()].filter((g) => g !== '');
    expect(graphs.length).toBeGreaterThanOrEqual(8);
    for (const g of graphs) {
      const r = await fetch(graphUrl(g), { headers: { accept: 'application/n-triples' } });
      expect(r.status, g).toBe(200);
      expect(await triples('application/n-triples', await r.text()), g).toEqual(expected.get(g));
    }
  });

  it('no Accept gives Turtle (the first RDF format), and If-None-Match gives 304', async () => {
    const r = await fetch(graphUrl(UNITS));
    expect(r.headers.get('content-type')).toBe('text/turtle; charset=utf-8');
    const again = await fetch(graphUrl(UNITS), { headers: { 'if-none-match': r.headers.get('etag') as string } });
    expect(again.status).toBe(304);
  });

  it('is compressed when the client allows', async () => {
    const r = await app.inject({ url: `/sparql?graph=${encodeURIComponent(UNITS)}`, headers: { accept: 'text/turtle', 'accept-encoding': 'br' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
  });

  it('406 for an Accept with no RDF format', async () => {
    const r = await fetch(graphUrl(UNITS), { headers: { accept: 'text/csv' } });
    expect(r.status).toBe(406);
    expect(await r.text()).toContain('text/turtle');
  });
});

describe('GET /sparql?default: the union of the named graphs', () => {
  it('holds every triple of every named graph, each once', async () => {
    const r = await fetch(`${origin}/sparql?default`, { headers: { accept: 'application/n-triples' } });
    expect(r.status).toBe(200);
    expect(await triples('application/n-triples', await r.text())).toEqual(expected.get(''));
  });

  it('`default=` with an empty value is the same request', async () => {
    const r = await fetch(`${origin}/sparql?default=`, { headers: { accept: 'text/turtle' } });
    expect(r.status).toBe(200);
    expect((await triples('text/turtle', await r.text())).size).toBe(expected.get('')?.size);
  });
});

describe('HEAD (GSP manifest: head_existing_indirect, head_non_existing_indirect)', () => {
  it('an existing graph: 200, the GET headers, no body', async () => {
    const get = await fetch(graphUrl(UNITS), { headers: { accept: 'text/turtle' } });
    const head = await fetch(graphUrl(UNITS), { method: 'HEAD', headers: { accept: 'text/turtle' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(await head.text()).toBe('');
  });

  it('a graph that does not exist: 404', async () => {
    const head = await fetch(graphUrl(`${BASE}graph/no-such-graph`), { method: 'HEAD' });
    expect(head.status).toBe(404);
  });
});

describe('refusals, in our error format', () => {
  it('an unknown graph is 404 LG_ERR_NOT_FOUND', async () => {
    const r = await fetch(graphUrl('http://www.example/gsp/person/1.ttl'), { headers: { accept: 'text/turtle' } });
    expect(r.status).toBe(404);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await r.json()) as { statusCode: number; code: string; message: string };
    expect(body).toMatchObject({ statusCode: 404, code: 'LG_ERR_NOT_FOUND' });
    expect(body.message).toContain('http://www.example/gsp/person/1.ttl');
  });

  it('a browser gets the error page for an unknown graph', async () => {
    const r = await fetch(graphUrl(`${BASE}graph/nothing`), { headers: { accept: 'text/html' } });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it.each([
    ['both graph= and default', `graph=${encodeURIComponent(UNITS)}&default`],
    ['two graphs', `graph=${encodeURIComponent(UNITS)}&graph=${encodeURIComponent(`${BASE}graph/health`)}`],
    ['a relative IRI', 'graph=units'],
    ['an empty graph=', 'graph='],
    ['an IRI with a space', `graph=${encodeURIComponent(`${BASE}graph/units x`)}`],
    ['an IRI that would close the IRIREF', `graph=${encodeURIComponent(`${BASE}graph/units> } } ; DROP ALL #`)}`],
    ['a query beside the graph', `graph=${encodeURIComponent(UNITS)}&query=${encodeURIComponent('ASK {}')}`],
  ])('%s is 400 LG_ERR_GRAPH_REQUEST', async (_name, search) => {
    const r = await fetch(`${origin}/sparql?${search}`, { headers: { accept: 'text/turtle' } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { code: string }).code).toBe('LG_ERR_GRAPH_REQUEST');
  });

  it('writes are refused: POST 403 LG_ERR_READ_ONLY, PUT and DELETE 405, and the graph is unchanged', async () => {
    const body = '<http://www.example/gsp/person/1> a <http://xmlns.com/foaf/0.1/Person> .';
    const post = await fetch(graphUrl(UNITS), { method: 'POST', headers: { 'content-type': 'text/turtle' }, body });
    expect(post.status).toBe(403);
    expect(((await post.json()) as { code: string }).code).toBe('LG_ERR_READ_ONLY');
    for (const method of ['PUT', 'DELETE']) {
      const r = await fetch(graphUrl(UNITS), { method, headers: { 'content-type': 'text/turtle' }, ...(method === 'PUT' ? { body } : {}) });
      expect(r.status, method).toBe(405);
    }
    const after = await fetch(graphUrl(UNITS), { headers: { accept: 'application/n-triples' } });
    expect(await triples('application/n-triples', await after.text())).toEqual(expected.get(UNITS));
  });
});

describe('the Service Description lists it', () => {
  it('as an sd:Feature of the service, with the recommendation', async () => {
    const r = await fetch(`${origin}/sparql`, { headers: { accept: 'text/turtle' } });
    const sd = new N3.Store(new N3.Parser({ format: 'text/turtle', baseIRI: BASE }).parse(await r.text()));
    const SD = 'http://www.w3.org/ns/sparql-service-description#';
    const service = `${BASE}id/service/sparql`;
    const feature = `${service}#graph-store-read`;
    expect(sd.getObjects(service, `${SD}feature`, null).map((t) => t.value)).toContain(feature);
    expect(sd.getObjects(feature, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', null).map((t) => t.value)).toEqual([`${SD}Feature`]);
    expect(sd.getObjects(service, 'http://purl.org/dc/terms/conformsTo', null).map((t) => t.value)).toContain('https://www.w3.org/TR/sparql11-http-rdf-update/');
  });
});
