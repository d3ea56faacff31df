import * as $rdf from 'rdflib';
import type { Quad, Term } from '@rdfjs/types';
import { prefixes } from './context.js';
import { usedPrefixes } from './turtle.js';

/**
 * RDF/XML with rdflib's serializer. RDF/XML holds one graph, so the quads arrive in the default
 * graph (serialize.ts drops graph names for triple formats).
 *
 * rdflib quirks this works around:
 * - Given a base, rdflib writes every IRI *relative* to it and declares no `xml:base`; a reader
 *   would then resolve `id/district/X` against the document's own URL
 *   (`/doc/district/X.rdf` -> `/doc/district/id/district/X`). So no base is passed: IRIs stay
 *   absolute.
 * - Without given prefixes rdflib makes some up (`ns0`...) or takes its own defaults (its `geo:`
 *   is WGS84, not GeoSPARQL); ours are set explicitly.
 */

/** Writes quads that are already deduplicated and sorted (serialize.ts). */
export async function toRdfXml(quads: readonly Quad[], base: string): Promise<string> {
  const store = $rdf.graph();
  for (const q of quads) {
    store.add(node(q.subject), node(q.predicate) as $rdf.NamedNode, object(q.object));
  }
  const xml = $rdf.serialize(null, store, undefined, 'application/rdf+xml', undefined, {
    namespaces: usedPrefixes(quads, prefixes(base)),
  });
  if (xml === undefined) throw new Error('RDF/XML: rdflib returned no document');
  return xml;
}

function node(term: Term): $rdf.NamedNode | $rdf.BlankNode {
  if (term.termType === 'NamedNode') return $rdf.sym(term.value);
  if (term.termType === 'BlankNode') return $rdf.blankNode(term.value);
  throw new Error(`RDF/XML: cannot write a ${term.termType} as subject or predicate`);
}

function object(term: Term): $rdf.NamedNode | $rdf.BlankNode | $rdf.Literal {
  if (term.termType !== 'Literal') return node(term);
  if (term.language) return $rdf.lit(term.value, term.language);
  return $rdf.lit(term.value, undefined, $rdf.sym(term.datatype.value));
}
