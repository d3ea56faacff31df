import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { parseTurtle, tripleSet } from './harvest-helpers.js';
import { BASE, startApp } from './server-helpers.js';

const VOID = 'http://rdfs.org/ns/void#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DOC = `${BASE}.well-known/void`;
const ROOT = `${DOC}#dataset`;

let app: FastifyInstance;
let described: N3.Store;
/** The build the server loaded, read independently (N3.js, not the store). */
let data: N3.Quad[];
beforeAll(async () => {
  app = await startApp();
  const r = await app.inject({ url: '/.well-known/void', headers: { accept: 'text/turtle' } });
  expect(r.statusCode).toBe(200);
  described = new N3.Store(parseTurtle(r.body));
  data = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(join(inject('buildDir'), 'data.nq'), 'utf8'));
});
afterAll(async () => app.close());

const count = (s: string, p: string) => Number(described.getObjects(s, `${VOID}${p}`, null)[0]?.value ?? Number.NaN);

/** VoID's numbers for a set of quads, counted here the way README defines them. */
function stats(quads: N3.Quad[]) {
  const triples = tripleSet(quads);
  return {
    triples: triples.size,
    entities: new Set(quads.filter((q) => q.subject.termType === 'NamedNode' && q.subject.value.startsWith(BASE)).map((q) => q.subject.value)).size,
    classes: new Set(quads.filter((q) => q.predicate.value === RDF_TYPE).map((q) => q.object.value)).size,
    properties: new Set(quads.map((q) => q.predicate.value)).size,
    distinctSubjects: new Set(quads.map((q) => q.subject.value)).size,
  };
}

describe('/.well-known/void', () => {
  it('is negotiated: a page for browsers, Turtle and the other RDF types for machines', async () => {
    expect((await app.inject({ url: '/.well-known/void' })).headers['content-type']).toMatch(/^text\/html/);
    expect((await app.inject({ url: '/.well-known/void', headers: { accept: 'application/ld+json' } })).headers['content-type']).toMatch(/^application\/ld\+json/);
    expect((await app.inject({ url: '/.well-known/void.ttl' })).headers['content-type']).toMatch(/^text\/turtle/);
    const page = (await app.inject({ url: '/.well-known/void?lang=en' })).body;
    expect(page).toContain('Links to other datasets');
    expect(page).toContain('href="/download/all.nq.gz"');
  });

  it('describes the whole dataset: SPARQL endpoint, dump, URI space, vocabularies', () => {
    expect(described.getObjects(DOC, 'http://xmlns.com/foaf/0.1/primaryTopic', null).map((o) => o.value)).toEqual([ROOT]);
    expect(described.getObjects(ROOT, `${VOID}sparqlEndpoint`, null).map((o) => o.value)).toEqual([`${BASE}sparql`]);
    expect(described.getObjects(ROOT, `${VOID}uriLookupEndpoint`, null).map((o) => o.value)).toEqual([`${BASE}fragments?subject=`]);
    expect(described.getObjects(ROOT, `${VOID}dataDump`, null).map((o) => o.value)).toEqual([`${BASE}download/all.nq.gz`]);
    expect(described.getObjects(ROOT, `${VOID}uriSpace`, null).map((o) => o.value)).toEqual([BASE]);
    const vocabularies = described.getObjects(ROOT, `${VOID}vocabulary`, null).map((o) => o.value);
    expect(vocabularies).toEqual(expect.arrayContaining(['http://www.w3.org/ns/dcat#', 'http://purl.org/linked-data/cube#', 'http://www.w3.org/2004/02/skos/core#', `${BASE}def/lg#`]));
  });

  it('counts of the whole match the loaded data', () => {
    const all = stats(data);
    for (const [k, v] of Object.entries(all)) expect(count(ROOT, k), k).toBe(v);
  });

  it('has one subset per named graph, whose counts match the store', async () => {
    const health = (await app.inject({ url: '/health' })).json() as { graphs: Record<string, number> };
    const subsets = described.getObjects(ROOT, `${VOID}subset`, null).map((o) => o.value).filter((s) => !described.has(N3.DataFactory.quad(N3.DataFactory.namedNode(s), N3.DataFactory.namedNode(RDF_TYPE), N3.DataFactory.namedNode(`${VOID}Linkset`))));
    expect(subsets.sort()).toEqual(Object.keys(health.graphs).sort());
    for (const g of subsets) {
      expect(count(g, 'triples'), g).toBe(health.graphs[g]);
      const own = stats(data.filter((q) => q.graph.value === g));
      for (const [k, v] of Object.entries(own)) expect(count(g, k), `${g} ${k}`).toBe(v);
    }
    expect(described.getObjects(`${BASE}graph/units`, `${VOID}dataDump`, null).map((o) => o.value)).toContain(`${BASE}download/units.nt.gz`);
  });

  it('has a void:Linkset per target dataset and link property, with the number of links in the data', () => {
    const linksets = described.getSubjects(RDF_TYPE, `${VOID}Linkset`, null).map((s) => s.value);
    const seen: string[] = [];
    for (const l of linksets) {
      const p = described.getObjects(l, `${VOID}linkPredicate`, null)[0]?.value ?? '';
      const from = described.getObjects(l, `${VOID}subjectsTarget`, null)[0]?.value ?? '';
      const target = described.getObjects(l, `${VOID}objectsTarget`, null)[0]?.value ?? '';
      const space = described.getObjects(target, `${VOID}uriSpace`, null)[0]?.value ?? '';
      const links = data.filter((q) => q.graph.value === from && q.predicate.value === p && q.object.value.startsWith(space));
      expect(count(l, 'triples'), l).toBe(links.length);
      expect(links.length).toBeGreaterThan(0);
      seen.push(`${target.replace(/.*#/, '')} ${p.replace(/.*[#/]/, '')}`);
    }
    expect(seen).toEqual(expect.arrayContaining(['wikidata sameAs', 'wikidata settlementWikidata', 'geonames sameAs', 'geonames exactMatch', 'geonames closeMatch']));
  });
});
