/**
 * Authentication for the officials' area (/publish/). `registerAuth` is called inside the plugin
 * the app registers at prefix '/publish', so everything here is encapsulated in the area (Fastify
 * "Encapsulation"): the public site gets no cookies, sessions or form parsing.
 *
 * Two ways in, never mixed:
 * - people: a session cookie (`lg_session`, HttpOnly, SameSite=Lax, Path=/publish, Secure when
 *   BASE_URI is https), sessions stored in the state database, and a CSRF token in every form;
 * - scripts: `/publish/api/*` with `Authorization: Bearer <token>` only. Cookies are ignored there,
 *   so a page on another site cannot make a browser act through the API, and no CSRF token is needed.
 *
 * Routes of the area protect themselves with the preHandlers exported here: `requireOfficial(...roles)`
 * for who may, `protectForm` for every POST form. Roles are checked on the server on every request;
 * what a menu hides is only a convenience.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Lang } from '../html/models.js';
import type { AuditLog } from '../state/audit.js';
import type { Accounts, Official } from './accounts.js';
import { registerAuthRoutes } from './auth-routes.js';
import { AREA_PREFIX, SESSION_COOKIE, areaLanguage, resolveOfficial } from './guards.js';
import { loadSessionSecret } from './session-store.js';

export {
  AREA_PREFIX, SESSION_COOKIE, type AreaErrorCode, csrfField, csrfToken, csrfValid, isApiRequest, protectForm, publishPageContext,
  requireOfficial, safeNext, sendAreaError, sendPage, withQueryLang,
} from './guards.js';
/** The shell of the area's pages, re-exported so a route file needs one import for the area's plumbing. */
export { renderPublishPage } from './html/publish-layout.js';

export interface AuthDeps {
  /** STATE_DIR (session secret), SESSION_MINUTES, LOGIN_ATTEMPTS_PER_MINUTE, BASE_URI (https: Secure cookie). */
  config: Config;
  /** Accounts, tokens and the session table, on the state database. */
  accounts: Accounts;
  /** The audit log (Accounts writes its own rows; kept here for routes of the area that need it). */
  audit: AuditLog;
  /** The data version shown in the pages' footer; the area does not know the store. Default '-'. */
  dataVersion?: () => string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in official (session), or the API token's owner on /publish/api/*; null if neither. */
    official: Official | null;
    /** The language of the area's answer: ?lang=, else the official's own choice, else Accept-Language, else tg. */
    lang: Lang;
  }
  interface FastifyInstance {
    /** What registerAuth was given, for the helpers below (request.server.publishAuth). */
    publishAuth: AuthDeps;
  }
}

/**
 * Registers cookies, form bodies, sessions, CSRF protection and the login rate limit in the area,
 * decorates `request.official` and `request.lang`, and adds the routes /login, /logout, /password,
 * /account and /api/me. Call it first inside the plugin registered at prefix '/publish'.
 */
export async function registerAuth(app: FastifyInstance, deps: AuthDeps): Promise<void> {
  if (app.prefix !== AREA_PREFIX) {
    throw new Error(`registerAuth must run inside the plugin registered with prefix '${AREA_PREFIX}' (here: '${app.prefix}')`);
  }
  const { config, accounts } = deps;
  const ttlMs = config.SESSION_MINUTES * 60_000;
  // Registered once per instance tree: a parent may already provide cookies or form parsing.
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody);
  await app.register(fastifySession, {
    secret: loadSessionSecret(config.STATE_DIR),
    cookieName: SESSION_COOKIE,
    store: accounts.sessionStore({ ttlMs }),
    // No session (and no cookie) until there is something to keep: the CSRF secret of a form, or a login.
    saveUninitialized: false,
    // Every request that carries the cookie moves the expiry on: SESSION_MINUTES after the last use.
    rolling: true,
    cookie: { path: AREA_PREFIX, httpOnly: true, sameSite: 'lax', secure: config.BASE_URI.startsWith('https:'), maxAge: ttlMs },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    // The `_csrf` field of a form: a string when form-encoded, a field object ({ value }) in a
    // multipart form (the upload form: @fastify/multipart with attachFieldsToBody).
    getToken: (request) => {
      const field = (request.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof field === 'string') return field;
      if (field && typeof field === 'object' && typeof (field as { value?: unknown }).value === 'string') return (field as { value: string }).value;
      const header = request.headers['x-csrf-token'];
      return typeof header === 'string' ? header : undefined;
    },
  });
  // Only the login form is limited (createRateLimit below); nothing else in the area is.
  await app.register(fastifyRateLimit, { global: false });
  const loginLimiter = app.createRateLimit({ max: config.LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 });

  app.decorate('publishAuth', deps);
  app.decorateRequest('official', null);
  app.decorateRequest('lang', 'tg');
  // After the session plugin's own onRequest hook (registered above), so the session is loaded.
  app.addHook('onRequest', async (request, reply) => {
    // Pages of the area are personal: never cached, never indexed, never framed by another site.
    reply
      .header('Cache-Control', 'no-store')
      .header('X-Robots-Tag', 'noindex')
      .header('Referrer-Policy', 'same-origin')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    request.official = resolveOfficial(request, accounts);
    request.lang = areaLanguage(request, request.official);
  });
  registerAuthRoutes(app, { accounts, loginLimiter });
}
