import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { Accounts, type Role } from '../src/publish/accounts.js';
import { protectForm, registerAuth, requireOfficial } from '../src/publish/auth.js';
import { AuditLog } from '../src/state/audit.js';
import { type StateDb, openStateDb } from '../src/state/state-db.js';

/** A small app with the area's plugin as the lead wires it: registerAuth first, then the area's own routes. */
interface Area {
  url: string;
  app: FastifyInstance;
  db: StateDb;
  accounts: Accounts;
  audit: AuditLog;
  stateDir: string;
  close: () => Promise<void>;
}

const running: Area[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const a of running.splice(0)) await a.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function buildArea(opts: { stateDir?: string; env?: Record<string, string>; trustProxy?: boolean } = {}): Promise<Area & { listen: () => Promise<Area> }> {
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'lg-publish-')));
  if (!opts.stateDir) dirs.push(stateDir);
  const config = loadConfig({ STATE_DIR: stateDir, BASE_URI: 'http://127.0.0.1/', ...opts.env });
  const db = openStateDb(stateDir);
  const audit = new AuditLog(db);
  // Cheaper scrypt than production: these tests are about HTTP, and sign in dozens of times.
  const accounts = new Accounts(db, audit, { scrypt: { log2N: 12, r: 8, p: 1 } });
  const app = Fastify({ logger: false, trustProxy: opts.trustProxy ?? false });
  await app.register(async (area) => {
    await registerAuth(area, { config, accounts, audit });
    area.get('/test', { preHandler: requireOfficial('publisher') }, async (request) => `hello ${request.official?.name}`);
    area.post('/test/form', { preHandler: [requireOfficial(), protectForm] }, async () => ({ saved: true }));
    area.get('/api/test', { preHandler: requireOfficial('publisher') }, async (request) => ({ name: request.official?.name }));
    area.post('/api/test', { preHandler: [requireOfficial('publisher'), protectForm] }, async () => ({ saved: true }));
  }, { prefix: '/publish' });
  const area: Area = { url: '', app, db, accounts, audit, stateDir, close: async () => { await app.close(); db.close(); } };
  return {
    ...area,
    listen: async () => {
      area.url = await app.listen({ port: 0, host: '127.0.0.1' });
      running.push(area);
      return area;
    },
  };
}

const startArea = async (opts: Parameters<typeof buildArea>[0] = {}) => (await buildArea(opts)).listen();

