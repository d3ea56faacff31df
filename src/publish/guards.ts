/**
 * The checks and answers shared by every route of the officials' area: who is asking
 * (`requireOfficial`), whether a form came from our own page (`protectForm`), where a login may
 * send someone back to (`safeNext`), and refusals in our error format (`sendAreaError`). They read
 * what registerAuth (auth.ts) put on the request: `request.official`, `request.lang`, the session.
 * auth.ts re-exports them; routes of the area import them from there.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { ERROR_CODES } from '../errors.js';
import { negotiate } from '../http/negotiate.js';
import type { SafeHtml } from '../html/escape.js';
import { chooseLanguage, fmt, isLang } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import type { Lang, PageContext } from '../html/models.js';
import type { Accounts, Official, Role } from './accounts.js';
import { csrfInput, renderPublishError } from './html/publish-layout.js';
import { ps } from './strings.js';

export const AREA_PREFIX = '/publish';
export const SESSION_COOKIE = 'lg_session';

/** True for the JSON API (token-authenticated), judged by the matched route, not the raw URL, so an encoded path cannot pass as the other kind. */
export function isApiRequest(request: FastifyRequest): boolean {
  const path = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
  return path === `${AREA_PREFIX}/api` || path.startsWith(`${AREA_PREFIX}/api/`);
}

/**
 * Where to go after login: only a path of the area (`/publish/...`), so the login page cannot be
 * used to send someone to another site (`?next=//evil.example`, `/\evil`, `https://…`).
 */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  if (!value.startsWith(`${AREA_PREFIX}/`) || value.startsWith(`${AREA_PREFIX}/logout`)) return undefined;
  if (/[\\\u0000-\u001f\u007f]/.test(value) || /(^|\/)\.\.?(\/|$|\?)/.test(value)) return undefined;
  return value;
}

