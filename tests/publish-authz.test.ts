import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/html/escape.js';
import type { Role } from '../src/publish/accounts.js';
import { OPERATIONS, type Operation } from '../src/publish/permissions.js';
import { ps } from '../src/publish/strings.js';
import type { Upload } from '../src/publish/uploads.js';
import type { ErrorReport } from '../src/reports/report-store.js';
import { FIXTURES, makeDataDir, wideSheet, writeXlsx } from './helpers.js';
import { type Publishing, type TestOfficial, XLSX, addOfficial, apiReview, apiUpload, launchPublishing } from './publish-helpers.js';

/**
 * The authorisation matrix of the officials' area: every route the area registered
 * (services.areaRoutes, filled by the area's onRoute hook from each route's `config.operation`) ×
 * every actor (no login, a publisher of area A, a publisher of area B, two reviewers, an
 * administrator), through the way in the route is made for (a Bearer token on /publish/api/, a
 * signed-in session with its CSRF token on the pages), and through the other way (which must count
 * as no login at all).
 *
 * The expected answer is worked out, not listed: from OPERATIONS (permissions.ts) for the role,
 * then the area rule (a publisher acts only inside their area: another area's upload is a 404,
 * another area named in the request a 403 LG_ERR_OUTSIDE_AREA) and the four-eyes rule (a reviewer
 * never decides their own upload: 403 LG_ERR_OWN_UPLOAD). The one thing written by hand per route
 * is how to ask it and what success looks like (ROWS below); a route without a row fails the test,
 * and so does a row whose route is gone.
 */

const AREA_A = 'TJ-SU-01';
const AREA_B = 'TJ-SU-02';
const UNIT_A = 'TJ-SU-01-01';
const MAX_FILE_BYTES = 200_000;

type ActorName = 'anonymous' | 'publisherA' | 'publisherB' | 'reviewer' | 'reviewer2' | 'administrator';
const ACTORS: readonly ActorName[] = ['anonymous', 'publisherA', 'publisherB', 'reviewer', 'reviewer2', 'administrator'];
const PEOPLE: Record<Exclude<ActorName, 'anonymous'>, { role: Role; area: string | null }> = {
  publisherA: { role: 'publisher', area: AREA_A },
  publisherB: { role: 'publisher', area: AREA_B },
  reviewer: { role: 'reviewer', area: null },
  reviewer2: { role: 'reviewer', area: null },
  administrator: { role: 'administrator', area: null },
};

/** Operations whose object must not be the actor's own (the four-eyes rule). */
const FOUR_EYES: readonly Operation[] = ['review'];

/** The area rule, written out here rather than taken from the code under test: by whole code segments. */
const inside = (code: string, area: string) => code === area || code.startsWith(`${area}-`);

/** Cookies of one browser: what the server set, sent back on the next request. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const gone = pair.slice(eq + 1) === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }
}

interface Person {
  name: ActorName;
  role: Role;
  area: string | null;
  official: TestOfficial;
  jar: CookieJar;
}

let p: Publishing;
let dataDir: string;
const people = new Map<ActorName, Person>();
let workbook: Buffer;
/** A pending upload of publisher A, through the API: the object of the upload routes. */
let uploadA: Upload;
/** A pending upload whose uploader is a reviewer (reviewers cannot upload: inserted as a row). */
let uploadByReviewer: Upload;
/** A reader's open error report about a unit of area A: the object of the report routes. */
let reportA: ErrorReport;

/** Another open report about the same unit: closing acts on a fresh one each time. */
function freshReport(): ErrorReport {
  const r = p.services.reports.add({ unitCode: UNIT_A, page: `/doc/jamoat/${UNIT_A}`, text: 'matrix: the figure is wrong', contact: null, lang: 'en' }, { perDay: Number.MAX_SAFE_INTEGER });
  if (r === 'full') throw new Error('no cap here');
  return r;
}

const csrfOf = (page: string): string => {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m?.[1]) throw new Error('no _csrf input in the page');
  return m[1];
};

