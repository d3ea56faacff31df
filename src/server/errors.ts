import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { negotiate } from '../http/negotiate.js';
import { chooseLanguage } from '../html/i18n.js';
import { keepLanguage, localPath } from '../html/layout.js';
import type { ErrorPageModel } from '../html/models.js';
import { renderErrorPage } from '../html/pages.js';
import { StoreError } from '../store/store.js';
import { MEDIA_TYPES, type Format, contentType, formatByMediaType } from '../serialize/formats.js';
import { serialize } from '../serialize/serialize.js';
import type { RetiredUnit } from '../describe/retired-units.js';
import type { AppContext } from './app-context.js';
import { isRefusal, publicCode } from './refusal-log.js';
import { Representation, sendRepresentation } from './representation.js';

function wantsHtml(request: FastifyRequest): boolean {
  const chosen = negotiate(request.headers.accept, ['text/html', 'application/json']);
  return !('notAcceptable' in chosen) && chosen.type === 'text/html';
}

/**
 * How long a 404 may be kept: briefly, since the next release (an upload approved at any time)
 * may publish what is missing now. Other errors are not stored at all.
 */
export const NOT_FOUND_CACHE = 'public, max-age=60';

function send(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, model: ErrorPageModel & { code: string }): FastifyReply {
  const json = !wantsHtml(request);
  const q = request.query as Record<string, unknown> | undefined;
  const lang = json ? undefined : chooseLanguage(typeof q?.lang === 'string' ? q.lang : undefined, request.headers['accept-language']);
  // The page links to itself in the other languages: from the local path only, never from what
  // the request target says (`//evil.example/x`, `/\evil.example/x`, `http://evil.example/x`).
  const path = localPath(request.url);
  const body = lang === undefined
    ? JSON.stringify({ statusCode: model.status, code: model.code, message: model.message })
    : keepLanguage(renderErrorPage(model, { lang, base: ctx.base, path, alternates: [], dataVersion: ctx.dataVersion }), lang);
  const type = json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
  // A 404 (the most common error, and a 4 KB page) is sent as any page is: compressed, with an
  // ETag, cacheable for a minute. sendRepresentation ignores If-None-Match for it (no 304 for a
  // status other than 2xx: RFC 9110 §13.2.1).
  if (model.status === 404) {
    return sendRepresentation(request, reply, new Representation(type, body, ctx.dataVersion, lang), { status: 404, vary: 'Accept, Accept-Language', cacheControl: NOT_FOUND_CACHE });
  }
  return reply.code(model.status).header('Cache-Control', 'no-store').type(type).send(body);
}

/** The closest existing units above an unknown unit path, e.g. /doc/jamoat/TJ-KT-06-99 -> Yovon, Khatlon. */
async function upHierarchy(ctx: AppContext, path: string): Promise<ErrorPageModel['upHierarchy']> {
  const m = /^\/(?:id|doc)\/(?:jamoat|district|region)\/(TJ(?:-[A-Z]{2})?(?:-\d{2})?(?:-\d{2})?)/.exec(path);
  if (!m?.[1]) return undefined;
  const parts = m[1].split('-');
  const [ids, index] = await Promise.all([ctx.knownIds(), ctx.searchIndex()]);
  const levels = ['country', 'region', 'district', 'jamoat'];
  const found: NonNullable<ErrorPageModel['upHierarchy']> = [];
  for (let n = parts.length - 1; n >= 1; n--) {
    const code = parts.slice(0, n).join('-');
    const iri = `${ctx.base}id/${levels[n - 1]}/${code}`;
    if (ids.has(iri)) found.push({ docPath: `/doc/${levels[n - 1]}/${code}`, labels: index.labels(iri) ?? { en: code } });
  }
  return found;
}

/**
 * The URI of a unit that no longer exists (design.md): 301 to the same kind of URL of its
 * successor (`/id/` or `/doc/`, with the extension and query kept), or 410 Gone: to people a page
 * that says what it was, since when and why, and offers the units above it that still exist; to
 * an RDF client (an RDF extension such as `.ttl`, or an Accept that names an RDF type) the
 * tombstone itself in that format (its code, names, lg:retiredOn, the note: what the page says),
 * so a harvester holding the URI learns what became of it; to other machines our JSON error.
 */