function queryValue(request: FastifyRequest, key: string): string | undefined {
  const v = (request.query as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** `/publish/x?a=1` plus `lang=` when the request named its language in the query (so a redirect keeps it). */
export function withQueryLang(request: FastifyRequest, url: string): string {
  const q = queryValue(request, 'lang');
  if (q === undefined || !isLang(q) || /[?&]lang=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}lang=${q}`;
}

export function areaLanguage(request: FastifyRequest, official: Official | null): Lang {
  const q = queryValue(request, 'lang')?.trim().toLowerCase().split(/[-_]/)[0];
  if (isLang(q)) return q;
  if (official?.lang) return official.lang;
  return chooseLanguage(undefined, request.headers['accept-language']);
}

export function resolveOfficial(request: FastifyRequest, accounts: Accounts): Official | null {
  if (isApiRequest(request)) {
    const m = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '');
    return (m?.[1] && accounts.officialByToken(m[1])) || null;
  }
  const s = request.session;
  if (!s || typeof s.officialId !== 'number' || typeof s.epoch !== 'number') return null;
  const official = accounts.officialForSession({ officialId: s.officialId, epoch: s.epoch });
  if (official) return official;
  // Disabled, or its sessions were ended (password changed or reset): the session forgets who it
  // was, and keeps only what an anonymous visitor has (the CSRF secret of the login form).
  s.officialId = undefined;
  s.epoch = undefined;
  return null;
}

/** The PageContext for a page of the area (no RDF alternates; the language as decided above). */
export function publishPageContext(request: FastifyRequest): PageContext {
  const deps = request.server.publishAuth;
  return { lang: request.lang, base: deps.config.BASE_URI, path: request.url.split('?')[0] ?? AREA_PREFIX, alternates: [], dataVersion: deps.dataVersion?.() ?? '-' };
}

/** Sends a page of the area; internal links keep the page's language (keepLanguage). */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(keepLanguage(page, request.lang));
}

/** A CSRF token for a form of this session (the secret is kept in the session, @fastify/csrf-protection). */
export function csrfToken(reply: FastifyReply): string {
  return reply.generateCsrf();
}

/** The hidden `_csrf` input for a POST form. */
export function csrfField(reply: FastifyReply): SafeHtml {
  return csrfInput(csrfToken(reply));
}

/**
 * Runs @fastify/csrf-protection's check and reports the verdict instead of letting it send its
 * own error (FST_CSRF_*, English only): the refusal then goes out as LG_ERR_CSRF in the reader's
 * language like every other refusal of the area. The check only ever calls `reply.send` to refuse.
 */
export function csrfValid(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = Object.create(reply, {
      send: { value: () => { resolve(false); return probe; } },
    }) as FastifyReply;
    request.server.csrfProtection(request, probe, () => resolve(true));
  });
}

/** preHandler for every POST form of the area. Token-authenticated API requests need no CSRF token (they carry no cookie). */
export const protectForm: preHandlerAsyncHookHandler = async (request, reply) => {
  if (isApiRequest(request)) return;
  if (!(await csrfValid(request, reply))) return sendAreaError(request, reply, 'LG_ERR_CSRF');
};

export type AreaErrorCode =
  | 'LG_ERR_UNAUTHENTICATED' | 'LG_ERR_FORBIDDEN' | 'LG_ERR_CSRF' | 'LG_ERR_RATE_LIMITED'
  | 'LG_ERR_BAD_LOGIN' | 'LG_ERR_PASSWORD_POLICY' | 'LG_ERR_PASSWORD_CHANGE_REQUIRED';

function wantsHtml(request: FastifyRequest): boolean {
  const chosen = negotiate(request.headers.accept, ['text/html', 'application/json']);
  return !('notAcceptable' in chosen) && chosen.type === 'text/html';
}

/**
 * A refusal in our error format: `{ statusCode, code, message }` for the API and for clients that
 * prefer JSON, a page of the area for people; the message in the request's language.
 */
export function sendAreaError(request: FastifyRequest, reply: FastifyReply, code: AreaErrorCode, vars: Record<string, string | number> = {}): FastifyReply {
  const status = ERROR_CODES[code].status;
  const message = fmt(ps(request.lang)[`error_${code}`], vars);
  reply.code(status).header('Cache-Control', 'no-store');
  if (isApiRequest(request) || !wantsHtml(request)) {
    // RFC 6750 §3: a 401 for a bearer-token resource names the scheme.
    if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="publish"');
    return reply.type('application/json; charset=utf-8').send({ statusCode: status, code, message });
  }
  const csrf = request.official ? csrfToken(reply) : undefined;
  return sendPage(request, reply, renderPublishError(publishPageContext(request), request.official, { message, csrf }), status);
}

/**
 * `?next=` for a redirect to the login or password page: only for GET (and HEAD, which answers
 * with GET's header fields, RFC 9110 §9.3.2), where going back makes sense.
 */
function nextParam(request: FastifyRequest): string {
  const next = request.method === 'GET' || request.method === 'HEAD' ? safeNext(request.url) : undefined;
  return next ? `?next=${encodeURIComponent(next)}` : '';
}

/**
 * preHandler: the request must come from a signed-in official (a token's owner on the API) who has
 * chosen their own password and has one of `roles` (any role when none is given). People without
 * a session are sent to the login page and come back afterwards; scripts get 401.
 */
export function requireOfficial(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const official = request.official;
    const api = isApiRequest(request);
    if (!official) {
      if (api) return sendAreaError(request, reply, 'LG_ERR_UNAUTHENTICATED');
      return reply.redirect(withQueryLang(request, `${AREA_PREFIX}/login${nextParam(request)}`), 303);
    }
    if (official.mustChangePassword) {
      if (api) return sendAreaError(request, reply, 'LG_ERR_PASSWORD_CHANGE_REQUIRED');
      return reply.redirect(withQueryLang(request, `${AREA_PREFIX}/password${nextParam(request)}`), 303);
    }
    if (roles.length > 0 && !roles.includes(official.role)) return sendAreaError(request, reply, 'LG_ERR_FORBIDDEN');
  };
}

