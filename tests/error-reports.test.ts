/**
 * Readers' error reports (issue #15, "A citizen cannot report an error"), against the real service
 * on a loopback port with its real state database: the form on the unit pages in three languages,
 * a report stored and answered with the thanks page, the officials' page and API (a reviewer sees
 * and closes it, with an audit row; a publisher of another area sees nothing), the honeypot, the
 * limit per address, the cap per day, refusals that name the field, markup shown as text, and the
 * form filled and sent in headless Chromium on a 390 px phone, in Tajik.
 *
 * Each form is sent from an address of its own (127.0.0.x: the whole block is loopback), as
 * readers on different machines would, so the limit per address of one check does not bleed into
 * another.
 */
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/html/escape.js';
import { REPORT_STRINGS } from '../src/reports/strings.js';
import { ReportStore } from '../src/reports/report-store.js';
import { AuditLog } from '../src/state/audit.js';
import { STATE_DB_FILE, memoryStateDb } from '../src/state/state-db.js';
import { ARTIFACTS, launchChromium } from './browser-helpers.js';
import { type Publishing, type TestOfficial, addOfficial, launchPublishing } from './publish-helpers.js';

const NORIN = 'TJ-KT-06-06';
const NORIN_PAGE = `/doc/jamoat/${NORIN}`;
const PER_HOUR = 5;
const PER_DAY = 60;
const PHONE = { width: 390, height: 844 };

let pub: Publishing;
let reviewer: TestOfficial;
let yovonPublisher: TestOfficial;
let sughdPublisher: TestOfficial;

beforeAll(async () => {
  pub = await launchPublishing({ env: { REPORTS_PER_HOUR: String(PER_HOUR), REPORTS_PER_DAY: String(PER_DAY), TRUST_PROXY: PROXY } });
  reviewer = await addOfficial(pub.services, 'rustam', 'reviewer');
  yovonPublisher = await addOfficial(pub.services, 'amina', 'publisher', 'TJ-KT-06');
  sughdPublisher = await addOfficial(pub.services, 'dilnoza', 'publisher', 'TJ-SU');
}, 120_000);

afterAll(async () => {
  await pub?.close();
});

/** The cache in front (TRUST_PROXY): its X-Forwarded-For names the reader. */
const PROXY = '127.0.0.250';

let lastHost = 10;
/** A loopback address no other check has sent from. */
const freshAddress = () => `127.0.0.${++lastHost}`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the report form as a browser does (form-encoded), from the given client address. */
function sendForm(fields: Record<string, string>, opts: { from: string; lang?: string; forwardedFor?: string }): Promise<Answer> {
  const body = new URLSearchParams(fields).toString();
  const { port } = new URL(pub.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1', port: Number(port), localAddress: opts.from, method: 'POST', path: `/report?lang=${opts.lang ?? 'en'}`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), accept: 'text/html',
          ...(opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const openReports = () => pub.services.reports.list({ status: 'open' });
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${pub.url}${path}`, { headers, redirect: 'manual' });
const api = (path: string, token: string, method = 'GET') => fetch(`${pub.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

/** A signed-in browser session of the officials' area, by cookie. */
async function signIn(official: TestOfficial): Promise<{ cookie: string; csrf: (html: string) => string }> {
  const cookieOf = (res: Response, prev = '') => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || prev;
  const csrf = (html: string) => {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m?.[1]) throw new Error('no _csrf input in the page');
    return m[1];
  };
  const login = await get('/publish/login?lang=en');
  let cookie = cookieOf(login);
  const res = await fetch(`${pub.url}/publish/login?lang=en`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf(await login.text()), name: official.name, password: official.password }),
  });
  expect(res.status).toBe(303);
  cookie = cookieOf(res, cookie);
  return { cookie, csrf };
}

