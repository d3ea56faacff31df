/**
 * The routes of signing in and out, choosing a password, and the official's own account (API
 * tokens, language). Registered by registerAuth inside the area, so paths here are relative to
 * '/publish'. Every POST form checks the CSRF token; the login form is also rate-limited per
 * client address, before its password is even looked at.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLang } from '../html/i18n.js';
import { AccountError, type Accounts, type Official, isPasswordProblem } from './accounts.js';
import {
  AREA_PREFIX, SESSION_COOKIE, csrfToken, csrfValid, protectForm, publishPageContext, requireOfficial, safeNext, sendAreaError, sendPage, withQueryLang,
} from './guards.js';
import { renderAccountPage } from './html/account-page.js';
import { renderLoginPage, renderLogoutPage } from './html/login-page.js';
import { renderPasswordPage } from './html/password-page.js';
import { ps } from './strings.js';

type LoginLimiter = ReturnType<FastifyInstance['createRateLimit']>;

/** One form field as a string: form bodies may repeat a name (an array) or lack it. */
function field(body: unknown, key: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const v = (body as Record<string, unknown>)[key];
  const first = Array.isArray(v) ? (v as unknown[])[0] : v;
  return typeof first === 'string' ? first : '';
}

function query(request: FastifyRequest, key: string): string {
  return field(request.query, key);
}

/** Puts the official into the session under a new session id (no fixation: the id used before login is dropped). */
async function startSession(request: FastifyRequest, accounts: Accounts, official: Official): Promise<void> {
  await request.session.regenerate();
  const claims = accounts.sessionClaims(official.id);
  request.session.officialId = claims.officialId;
  request.session.epoch = claims.epoch;
  request.official = official;
}

/** The official a guarded route serves (requireOfficial ran before the handler). */
function signedIn(request: FastifyRequest): Official {
  if (!request.official) throw new Error('requireOfficial must run before this handler');
  return request.official;
}

function afterLogin(official: Official, next: string | undefined): string {
  if (official.mustChangePassword) return `${AREA_PREFIX}/password${next ? `?next=${encodeURIComponent(next)}` : ''}`;
  return next ?? `${AREA_PREFIX}/`;
}

