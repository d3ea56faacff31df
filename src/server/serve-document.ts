import type { Quad } from '@rdfjs/types';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiate } from '../http/negotiate.js';
import { chooseLanguage } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import type { Alternate, PageContext } from '../html/models.js';
import { serialize } from '../serialize/serialize.js';
import type { JsonLdForm } from '../serialize/jsonld.js';
import { FORMATS, type Format, MEDIA_TYPES, contentType, formatByExtension, formatByMediaType } from '../serialize/formats.js';
import type { AppContext } from './app-context.js';
import { Representation, sendRepresentation } from './representation.js';

const NAMES: Record<string, string> = { ttl: 'Turtle', jsonld: 'JSON-LD', nt: 'N-Triples', rdf: 'RDF/XML', nq: 'N-Quads', trig: 'TriG', html: 'HTML' };

/** A request path `jamoat/TJ-KT-06-06.ttl` split into the document path and the fixed format, if any. */
export function splitExtension(rest: string): { path: string; fixed?: Format } {
  const m = /^(.+)\.([a-z]+)$/.exec(rest);
  const fixed = m?.[2] ? formatByExtension(m[2]) : undefined;
  return fixed && m?.[1] ? { path: m[1], fixed } : { path: rest };
}

/** The request's query string with its `?` (or ''), to keep it across a redirect. */
export function queryOf(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i);
}

/** Paths we mint are ASCII segments; anything else cannot name a resource of ours. */
export function isSafePath(path: string): boolean {
  return path.length <= 256 && /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/.test(path);
}

export interface DocumentSpec {
  /** The thing the document is about. */
  iri: string;
  /** URL path of the negotiated document, e.g. /doc/jamoat/TJ-KT-06-06 or /def/lg. */
  path: string;
  /** Set when the request named a fixed variant (`.ttl`, `.html`, ...). */
  fixed?: Format;
  quads: () => Promise<Quad[]>;
  /** The HTML page; a promise where the page reads more than quads (a unit's profile: the coverage, routes/doc.ts). */
  html: (quads: Quad[], page: PageContext) => string | Promise<string>;
  /** Quads the HTML page reads beside the document's (e.g. the figures of the units below), not in the RDF formats. */
  htmlQuads?: () => Promise<Quad[]>;
  /**
   * What else the HTML depends on besides the data version and the language, as part of its cache
   * key (the indicator page's citation names the day it is read, YYYY-MM-DD: a new page each day).
   */
  htmlVariant?: string;
}

export function alternatesOf(path: string): Alternate[] {
  return FORMATS.filter((f) => f.key !== 'html').map((f) => ({ type: f.mediaType, href: `${path}.${f.extension}`, name: NAMES[f.key] ?? f.key }));
}

/** RFC 8288 Link header listing every variant of a document. */
export function linkHeader(path: string): string {
  return FORMATS.map((f) => `<${path}.${f.extension}>; rel="alternate"; type="${f.mediaType}"`).join(', ');
}

/**
 * Serves one document in the format the client asked for (design.md "Content negotiation"):
 * fixed variant by extension, else Accept with q-values; HTML in the language of `?lang=`, then
 * Accept-Language. Each representation is built once per data version and kept in memory.
 */
export async function serveDocument(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, spec: DocumentSpec): Promise<FastifyReply> {
  let format = spec.fixed;
  // The JSON-LD document form a client asked for with `profile`; the fixed `.jsonld` is compacted.
  let form: JsonLdForm = 'compacted';
  if (!format) {
    const chosen = negotiate(request.headers.accept, MEDIA_TYPES);
    if ('notAcceptable' in chosen) return notAcceptable(reply, spec.path, chosen.notAcceptable);
    format = formatByMediaType(chosen.type) ?? (FORMATS[0] as Format);
    if (format.key === 'jsonld' && chosen.profile) form = chosen.profile;
  }
  const query = request.query as Record<string, unknown>;
  const isHtml = format.key === 'html';
  const lang = isHtml ? chooseLanguage(typeof query.lang === 'string' ? query.lang : undefined, request.headers['accept-language']) : undefined;
  // One representation per form: the profile is part of the key (compacted is the plain JSON-LD).
  const key = `${ctx.dataVersion}|${spec.iri}|${format.key}${form === 'compacted' ? '' : `;${form}`}|${lang ?? ''}${isHtml && spec.htmlVariant ? `|${spec.htmlVariant}` : ''}`;
  const f = format;
  const rep = await ctx.cache.getOrBuild(key, async () => {
    const quads = await ctx.documentQuads(spec.iri, spec.quads);
    if (quads.length === 0) return undefined;
    const body = f.key === 'html'
      ? keepLanguage(await spec.html(spec.htmlQuads ? [...quads, ...(await spec.htmlQuads())] : quads, { lang: lang ?? 'tg', base: ctx.base, path: spec.path, alternates: alternatesOf(spec.path), dataVersion: ctx.dataVersion }), lang ?? 'tg')
      : await serialize(quads, f.key, { base: ctx.base, jsonLdForm: form });
    return new Representation(form === 'compacted' ? contentType(f) : jsonLdContentType(form), body, ctx.dataVersion, lang);
  });
  if (!rep) { reply.callNotFound(); return reply; }
  return sendRepresentation(request, reply, rep, {
    // The fixed variants vary only by language (HTML); the negotiated document by Accept too. A
    // JSON-LD form other than compacted has no fixed variant to name in Content-Location.
    ...(spec.fixed
      ? (isHtml ? { vary: 'Accept-Language' } : {})
      : { vary: isHtml ? 'Accept, Accept-Language' : 'Accept', ...(form === 'compacted' ? { contentLocation: `${spec.path}.${format.extension}` } : {}) }),
    link: linkHeader(spec.path),
  });
}

/**
 * The Content-Type of a JSON-LD form other than the default: JSON-LD 1.1 §9 has the server name
 * the form it sends with the same `profile` parameter (flattened and compacted: both IRIs).
 */
export function jsonLdContentType(form: Exclude<JsonLdForm, 'compacted'>): string {
  const ns = 'http://www.w3.org/ns/json-ld#';
  const iris = form === 'flattened-compacted' ? `${ns}flattened ${ns}compacted` : `${ns}${form}`;
  return `application/ld+json; profile="${iris}"`;
}

/** 406 with the list of what is available (RFC 9110 §15.5.7), as text and as Link headers. */
export function notAcceptable(reply: FastifyReply, path: string, available: readonly string[]): FastifyReply {
  return reply
    .code(406)
    .header('Vary', 'Accept')
    .header('Link', linkHeader(path))
    .type('text/plain; charset=utf-8')
    .send(`406 Not Acceptable: none of the media types in the Accept header is available for ${path}.\nAvailable:\n${available.map((t) => `  ${t}`).join('\n')}\n`);
}
