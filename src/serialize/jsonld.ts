import jsonld from 'jsonld';
import type { ContextDefinition, Options } from 'jsonld';
import type { Quad } from '@rdfjs/types';
import { contextUrl, jsonLdContext } from './context.js';
import { toN3Syntax } from './turtle.js';

/**
 * JSON-LD 1.1, compacted with our published context (design.md: "so a harvester gets readable
 * JSON, not expanded arrays").
 *
 * The quads go to jsonld.js as N-Quads (`fromRDF`, JSON-LD 1.1 API §8.5: RDF to JSON-LD), are
 * compacted with the context *object*, and the output then names the context by its URL,
 * `{base}context.jsonld`, where the same object is served. jsonld.js never fetches anything: the
 * context is inline during processing and every call gets `documentLoader`, which answers only
 * our context URL, from memory.
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
    if (requested === url) return { contextUrl: undefined, documentUrl: url, document };
    throw new Error(`JSON-LD: refusing to load ${requested}: only ${url} is served, from memory`);
  };
}

/** Writes quads that are already deduplicated, sorted and in the default graph (serialize.ts). */
export async function toJsonLd(quads: readonly Quad[], base: string): Promise<string> {
  const documentLoader = contextDocumentLoader(base);
  const expanded = await jsonld.fromRDF(await toN3Syntax(quads, 'nq', base), { format: 'application/n-quads' });
  const options: Options.Compact & SafeMode = {
    documentLoader,
    safe: true,
    // Keep every IRI absolute: a relative one would be resolved against wherever the document
    // was fetched from (e.g. /doc/district/TJ-KT-06.jsonld), not against BASE_URI.
    compactToRelative: false,
  };
  const context = jsonLdContext(base)['@context'] as ContextDefinition;
  const compacted = await jsonld.compact(expanded, context, options);
  // Same key position, the URL instead of the inline object.
  compacted['@context'] = contextUrl(base);
  return `${JSON.stringify(compacted, null, 2)}\n`;
}
