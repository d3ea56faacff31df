import N3 from 'n3';
import type { Literal, NamedNode, Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { sparqlIri, sparqlString } from '../rdf/sparql-escape.js';
import type { LinkedDataStore } from '../store/store.js';
import type { TriplePattern } from './pattern.js';

/**
 * One page of a fragment and the number of triples matching its pattern, read from the store
 * through its SPARQL interface (LinkedDataStore.query), so the remote store works as well as the
 * embedded one. The default graph is the union of the named graphs, as on /sparql.
 *
 * Both queries take the matches DISTINCT: a triple stated in two named graphs is one triple of
 * the union, and counted once. The pages come in the engine's order, which is the same for every
 * request on the same data (Oxigraph reads its indexes in order), so OFFSET pages never overlap.
 */

/** Triples per page (hydra:itemsPerPage): LinkedDataFragments/Server.js's default. */
export const PAGE_SIZE = 100;

function sparqlTerm(t: NamedNode | Literal): string {
  if (t.termType === 'NamedNode') return sparqlIri(t.value);
  if (t.language) return `${sparqlString(t.value)}@${t.language}`;
  return t.datatype.value === `${STD.xsd}string` ? sparqlString(t.value) : `${sparqlString(t.value)}^^${sparqlIri(t.datatype.value)}`;
}

/** The pattern as SPARQL: constants escaped (src/rdf/sparql-escape.ts), open positions as ?s ?p ?o. */
export function patternSparql(p: TriplePattern): { triple: string; variables: string[] } {
  const parts: [NamedNode | Literal | undefined, string][] = [[p.subject, '?s'], [p.predicate, '?p'], [p.object, '?o']];
  return {
    triple: parts.map(([t, v]) => (t ? sparqlTerm(t) : v)).join(' '),
    variables: parts.filter(([t]) => !t).map(([, v]) => v),
  };
}

/** CONSTRUCT of the triples of one page. */
export function pageQuery(p: TriplePattern, page: number): string {
  const { triple, variables } = patternSparql(p);
  const projection = variables.length > 0 ? variables.join(' ') : '*';
  return `CONSTRUCT { ${triple} } WHERE { SELECT DISTINCT ${projection} WHERE { ${triple} } LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE} }`;
}

/** The exact number of distinct matching triples. */
export function countQuery(p: TriplePattern): string {
  const { triple, variables } = patternSparql(p);
  const projection = variables.length > 0 ? variables.join(' ') : '*';
  return `SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ${projection} WHERE { ${triple} } }`;
}

export async function readPage(store: LinkedDataStore, p: TriplePattern, page: number): Promise<Quad[]> {
  const nt = await store.query(pageQuery(p, page), { resultsFormat: 'application/n-triples' });
  return new N3.Parser({ format: 'N-Triples' }).parse(nt);
}

export async function countMatches(store: LinkedDataStore, p: TriplePattern): Promise<number> {
  const json = JSON.parse(await store.query(countQuery(p), { resultsFormat: 'application/sparql-results+json' })) as {
    results: { bindings: { n?: { value: string } }[] };
  };
  return Number(json.results.bindings[0]?.n?.value ?? 0);
}
