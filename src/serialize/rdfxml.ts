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
 * - It writes a carriage return in a literal as is, and XML parsers turn it into a line feed
 *   (XML 1.0 §2.11): we write it as `&#13;`, which survives. It leaves `>` unescaped, but `]]>`
 *   is not allowed in XML text (XML 1.0 §2.4): we write `]]&gt;`.
 * - It writes element names for predicates (and for the first rdf:type of a subject) without
 *   checking they are XML names: `http://example.org/1st` would give `<ns:1st>`, which is not
 *   XML. Not every graph can be written in RDF/XML (RDF 1.1 XML Syntax: a property IRI must
 *   split into a namespace and an XML local name), so such a graph is refused with an error that
 *   names the IRI, as is a literal with a character XML 1.0 cannot hold at all.
 */

/** Writes quads that are already deduplicated and sorted (serialize.ts). */
export async function toRdfXml(quads: readonly Quad[], base: string): Promise<string> {
  const store = $rdf.graph();
  for (const q of quads) {
    check(q);
    store.add(node(q.subject), node(q.predicate) as $rdf.NamedNode, object(q.object));
  }
  const xml = $rdf.serialize(null, store, undefined, 'application/rdf+xml', undefined, {
    namespaces: usedPrefixes(quads, prefixes(base)),
  });
  if (xml === undefined) throw new Error('RDF/XML: rdflib returned no document');
  // rdflib's markup holds no \r and no ']]>', so both can only come from a literal.
  return emptyNodeElements(xml.replaceAll('\r', '&#13;').replaceAll(']]>', ']]&gt;'));
}

/**
 * A subject with a type and nothing else (a slice's landing page, a foaf:Document) is written by
 * rdflib as a typed node element holding only white space. That is valid RDF/XML, but rdflib's
 * own parser (and so rdflib.js clients) reads the white space as an rdf:value literal: the element
 * is closed empty instead. Only rdflib's markup can match (a literal's text has no '<').
 */
function emptyNodeElements(xml: string): string {
  return xml.replace(/(<([A-Za-z_][\w.:-]*) rdf:about="[^"<>]*")>\s*<\/\2>/g, '$1/>');
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

// XML 1.0 (Fifth Edition) §2.3 NameStartChar and NameChar, without ':' (an NCName).
const NAME_START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NC_NAME = new RegExp(`^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*$`);
// XML 1.0 §2.2 Char: no C0 controls but tab, line feed and carriage return; no U+FFFE, U+FFFF.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function check(q: Quad): void {
  if (!hasXmlLocalName(q.predicate.value)) {
    throw new Error(`RDF/XML cannot write the predicate <${q.predicate.value}>: it does not end in an XML name`);
  }
  if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode' && !hasXmlLocalName(q.object.value)) {
    throw new Error(`RDF/XML (rdflib) cannot write the class <${q.object.value}>: it does not end in an XML name`);
  }
  if (q.object.termType === 'Literal' && NOT_XML_CHAR.test(q.object.value)) {
    throw new Error(`RDF/XML cannot write a literal of <${q.subject.value}> <${q.predicate.value}>: it holds a control character XML 1.0 does not allow`);
  }
}

/** Whether rdflib's split of the IRI (at the first '#', else the last '/') leaves an XML name. */
function hasXmlLocalName(iri: string): boolean {
  const hash = iri.indexOf('#');
  const cut = hash >= 0 ? hash : iri.lastIndexOf('/');
  return cut >= 0 && NC_NAME.test(iri.slice(cut + 1));
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