export function registerAuthRoutes(app: FastifyInstance, deps: { accounts: Accounts; loginLimiter: LoginLimiter }): void {
  const { accounts, loginLimiter } = deps;
  const anyRole = requireOfficial();

  app.get('/login', async (request, reply) => {
    const next = safeNext(query(request, 'next'));
    if (request.official) return reply.redirect(withQueryLang(request, afterLogin(request.official, next)), 303);
    const s = ps(request.lang);
    return sendPage(request, reply, renderLoginPage(publishPageContext(request), {
      csrf: csrfToken(reply), next, notice: query(request, 'out') === '1' ? s.loggedOut : undefined,
    }));
  });

  app.post('/login', async (request, reply) => {
    // The limit counts every attempt from the address, successful or not, and comes first, so a
    // flood costs no password hashing.
    const limit = await loginLimiter(request);
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('Retry-After', String(limit.ttlInSeconds));
      return sendAreaError(request, reply, 'LG_ERR_RATE_LIMITED', { seconds: limit.ttlInSeconds });
    }
    if (!(await csrfValid(request, reply))) return sendAreaError(request, reply, 'LG_ERR_CSRF');
    const name = field(request.body, 'name');
    const password = field(request.body, 'password');
    const next = safeNext(field(request.body, 'next'));
    const official = name !== '' && password !== '' ? await accounts.verifyLogin(name, password, request.ip) : undefined;
    if (!official) {
      return sendPage(request, reply, renderLoginPage(publishPageContext(request), {
        csrf: csrfToken(reply), next, name: name.slice(0, 64), error: ps(request.lang).loginFailed,
      }), 401);
    }
    await startSession(request, accounts, official);
    return reply.redirect(withQueryLang(request, afterLogin(official, next)), 303);
  });

  app.get('/logout', async (request, reply) => {
    if (!request.official) return reply.redirect(withQueryLang(request, `${AREA_PREFIX}/login`), 303);
    return sendPage(request, reply, renderLogoutPage(publishPageContext(request), request.official, csrfToken(reply)));
  });

  app.post('/logout', { preHandler: protectForm }, async (request, reply) => {
    if (request.official) {
      accounts.endSession(request.session.sessionId, request.official, request.ip);
      await request.session.destroy();
    }
    reply.clearCookie(SESSION_COOKIE, { path: AREA_PREFIX });
    return reply.redirect(withQueryLang(request, `${AREA_PREFIX}/login?out=1`), 303);
  });

  // The password page is the one page an official with a one-time password may reach, so it
  // checks the session itself instead of using requireOfficial.
  app.get('/password', async (request, reply) => {
    const official = request.official;
    if (!official) return reply.redirect(withQueryLang(request, `${AREA_PREFIX}/login?next=${encodeURIComponent(`${AREA_PREFIX}/password`)}`), 303);
    return sendPage(request, reply, renderPasswordPage(publishPageContext(request), official, {
      csrf: csrfToken(reply), next: safeNext(query(request, 'next')),
    }));
  });

  app.post('/password', { preHandler: protectForm }, async (request, reply) => {
    const official = request.official;
    if (!official) return reply.redirect(withQueryLang(request, `${AREA_PREFIX}/login`), 303);
    const s = ps(request.lang);
    const next = safeNext(field(request.body, 'next'));
    const refuse = (status: number, error: string) =>
      sendPage(request, reply, renderPasswordPage(publishPageContext(request), official, { csrf: csrfToken(reply), next, error }), status);
    const newPassword = field(request.body, 'new');
    if (newPassword !== field(request.body, 'repeat')) return refuse(422, s.passwordMismatch);
    try {
      const changed = await accounts.changePassword(official.id, field(request.body, 'current'), newPassword, request.ip);
      // changePassword ended every session of the account, this one included; carry on in a new one.
      await startSession(request, accounts, changed);
    } catch (e) {
      if (!(e instanceof AccountError) || e.code === undefined) throw e;
      if (isPasswordProblem(e.problem)) return refuse(422, s[`policy_${e.problem}`]);
      return refuse(401, s.passwordWrong);
    }
    return reply.redirect(withQueryLang(request, next ?? `${AREA_PREFIX}/account?changed=1`), 303);
  });

  function accountPage(request: FastifyRequest, reply: FastifyReply, official: Official, extra: { newToken?: { label: string; token: string }; notice?: string; error?: string }, status = 200) {
    return sendPage(request, reply, renderAccountPage(publishPageContext(request), official, {
      csrf: csrfToken(reply), tokens: accounts.tokens(official.id), ...extra,
    }), status);
  }

  app.get('/account', { preHandler: anyRole }, async (request, reply) => {
    const s = ps(request.lang);
    const notice = query(request, 'changed') === '1' ? s.passwordChanged
      : query(request, 'revoked') === '1' ? s.tokenRevoked
      : query(request, 'revoked') === '0' ? s.tokenGone : undefined;
    return accountPage(request, reply, signedIn(request), { notice });
  });

  app.post('/account/tokens', { preHandler: [anyRole, protectForm] }, async (request, reply) => {
    const official = signedIn(request);
    const label = field(request.body, 'label');
    try {
      const token = accounts.createToken(official.id, label, request.ip);
      return accountPage(request, reply, official, { newToken: { label: label.trim(), token } }, 201);
    } catch (e) {
      if (e instanceof AccountError && e.problem === 'bad-label') return accountPage(request, reply, official, { error: ps(request.lang).tokenBadLabel }, 422);
      throw e;
    }
  });

  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', { preHandler: [anyRole, protectForm] }, async (request, reply) => {
    const official = signedIn(request);
    const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : -1;
    const revoked = accounts.revokeToken(official.id, id, request.ip);
    return reply.redirect(withQueryLang(request, `${AREA_PREFIX}/account?revoked=${revoked ? 1 : 0}`), 303);
  });

  app.post('/account/language', { preHandler: [anyRole, protectForm] }, async (request, reply) => {
    const official = signedIn(request);
    const lang = field(request.body, 'lang');
    accounts.setLanguage(official.id, isLang(lang) ? lang : null, request.ip);
    // No ?lang= on purpose: the next page shows the choice just saved.
    return reply.redirect(`${AREA_PREFIX}/account`, 303);
  });

  // For scripts: whose token this is. A cheap way to check a token before an upload.
  app.get('/api/me', { preHandler: anyRole }, async (request) => {
    const { id, name, role, area } = signedIn(request);
    return { id, name, role, area };
  });
}
