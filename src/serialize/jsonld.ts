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

/** Writes quads that are already deduplicated, sorted and in the default graph (serialize.ts). */
export async function toJsonLd(quads: readonly Quad[], base: string, form: JsonLdForm = 'compacted'): Promise<string> {
  // Never jsonld.js's native types: they would also turn xsd:double and xsd:boolean literals into
  // JSON values, and write numbers back in another lexical form. Integers only, by hand, below.
  const expanded = integersAsNumbers(await jsonld.fromRDF(quads, { useNativeTypes: false }));
  // fromRDF's output is already in expanded form, one node object per subject.
  if (form === 'expanded') return `${JSON.stringify(expanded, null, 2)}\n`;
  if (form === 'flattened') return `${JSON.stringify(await jsonld.flatten(expanded), null, 2)}\n`;
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
  return `${JSON.stringify(bareIntegers(compacted), null, 2)}\n`;
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