describe('the form on the unit pages', () => {
  it('is on a jamoat page in Tajik, Russian and English, about that page, with a hidden honeypot', async () => {
    for (const lang of ['tg', 'ru', 'en'] as const) {
      const res = await get(`${NORIN_PAGE}?lang=${lang}`);
      expect(res.status).toBe(200);
      const page = await res.text();
      const s = REPORT_STRINGS[lang];
      expect(page).toContain(`<h2 id="report">${escapeHtml(s.formTitle)}</h2>`);
      expect(page).toContain(`<form method="post" action="/report?lang=${lang}" class="report-form">`);
      expect(page).toContain(`<input type="hidden" name="page" value="${NORIN_PAGE}">`);
      expect(page).toContain(`<label for="report-text">${escapeHtml(s.textLabel)}</label>`);
      expect(page).toMatch(/<textarea id="report-text" name="text"[^>]* minlength="5" maxlength="2000" required/);
      expect(page).toContain(`<button type="submit">${escapeHtml(s.send)}</button>`);
      // The honeypot: off screen, hidden from screen readers, out of the tab order, never autofilled.
      expect(page).toMatch(/<div class="vh" aria-hidden="true"><label for="report-website">[^<]+<\/label> <input type="text" id="report-website" name="website" tabindex="-1" autocomplete="off" value=""><\/div>/);
    }
  });

  it('the home page says where the form is and links to one', async () => {
    const page = await (await get('/?lang=ru')).text();
    const section = page.split('id="report-an-error"')[1] ?? '';
    expect(section).toContain(escapeHtml(REPORT_STRINGS.ru.homeHow));
    expect(section).toContain('href="/doc/country/TJ?lang=ru#report"');
  });
});

