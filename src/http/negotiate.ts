import Negotiator from 'negotiator';
import type { JsonLdForm } from '../serialize/jsonld.js';

/**
 * Content negotiation as pure functions (style.md, example 10): headers in, a decision out; the
 * routes do the I/O. The Accept grammar and q-value comparison are negotiator's (jshttp, the one
 * Express uses); nothing here parses a header by hand.
 *
 * RFC 9110 §12.5.1 (Accept):
 *   Accept = #( media-range [ weight ] )
 *   media-range = ( "*" "/" "*" / ( type "/" "*" ) / ( type "/" subtype ) ) parameters
 * "Each media-range might be followed by optional applicable media type parameters (e.g., charset),
 * followed by an optional "q" parameter for indicating a relative weight (Section 12.4.2)." A more
 * specific range overrides a less specific one, so `text/*;q=0.5, text/turtle` gives Turtle q=1
 * and HTML q=0.5; q=0 means "not acceptable" (§12.4.2). "A request without any Accept header
 * field implies that the user agent will accept any media type in response."
 *
 * Our choices where the RFC leaves room (design.md, "Content negotiation"):
 * - No Accept header, or `*` / `*`: the first of `available` (we list HTML first: most such
 *   requests come from browsers and link checkers). On equal q, negotiator ranks the more
 *   specific range first, then the client's order of ranges, then ours: `text/*` gives HTML
 *   before Turtle, while `application/n-triples, text/turtle` gives N-Triples, as the client
 *   listed it first.
 * - `application/json` is answered as JSON-LD when JSON-LD is available, at the q the client gives
 *   `application/json`, unless the client refuses `application/ld+json` itself with q=0.
 * - The older or looser names RDF clients send are answered with our type of that syntax (the
 *   ALIASES below): rdflib's `parse(format="nt")` sends `text/plain, *` `/` `*;q=0.1`, raptor and
 *   older tools `application/x-turtle`, `text/n3` (Turtle is valid N3), `application/xml` or
 *   `text/xml` (RDF/XML). The answer's Content-Type is our canonical type (`application/n-triples`
 *   for `text/plain`), as Oxigraph's server does; README "Choices where the design is silent".
 * - JSON-LD's `profile` parameter (JSON-LD 1.1 §9, IANA Considerations) chooses the document form:
 *   `#compacted` (what we serve by default), `#expanded`, `#flattened`, and `#flattened` with
 *   `#compacted` (in either order). The choice comes back as `profile`. So does `charset=utf-8`
 *   on any of our types. Other parameters (another profile, another charset) don't match:
 *   negotiator, like the RFC, applies a range with parameters only to types with those
 *   parameters, so `text/turtle;charset=iso-8859-1` alone gets 406.
 * - A header we can't use is "nothing acceptable" (406 with the alternatives), which §12.5.1
 *   allows ("can either honor the header field by sending a 406 ... or disregard the header
 *   field"): a header with no valid media range (`;;;q=abc`, unicode garbage), and one longer
 *   than MAX_ACCEPT_LENGTH, which we don't parse at all. A header that is empty or only blanks
 *   counts as absent. The 406 lists the fixed variants (`.ttl`, `.jsonld`...), which serve a
 *   broken client better than a guess.
 */

/** Longer Accept headers are not parsed (no browser sends more than a few hundred bytes). */
export const MAX_ACCEPT_LENGTH = 4096;

/** A JSON-LD document form (JSON-LD 1.1 §9: the `profile` IRIs `http://www.w3.org/ns/json-ld#…`). */
export type JsonLdProfile = JsonLdForm;

export type Negotiated = { type: string; profile?: JsonLdProfile } | { notAcceptable: string[] };

const JSON_LD = 'application/ld+json';
const NS = 'http://www.w3.org/ns/json-ld#';
const jsonLdProfile = (iris: string) => `${JSON_LD};profile="${iris}"`;

/** The JSON-LD `profile` values we honour, as the candidate types negotiator matches. */
const PROFILES: ReadonlyMap<string, JsonLdProfile> = new Map([
  [jsonLdProfile(`${NS}compacted`), 'compacted'],
  [jsonLdProfile(`${NS}expanded`), 'expanded'],
  [jsonLdProfile(`${NS}flattened`), 'flattened'],
  [jsonLdProfile(`${NS}flattened ${NS}compacted`), 'flattened-compacted'],
  [jsonLdProfile(`${NS}compacted ${NS}flattened`), 'flattened-compacted'],
]);

