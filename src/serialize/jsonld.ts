import jsonld from 'jsonld';
import type { ContextDefinition, Options } from 'jsonld';
import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { contextUrl, jsonLdContext } from './context.js';

/**
 * JSON-LD 1.1, compacted with our published context (design.md: "so a harvester gets readable
 * JSON, not expanded arrays").
 *
 * The quads go to jsonld.js as RDF/JS terms (`fromRDF`, JSON-LD 1.1 API "Serialize RDF as
 * JSON-LD"), and are compacted with the context named by its URL, `{base}context.jsonld`, so the
 * output says `"@context": "{base}context.jsonld"` and a client that follows it gets the very
 * object we compacted with (the `/context.jsonld` route serves `jsonLdContext(base)`).
 * jsonld.js never fetches anything: every call gets `documentLoader`, which serves only that URL,
 * from memory, and refuses any other.
 *
 * Why the URL rather than compacting with the context object and swapping the URL in afterwards
 * (same output): jsonld.js caches a context loaded by URL, while an inline object is looked up by
 * its `JSON.stringify` on every call, and measured slower. With the object and an N-Quads string, a
 * district (28 quads) took 7.7 ms and the whole dataset (17.6k quads) 3.0 s; with the URL and
 * RDF/JS terms, 3.1 ms and 1.0 s (2-core machine). jsonld.js stays the slowest of our writers
 * (Turtle: 0.2 ms and 0.16 s): build JSON-LD dumps once, not per request.
 */

/** Options jsonld.js 9 takes that @types/jsonld (written for 1.5) does not know. */
interface SafeMode {
  /** jsonld.js >= 8 "safe mode": throw instead of silently dropping data that does not fit. */
  safe: boolean;
}

/** What a jsonld.js document loader resolves to (@types/jsonld does not export the name). */
type RemoteDocument = Awaited<ReturnType<NonNullable<Options.DocLoader['documentLoader']>>>;

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/**
 * A document loader that serves our context from memory and refuses every other URL: no request
 * ever leaves the process (a JSON-LD document naming a remote context fails loudly instead).
 */
export function contextDocumentLoader(base: string): DocumentLoader {
  const url = contextUrl(base);
  const document = jsonLdContext(base) as unknown as RemoteDocument['document'];
  return async (requested: string) => {
    // A copy: nothing jsonld.js or a caller does to it can change the next answer.
    if (requested === url) return { contextUrl: undefined, documentUrl: url, document: structuredClone(document) };
    throw new Error(`JSON-LD: refusing to load ${requested}: only ${url} is served, from memory`);
  };
}

const loaders = new Map<string, DocumentLoader>();
const loaderFor = (base: string): DocumentLoader => {
  let loader = loaders.get(base);
  if (!loader) loaders.set(base, (loader = contextDocumentLoader(base)));
  return loader;
};

/**
 * The JSON-LD document forms a client can ask for with the `profile` parameter (JSON-LD 1.1 §9;
 * src/http/negotiate.ts): compacted with our context (the default), expanded, flattened (node
 * objects at the top level, expanded), and flattened then compacted with our context.
 */
export type JsonLdForm = 'compacted' | 'expanded' | 'flattened' | 'flattened-compacted';

/**
 * Subjects per jsonld.js call when a compacted document is written in pieces (below): a piece takes
 * a few milliseconds, and holds a few thousand nodes rather than a whole dataset's.
 */
const SUBJECTS_PER_PIECE = 2000;

/**
 * Writes quads that are already deduplicated, sorted and in the default graph (serialize.ts).
 * `subjectsPerPiece` is for the tests (Infinity: always whole).
 */
export async function toJsonLd(quads: readonly Quad[], base: string, form: JsonLdForm = 'compacted', subjectsPerPiece = SUBJECTS_PER_PIECE): Promise<string> {
  if (form === 'compacted') {
    const pieces = subjectPieces(quads, subjectsPerPiece);
    if (pieces) return compactedInPieces(pieces, base);
  }
  return `${JSON.stringify(await jsonLdDocument(quads, base, form), null, 2)}\n`;
}