/** A browser without JavaScript: keeps cookies, follows nothing by itself. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string, readonly headers: Record<string, string> = {}) {}

  async request(method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, form: Record<string, string>, headers?: Record<string, string>) {
    return this.request('POST', path, form, headers);
  }

  /** The CSRF token of a form on the page at `path`. */
  async csrf(path = '/publish/login'): Promise<string> {
    const page = await (await this.get(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error(`no CSRF field on ${path}`);
    return token;
  }

  async login(name: string, password: string, next?: string): Promise<Response> {
    const _csrf = await this.csrf();
    return this.post('/publish/login', { _csrf, name, password, ...(next ? { next } : {}) });
  }
}

/** An account that has chosen its password already. */
async function official(area: Area, name: string, role: Role, areaCode: string | null = null): Promise<string> {
  const { official: o, oneTimePassword } = await area.accounts.add(name, role, areaCode, { userId: null, userName: 'test', from: 'cli' });
  const password = `${name} has a long password`;
  await area.accounts.changePassword(o.id, oneTimePassword, password, 'test');
  return password;
}

const location = (res: Response) => res.headers.get('location');

describe('signing in', () => {
  it('takes a one-time password to the password page first, then to the page asked for', async () => {
    const area = await startArea();
    const { oneTimePassword } = await area.accounts.add('amina', 'publisher', 'TJ-KT-06', { userId: null, userName: 'test', from: 'cli' });
    const b = new Browser(area.url, { 'accept-language': 'en' });

    const first = await b.get('/publish/test');
    expect(first.status).toBe(303);
    expect(location(first)).toBe('/publish/login?next=%2Fpublish%2Ftest');
    const loginPage = await b.get(location(first) ?? '');
    expect(loginPage.headers.get('cache-control')).toBe('no-store');
    expect(loginPage.headers.get('x-robots-tag')).toBe('noindex');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1] ?? '';

    const login = await b.post('/publish/login', { _csrf, name: 'amina', password: oneTimePassword, next: '/publish/test' });
    expect(login.status).toBe(303);
    expect(location(login)).toBe('/publish/password?next=%2Fpublish%2Ftest');
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('lg_session=')) ?? '';
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/publish(;|$)/);
    expect(cookie).not.toMatch(/Secure/);

    // Nothing else is open until the one-time password is replaced, for pages and the API alike.
    expect(location(await b.get('/publish/test'))).toBe('/publish/password?next=%2Fpublish%2Ftest');
    expect(location(await b.get('/publish/account'))).toBe('/publish/password?next=%2Fpublish%2Faccount');
    const passwordPage = await (await b.get('/publish/password?next=%2Fpublish%2Ftest')).text();
    expect(passwordPage).toContain('You signed in with a one-time password');
    expect(passwordPage).not.toContain('href="/publish/uploads');

    const token = await b.csrf('/publish/password');
    const weak = await b.post('/publish/password', { _csrf: token, current: oneTimePassword, new: 'short', repeat: 'short', next: '/publish/test' });
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain('shorter than 10 characters');
    const changed = await b.post('/publish/password', { _csrf: token, current: oneTimePassword, new: 'my own long password', repeat: 'my own long password', next: '/publish/test' });
    expect(changed.status).toBe(303);
    expect(location(changed)).toBe('/publish/test');
    const page = await b.get('/publish/test');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('hello amina');
    expect(area.audit.list({ limit: 10 }).map((e) => `${e.action} ${e.from}`).reverse()).toEqual(['user-added cli', 'login 127.0.0.1', 'password-changed 127.0.0.1']);
  });

  it('says no without saying which part was wrong, and keeps the name typed', async () => {
    const area = await startArea();
    await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const b = new Browser(area.url, { 'accept-language': 'en' });
    for (const [name, password] of [['amina', 'not her password'], ['nobody', 'amina has a long password']]) {
      const res = await b.login(name ?? '', password ?? '');
      expect(res.status).toBe(401);
      const page = await res.text();
      expect(page).toContain('Wrong user name or password.');
      expect(page).toContain(`value="${name}"`);
    }
    expect(b.cookies.has('lg_session')).toBe(true);
    expect(location(await b.get('/publish/test'))).toMatch(/^\/publish\/login/);
  });

  it('follows ?next= only to pages of the area', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const loginPage = await (await new Browser(area.url).get('/publish/login?next=//evil.example')).text();
    expect(loginPage).not.toContain('evil');
    for (const next of ['//evil.example', 'https://evil.example/publish/', '/publish/\\evil.example', '/\\evil.example', '/publish/../x', '/releases']) {
      const res = await new Browser(area.url).login('amina', password, next);
      expect(location(res), next).toBe('/publish/');
    }
    expect(location(await new Browser(area.url).login('amina', password, '/publish/uploads?dataset=education'))).toBe('/publish/uploads?dataset=education');
  });

  it('limits login attempts per address: the 11th in a minute gets 429 with Retry-After', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const b = new Browser(area.url, { 'accept-language': 'en' });
    const _csrf = await b.csrf();
    for (let i = 1; i <= 10; i++) {
      expect((await b.post('/publish/login', { _csrf, name: 'amina', password: `guess number ${i}` })).status).toBe(401);
    }
    const limited = await b.post('/publish/login', { _csrf, name: 'amina', password: 'guess number 11' }, { accept: 'application/json' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({ statusCode: 429, code: 'LG_ERR_RATE_LIMITED', message: expect.stringMatching(/^Too many attempts from your address\. Try again in \d+ seconds\.$/) });
    // Even the right password waits: the limit is on attempts, not on failures.
    expect((await b.post('/publish/login', { _csrf, name: 'amina', password })).status).toBe(429);
    const page = await b.post('/publish/login', { _csrf, name: 'amina', password }, { 'accept-language': 'ru' });
    expect(await page.text()).toContain('Слишком много попыток с вашего адреса');
    // The form itself still loads.
    expect((await b.get('/publish/login')).status).toBe(200);
    expect(area.audit.list({ limit: 100 }).filter((e) => e.action === 'login-failed')).toHaveLength(10);
  });

  it('shows the login page in Tajik, Russian and English', async () => {
    const area = await startArea();
    const b = new Browser(area.url);
    expect(await (await b.get('/publish/login')).text()).toMatch(/<html lang="tg">[\s\S]*<h1>Воридшавӣ<\/h1>[\s\S]*Номи корбар/);
    expect(await (await b.get('/publish/login?lang=ru')).text()).toMatch(/<html lang="ru">[\s\S]*<h1>Вход<\/h1>[\s\S]*Имя пользователя/);
    expect(await (await b.get('/publish/login', { 'accept-language': 'en-GB,en;q=0.9' })).text()).toMatch(/<html lang="en">[\s\S]*<h1>Sign in<\/h1>[\s\S]*User name/);
    // The form posts back in the page's language, so a refusal comes in the same language.
    const _csrf = await b.csrf('/publish/login?lang=ru');
    expect(await (await b.post('/publish/login?lang=ru', { _csrf, name: 'x', password: 'y' })).text()).toContain('Неверное имя пользователя или пароль.');
  });

  it('sets a Secure cookie when BASE_URI is https', async () => {
    const { app, close } = await buildArea({ env: { BASE_URI: 'https://data.example.tj/' }, trustProxy: true });
    try {
      const res = await app.inject({ method: 'GET', url: '/publish/login', headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers['set-cookie']).toMatch(/^lg_session=[^;]+;.*; HttpOnly; Secure; SameSite=Lax$/);
    } finally {
      await close();
    }
  });
});