/** A request of the area: with the person's cookies (and nothing else) unless a token is given. */
async function send(path: string, init: { method: string; jar?: CookieJar; token?: string; body?: BodyInit; headers?: Record<string, string> }): Promise<Response> {
  const headers: Record<string, string> = { accept: 'text/html', 'accept-language': 'en', ...init.headers };
  if (init.jar) {
    const cookie = init.jar.header();
    if (cookie) headers.cookie = cookie;
  }
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${p.url}${path}`, { method: init.method, headers, redirect: 'manual', ...(init.body !== undefined ? { body: init.body } : {}) });
  init.jar?.take(res);
  return res;
}

/** Signs in through the login form, as a browser does. */
async function signIn(person: Person): Promise<void> {
  const page = await send('/publish/login', { method: 'GET', jar: person.jar });
  const form = new URLSearchParams({ _csrf: csrfOf(await page.text()), name: person.official.name, password: person.official.password });
  const res = await send('/publish/login', { method: 'POST', jar: person.jar, body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.status, `${person.name} signs in`).toBe(303);
  expect(res.headers.get('location')).toBe('/publish/');
}

/** A CSRF token of the person's session, from a page's form. */
async function csrfFor(person: Person): Promise<string> {
  const res = await send('/publish/account', { method: 'GET', jar: person.jar });
  expect(res.status).toBe(200);
  return csrfOf(await res.text());
}

/** Another pending upload like `of` (same uploader, area, file): a review acts on a fresh one each time. */
function fresh(of: Upload): Upload {
  const { userId, userName, area, dataset, fileName, sha256, bytes, problems, changes, baseRelease } = of;
  return p.services.uploads.add({ userId, userName, area, dataset, fileName, sha256, bytes, problems, changes, baseRelease });
}

const uploadCount = () => p.services.uploads.list().length;
const releaseCount = () => p.services.releases.store.list().length;

/** Polls `measure` until it gives `want` (an effect that happens behind the answer) or 30 s pass; returns the last value. */
async function eventually(measure: () => unknown, want: unknown): Promise<unknown> {
  let got = measure();
  for (let i = 0; i < 600 && !isDeepStrictEqual(got, want); i++) {
    await new Promise((r) => setTimeout(r, 50));
    got = measure();
  }
  return got;
}

/** Waits until no release is being built (the rollback page answers before its release is built). */
async function releasesSettle(): Promise<void> {
  const idle = () => p.services.releases.inProgress === null && p.services.releases.store.list().every((r) => r.status !== 'building');
  expect(await eventually(idle, true), 'releases built within 30 s').toBe(true);
}

// ---- the one table: how to ask each route, and what success is ----

type Channel = 'api' | 'html';
interface Ask {
  path: string;
  body?: BodyInit;
  headers?: Record<string, string>;
}
interface Row {
  /** What the route acts on: the upload (or a reader's report) in its :id, the area named in the request (area A), or nothing of an area. */
  target: 'upload' | 'report' | 'area' | 'none';
  /** The status of a request that is allowed. */
  ok: number;
  /** The request; `csrf` is the session's token (undefined: none is sent), `upload` and `report` the targets. */
  ask(o: { upload: Upload; report: ErrorReport; csrf: string | undefined }): Ask;
  /** What an allowed request changes; a refused one must change none of it. */
  effect?: { measure(o: { upload: Upload; report: ErrorReport }): unknown; after(before: unknown, o: { upload: Upload; report: ErrorReport }): unknown };
  /** Checks on a successful answer beyond its status. */
  success?(res: Response, o: { upload: Upload; report: ErrorReport; method: string }): Promise<void>;
}

const form = (fields: Record<string, string | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.set(k, v);
  return { body: params, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
};
const json = (value: unknown) => ({ body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
const TEMPLATE_QUERY = `dataset=education&year=2024&area=${AREA_A}`;

const uploadEffect: Row['effect'] = { measure: () => uploadCount(), after: (before) => (before as number) + 1 };
const reviewEffect: Row['effect'] = { measure: ({ upload }) => p.services.uploads.get(upload.id)?.status, after: () => 'rejected' };
const rollbackEffect: Row['effect'] = { measure: () => releaseCount(), after: (before) => (before as number) + 1 };
const closeReportEffect: Row['effect'] = { measure: ({ report }) => p.services.reports.get(report.id)?.status, after: () => 'closed' };

const isHtml = async (res: Response) => {
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
};
const isJson = async (res: Response, o: { method: string }) => {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  if (o.method !== 'HEAD') expect(await res.json()).toBeTypeOf('object');
};

const ROWS: Record<string, Row> = {
  'GET /publish': { target: 'none', ok: 200, ask: () => ({ path: '/publish/' }), success: isHtml },
  'GET /publish/uploads': { target: 'none', ok: 200, ask: () => ({ path: '/publish/uploads' }), success: isHtml },
  'GET /publish/reviews': { target: 'none', ok: 200, ask: () => ({ path: '/publish/reviews' }), success: isHtml },
  'POST /publish/uploads': {
    target: 'area', ok: 303, effect: uploadEffect,
    ask: ({ csrf }) => {
      const body = new FormData();
      if (csrf !== undefined) body.set('_csrf', csrf);
      body.set('dataset', 'education');
      body.set('area', AREA_A);
      body.set('file', new Blob([new Uint8Array(workbook)], { type: XLSX }), 'education-a.xlsx');
      return { path: '/publish/uploads', body };
    },
    success: async (res) => {
      const newest = p.services.uploads.list()[0] as Upload;
      expect(newest.status).toBe('pending');
      expect(res.headers.get('location')).toBe(`/publish/uploads/${newest.id}?lang=en`);
    },
  },
  'GET /publish/uploads/:id': {
    target: 'upload', ok: 200, ask: ({ upload }) => ({ path: `/publish/uploads/${upload.id}` }),
    success: async (res, { upload, method }) => {
      await isHtml(res);
      if (method === 'GET') expect(await res.text()).toContain(upload.fileName);
    },
  },
  'GET /publish/uploads/:id/draft/:code': { target: 'upload', ok: 200, ask: ({ upload }) => ({ path: `/publish/uploads/${upload.id}/draft/${UNIT_A}` }), success: isHtml },
  'POST /publish/uploads/:id/review': {
    target: 'upload', ok: 303, effect: reviewEffect,
    ask: ({ upload, csrf }) => ({ path: `/publish/uploads/${upload.id}/review`, ...form({ _csrf: csrf, decision: 'reject', comment: 'matrix' }) }),
    success: async (res, { upload }) => expect(res.headers.get('location')).toBe(`/publish/uploads/${upload.id}?done=rejected&lang=en`),
  },
  'GET /publish/template': {
    target: 'area', ok: 200, ask: () => ({ path: `/publish/template?${TEMPLATE_QUERY}` }),
    success: async (res) => expect(res.headers.get('content-type')).toBe(XLSX),
  },
  'POST /publish/rollback': {
    target: 'none', ok: 303, effect: rollbackEffect,
    ask: ({ csrf }) => ({ path: '/publish/rollback', ...form({ _csrf: csrf, to: '1' }) }),
    success: async (res) => expect(res.headers.get('location')).toBe('/publish/?lang=en'),
  },
  'GET /publish/audit': { target: 'none', ok: 200, ask: () => ({ path: '/publish/audit' }), success: isHtml },
  'GET /publish/api/uploads': { target: 'none', ok: 200, ask: () => ({ path: '/publish/api/uploads' }), success: isJson },
  'POST /publish/api/uploads': {
    target: 'area', ok: 201, effect: uploadEffect,
    ask: () => ({ path: `/publish/api/uploads?dataset=education&area=${AREA_A}&filename=education-a.xlsx`, body: new Uint8Array(workbook), headers: { 'content-type': XLSX } }),
    success: async (res) => {
      const body = (await res.json()) as Upload;
      expect(body).toMatchObject({ status: 'pending', area: AREA_A });
      expect(res.headers.get('location')).toBe(`/publish/api/uploads/${body.id}`);
    },
  },
  'GET /publish/api/uploads/:id': {
    target: 'upload', ok: 200, ask: ({ upload }) => ({ path: `/publish/api/uploads/${upload.id}` }),
    success: async (res, { upload, method }) => {
      if (method === 'GET') expect(await res.json()).toMatchObject({ id: upload.id, area: upload.area });
    },
  },
  'POST /publish/api/uploads/:id/review': {
    target: 'upload', ok: 200, effect: reviewEffect,
    ask: ({ upload }) => ({ path: `/publish/api/uploads/${upload.id}/review`, ...json({ decision: 'reject', comment: 'matrix' }) }),
    success: async (res, { upload }) => expect(await res.json()).toMatchObject({ upload: { id: upload.id, status: 'rejected' } }),
  },
  'GET /publish/api/template': {
    target: 'area', ok: 200, ask: () => ({ path: `/publish/api/template?${TEMPLATE_QUERY}` }),
    success: async (res) => expect(res.headers.get('content-type')).toBe(XLSX),
  },
  'POST /publish/api/rollback': {
    target: 'none', ok: 200, effect: rollbackEffect,
    ask: () => ({ path: '/publish/api/rollback', ...json({ to: 1 }) }),
    success: async (res) => expect(await res.json()).toMatchObject({ release: { status: 'complete', kind: 'rollback', rollbackTo: 1 }, problems: [] }),
  },
  'GET /publish/api/audit': { target: 'none', ok: 200, ask: () => ({ path: '/publish/api/audit' }), success: isJson },
  // Who sees which reports in the lists (a publisher: their area's) is checked in error-reports.test.ts.
  'GET /publish/reports': { target: 'none', ok: 200, ask: () => ({ path: '/publish/reports' }), success: isHtml },
  'POST /publish/reports/:id/close': {
    target: 'report', ok: 303, effect: closeReportEffect,
    ask: ({ report, csrf }) => ({ path: `/publish/reports/${report.id}/close`, ...form({ _csrf: csrf }) }),
    success: async (res, { report }) => expect(res.headers.get('location')).toBe(`/publish/reports?closed=${report.id}&lang=en`),
  },
  'GET /publish/api/reports': { target: 'none', ok: 200, ask: () => ({ path: '/publish/api/reports' }), success: isJson },
  'POST /publish/api/reports/:id/close': {
    target: 'report', ok: 200, effect: closeReportEffect,
    ask: ({ report }) => ({ path: `/publish/api/reports/${report.id}/close` }),
    success: async (res, { report }) => expect(await res.json()).toMatchObject({ changed: true, report: { id: report.id, status: 'closed' } }),
  },
};

/** HEAD is GET without the body: asked and answered as its GET. */
const rowOf = (method: string, url: string): Row | undefined => ROWS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
const channelOf = (url: string): Channel => (url.startsWith('/publish/api/') ? 'api' : 'html');

interface Expected {
  /** The request gets through to what the route does. */
  allowed: boolean;
  status: number;
  code?: string;
  location?: string;
}

/** What the answer must be, from the permission table and the two rules on top of it. */
function expected(route: { method: string; url: string; operation: Operation }, row: Row, who: Person | undefined, upload: Upload, report: ErrorReport, path: string): Expected {
  const channel = channelOf(route.url);
  if (!who) {
    if (channel === 'api') return { allowed: false, status: 401, code: 'LG_ERR_UNAUTHENTICATED' };
    // Back to the page after signing in: only for what a browser can go back to.
    return { allowed: false, status: 303, location: route.method === 'POST' ? '/publish/login' : `/publish/login?next=${encodeURIComponent(path)}` };
  }
  if (!(OPERATIONS[route.operation] as readonly Role[]).includes(who.role)) return { allowed: false, status: 403, code: 'LG_ERR_FORBIDDEN' };
  if (row.target === 'upload') {
    if (who.role === 'publisher' && !(who.area !== null && inside(upload.area, who.area))) return { allowed: false, status: 404, code: 'LG_ERR_NOT_FOUND' };
    if (FOUR_EYES.includes(route.operation) && upload.userId === who.official.id) return { allowed: false, status: 403, code: 'LG_ERR_OWN_UPLOAD' };
  }
  // A reader's report about a unit outside a publisher's area is not theirs to see: a 404, as another area's upload.
  if (row.target === 'report' && who.role === 'publisher' && !(who.area !== null && inside(report.unitCode, who.area))) return { allowed: false, status: 404, code: 'LG_ERR_NOT_FOUND' };
  if (row.target === 'area' && who.role === 'publisher' && !(who.area !== null && inside(AREA_A, who.area))) return { allowed: false, status: 403, code: 'LG_ERR_OUTSIDE_AREA' };
  return { allowed: true, status: row.ok };
}

/** The error code an answer carries: the JSON's, or on a page the code shown or the guard's message. */
async function codeOf(res: Response, method: string): Promise<string | undefined> {
  if (method === 'HEAD') return undefined;
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) return (JSON.parse(text) as { code?: string }).code;
  const shown = /<code>(LG_ERR_[A-Z_]+)<\/code>/.exec(text)?.[1];
  if (shown) return shown;
  const en = ps('en');
  for (const code of ['LG_ERR_UNAUTHENTICATED', 'LG_ERR_FORBIDDEN', 'LG_ERR_CSRF'] as const) {
    if (text.includes(escapeHtml(en[`error_${code}`]))) return code;
  }
  return undefined;
}

const covered = new Set<string>();

/** Asks one route as one actor through one way in, and checks the answer and what it changed. */
async function check(route: { method: string; url: string; operation: Operation }, actor: ActorName, way: 'own' | 'other', target: Upload): Promise<void> {
  const row = rowOf(route.method, route.url);
  if (!row) throw new Error(`no row for ${route.method} ${route.url} in ROWS: add how to ask it`);
  const channel = channelOf(route.url);
  const who = actor === 'anonymous' ? undefined : people.get(actor);
  // The target of a review is a fresh copy each time: a decision is made once.
  const upload = row.effect === reviewEffect ? fresh(target) : target;
  const report = row.effect === closeReportEffect ? freshReport() : reportA;
  // Through the way in the route is for, the person is known; through the other, they must not be.
  const known = way === 'own' ? who : undefined;
  const csrf = who && channel === 'html' && route.method === 'POST' ? await csrfFor(who) : undefined;
  const ask = row.ask({ upload, report, csrf });
  const e = expected(route, row, known, upload, report, ask.path);
  const label = `${route.method} ${route.url} as ${actor}${way === 'other' ? ` through the ${channel === 'api' ? 'session cookie' : 'API token'}` : ''}`;
  const before = row.effect?.measure({ upload, report });
  const useJar = who && (channel === 'html') === (way === 'own');
  const res = await send(ask.path, {
    method: route.method,
    ...(useJar ? { jar: who.jar } : {}),
    ...(who && !useJar ? { token: who.official.token } : {}),
    ...(ask.body !== undefined ? { body: ask.body } : {}),
    ...(ask.headers ? { headers: ask.headers } : {}),
  });
  expect.soft(res.status, label).toBe(e.status);
  if (e.location !== undefined) expect.soft(res.headers.get('location'), label).toBe(e.location);
  if (e.code !== undefined) {
    const code = await codeOf(res, route.method);
    if (route.method !== 'HEAD') expect.soft(code, label).toBe(e.code);
  }
  if (e.status === 401) expect.soft(res.headers.get('www-authenticate'), label).toBe('Bearer realm="publish"');
  if (e.allowed && row.success && res.status === row.ok) await row.success(res, { upload, report, method: route.method });
  if (row.effect) {
    const effect = row.effect;
    const want = e.allowed ? effect.after(before, { upload, report }) : before;
    const after = e.allowed ? await eventually(() => effect.measure({ upload, report }), want) : effect.measure({ upload, report });
    expect.soft(after, `${label}: ${e.allowed ? 'its effect' : 'refused, nothing changed'}`).toEqual(want);
    if (effect === rollbackEffect) await releasesSettle();
  }
  covered.add(`${route.method} ${route.url}`);
}

beforeAll(async () => {
  // Two districts: the fixtures' Testobod (area A) and a second one (area B).
  const districts = `${(await readFile(join(FIXTURES, 'units', 'districts.csv'), 'utf8')).trimEnd()}\n${AREA_B},Secondobod,Секундобод,,district,TJ-SU,8 000,2020,complete,https://example.org/source,Secondobod,40.1,69.6\n`;
  const jamoats = `${(await readFile(join(FIXTURES, 'units', 'jamoats.csv'), 'utf8')).trimEnd()}\n${AREA_B}-01,Gamma,Гамма,jamoat,${AREA_B},900,2015,https://example.org/source\n`;
  dataDir = await makeDataDir({ files: { 'units/districts.csv': districts, 'units/jamoats.csv': jamoats } });
  // Workbooks of the tests are a few KB; a smaller limit lets a test send one over it cheaply.
  p = await launchPublishing({ dataDir, env: { MAX_FILE_BYTES: String(MAX_FILE_BYTES) } });
  for (const [name, { role, area }] of Object.entries(PEOPLE) as [Exclude<ActorName, 'anonymous'>, { role: Role; area: string | null }][]) {
    const official = await addOfficial(p.services, name.toLowerCase(), role, area);
    people.set(name, { name, role, area, official, jar: new CookieJar() });
  }
  for (const person of people.values()) await signIn(person);

  // A workbook for area A that changes one figure of the live release (310 → 320).
  const path = join(dataDir, 'upload-a.xlsx');
  await writeXlsx(path, [wideSheet('Testobod', [[UNIT_A, 'Alpha', 320, 1020]])]);
  workbook = await readFile(path);
  const publisherA = people.get('publisherA') as Person;
  const res = await apiUpload(p.url, publisherA.official.token, workbook, { dataset: 'education', area: AREA_A, filename: 'education-a.xlsx' });
  expect(res.status).toBe(201);
  uploadA = (await res.json()) as Upload;
  expect(uploadA).toMatchObject({ status: 'pending', area: AREA_A, userId: publisherA.official.id });
  expect(uploadA.changes?.changed.map((c) => c.unitCode)).toContain(UNIT_A);

  // The four-eyes rule cannot be reached through the routes (reviewers do not upload): a row
  // as if the reviewer had uploaded the same workbook.
  const reviewer = people.get('reviewer') as Person;
  uploadByReviewer = p.services.uploads.add({
    userId: reviewer.official.id, userName: reviewer.official.name, area: AREA_A, dataset: 'education', fileName: 'reviewers-own.xlsx',
    sha256: uploadA.sha256, bytes: uploadA.bytes, problems: [], changes: uploadA.changes, baseRelease: uploadA.baseRelease,
  });
  reportA = freshReport();
}, 120_000);

