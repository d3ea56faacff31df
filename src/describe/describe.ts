import N3 from 'n3';
import type { LinkedDataStore } from '../store/store.js';
import { STD } from '../rdf/namespaces.js';
import { sparqlIri, sparqlString } from '../rdf/sparql-escape.js';
import { documentQuery, figuresBelowQuery } from './document-query.js';

const NT = 'application/n-triples';

export type Row = Record<string, { value: string; lang?: string }>;

function parseNTriples(text: string): N3.Quad[] {
  return new N3.Parser({ format: 'N-Triples' }).parse(text);
}

/**
 * Reads documents out of the store. Everything goes through `LinkedDataStore.query`, so the
 * embedded store could be replaced by a remote SPARQL endpoint without touching a route.
 */
export class Describer {
  constructor(private readonly store: LinkedDataStore, private readonly base: string) {}

  /** The quads of the document about `iri`; empty when the store says nothing about it. */
  async document(iri: string): Promise<N3.Quad[]> {
    const quads = parseNTriples(await this.store.query(documentQuery(iri, this.base), { resultsFormat: NT }));
    return quads.some((q) => q.subject.value === iri) ? quads : [];
  }

  /**
   * For a unit's HTML page: the figures of the units directly below it (a district's jamoats, a
   * region's district-level units with their own figures or computed totals, the country's
   * regions) with their values: to count who reported each indicator and year ("n of m units
   * reported", src/html/statistics.ts) and to compare the units (the profile's charts,
   * src/html/comparison.ts), with the indicators' and datasets' names. Not part of the RDF
   * document: its data is the units' own documents.
   */
  async figuresBelow(iri: string): Promise<N3.Quad[]> {
    return parseNTriples(await this.store.query(figuresBelowQuery(iri, this.base), { resultsFormat: NT }));
  }

  /** The vocabulary's own terms (`/def/lg` and `/def/lg#…`), without the indicators. */
  async vocabulary(): Promise<N3.Quad[]> {
    const q = `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ${sparqlIri(`${this.base}graph/vocabulary`)} { ?s ?p ?o . FILTER(STRSTARTS(STR(?s), ${sparqlString(`${this.base}def/lg`)})) } }`;
    return parseNTriples(await this.store.query(q, { resultsFormat: NT }));
  }

  /**
   * A named graph has no triples of its own; its description says which dataset it holds and how
   * big it is (design.md: `/graph/{dataset}`), with the dataset's titles.
   */
  async graph(graphIri: string, topicIri: string, triples: number): Promise<N3.Quad[]> {
    const { namedNode, literal, quad } = N3.DataFactory;
    const titles = await this.store.query(
      `CONSTRUCT { ${sparqlIri(topicIri)} ?p ?o } WHERE { ${sparqlIri(topicIri)} ?p ?o . FILTER(?p IN (<${STD.dct}title>, <${STD.rdf}type>, <${STD.rdfs}label>)) }`,
      { resultsFormat: NT },
    );
    const g = namedNode(graphIri);
    return [
      quad(g, namedNode(`${STD.rdf}type`), namedNode('http://www.w3.org/ns/sparql-service-description#NamedGraph')),
      quad(g, namedNode('http://www.w3.org/ns/sparql-service-description#name'), g),
      quad(g, namedNode('http://xmlns.com/foaf/0.1/primaryTopic'), namedNode(topicIri)),
      quad(g, namedNode('http://rdfs.org/ns/void#triples'), literal(String(triples), namedNode(`${STD.xsd}integer`))),
      quad(g, namedNode(`${STD.rdfs}label`), literal(`Named graph ${graphIri.slice(this.base.length)}`, 'en')),
      ...parseNTriples(titles),
    ];
  }

  /**
   * Every subject IRI we mint under /id/ that has a document: for a quick 404, the sitemap and the
   * units up the hierarchy on an error page. A retired unit's IRI is not among them: it answers 301
   * or 410 (routes check it first).
   */
  async knownIds(): Promise<Set<string>> {
    const json = await this.store.query(
      `SELECT DISTINCT ?s WHERE { ?s ?p ?o . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${sparqlString(`${this.base}id/`)}) && !CONTAINS(STR(?s), "#")) FILTER NOT EXISTS { ?s ${sparqlIri(`${this.base}def/lg#retiredOn`)} ?retired } }`,
      { resultsFormat: 'application/sparql-results+json' },
    );
    const parsed = JSON.parse(json) as { results: { bindings: { s: { value: string } }[] } };
    return new Set(parsed.results.bindings.map((b) => b.s.value));
  }

  /** SELECT results as rows of `{ value, lang }`, for the page models (home, coverage, search). */
  async select(sparql: string): Promise<Row[]> {
    const json = await this.store.query(sparql, { resultsFormat: 'application/sparql-results+json' });
    const parsed = JSON.parse(json) as { results: { bindings: Record<string, { value: string; 'xml:lang'?: string }>[] } };
    return parsed.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, { value: v.value, ...(v['xml:lang'] ? { lang: v['xml:lang'] } : {}) }])));
  }
}
