/**
 * The one table of the document formats we serve (design.md, "Content negotiation" and the
 * `/doc/{path}.{ext}` pattern). Routes, negotiation and serializers all look formats up here:
 * nothing else maps an extension or a media type to a format (style.md, "Avoid 4").
 */

export type FormatKey = 'html' | 'ttl' | 'jsonld' | 'nt' | 'rdf' | 'nq' | 'trig';

/** The formats that hold RDF, i.e. every format but the HTML page. */
export type RdfFormatKey = Exclude<FormatKey, 'html'>;

export interface Format {
  key: FormatKey;
  /** The extension of the fixed variant `/doc/{path}.{ext}`: always the same as `key`. */
  extension: FormatKey;
  /** The media type we answer with (without parameters). */
  mediaType: string;
  /** The `charset` parameter for Content-Type, or undefined where the media type has none. */
  charset: 'utf-8' | undefined;
  /** Whether the format keeps named graphs (N-Quads, TriG); the others hold triples only. */
  namedGraphs: boolean;
}

/**
 * In the order negotiation prefers them on a tie (`*` / `*`, `text/*`, no Accept header): HTML
 * first (design.md), then the RDF formats, the most widely read first.
 *
 * Charsets: N-Triples, N-Quads, TriG and JSON-LD are UTF-8 by definition and their registrations
 * define no charset parameter (TriG's IANA entry: "Optional parameters: None ... The encoding is
 * always UTF-8"; JSON: RFC 8259 §11 "No 'charset' parameter is defined"). HTML, RDF/XML (an XML
 * type) and Turtle (a `text/` type whose registration allows `charset`, value always UTF-8) say
 * `charset=utf-8`.
 */
export const FORMATS: readonly Format[] = [
  { key: 'html', extension: 'html', mediaType: 'text/html', charset: 'utf-8', namedGraphs: false },
  { key: 'ttl', extension: 'ttl', mediaType: 'text/turtle', charset: 'utf-8', namedGraphs: false },
  { key: 'jsonld', extension: 'jsonld', mediaType: 'application/ld+json', charset: undefined, namedGraphs: false },
  { key: 'nt', extension: 'nt', mediaType: 'application/n-triples', charset: undefined, namedGraphs: false },
  { key: 'rdf', extension: 'rdf', mediaType: 'application/rdf+xml', charset: 'utf-8', namedGraphs: false },
  { key: 'nq', extension: 'nq', mediaType: 'application/n-quads', charset: undefined, namedGraphs: true },
  { key: 'trig', extension: 'trig', mediaType: 'application/trig', charset: undefined, namedGraphs: true },
];

/**
 * Media types a client may ask for that we answer with one of our formats: design.md says
 * `application/json` is answered as JSON-LD (a JSON-LD document is JSON); the others are the
 * older or looser names RDF clients send (rdflib's `text/plain` for N-Triples, `text/n3`:
 * Turtle is valid N3). Negotiation (src/http/negotiate.ts, ALIASES) answers them with our type.
 */
export const MEDIA_TYPE_ALIASES: Readonly<Record<string, FormatKey>> = {
  'application/json': 'jsonld',
  'text/plain': 'nt',
  'application/x-turtle': 'ttl',
  'text/n3': 'ttl',
  'application/xml': 'rdf',
  'text/xml': 'rdf',
};

const byKey = new Map<string, Format>(FORMATS.map((f) => [f.key, f]));
const byExtension = new Map<string, Format>(FORMATS.map((f) => [f.extension, f]));
const byMediaType = new Map<string, Format>([
  ...FORMATS.map((f) => [f.mediaType, f] as const),
  ...Object.entries(MEDIA_TYPE_ALIASES).map(([type, key]) => [type, byKey.get(key) as Format] as const),
]);

/** The format of a fixed variant `/doc/{path}.{ext}`; undefined for an extension we don't serve. */
export function formatByExtension(extension: string): Format | undefined {
  return byExtension.get(extension);
}

/**
 * The format for a media type (an alias included), ignoring case; parameters must already be
 * stripped (negotiation returns bare types). Undefined for a type we don't serve.
 */
export function formatByMediaType(mediaType: string): Format | undefined {
  return byMediaType.get(mediaType.toLowerCase());
}

export function formatByKey(key: FormatKey): Format {
  return byKey.get(key) as Format;
}

/** The Content-Type header value for a format, e.g. `text/turtle; charset=utf-8`. */
export function contentType(format: Format): string {
  return format.charset ? `${format.mediaType}; charset=${format.charset}` : format.mediaType;
}

/** Every media type we serve, in preference order: the `available` list for negotiation. */
export const MEDIA_TYPES: readonly string[] = FORMATS.map((f) => f.mediaType);

/** The same without HTML, for responses that have no HTML page (e.g. SPARQL CONSTRUCT). */
export const RDF_MEDIA_TYPES: readonly string[] = FORMATS.filter((f) => f.key !== 'html').map((f) => f.mediaType);