describe('sending a report', () => {
  it('stores it and answers 303 to the thanks page in the reader\'s language, with the way back', async () => {
    const before = openReports().length;
    const res = await sendForm({ page: NORIN_PAGE, text: 'Population 2015 is 12 340, not 12 430 (district statistics office).', contact: 'reader@example.org', website: '' }, { from: freshAddress(), lang: 'ru' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/report/thanks?lang=ru&page=${encodeURIComponent(NORIN_PAGE)}`);
    const stored = openReports();
    expect(stored).toHaveLength(before + 1);
    expect(stored[0]).toMatchObject({ unitCode: NORIN, page: NORIN_PAGE, contact: 'reader@example.org', lang: 'ru', status: 'open' });

    // Committed to state.db: another connection to the file reads it (WAL, synchronous=FULL).
    const other = new Database(join(pub.stateDir, STATE_DB_FILE), { readonly: true });
    try {
      expect(other.prepare('SELECT unit_code, text FROM error_reports WHERE id = ?').get(stored[0]?.id)).toEqual({ unit_code: NORIN, text: stored[0]?.text });
    } finally {
      other.close();
    }

    const thanks = await get(res.headers.location as string);
    expect(thanks.status).toBe(200);
    expect(thanks.headers.get('cache-control')).toBe('no-store');
    const page = await thanks.text();
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain(escapeHtml(REPORT_STRINGS.ru.thanksText));
    expect(page).toContain(`href="${NORIN_PAGE}?lang=ru"`);
  });

  it('a thanks page whose page parameter is not a unit of ours links home, never elsewhere', async () => {
    const page = await (await get(`/report/thanks?lang=en&page=${encodeURIComponent('//evil.example/x')}`)).text();
    expect(page).not.toContain('evil.example');
    expect(page).toContain(escapeHtml(REPORT_STRINGS.en.backHome));
  });

  it('a form with the honeypot filled is answered as if accepted, and not stored', async () => {
    const before = openReports().length;
    const res = await sendForm({ page: NORIN_PAGE, text: 'Buy cheap watches at our shop today', contact: '', website: 'http://spam.example' }, { from: freshAddress() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/report/thanks?lang=en&page=${encodeURIComponent(NORIN_PAGE)}`);
    expect(openReports()).toHaveLength(before);
  });

  it('answers 429 with Retry-After after REPORTS_PER_HOUR forms from one address, in the reader\'s language; other addresses still get through', async () => {
    const from = freshAddress();
    // Every form counts, refused ones too: a bot gains nothing by sending nonsense.
    for (let i = 0; i < PER_HOUR; i++) expect((await sendForm({ page: NORIN_PAGE, text: '' }, { from, lang: 'tg' })).status).toBe(400);
    const before = openReports().length;
    const over = await sendForm({ page: NORIN_PAGE, text: 'A valid report, but one too many' }, { from, lang: 'tg' });
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body).toContain('<html lang="tg">');
    expect(over.body).toContain('LG_ERR_RATE_LIMITED');
    expect(openReports()).toHaveLength(before);
    expect((await sendForm({ page: NORIN_PAGE, text: 'From another reader, accepted' }, { from: freshAddress() })).status).toBe(303);
  });

  it('behind the cache named by TRUST_PROXY, each reader has their own limit; anyone else\'s X-Forwarded-For is not believed', async () => {
    const form = (text: string) => ({ page: NORIN_PAGE, text });
    // Through the trusted proxy: two readers, told apart by X-Forwarded-For.
    for (let i = 0; i < PER_HOUR; i++) expect((await sendForm(form(''), { from: PROXY, forwardedFor: '203.0.113.7' })).status).toBe(400);
    expect((await sendForm(form('One too many from this reader'), { from: PROXY, forwardedFor: '203.0.113.7' })).status).toBe(429);
    expect((await sendForm(form('Another reader behind the same cache'), { from: PROXY, forwardedFor: '198.51.100.4' })).status).toBe(303);
    // A client that is not the proxy cannot pick a fresh address with the header.
    const direct = freshAddress();
    for (let i = 0; i < PER_HOUR; i++) expect((await sendForm(form(''), { from: direct, forwardedFor: `192.0.2.${i + 1}` })).status).toBe(400);
    expect((await sendForm(form('A forged address does not help'), { from: direct, forwardedFor: '192.0.2.200' })).status).toBe(429);
  });

  const refusals: { why: string; fields: Record<string, string>; field: 'text' | 'contact' | 'page'; message: (s: typeof REPORT_STRINGS.en) => string }[] = [
    { why: 'no text', fields: { page: NORIN_PAGE, text: '   ' }, field: 'text', message: (s) => s.err_text_missing },
    { why: 'a text too short', fields: { page: NORIN_PAGE, text: 'bad' }, field: 'text', message: (s) => s.err_text_short.replace('{min}', '5').replace('{n}', '3') },
    { why: 'a text too long', fields: { page: NORIN_PAGE, text: 'я'.repeat(2001) }, field: 'text', message: (s) => s.err_text_long.replace('{max}', '2000').replace('{n}', '2001') },
    { why: 'a contact too long', fields: { page: NORIN_PAGE, text: 'The code is wrong', contact: 'x'.repeat(201) }, field: 'contact', message: (s) => s.err_contact_long.replace('{max}', '200').replace('{n}', '201') },
    { why: 'a page that is not a unit (a dataset)', fields: { page: '/doc/dataset/education', text: 'The title is wrong' }, field: 'page', message: (s) => s.err_page_not_unit },
    { why: 'a unit page that does not exist', fields: { page: '/doc/jamoat/TJ-KT-06-99', text: 'The title is wrong' }, field: 'page', message: (s) => s.err_page_not_unit },
    { why: 'a page of another site', fields: { page: '//evil.example', text: 'The title is wrong' }, field: 'page', message: (s) => s.err_page_not_unit },
    { why: 'an absolute URL to our own page', fields: { page: `http://localhost:3000${NORIN_PAGE}`, text: 'The title is wrong' }, field: 'page', message: (s) => s.err_page_not_unit },
    { why: 'no page at all', fields: { text: 'The title is wrong' }, field: 'page', message: (s) => s.err_page_not_unit },
  ];
  for (const r of refusals) {
    it(`refuses ${r.why} with a 400 page naming the field, storing nothing`, async () => {
      const before = openReports().length;
      const res = await sendForm(r.fields, { from: freshAddress(), lang: 'en' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain(`<li data-field="${r.field}">`);
      expect(res.body).toContain(escapeHtml(r.message(REPORT_STRINGS.en)));
      expect(res.body).not.toContain('evil.example');
      if (r.field !== 'page') {
        // The form again, with what was written and the field marked.
        const id = r.field === 'text' ? 'report-text' : 'report-contact';
        expect(res.body).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true"`));
        expect(res.body).toContain(`<input type="hidden" name="page" value="${NORIN_PAGE}">`);
      }
      expect(openReports()).toHaveLength(before);
    });
  }

  it('says why in Tajik and Russian too', async () => {
    for (const lang of ['tg', 'ru'] as const) {
      const res = await sendForm({ page: NORIN_PAGE, text: '' }, { from: freshAddress(), lang });
      expect(res.status).toBe(400);
      expect(res.body).toContain(`<html lang="${lang}">`);
      expect(res.body).toContain(escapeHtml(REPORT_STRINGS[lang].err_text_missing));
    }
  });
});

describe('reports in the officials\' area', () => {
  const MARKUP = '<script>alert("x")</script><b>Norin</b> & "population"';
  let markupId: number;

  beforeAll(async () => {
    expect((await sendForm({ page: NORIN_PAGE, text: MARKUP, contact: '<img src=x onerror=alert(1)>' }, { from: freshAddress() })).status).toBe(303);
    markupId = (openReports()[0] as { id: number }).id;
  });

  it('a reviewer sees it on /publish/reports, escaped, newest first, with its unit linked', async () => {
    const { cookie } = await signIn(reviewer);
    const res = await get('/publish/reports?lang=en', { cookie });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`<tr data-report="${markupId}">`);
    expect(page).toContain(escapeHtml(MARKUP));
    expect(page).toContain(escapeHtml('<img src=x onerror=alert(1)>'));
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>Norin</b>');
    expect(page).toContain(`href="${NORIN_PAGE}?lang=en"`);
    const ids = [...page.matchAll(/data-report="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    // The area's menu leads there.
    expect(page).toContain('href="/publish/reports?lang=en" aria-current="page"');
  });

  it('the API lists it for scripts; a publisher of the area sees it, one of another area does not', async () => {
    const list = async (token: string) => {
      const res = await api('/publish/api/reports', token);
      expect(res.status).toBe(200);
      return ((await res.json()) as { reports: { id: number; unitCode: string; text: string; unitName: Record<string, string> }[] }).reports;
    };
    const forReviewer = await list(reviewer.token);
    expect(forReviewer.find((r) => r.id === markupId)).toMatchObject({ unitCode: NORIN, text: MARKUP, unitName: { en: 'Norin' } });
    expect((await list(yovonPublisher.token)).map((r) => r.id)).toContain(markupId);
    expect(await list(sughdPublisher.token)).toEqual([]);

    const { cookie } = await signIn(sughdPublisher);
    const page = await (await get('/publish/reports?lang=en', { cookie })).text();
    expect(page).not.toContain(`data-report="${markupId}"`);
    expect(page).toContain(escapeHtml(REPORT_STRINGS.en.noReports));
    // Closing it is a 404 to them, and leaves it open.
    expect((await api(`/publish/api/reports/${markupId}/close`, sughdPublisher.token, 'POST')).status).toBe(404);
    expect(pub.services.reports.get(markupId)?.status).toBe('open');
  });

  it('a reviewer marks it handled with the page\'s button (CSRF-protected); the audit log records who', async () => {
    const session = await signIn(reviewer);
    const page = await (await get('/publish/reports?lang=en', { cookie: session.cookie })).text();
    const close = (csrf: string | undefined) => fetch(`${pub.url}/publish/reports/${markupId}/close?lang=en`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(csrf ? { _csrf: csrf } : {}),
    });
    expect((await close(undefined)).status).toBe(403);
    expect(pub.services.reports.get(markupId)?.status).toBe('open');

    const res = await close(session.csrf(page));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/publish/reports?closed=${markupId}&lang=en`);
    expect(pub.services.reports.get(markupId)).toMatchObject({ status: 'closed', closedBy: { id: reviewer.id, name: 'rustam' } });
    const audit = pub.services.audit.list({ limit: 20 }).find((e) => e.action === 'report-close' && e.target === `report:${markupId}`);
    expect(audit).toMatchObject({ userId: reviewer.id, userName: 'rustam', detail: { unit: NORIN } });
    const after = await (await get(res.headers.get('location') as string, { cookie: session.cookie })).text();
    expect(after).not.toContain(`data-report="${markupId}"`);
    expect(after).toContain(escapeHtml(REPORT_STRINGS.en.closedFlash.replace('{n}', String(markupId))));
  });

  it('a script closes one through the API; closing it again changes nothing and writes no second audit row', async () => {
    expect((await sendForm({ page: '/doc/district/TJ-KT-06', text: 'The area of the district is wrong' }, { from: freshAddress() })).status).toBe(303);
    const id = (openReports()[0] as { id: number; unitCode: string }).id;
    const first = await api(`/publish/api/reports/${id}/close`, yovonPublisher.token, 'POST');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ changed: true, report: { id, status: 'closed', unitCode: 'TJ-KT-06', closedBy: { name: 'amina' } } });
    const again = await api(`/publish/api/reports/${id}/close`, reviewer.token, 'POST');
    expect(await again.json()).toMatchObject({ changed: false, report: { closedBy: { name: 'amina' } } });
    expect(pub.services.audit.list({ limit: 50 }).filter((e) => e.target === `report:${id}`)).toHaveLength(1);
  });
});

describe('the cap on reports per day', () => {
  it('the store refuses past its cap for the UTC day and accepts again the next day', () => {
    const db = memoryStateDb();
    const store = new ReportStore(db, new AuditLog(db));
    const report = { unitCode: NORIN, page: NORIN_PAGE, text: 'wrong figure', contact: null, lang: 'en' as const };
    const day = new Date('2026-03-01T23:59:00Z');
    expect(store.add(report, { perDay: 2, now: day })).not.toBe('full');
    expect(store.add(report, { perDay: 2, now: day })).not.toBe('full');
    expect(store.add(report, { perDay: 2, now: day })).toBe('full');
    expect(store.add(report, { perDay: 2, now: new Date('2026-03-02T00:00:00Z') })).not.toBe('full');
    expect(store.list({ status: 'open' })).toHaveLength(3);
  });

  it('the service answers 503 LG_ERR_REPORTS_FULL once REPORTS_PER_DAY reports arrived today, and stores no more', async () => {
    const today = () => (pub.services.db.prepare('SELECT COUNT(*) AS n FROM error_reports WHERE created_at >= ?').get(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`) as { n: number }).n;
    while (today() < PER_DAY) pub.services.reports.add({ unitCode: NORIN, page: NORIN_PAGE, text: 'filler', contact: null, lang: 'en' }, { perDay: PER_DAY });
    const res = await sendForm({ page: NORIN_PAGE, text: 'One more, refused today' }, { from: freshAddress(), lang: 'en' });
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    expect(res.body).toContain('LG_ERR_REPORTS_FULL');
    expect(today()).toBe(PER_DAY);
  });
});