/**
 * Media types a client may name that we answer with one of ours: `requested -> served`. Aliases
 * are offered to negotiator as extra candidates after the real ones, so they never win a tie.
 */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['application/json', JSON_LD],
  ...[...PROFILES.keys()].map((type) => [type, JSON_LD] as const),
  ['text/plain', 'application/n-triples'],
  ['application/x-turtle', 'text/turtle'],
  ['text/n3', 'text/turtle'],
  ['application/xml', 'application/rdf+xml'],
  ['text/xml', 'application/rdf+xml'],
]);

/**
 * Chooses the media type to answer with, from `available` (in our order of preference), for an
 * Accept header; `{ notAcceptable: available }` when none is acceptable (the route answers 406).
 */
export function negotiate(accept: string | undefined, available: readonly string[]): Negotiated {
  if (available.length === 0) return { notAcceptable: [] };
  if (accept === undefined || accept.trim() === '') return { type: available[0] as string };
  if (accept.length > MAX_ACCEPT_LENGTH) return { notAcceptable: [...available] };

  const aliases = aliasesFor(available);
  for (const type of mediaTypes(accept, [...available, ...aliases.keys()])) {
    const served = aliases.get(type);
    if (served === undefined) return { type };
    const profile = PROFILES.get(type);
    if (!refusedExplicitly(accept, served)) return profile ? { type: served, profile } : { type: served };
  }
  return { notAcceptable: [...available] };
}

/**
 * The extra candidates for `available`, `alias -> served`: the ALIASES whose target is on offer
 * (and that are not on offer themselves), and each type with `;charset=utf-8`, since everything
 * we send is UTF-8 (a client asking for `text/turtle;charset=utf-8` can have it).
 */
function aliasesFor(available: readonly string[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const [alias, served] of ALIASES) {
    if (available.includes(served) && !available.includes(alias)) aliases.set(alias, served);
  }
  for (const type of available) aliases.set(`${type};charset=utf-8`, type);
  return aliases;
}

/** The candidates the client accepts (q > 0), best first; ties keep the candidates' order. */
function mediaTypes(accept: string, candidates: string[]): string[] {
  return new Negotiator({ headers: { accept } }).mediaTypes(candidates);
}

/**
 * Whether the client refuses `type` with a range more specific than `*` / `*` and q=0 (e.g.
 * `application/json, application/ld+json;q=0`). Negotiator reports only "accepted or not", which
 * cannot tell "refused" from "not mentioned" (`application/json` alone doesn't mention
 * JSON-LD), so we ask again with a lowest-priority `*` / `*` appended: a type that is merely not
 * mentioned becomes acceptable, one refused by its own or its `type/*` range stays refused
 * (RFC 9110 §12.5.1: the most specific range wins). A `*` / `*;q=0` in the header does not count as
 * refusing JSON-LD to someone who asks for JSON.
 */
function refusedExplicitly(accept: string, type: string): boolean {
  return mediaTypes(`${accept}, */*;q=0.001`, [type]).length === 0;
}

export type ContentCoding = 'br' | 'gzip' | 'identity';

interface EncodingNegotiator {
  encodings(available: string[], options: { preferred: string[] }): string[];
}

/**
 * The content coding for a response (RFC 9110 §12.5.3, Accept-Encoding): the client's q-values
 * first (q=0 refuses a coding), then br before gzip before identity on equal q. No header gives
 * identity (negotiator's reading: the client has not said it can decode anything). When nothing is
 * acceptable (`identity;q=0` or `*;q=0` with neither br nor gzip accepted) we also send identity
 * rather than a 406 for a mere coding: §12.5.3 has the server respond without content coding when
 * none of its codings is acceptable. An over-long header is not parsed (identity).
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentCoding {
  if (acceptEncoding !== undefined && acceptEncoding.length > MAX_ACCEPT_LENGTH) return 'identity';
  const preferred: ContentCoding[] = ['br', 'gzip', 'identity'];
  // negotiator >= 1.0 takes `preferred` (the tie-break order); @types/negotiator 0.6 predates it.
  const negotiator = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }) as unknown as EncodingNegotiator;
  const [best] = negotiator.encodings(preferred, { preferred }) as ContentCoding[];
  return best ?? 'identity';
}