export async function answerRetired(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, unit: RetiredUnit, kind: 'id' | 'doc', suffix: string, fixed?: Format): Promise<FastifyReply> {
  if (unit.successor) {
    const successorPath = unit.successor.slice(`${ctx.base}id/`.length);
    return reply
      .code(301)
      .header('Location', `/${kind}/${successorPath}${suffix}`)
      .header('Cache-Control', 'public, max-age=86400')
      .send();
  }
  const format = tombstoneFormat(request, fixed);
  if (format && format.key !== 'html') {
    const quads = await ctx.describer.document(unit.iri);
    if (quads.length > 0) {
      const body = await serialize(quads, format.key, { base: ctx.base, jsonLdForm: 'compacted' });
      return sendRepresentation(request, reply, new Representation(contentType(format), body, ctx.dataVersion), {
        status: 410, cacheControl: NOT_FOUND_CACHE, ...(fixed ? {} : { vary: 'Accept' }),
      });
    }
  }
  const path = request.url.split('?')[0] ?? '/';
  const up = await upHierarchy(ctx, path).catch(() => undefined);
  const name = unit.labels.en ?? unit.code;
  return send(ctx, request, reply, {
    status: 410, code: 'LG_ERR_GONE',
    message: `${name} (${unit.code}) was retired on ${unit.on}${unit.note ? `: ${unit.note}` : ''}. No unit replaced it.`,
    retired: { labels: unit.labels, code: unit.code, on: unit.on, ...(unit.note ? { note: unit.note } : {}) },
    ...(up && up.length > 0 ? { upHierarchy: up } : {}),
  });
}

/**
 * The RDF format a request for a retired unit asks for, if any: its extension's, or what Accept
 * negotiates to, but for HTML and for JSON-LD reached only through `application/json` (a machine
 * that asks for plain JSON gets our error JSON, as for any other error).
 */
function tombstoneFormat(request: FastifyRequest, fixed: Format | undefined): Format | undefined {
  if (fixed) return fixed.key === 'html' ? undefined : fixed;
  const chosen = negotiate(request.headers.accept, MEDIA_TYPES);
  if ('notAcceptable' in chosen) return undefined;
  const format = formatByMediaType(chosen.type);
  if (!format || format.key === 'html') return undefined;
  if (format.key === 'jsonld' && !/application\/ld\+json/i.test(request.headers.accept ?? '')) return undefined;
  return format;
}

/**
 * One error policy (fastify/demo): log with the request (a refusal as one sampled line, a failure
 * of ours with its stack: src/server/refusal-log.ts), expose the message only below 500 and for the
 * store's refusals, show only our own codes (never an errno such as ENOENT, nor a path), and
 * answer people with a page and machines with JSON.
 */
export function registerErrorHandlers(app: FastifyInstance, ctx: AppContext): void {
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const up = await upHierarchy(ctx, path).catch(() => undefined);
    return send(ctx, request, reply, {
      status: 404, code: 'LG_ERR_NOT_FOUND',
      message: `Nothing is published at ${path.slice(0, 200)}.`,
      ...(up && up.length > 0 ? { upHierarchy: up } : {}),
    });
  });

  app.setErrorHandler(async (error: FastifyError | StoreError, request, reply) => {
    const status = error.statusCode ?? 500;
    const refusal = isRefusal(error, status);
    if (refusal) ctx.refusals.refused(request, error, status);
    else ctx.refusals.failed(request, error);
    if (error instanceof StoreError && 'retryAfterSeconds' in error) reply.header('Retry-After', String((error as { retryAfterSeconds: number }).retryAfterSeconds));
    const message = status < 500 || (refusal && error instanceof StoreError) ? error.message : 'Internal error; it has been logged.';
    return send(ctx, request, reply, { status, code: refusal ? publicCode(error, status) : 'LG_ERR_INTERNAL', message });
  });
}