afterAll(async () => {
  await p?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the authorisation matrix of /publish/, generated from OPERATIONS', () => {
  it('every area route registered with an operation of the table', () => {
    const ops = new Set(Object.keys(OPERATIONS));
    expect(p.services.areaRoutes.length).toBeGreaterThan(0);
    for (const r of p.services.areaRoutes) expect(ops.has(r.operation), `${r.method} ${r.url}`).toBe(true);
    // Every row of the table is a route that exists (a removed route leaves no stale row).
    const registered = new Set(p.services.areaRoutes.map((r) => `${r.method} ${r.url}`));
    for (const key of Object.keys(ROWS)) expect(registered.has(key), key).toBe(true);
  });

  it('every route × every actor, through its own way in and through the other', async () => {
    for (const route of p.services.areaRoutes) {
      const row = rowOf(route.method, route.url);
      const targets = row?.target === 'upload' ? [uploadA, uploadByReviewer] : [uploadA];
      for (const target of targets) {
        for (const actor of ACTORS) {
          await check(route, actor, 'own', target);
          if (actor !== 'anonymous') await check(route, actor, 'other', target);
        }
      }
    }
    // The set asked is the set registered: a new route without a row has failed above, and none was skipped.
    expect([...covered].sort()).toEqual([...new Set(p.services.areaRoutes.map((r) => `${r.method} ${r.url}`))].sort());
  }, 300_000);

  it('publisher B does not see area A\'s uploads in the lists; publisher A does', async () => {
    const list = async (who: ActorName) => {
      const res = await send('/publish/api/uploads', { method: 'GET', token: (people.get(who) as Person).official.token });
      expect(res.status).toBe(200);
      return ((await res.json()) as { uploads: Upload[] }).uploads;
    };
    expect((await list('publisherB')).filter((u) => inside(u.area, AREA_A))).toEqual([]);
    expect((await list('publisherA')).map((u) => u.id)).toContain(uploadA.id);
    expect((await list('reviewer')).map((u) => u.id)).toEqual(expect.arrayContaining([uploadA.id, uploadByReviewer.id]));
    const page = await (await send('/publish/uploads', { method: 'GET', jar: (people.get('publisherB') as Person).jar })).text();
    expect(page).not.toContain('education-a.xlsx');
  });

  it('a POST form without the session\'s CSRF token is refused (403) and changes nothing, for every POST page', async () => {
    const posts = p.services.areaRoutes.filter((r) => r.method === 'POST' && channelOf(r.url) === 'html');
    expect(posts.length).toBeGreaterThan(0);
    for (const route of posts) {
      const row = rowOf(route.method, route.url) as Row;
      // Someone the route is for, so that the CSRF check is the only thing in the way.
      const who = [...people.values()].find((x) => expected(route, row, x, uploadA, reportA, '').allowed) as Person;
      expect(who, `someone may ${route.method} ${route.url}`).toBeDefined();
      const upload = row.target === 'upload' ? fresh(uploadA) : uploadA;
      const report = row.target === 'report' ? freshReport() : reportA;
      for (const token of [undefined, 'not-a-token']) {
        const ask = row.ask({ upload, report, csrf: token });
        const before = row.effect?.measure({ upload, report });
        const res = await send(ask.path, { method: 'POST', jar: who.jar, ...(ask.body !== undefined ? { body: ask.body } : {}), ...(ask.headers ? { headers: ask.headers } : {}) });
        const label = `${route.method} ${route.url} as ${who.name} with ${token ? 'a wrong' : 'no'} CSRF token`;
        expect(res.status, label).toBe(403);
        expect(await codeOf(res, 'POST'), label).toBe('LG_ERR_CSRF');
        if (row.effect) expect(row.effect.measure({ upload, report }), label).toEqual(before);
      }
    }
  });

  it('who may not is refused before the body is read: an oversized workbook gets 401/303/403, not 413', async () => {
    const big = new Uint8Array(MAX_FILE_BYTES * 2);
    const api = `/publish/api/uploads?dataset=education&area=${AREA_A}`;
    const before = uploadCount();
    const anonymous = await send(api, { method: 'POST', body: big, headers: { 'content-type': XLSX } });
    expect(anonymous.status).toBe(401);
    expect(await codeOf(anonymous, 'POST')).toBe('LG_ERR_UNAUTHENTICATED');
    const reviewer = await send(api, { method: 'POST', token: (people.get('reviewer') as Person).official.token, body: big, headers: { 'content-type': XLSX } });
    expect(reviewer.status).toBe(403);
    expect(await codeOf(reviewer, 'POST')).toBe('LG_ERR_FORBIDDEN');
    const formBody = new FormData();
    formBody.set('dataset', 'education');
    formBody.set('file', new Blob([big], { type: XLSX }), 'big.xlsx');
    const page = await send('/publish/uploads', { method: 'POST', body: formBody });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/publish/login');
    // The one it is for gets the size refusal.
    const publisher = await send(api, { method: 'POST', token: (people.get('publisherA') as Person).official.token, body: big, headers: { 'content-type': XLSX } });
    expect(publisher.status).toBe(413);
    expect(await codeOf(publisher, 'POST')).toBe('LG_ERR_FILE_TOO_LARGE');
    expect(uploadCount()).toBe(before);
  });

  it('an API route reached through a percent-encoded path is still the API: token only, and its errors in JSON', async () => {
    const token = (people.get('publisherB') as Person).official.token;
    // publisher B asking for area A's upload: the workflow's 404, as JSON, like /publish/api/uploads/{id}.
    const res = await send(`/publish/ap%69/uploads/${uploadA.id}`, { method: 'GET', token });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ statusCode: 404, code: 'LG_ERR_NOT_FOUND' });
    // And a session cookie does not open it.
    const withCookie = await send(`/publish/ap%69/uploads/${uploadA.id}`, { method: 'GET', jar: (people.get('publisherA') as Person).jar });
    expect(withCookie.status).toBe(401);
  });

  it('last, an approval: another reviewer approves publisher A\'s upload and it is published as a release', async () => {
    await releasesSettle();
    const res = await apiReview(p.url, (people.get('reviewer2') as Person).official.token, uploadA.id, 'approve', { wait: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { upload: Upload; release: { n: number; status: string; kind: string; uploadId: number } };
    expect(body.release).toMatchObject({ status: 'complete', kind: 'upload', uploadId: uploadA.id });
    expect(body.upload).toMatchObject({ id: uploadA.id, status: 'published', releaseN: body.release.n });
    expect(p.services.releases.store.live()?.n).toBe(body.release.n);
  }, 120_000);
});