describe('sessions', () => {
  it('end at logout: the old cookie no longer works', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const b = new Browser(area.url);
    await b.login('amina', password);
    const oldCookie = b.cookies.get('lg_session') ?? '';
    expect((await b.get('/publish/test')).status).toBe(200);
    const out = await b.post('/publish/logout', { _csrf: await b.csrf('/publish/account') });
    expect(out.status).toBe(303);
    expect(location(out)).toBe('/publish/login?out=1');
    expect(b.cookies.has('lg_session')).toBe(false);
    const replay = new Browser(area.url);
    replay.cookies.set('lg_session', oldCookie);
    expect(location(await replay.get('/publish/test'))).toMatch(/^\/publish\/login/);
    expect(area.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'logout', userName: 'amina', from: '127.0.0.1' });
  });

  it('expire: a session past its time is refused', async () => {
    const area = await startArea({ env: { SESSION_MINUTES: '5' } });
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const b = new Browser(area.url);
    await b.login('amina', password);
    expect((await b.get('/publish/test')).status).toBe(200);
    const { expires_at: expiresAt } = area.db.prepare('SELECT expires_at FROM sessions WHERE user_id IS NOT NULL').get() as { expires_at: number };
    // Five minutes after the last use, as configured (the last request moved it on).
    expect(expiresAt - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    area.db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - 1);
    expect(location(await b.get('/publish/test'))).toBe('/publish/login?next=%2Fpublish%2Ftest');
  });

  it('survive a restart of the service', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const b = new Browser(area.url);
    await b.login('amina', password);
    await area.close();
    running.splice(running.indexOf(area), 1);
    const again = await startArea({ stateDir: area.stateDir });
    const same = new Browser(again.url);
    same.cookies.set('lg_session', b.cookies.get('lg_session') ?? '');
    expect(await (await same.get('/publish/test')).text()).toBe('hello amina');
  });

  it('end everywhere when the password changes, and when the account is disabled', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const [laptop, phone] = [new Browser(area.url), new Browser(area.url)];
    await laptop.login('amina', password);
    await phone.login('amina', password);
    const before = laptop.cookies.get('lg_session');
    const _csrf = await laptop.csrf('/publish/password');
    const changed = await laptop.post('/publish/password', { _csrf, current: password, new: 'a brand new passphrase', repeat: 'a brand new passphrase' });
    expect(location(changed)).toBe('/publish/account?changed=1');
    expect(laptop.cookies.get('lg_session')).not.toBe(before);
    expect((await laptop.get('/publish/test')).status).toBe(200);
    expect(location(await phone.get('/publish/test'))).toMatch(/^\/publish\/login/);
    area.accounts.disable('amina', { userId: null, userName: 'admin', from: 'cli' });
    expect(location(await laptop.get('/publish/test'))).toMatch(/^\/publish\/login/);
  });
});

