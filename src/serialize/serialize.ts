import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import { type RdfFormatKey, formatByKey } from './formats.js';
import { toN3Syntax } from './turtle.js';
import type { JsonLdForm } from './jsonld.js';

/**
 * One entry point from quads to a document in any of our RDF formats (design.md, "Content
 * negotiation"). The format table is `formats.ts`; each format family has its own file:
 * `turtle.ts` (Turtle, TriG, N-Triples, N-Quads, all with N3.js), `jsonld.ts`, `rdfxml.ts`.
 */

export interface SerializeOptions {
  /** BASE_URI: gives the `lg:` and `ind:` prefixes and the JSON-LD context URL. */
  base: string;
  /**
   * For the formats that hold named graphs (N-Quads, TriG): keep each quad's graph name (the
   * default), or `false` to write every quad into the default graph. Triple formats (Turtle,
   * N-Triples, JSON-LD, RDF/XML) always drop graph names: a document there is a set of triples.
   */
  graph?: boolean;
  /** The JSON-LD document form (the `profile` a client asked for); compacted by default. */
  jsonLdForm?: JsonLdForm;
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const { quad: makeQuad, defaultGraph } = N3.DataFactory;

/**
 * Serializes quads. The output depends only on the set of quads, not on their order: quads are
 * deduplicated (after dropping graph names where the format has none) and sorted by graph,
 * subject, predicate (rdf:type first, so Turtle starts a description with `a`) and object.
 */
export async function serialize(quads: readonly Quad[], format: RdfFormatKey, opts: SerializeOptions): Promise<string> {
  const keepGraphs = formatByKey(format).namedGraphs && opts.graph !== false;
  const sorted = canonicalOrder(quads, keepGraphs);
  switch (format) {
    case 'ttl':
    case 'trig':
    case 'nt':
    case 'nq':
      return toN3Syntax(sorted, format, opts.base);
    case 'jsonld':
      // jsonld.js and rdflib are loaded on first use: they are most of the server's start-up time.
      return (await import('./jsonld.js')).toJsonLd(sorted, opts.base, opts.jsonLdForm);
    case 'rdf':
      return (await import('./rdfxml.js')).toRdfXml(sorted, opts.base);
  }
}

/**
 * The quads, without duplicates, in a fixed order; graph names replaced by the default graph
 * unless `keepGraphs`. Exported for the tests and for other writers (dumps) that need the same order.
 */
export function canonicalOrder(quads: readonly Quad[], keepGraphs: boolean): Quad[] {
  const byKey = new Map<string, { quad: Quad; sortKey: readonly string[] }>();
  for (const q of quads) {
    const graph = keepGraphs ? q.graph : defaultGraph();
    const g = id(graph);
    const s = id(q.subject);
    const p = q.predicate.value === RDF_TYPE ? '' : id(q.predicate);
    const o = id(q.object);
    // The ids are N3's term ids: unambiguous for IRIs, blank nodes and literals (with language
    // and datatype), so the joined key identifies the quad.
    const key = [g, s, p, o].join('\u0000');
    if (!byKey.has(key)) {
      byKey.set(key, { quad: keepGraphs ? q : makeQuad(q.subject as N3.Quad_Subject, q.predicate as N3.Quad_Predicate, q.object as N3.Quad_Object, graph), sortKey: [g, s, p, o] });
    }
  }
  return [...byKey.values()].sort((a, b) => compareKeys(a.sortKey, b.sortKey)).map((e) => e.quad);
}

function id(term: Quad[keyof Pick<Quad, 'subject' | 'predicate' | 'object' | 'graph'>]): string {
  return N3.termToId(term as N3.Term);
}

/** Code-unit order (not locale order, which would differ between machines). */
function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