/** The document as jsonld.js makes it, before it is written out. */
async function jsonLdDocument(quads: readonly Quad[], base: string, form: JsonLdForm): Promise<unknown> {
  // Never jsonld.js's native types: they would also turn xsd:double and xsd:boolean literals into
  // JSON values, and write numbers back in another lexical form. Integers only, by hand, below.
  const expanded = integersAsNumbers(await jsonld.fromRDF(quads, { useNativeTypes: false }));
  // fromRDF's output is already in expanded form, one node object per subject.
  if (form === 'expanded') return expanded;
  if (form === 'flattened') return jsonld.flatten(expanded);
  const options: Options.Compact & SafeMode = {
    documentLoader: loaderFor(base),
    safe: true,
    // Keep every IRI absolute: a relative one would be resolved against wherever the document
    // was fetched from (e.g. /doc/district/TJ-KT-06.jsonld), not against BASE_URI.
    compactToRelative: false,
  };
  // jsonld.js takes a context URL as well as an object; @types/jsonld types only the object.
  const context = contextUrl(base) as unknown as ContextDefinition;
  const compacted = form === 'flattened-compacted'
    ? await jsonld.flatten(expanded, context, options)
    : await jsonld.compact(expanded, context, options);
  return bareIntegers(compacted);
}

/**
 * The quads cut into runs of `size` subjects, when the compacted document can be written piece by
 * piece with the same bytes; undefined when it cannot, or need not (one piece). A whole dataset's
 * JSON-LD through jsonld.js at once (expanded, compacted, then one string) was the converter's
 * memory peak at 10x the country (README, "The converter at scale").
 *
 * Why the pieces give the same document: fromRDF makes one node object per subject, from that
 * subject's triples alone, and lists them in code-unit order of their ids (the order the quads
 * arrive in, serialize.ts); compaction then compacts each node object of the list on its own with
 * the one context. The exceptions are blank nodes (an RDF list's nodes are folded into the node
 * that uses the list, and blank node ids may be relabelled), so quads with any blank node are
 * written whole; so are quads not sorted by subject, or of one subject only (no `@graph` then).
 */