describe('forms and roles', () => {
  it('refuses a POST without the CSRF token of its own session', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const [b, other] = [new Browser(area.url, { 'accept-language': 'en' }), new Browser(area.url)];
    await b.login('amina', password);
    await other.login('amina', password);
    const missing = await b.post('/publish/test/form', { note: 'x' });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('This form has expired or was not sent from this site.');
    const json = await b.post('/publish/test/form', { note: 'x' }, { accept: 'application/json' });
    expect(await json.json()).toMatchObject({ statusCode: 403, code: 'LG_ERR_CSRF' });
    expect((await b.post('/publish/test/form', { _csrf: await other.csrf('/publish/account') })).status).toBe(403);
    const ok = await b.post('/publish/test/form', { _csrf: await b.csrf('/publish/account') });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ saved: true });
  });

  it('refuses the wrong role with 403, checked on the server', async () => {
    const area = await startArea();
    const password = await official(area, 'rustam', 'reviewer');
    const b = new Browser(area.url, { 'accept-language': 'ru' });
    await b.login('rustam', password);
    const page = await b.get('/publish/test');
    expect(page.status).toBe(403);
    const text = await page.text();
    expect(text).toContain('Ваша роль этого не позволяет.');
    // The shell says who is signed in, and offers a reviewer the reviews, not the audit log.
    expect(text).toMatch(/Пользователь: <strong>rustam<\/strong> · проверяющий · вся страна/);
    expect(text).toContain('href="/publish/reviews');
    expect(text).not.toContain('href="/publish/audit');
    expect(await (await b.get('/publish/test', { accept: 'application/json' })).json()).toMatchObject({ statusCode: 403, code: 'LG_ERR_FORBIDDEN' });
  });

  it('keeps the language an official chose, whatever the browser says', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const b = new Browser(area.url, { 'accept-language': 'en' });
    await b.login('amina', password);
    const saved = await b.post('/publish/account/language', { _csrf: await b.csrf('/publish/account'), lang: 'tg' });
    expect(location(saved)).toBe('/publish/account');
    expect(await (await b.get('/publish/account')).text()).toMatch(/<html lang="tg">[\s\S]*<h1>Ҳисоби шумо<\/h1>/);
    expect(area.accounts.byName('amina')?.lang).toBe('tg');
  });
});

describe('the JSON API', () => {
  it('works with a token made on the account page, ignores cookies, and stops when the token is revoked', async () => {
    const area = await startArea();
    const password = await official(area, 'amina', 'publisher', 'TJ-KT-06');
    const b = new Browser(area.url, { 'accept-language': 'en' });
    await b.login('amina', password);
    const created = await b.post('/publish/account/tokens', { _csrf: await b.csrf('/publish/account'), label: 'monthly upload' });
    expect(created.status).toBe(201);
    const page = await created.text();
    const token = /<code class="secret">(lgt_[^<]+)<\/code>/.exec(page)?.[1] ?? '';
    expect(token).not.toBe('');
    // Shown once: the account page lists the token by name only afterwards.
    const later = await (await b.get('/publish/account')).text();
    expect(later).toContain('monthly upload');
    expect(later).not.toContain(token);

    const api = (path: string, init: RequestInit = {}) => fetch(area.url + path, init);
    const withToken = await api('/publish/api/test', { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('set-cookie')).toBeNull();
    expect(await withToken.json()).toEqual({ name: 'amina' });
    expect(await (await api('/publish/api/me', { headers: { authorization: `Bearer ${token}` } })).json()).toEqual({ id: expect.any(Number), name: 'amina', role: 'publisher', area: 'TJ-KT-06' });
    // No CSRF token for a script: it sends no cookie, so no other site can send its requests.
    expect((await api('/publish/api/test', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    const anonymous = await api('/publish/api/test', { headers: { 'accept-language': 'en' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="publish"');
    expect(await anonymous.json()).toEqual({ statusCode: 401, code: 'LG_ERR_UNAUTHENTICATED', message: expect.stringContaining('Authorization: Bearer') });
    // The browser's session cookie is no key to the API.
    expect((await b.get('/publish/api/test')).status).toBe(401);

    const tokenId = /action="\/publish\/account\/tokens\/(\d+)\/revoke/.exec(later)?.[1];
    const revoked = await b.post(`/publish/account/tokens/${tokenId}/revoke`, { _csrf: await b.csrf('/publish/account') });
    expect(location(revoked)).toBe('/publish/account?revoked=1');
    expect((await api('/publish/api/test', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect(area.audit.list({ limit: 2 }).map((e) => e.action)).toEqual(['token-revoked', 'token-created']);
  });

  it('refuses a token whose account must change its password, and a wrong role', async () => {
    const area = await startArea();
    await official(area, 'rustam', 'reviewer');
    const reviewer = area.accounts.byName('rustam')?.id ?? 0;
    const token = area.accounts.createToken(reviewer, 'script', 'test');
    const call = () => fetch(`${area.url}/publish/api/test`, { headers: { authorization: `Bearer ${token}` } });
    expect(await (await call()).json()).toMatchObject({ statusCode: 403, code: 'LG_ERR_FORBIDDEN' });
    await area.accounts.resetPassword('rustam', { userId: null, userName: 'admin', from: 'cli' });
    expect(await (await call()).json()).toMatchObject({ statusCode: 403, code: 'LG_ERR_PASSWORD_CHANGE_REQUIRED' });
  });
});
