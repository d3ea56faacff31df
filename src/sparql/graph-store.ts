import N3 from 'n3';
import { restoreDatatypes } from '../catalog/catalog-query.js';
import { sparqlIri } from '../rdf/sparql-escape.js';
import type { LinkedDataStore } from '../store/store.js';

/**
 * The read side of the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/),
 * on the SPARQL endpoint itself with indirect graph identification (§4.2), as Fuseki and
 * Oxigraph's server offer it: `GET /sparql?graph=IRI` is one named graph, `GET /sparql?default`
 * the default graph (§5.2: "the same as ... CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <g> { ?s ?p ?o } }").
 * Our default graph is the union of the named graphs (design.md), so `?default` is every triple
 * we publish, each once.
 *
 * The graph IRI reaches the query only after the route has found it among the store's graphs, and
 * then only through sparqlIri (src/rdf/sparql-escape.ts). No result limit applies: the graph is
 * the resource asked for, and the largest is the whole (small) dataset; the store's time limit does.
 */

export type GraphName = { iri: string } | 'default';

/** The CONSTRUCT that reads a graph (§5.2's equivalence, word for word). */
export function graphQuery(graph: GraphName): string {
  return graph === 'default'
    ? 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }'
    : `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ${sparqlIri(graph.iri)} { ?s ?p ?o } }`;
}

const { quad, literal, namedNode } = N3.DataFactory;

/**
 * The triples of a graph, read from the store as N-Triples, with the datatypes the store loses
 * given back (`dcat:byteSize` is published as xsd:nonNegativeInteger, and Oxigraph answers it as
 * xsd:integer: src/catalog/catalog-query.ts), so the graph is the one published, term for term.
 */
export async function graphTriples(store: LinkedDataStore, graph: GraphName): Promise<N3.Quad[]> {
  const text = await store.query(graphQuery(graph), { resultsFormat: 'application/n-triples' });
  const triples = new N3.Parser({ format: 'N-Triples' }).parse(text);
  return restoreDatatypes(triples, (q, datatype) => quad(q.subject, q.predicate, literal(q.object.value, namedNode(datatype)), q.graph));
}