describe('a reader sends the form from a phone, in Tajik (headless Chromium, 390 px)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The cap test above filled today's reports: make room as a new day would.
    pub.services.db.prepare("UPDATE error_reports SET created_at = '2000-01-01T00:00:00.000Z'").run();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: PHONE })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('fills the two fields, never reaches the honeypot, sends, and lands on the thanks page', async () => {
    const s = REPORT_STRINGS.tg;
    await page.goto(`${pub.url}${NORIN_PAGE}?lang=tg`);
    // The form and each of its controls fit the phone's width (nothing of it is off screen to the right).
    const rights = await page.locator('.report-form, .report-form textarea, .report-form input[type=text]:not([tabindex="-1"]), .report-form button').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    expect(rights.length).toBe(4);
    for (const right of rights) expect(right).toBeLessThanOrEqual(PHONE.width);
    await page.getByLabel(s.textLabel).fill('Шумораи аҳолӣ дар соли 2015 нодуруст аст.');
    await page.getByLabel(s.contactLabel).fill('+992 900 00 00 00');
    // Tab from the contact field goes to the button: the honeypot is out of the tab order.
    await page.getByLabel(s.contactLabel).press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(s.send);
    const box = await page.locator('.report-form .vh').boundingBox();
    expect(box === null || box.width <= 1 || box.height <= 1, 'the honeypot takes no room on screen').toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'report-form-tg.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/report\/thanks/), page.getByRole('button', { name: s.send }).click()]);
    expect(await page.locator('h1').innerText()).toBe(s.thanksTitle);
    expect(await page.getAttribute('html', 'lang')).toBe('tg');
    expect(openReports()[0]).toMatchObject({ unitCode: NORIN, text: 'Шумораи аҳолӣ дар соли 2015 нодуруст аст.', contact: '+992 900 00 00 00', lang: 'tg' });
    // Back to the unit's page, still in Tajik.
    await Promise.all([page.waitForURL((u) => u.pathname === NORIN_PAGE), page.locator(`main a[href^="${NORIN_PAGE}?"]`).click()]);
    expect(new URL(page.url()).searchParams.get('lang')).toBe('tg');
  }, 60_000);
});
