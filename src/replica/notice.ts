/**
 * What a replica answers where only the publishing instance can answer: the officials' area
 * (/publish/), the releases' pages and feed (/releases: their records are in the publisher's state
 * database, which a replica does not open) and readers' error reports (/report: they are stored
 * there too). Behind the cache (deploy/nginx/cache.conf) these paths go to the publisher and never
 * reach a replica; a client that asks a replica directly gets 421 Misdirected Request (RFC 9110
 * §15.5.20: this server does not give an authoritative answer for the URI), with a page in tg, ru
 * or en, or JSON, that links to the same path at the public address (BASE_URI).
 *
 * Answered in onRequest, before any body is read: an upload sent to a replica is refused as it
 * starts, not after 20 MB, and whatever its content type.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { negotiate } from '../http/negotiate.js';
import { html } from '../html/escape.js';
import { chooseLanguage, fmt } from '../html/i18n.js';
import { keepLanguage, localPath, renderLayout } from '../html/layout.js';
import type { AppContext } from '../server/app-context.js';
import { replicaStrings } from './strings.js';

/** The paths a replica does not serve, in find-my-way's syntax. */
export const PUBLISHER_ONLY_PATHS = ['/publish', '/publish/*', '/releases', '/releases/*', '/releases.atom', '/report', '/report/*'] as const;

const CODE = 'LG_ERR_REPLICA_READ_ONLY';

function refuse(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = localPath(request.url);
  const url = `${ctx.base}${path.slice(1)}`;
  const chosen = negotiate(request.headers.accept, ['text/html', 'application/json']);
  const q = request.query as Record<string, unknown> | undefined;
  const lang = chooseLanguage(typeof q?.lang === 'string' ? q.lang : undefined, request.headers['accept-language']);
  const s = replicaStrings(lang);
  reply.code(421).header('Cache-Control', 'no-store');
  // The officials' JSON API is asked by scripts, whatever Accept they send.
  if (path.startsWith('/publish/api/') || 'notAcceptable' in chosen || chosen.type === 'application/json') {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify({ statusCode: 421, code: CODE, message: replicaStrings('en').text, publisher: url }));
  }
  const body = html`<h1>${s.title} <small>(421)</small></h1>
<p>${s.text}</p>
<p><a href="${url}">${fmt(s.link, { url })}</a></p>
`;
  const page = renderLayout({ lang, base: ctx.base, path, alternates: [], dataVersion: ctx.dataVersion }, { title: s.title, body });
  return reply.type('text/html; charset=utf-8').send(keepLanguage(page, lang));
}

/** Registers the refusals on the app's root (so the app's security headers and request ids apply). */
export function registerReplicaNotice(app: FastifyInstance, ctx: AppContext): void {
  for (const url of PUBLISHER_ONLY_PATHS) {
    app.route({
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      onRequest: async (request, reply) => refuse(ctx, request, reply),
      // Never reached: onRequest has answered.
      handler: async (_request, reply) => reply,
    });
  }
}