function subjectPieces(quads: readonly Quad[], size: number): Quad[][] | undefined {
  const pieces: Quad[][] = [];
  let piece: Quad[] = [];
  let subjects = 0;
  let last: string | undefined;
  for (const q of quads) {
    if (q.subject.termType !== 'NamedNode' || q.object.termType === 'BlankNode' || q.graph.termType !== 'DefaultGraph') return undefined;
    const s = q.subject.value;
    if (s !== last) {
      if (last !== undefined && s < last) return undefined;
      if (subjects === size) {
        pieces.push(piece);
        piece = [];
        subjects = 0;
      }
      subjects++;
      last = s;
    }
    piece.push(q);
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces.length > 1 ? pieces : undefined;
}

/**
 * The compacted document of all the pieces, written as JSON.stringify(…, null, 2) writes the
 * whole: the first piece's document gives what surrounds the node objects (`@context`, the
 * `@graph` key), and each node object is written on its own, indented to its depth in the array
 * (JSON strings hold no raw line break, so indenting every line is exact).
 */
async function compactedInPieces(pieces: readonly Quad[][], base: string): Promise<string> {
  let shell: [string, string] | undefined;
  const parts: string[] = [];
  for (const piece of pieces) {
    const doc = (await jsonLdDocument(piece, base, 'compacted')) as Record<string, unknown>;
    const graphKey = graphKeyOf(doc);
    // A piece of one node compacts to that node beside @context; of several, to a @graph of them.
    const nodes = graphKey !== undefined ? (doc[graphKey] as unknown[]) : [Object.fromEntries(Object.entries(doc).filter(([k]) => k !== '@context'))];
    if (!shell && graphKey !== undefined) shell = shellOf(doc, graphKey);
    parts.push(nodes.map((n) => INDENT + JSON.stringify(n, null, 2).replaceAll('\n', `\n${INDENT}`)).join(',\n'));
  }
  if (!shell) {
    // Every piece was one node: two of them together show what surrounds the nodes.
    const doc = (await jsonLdDocument([...(pieces[0] ?? []), ...(pieces[1] ?? [])], base, 'compacted')) as Record<string, unknown>;
    const graphKey = graphKeyOf(doc);
    if (graphKey === undefined) throw new Error('JSON-LD in pieces: two subjects did not compact to a @graph');
    shell = shellOf(doc, graphKey);
  }
  return `${shell[0]}${parts.join(',\n')}${shell[1]}\n`;
}

const INDENT = '    ';

/** The key of the node objects' array in a compacted document of several nodes (`@graph`). */
function graphKeyOf(doc: Record<string, unknown>): string | undefined {
  const keys = Object.keys(doc);
  return keys.length === 2 && keys.includes('@context') ? keys.find((k) => k !== '@context' && Array.isArray(doc[k])) : undefined;
}

/** The text of `doc` before and after its node objects, as JSON.stringify(doc, null, 2) writes it. */
function shellOf(doc: Record<string, unknown>, graphKey: string): [string, string] {
  const NODES = '\u0001nodes\u0001';
  const text = JSON.stringify(Object.fromEntries(Object.keys(doc).map((k) => [k, k === graphKey ? [NODES] : doc[k]])), null, 2);
  const [before, after, ...rest] = text.split(`${INDENT}${JSON.stringify(NODES)}`);
  if (before === undefined || after === undefined || rest.length > 0) throw new Error('JSON-LD in pieces: no single place for the nodes');
  return [before, after];
}

const XSD_INTEGER = `${STD.xsd}integer`;
/** xsd:integer and the integer types derived from it that we publish. */
const INTEGER_TYPES = new Set(['integer', 'nonNegativeInteger', 'positiveInteger'].map((t) => `${STD.xsd}${t}`));

/**
 * The lexical form JSON-LD's "Object to RDF" writes for a JSON number with no fractional part: the
 * canonical xsd:integer form. Only a literal already in that form, and small enough for a JSON
 * number to hold exactly (2^53), becomes a number, so that reading the JSON-LD back gives the very
 * literal we wrote ("007"^^xsd:integer or a 20-digit integer stays a string).
 */
function asExactNumber(lexical: string): number | undefined {
  if (!/^(0|-?[1-9][0-9]*)$/.test(lexical)) return undefined;
  const n = Number(lexical);
  return Number.isSafeInteger(n) && String(n) === lexical ? n : undefined;
}

/**
 * Issue #11: a harvester reading JSON expects a number where the datatype is an integer. In the
 * expanded form (fromRDF's output) the value object of an integer literal in canonical form gets a
 * JSON number as `@value`, its `@type` kept: compaction then writes the bare number under a key
 * whose definition fixes that datatype (`"population": 234600`), and "Object to RDF" (JSON-LD 1.1
 * §8.6) turns it back into the same literal. xsd:decimal is left a string: a JSON number with a
 * fraction reads back in the xsd:double lexical form ("12.5"^^xsd:decimal would come back as
 * "1.25E1"^^xsd:decimal), so decimals stay typed strings (`"area": "900"`).
 */
function integersAsNumbers<T>(expanded: T): T {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const w of v) walk(w);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const value = o['@value'];
    const type = o['@type'];
    if (typeof value === 'string' && typeof type === 'string' && INTEGER_TYPES.has(type)) {
      const n = asExactNumber(value);
      if (n !== undefined) o['@value'] = n;
      return;
    }
    for (const w of Object.values(o)) walk(w);
  };
  walk(expanded);
  return expanded;
}

/**
 * After compaction, an xsd:integer under a key that fixes no datatype (an indicator's measure,
 * `"ind:pupils"`) is still a value object, `{"type": "xsd:integer", "@value": 5}`: the bare number
 * says the same (a JSON integer reads back as xsd:integer in canonical form), so it is written bare.
 * Other integer types (xsd:nonNegativeInteger) keep their object: a bare number would read back
 * as xsd:integer.
 */
function bareIntegers(compacted: unknown): unknown {
  if (Array.isArray(compacted)) return compacted.map(bareIntegers);
  if (compacted === null || typeof compacted !== 'object') return compacted;
  const o = compacted as Record<string, unknown>;
  const keys = Object.keys(o);
  const type = o['type'] ?? o['@type'];
  if (keys.length === 2 && typeof o['@value'] === 'number' && (type === 'xsd:integer' || type === XSD_INTEGER) && (keys.includes('type') || keys.includes('@type'))) {
    return o['@value'];
  }
  return Object.fromEntries(keys.map((k) => [k, bareIntegers(o[k])]));
}
