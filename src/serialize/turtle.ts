import N3 from 'n3';
import type { Literal, Quad, Term } from '@rdfjs/types';
import { prefixes } from './context.js';

/**
 * Turtle, TriG, N-Triples and N-Quads with N3.js's Writer. N-Triples and N-Quads come out in N3's
 * canonical line form (one quad per line); Turtle and TriG use our prefixes, and N3 groups
 * consecutive quads of one subject with `;` and `,`, which is why the quads arrive sorted.
 *
 * IRIs stay absolute. N3's `baseIRI` option relativizes only some of them (it skips paths with
 * segments shorter than three characters, such as `id/district/X`), which reads worse than none.
 */

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

export type N3SyntaxKey = 'ttl' | 'trig' | 'nt' | 'nq';

const N3_FORMAT: Record<N3SyntaxKey, string> = {
  ttl: 'Turtle',
  trig: 'TriG',
  nt: 'N-Triples',
  nq: 'N-Quads',
};

/** Writes quads that are already deduplicated and sorted (serialize.ts). */
export function toN3Syntax(quads: readonly Quad[], format: N3SyntaxKey, base: string): Promise<string> {
  const lineBased = format === 'nt' || format === 'nq';
  const writer = new N3.Writer({
    format: N3_FORMAT[format],
    ...(lineBased ? {} : { prefixes: usedPrefixes(quads, prefixes(base)) }),
  });
  for (const q of quads) writer.addQuad(q as N3.Quad);
  return new Promise((resolve, reject) => {
    writer.end((error: Error | null, result: string) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * The prefixes some IRI of the quads starts with (datatypes included): a document declares only
 * what it uses, so a district's Turtle does not open with twenty lines of prefixes.
 */
export function usedPrefixes(quads: readonly Quad[], all: Record<string, string>): Record<string, string> {
  const prefixOf = prefixFinder(all);
  const used = new Set<string>();
  const visit = (term: Term) => {
    const iri = term.termType === 'NamedNode' ? term.value : term.termType === 'Literal' ? writtenDatatype(term) : undefined;
    // rdf:type is written `a`
    if (iri === undefined || iri === RDF_TYPE) return;
    const hit = prefixOf(iri);
    if (hit !== undefined) used.add(hit);
  };
  for (const q of quads) {
    visit(q.subject);
    visit(q.predicate);
    visit(q.object);
    visit(q.graph);
  }
  return Object.fromEntries(Object.entries(all).filter(([prefix]) => used.has(prefix)));
}

/**
 * The prefix whose namespace is the longest one an IRI starts with (and is longer than), or
 * undefined. A namespace ending in `/` or `#` can only end at or before the IRI's last `/` or `#`,
 * so the answer for those is the same for every IRI up to that point and is looked up once per
 * such stem (a slice's Turtle has thousands of observation IRIs and a few dozen stems); the rare
 * namespace ending otherwise is tried on every IRI, as all were before (same answers).
 */
function prefixFinder(all: Record<string, string>): (iri: string) => string | undefined {
  // Longest namespace first, so an IRI counts for the most specific one.
  const entries = Object.entries(all).sort((a, b) => b[1].length - a[1].length);
  const regular = entries.filter(([, ns]) => ns.endsWith('/') || ns.endsWith('#'));
  const odd = entries.filter(([, ns]) => !(ns.endsWith('/') || ns.endsWith('#')));
  const within = (list: [string, string][], iri: string) => list.find(([, ns]) => iri.startsWith(ns) && iri.length > ns.length);
  const byStem = new Map<string, [string, string] | undefined>();
  return (iri) => {
    const cut = Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#')) + 1;
    let hit: [string, string] | undefined;
    if (cut > 0 && cut < iri.length) {
      const stem = iri.slice(0, cut);
      if (!byStem.has(stem)) byStem.set(stem, regular.find(([, ns]) => stem.startsWith(ns)));
      hit = byStem.get(stem);
    } else {
      hit = within(regular, iri);
    }
    const other = odd.length > 0 ? within(odd, iri) : undefined;
    if (other && (!hit || other[1].length > hit[1].length)) hit = other;
    return hit?.[0];
  };
}

/** The datatype a writer spells out: none for a language-tagged string or an xsd:string. */
function writtenDatatype(literal: Literal): string | undefined {
  return literal.language || literal.datatype.value === XSD_STRING ? undefined : literal.datatype.value;
}
