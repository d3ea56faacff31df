import type { FastifyReply, FastifyRequest } from 'fastify';
import N3 from 'n3';
import { negotiate } from '../http/negotiate.js';
import { chooseLanguage } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import { sparqlIri } from '../rdf/sparql-escape.js';
import { FORMATS, type Format, MEDIA_TYPES, contentType, formatByMediaType } from '../serialize/formats.js';
import { serialize } from '../serialize/serialize.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { queryOf } from '../server/serve-document.js';
import { controlQuads, fragmentsInterface } from './controls.js';
import { renderFragmentPage } from './page.js';
import { FRAGMENTS_PATH } from './path.js';
import { type TriplePattern, parseFragmentRequest } from './pattern.js';
import { PAGE_SIZE, countMatches, readPage } from './read-fragment.js';

/** Counts kept per data version and pattern: every page of a fragment needs its count. */
const MAX_COUNTS = 4096;

/**
 * `/fragments`: Triple Pattern Fragments (design.md, fixed paths). Each page is one bounded
 * read of the store (a CONSTRUCT with LIMIT 100) and one count, cached per pattern; the answer is
 * a prepared representation as a document is (src/server/representation.ts): one per data
 * version, request URL, format and language, with its ETag (so 304), compressed forms, Vary and
 * Cache-Control. Its queries wait in the store's queue as the site's own look-ups do (no
 * `client`): a TPF client sends many small requests, each bounded, and is never refused for load.
 *
 * The handler of route.ts, which loads this module with the first request (src/server/lazy-handler.ts).
 */
export function fragmentHandler(ctx: AppContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  const counts = new Map<string, Promise<number>>();
  const samples = new Map<string, Promise<boolean>>();

  function count(pattern: TriplePattern): Promise<number> {
    const key = `${ctx.dataVersion}|${[pattern.subject, pattern.predicate, pattern.object].map((t) => (t ? N3.termToId(t as N3.Term) : '')).join('\u0000')}`;
    let p = counts.get(key);
    if (!p) {
      p = countMatches(ctx.store, pattern);
      p.catch(() => counts.delete(key));
      counts.set(key, p);
      if (counts.size > MAX_COUNTS) counts.delete(counts.keys().next().value as string);
    }
    return p;
  }

  /** Whether the page must carry the sample-data mark: any dataset says lg:sampleData true. */
  function hasSampleData(): Promise<boolean> {
    const key = ctx.dataVersion;
    let p = samples.get(key);
    if (!p) {
      p = ctx.store.query(`ASK { ?dataset ${sparqlIri(`${ctx.base}def/lg#sampleData`)} true }`, { resultsFormat: 'application/sparql-results+json' })
        .then((json) => (JSON.parse(json) as { boolean: boolean }).boolean);
      p.catch(() => samples.delete(key));
      samples.clear();
      samples.set(key, p);
    }
    return p;
  }

  return async (request, reply) => {
    const chosen = negotiate(request.headers.accept, MEDIA_TYPES);
    if ('notAcceptable' in chosen) return notAcceptable(reply, chosen.notAcceptable);
    const format: Format = formatByMediaType(chosen.type) ?? (FORMATS[0] as Format);
    const query = request.query as Record<string, unknown>;
    const { pattern, page } = parseFragmentRequest(query, ctx.base);
    const isHtml = format.key === 'html';
    const lang = isHtml ? chooseLanguage(typeof query.lang === 'string' ? query.lang : undefined, request.headers['accept-language']) : undefined;
    const rawQuery = queryOf(request.url);
    const key = `${ctx.dataVersion}|fragments|${format.key}|${lang ?? ''}|${rawQuery}`;
    const rep = await ctx.cache.getOrBuild(key, async () => {
      // Most requests of a TPF client are bound patterns with a few matches: a first page that is
      // not full is its own count, and the count query is not run at all.
      const triples = await readPage(ctx.store, pattern, page);
      const total = page === 1 && triples.length < PAGE_SIZE ? triples.length : await count(pattern);
      const fragment = { pattern, page, total, pageUrl: `${fragmentsInterface(ctx.base)}${rawQuery}` };
      const body = format.key === 'html'
        ? keepLanguage(renderFragmentPage(
          { lang: lang ?? 'tg', base: ctx.base, path: FRAGMENTS_PATH, alternates: [], dataVersion: ctx.dataVersion },
          { ...fragment, triples, hasSampleData: await hasSampleData() },
        ), lang ?? 'tg')
        : await serialize([...triples, ...controlQuads(ctx.base, fragment)], format.key, { base: ctx.base });
      return new Representation(contentType(format), body, ctx.dataVersion, lang);
    });
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep, { vary: isHtml ? 'Accept, Accept-Language' : 'Accept' });
  };
}

/** 406 with the list of what is available (RFC 9110 §15.5.7); there are no fixed variants to link to. */
function notAcceptable(reply: FastifyReply, available: readonly string[]): FastifyReply {
  return reply
    .code(406)
    .header('Vary', 'Accept')
    .type('text/plain; charset=utf-8')
    .send(`406 Not Acceptable: none of the media types in the Accept header is available for ${FRAGMENTS_PATH}.\nAvailable:\n${available.map((t) => `  ${t}`).join('\n')}\n`);
}
