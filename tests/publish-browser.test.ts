/**
 * The officials' whole path in headless Chromium, on a phone (390 px), in Tajik: first sign-in
 * with a one-time password, a template downloaded, a workbook with two mistakes refused with its
 * report, the corrected one previewed (and its draft page, invisible without a session), a
 * reviewer's approval, and the figure on the public pages once the release is live.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from './browser-helpers.js';
import { type Publishing, launchPublishing } from './publish-helpers.js';

const PHONE = { width: 390, height: 844 };
const YEAR = 2025;
/** Norin (TJ-KT-06-06), row 9 of the Yovon template: the figure followed to the public page. */
const NORIN = 'TJ-KT-06-06';
const NORIN_ROW = 9;
const NORIN_PUPILS = 5712;
/** The publisher's first mistake: a negative count for Chorgul (row 6), pupils (column D). */
const NEGATIVE = { row: 6, col: 4, letter: 'D', bad: -40, good: 4460 };
/** The second: words in Norin's teachers cell (column E). */
const WORDS = { row: NORIN_ROW, col: 5, letter: 'E', bad: 'дусаду', good: 301 };
const PUPILS_HEADER = `Хонандагони мактабҳои таҳсилоти умумӣ (нафар), ${YEAR}`;
const TEACHERS_HEADER = `Омӯзгорони мактабҳои таҳсилоти умумӣ (нафар), ${YEAR}`;

let pub: Publishing;
let browser: Browser;
let publisher: { name: string; oneTime: string; password: string };
let reviewer: { name: string; oneTime: string; password: string };
let startRelease: number;

beforeAll(async () => {
  [pub, browser] = await Promise.all([launchPublishing(), launchChromium()]);
  const by = { userId: null, userName: 'test', from: 'cli' };
  // As `npm run users -- add` makes them: one-time passwords, to be replaced at the first sign-in.
  const p = await pub.services.accounts.add('amina', 'publisher', 'TJ-KT-06', by);
  const r = await pub.services.accounts.add('rustam', 'reviewer', null, by);
  publisher = { name: 'amina', oneTime: p.oneTimePassword, password: 'бо боғ мактаб дарахт 2025' };
  reviewer = { name: 'rustam', oneTime: r.oneTimePassword, password: 'санҷиши дурусти рақамҳо' };
  startRelease = (await health()).release;
});

afterAll(async () => {
  await browser?.close();
  await pub?.close();
});

async function health(): Promise<{ release: number; building: number | null; dataVersion: string }> {
  return (await fetch(`${pub.url}/health`)).json() as Promise<{ release: number; building: number | null; dataVersion: string }>;
}

/** Collapses every kind of space (the thousands separator is a no-break space) to one plain space. */
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The page does not scroll sideways on the phone: wide tables scroll inside their own box. */
async function expectNoSideways(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} is ${width} px wide`).toBeLessThanOrEqual(PHONE.width + 2);
}

async function h1(page: Page): Promise<string> {
  return squash(await page.locator('h1').innerText());
}

/** Signs in on the login page the browser is on; the caller checks where it lands. */
async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.fill('#name', name);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/publish/login')), page.getByRole('button', { name: 'Ворид шудан' }).click()]);
}

/** Replaces a one-time password on the password page the browser is on. */
async function choosePassword(page: Page, current: string, chosen: string): Promise<void> {
  expect(await h1(page)).toBe('Иваз кардани парол');
  expect(await page.locator('p[role="status"]').innerText()).toContain('пароли яккарата');
  await page.fill('#current', current);
  await page.fill('#new', chosen);
  await page.fill('#repeat', chosen);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/publish/password')), page.getByRole('button', { name: 'Иваз кардани парол' }).click()]);
}

/** The rows of a table as the reader sees them: cell texts, spaces squashed. */
async function tableRows(page: Page, selector: string): Promise<string[][]> {
  return page.locator(`${selector} tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim())));
}

/** The template filled in: three figures for each jamoat of Yovon, with or without the two mistakes. */
function fill(ws: ExcelJS.Worksheet, mistakes: boolean): void {
  for (let row = 4; row <= 12; row++) {
    ws.getCell(row, 3).value = 8 + row; // general schools
    ws.getCell(row, 4).value = 4400 + 12 * row; // pupils
    ws.getCell(row, 5).value = 250 + row; // teachers
  }
  ws.getCell(NORIN_ROW, 4).value = NORIN_PUPILS;
  ws.getCell(NEGATIVE.row, NEGATIVE.col).value = mistakes ? NEGATIVE.bad : NEGATIVE.good;
  ws.getCell(WORDS.row, WORDS.col).value = mistakes ? WORDS.bad : WORDS.good;
}

async function sendWorkbook(page: Page, wb: ExcelJS.Workbook, fileName: string): Promise<number> {
  await page.goto(`${pub.url}/publish/?lang=tg`);
  await page.selectOption('#u-ds', 'education');
  await page.setInputFiles('#u-file', { name: fileName, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await wb.xlsx.writeBuffer()) });
  await Promise.all([page.waitForURL(/\/publish\/uploads\/\d+/), page.getByRole('button', { name: 'Фиристодан' }).click()]);
  expect(await page.getAttribute('html', 'lang')).toBe('tg');
  return Number(/\/uploads\/(\d+)/.exec(page.url())?.[1]);
}

describe('an official publishes figures from a phone, in Tajik', () => {
  let context: BrowserContext;
  let page: Page;
  let template: ExcelJS.Workbook;
  let draftUrl: string;
  let uploadId: number;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: PHONE, acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('the publisher is sent to sign in, must replace the one-time password, and reaches the dashboard', async () => {
    await page.goto(`${pub.url}/publish/?lang=tg`);
    expect(new URL(page.url()).pathname).toBe('/publish/login');
    expect(await page.getAttribute('html', 'lang')).toBe('tg');
    expect(await h1(page)).toBe('Воридшавӣ');
    await shot(page, 'publish-login-tg');

    await signIn(page, publisher.name, publisher.oneTime);
    expect(new URL(page.url()).pathname).toBe('/publish/password');
    // Until the password is chosen, the menu offers nothing but logging out.
    expect(await page.locator('nav.pa li a').count()).toBe(0);
    await shot(page, 'publish-password-tg');
    await choosePassword(page, publisher.oneTime, publisher.password);

    // Back where they wanted to go: the dashboard, in Tajik.
    expect(new URL(page.url()).pathname).toBe('/publish/');
    expect(await h1(page)).toBe('Бахши кормандон');
    expect(squash(await page.locator('p.who').innerText())).toBe('Корбар: amina · нашркунанда · TJ-KT-06');
    expect(squash(await page.locator('main').innerText())).toContain('Ҳудуди шумо: Ноҳияи Ёвон TJ-KT-06');
    await shot(page, 'publish-dashboard-tg');
    await expectNoSideways(page);
  });

  it('downloads the template of education for 2025 through the dashboard form: Tajik headers, the jamoats of Yovon', async () => {
    await page.selectOption('#t-area', 'TJ-KT-06');
    await page.selectOption('#t-ds', 'education');
    await page.fill('#t-year', String(YEAR));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Қолабро боргирӣ кунед' }).click()]);
    expect(download.suggestedFilename()).toBe(`education-TJ-KT-06-${YEAR}.xlsx`);
    template = new ExcelJS.Workbook();
    await template.xlsx.readFile(await download.path());
    expect(template.worksheets.map((w) => w.name)).toEqual(['Ноҳияи Ёвон']);
    const ws = template.worksheets[0] as ExcelJS.Worksheet;
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(row(2)).toEqual(['Рамз', 'Ҷамоат', 'Мактабҳои таҳсилоти умумӣ (адад)', 'Хонандагони мактабҳои таҳсилоти умумӣ (нафар)', 'Омӯзгорони мактабҳои таҳсилоти умумӣ (нафар)']);
    expect(row(3).slice(2)).toEqual([YEAR, YEAR, YEAR]);
    expect(String(ws.getCell(1, 1).value)).toMatch(/^Маориф .*: Ноҳияи Ёвон, 2025$/);
    expect(ws.getCell(NORIN_ROW, 1).value).toBe(NORIN);
    expect(ws.getCell(12, 1).value).toBe('TJ-KT-06-09');
    expect(ws.getCell(14, 2).value).toBe('Ҳамагӣ');
  });

  it('a workbook with a negative count and words in a number cell is refused: two problems, each with its place', async () => {
    fill(template.worksheets[0] as ExcelJS.Worksheet, true);
    const before = await health();
    const id = await sendWorkbook(page, template, 'маориф-ёвон.xlsx');
    expect(await h1(page)).toBe(`Боркунии ${id}`);
    expect(await page.locator('[data-status]').innerText()).toBe('аз санҷиш нагузашт (нашр нашудааст)');
    expect(await page.locator('#report').innerText()).toBe('Хатоҳои ёфтшуда');

    const rows = await tableRows(page, 'table.report');
    expect(rows).toHaveLength(2);
    const [negative, words] = rows as [string[], string[]];
    // Sheet | row | column letter «header» | value | problem (Tajik), detail, code | what to do
    expect(negative.slice(0, 4)).toEqual(['Ноҳияи Ёвон', String(NEGATIVE.row), `${NEGATIVE.letter} «${PUPILS_HEADER}»`, String(NEGATIVE.bad)]);
    expect(words.slice(0, 4)).toEqual(['Ноҳияи Ёвон', String(WORDS.row), `${WORDS.letter} «${TEACHERS_HEADER}»`, WORDS.bad]);
    for (const r of rows) {
      expect(r[4]).toMatch(/^Қиматро ҳамчун рақами/); // what is wrong, in Tajik
      expect(r[4]).toContain('LG_ERR_BAD_VALUE');
      expect(r[5]).toMatch(/^Танҳо ададро ворид кунед/); // what to do, in Tajik
    }
    expect(negative[4]).toContain('a count cannot be negative');
    expect(words[4]).toContain('expected a number');
    // The table's own headings are Tajik too.
    expect(await page.locator('table.report thead th').allInnerTexts()).toEqual(['Варақ', 'Сатр', 'Сутун', 'Қимат', 'Хато', 'Чӣ бояд кард']);
    // No preview, no draft pages, nothing to review; nothing published.
    expect(await page.locator('#preview').count()).toBe(0);
    expect(await health()).toMatchObject({ release: before.release, dataVersion: before.dataVersion });
    await shot(page, 'publish-report-tg');
    await expectNoSideways(page);
  });

  it('the corrected workbook is previewed: every figure it adds, and the draft page of Norin', async () => {
    fill(template.worksheets[0] as ExcelJS.Worksheet, false);
    uploadId = await sendWorkbook(page, template, 'маориф-ёвон-2.xlsx');
    expect(await page.locator('[data-status]').innerText()).toBe('дар интизори баррасӣ');
    expect(await page.locator('table.report').count()).toBe(0);
    expect(squash(await page.locator('#preview + p').innerText())).toBe('27 рақам илова, 0 тағйир, 0 бетағйир.');
    const added = await tableRows(page, '#preview ~ .tw table');
    expect(added).toHaveLength(27);
    expect(added).toContainEqual([`Norin ${NORIN}`, 'Хонандагони мактабҳои таҳсилоти умумӣ', String(YEAR), '5 712']);
    expect(added).toContainEqual([`Norin ${NORIN}`, 'Омӯзгорони мактабҳои таҳсилоти умумӣ', String(YEAR), String(WORDS.good)]);
    expect(added).toContainEqual(['Chorgul TJ-KT-06-03', 'Хонандагони мактабҳои таҳсилоти умумӣ', String(YEAR), '4 460']);
    await shot(page, 'publish-preview-tg');
    await expectNoSideways(page);

    // The draft page: the public unit page with the upload's figures, under a banner.
    await Promise.all([page.waitForURL(/\/draft\//), page.locator(`a[href^="/publish/uploads/${uploadId}/draft/${NORIN}"]`).click()]);
    draftUrl = page.url();
    expect(new URL(draftUrl).pathname).toBe(`/publish/uploads/${uploadId}/draft/${NORIN}`);
    const banner = squash(await page.locator('main [role="alert"]').innerText());
    expect(banner).toContain(`ПЕШНАМОИШИ ЛОИҲАИ боркунии ${uploadId}`);
    expect(banner).toContain('нашр нашудаанд');
    const cell = page.locator(`a[href^="/doc/observation/education/${NORIN}/pupils/${YEAR}"]`);
    expect(squash(await cell.innerText())).toBe('5 712');
    expect(await page.locator('#stat-education').innerText()).toContain(`2021–${YEAR}`);
    // (Not checked for sideways scrolling: it is the public unit page's layout, whose long source links are wider than a phone.)
    await shot(page, 'publish-draft-tg');

    // Without the session cookie the same address leads to the login page, and shows no figure.
    const anonymous = await fetch(draftUrl, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/publish\/login\?next=/);
    const stranger = await browser.newContext({ viewport: PHONE });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(draftUrl);
    expect(new URL(strangerPage.url()).pathname).toBe('/publish/login');
    expect(await strangerPage.content()).not.toContain('5 712');
    // And the public page still has no 2025.
    await strangerPage.goto(`${pub.url}/doc/jamoat/${NORIN}?lang=tg`);
    expect(await strangerPage.locator('#stat-education').innerText()).toBe('Маориф, 2021–2024');
    await stranger.close();
  });

  it('the publisher signs out; the reviewer signs in for the first time and approves with a comment', async () => {
    await page.goto(`${pub.url}/publish/?lang=tg`);
    await Promise.all([page.waitForURL(/\/publish\/login/), page.locator('nav.pa').getByRole('button', { name: 'Баромадан' }).click()]);
    expect(await page.locator('p[role="status"]').innerText()).toBe('Шумо аз бахш баромадед.');
    // The session is gone: the draft page is the login page again.
    await page.goto(draftUrl);
    expect(new URL(page.url()).pathname).toBe('/publish/login');

    // The reviewer follows a link to the review queue: sign in, a password of their own, then the queue.
    await page.goto(`${pub.url}/publish/reviews?lang=tg`);
    expect(new URL(page.url()).pathname).toBe('/publish/login');
    await signIn(page, reviewer.name, reviewer.oneTime);
    expect(new URL(page.url()).pathname).toBe('/publish/password');
    await choosePassword(page, reviewer.oneTime, reviewer.password);
    expect(new URL(page.url()).pathname).toBe('/publish/reviews');
    expect(await h1(page)).toBe('Дар интизори баррасӣ');
    expect(squash(await page.locator('p.who').innerText())).toBe('Корбар: rustam · баррасикунанда · тамоми кишвар');
    expect(await page.locator('nav.pa a[aria-current="page"]').innerText()).toBe('Баррасиҳо');
    expect(await page.locator('main tbody tr').count()).toBe(1);
    await shot(page, 'publish-reviews-tg');
    await expectNoSideways(page);

    await Promise.all([page.waitForURL(new RegExp(`/publish/uploads/${uploadId}\\b`)), page.locator(`a[href^="/publish/uploads/${uploadId}"]`).first().click()]);
    expect(squash(await page.locator('#preview + p').innerText())).toBe('27 рақам илова, 0 тағйир, 0 бетағйир.');
    await page.fill('#r-comment', 'Рақамҳо бо ҳисоботи ноҳия мувофиқанд.');
    await shot(page, 'publish-review-tg');
    await expectNoSideways(page);
    await Promise.all([page.waitForURL(/done=approved/), page.getByRole('button', { name: 'Тасдиқ ва нашр кардан' }).click()]);
    expect(await page.locator('p[role="status"]').innerText()).toContain('Тасдиқ шуд.');
    expect(await page.locator('[data-status]').innerText()).toBe('тасдиқ шуд, нашр шуда истодааст');
    expect(squash(await page.locator('dl').innerText())).toContain('Рақамҳо бо ҳисоботи ноҳия мувофиқанд.');
  });

  it('once the release is live, the public pages show the figure, and the release lists it', async () => {
    const next = startRelease + 1;
    await expect.poll(async () => (await health()).release, { timeout: 90_000, interval: 500 }).toBe(next);
    await page.reload();
    expect(await page.locator('[data-status]').innerText()).toBe('нашр шуд');
    // "Being published, reload" is gone once it is published.
    expect(await page.locator('p[role="status"]').count()).toBe(0);
    expect(await page.locator(`a[href^="/releases/${next}"]`).innerText()).toBe(`Дар нашри ${next} нашр шуд`);
    await shot(page, 'publish-published-tg');

    // A reader without any session.
    const reader = await browser.newContext({ viewport: PHONE });
    const r = await reader.newPage();
    await r.goto(`${pub.url}/doc/jamoat/${NORIN}?lang=tg`);
    expect(await r.locator('main [role="alert"]').count()).toBe(0); // no draft banner
    expect(await r.locator('#stat-education').innerText()).toBe(`Маориф, 2021–${YEAR}`);
    expect(squash(await r.locator(`a[href^="/doc/observation/education/${NORIN}/pupils/${YEAR}"]`).innerText())).toBe('5 712');
    await shot(r, 'jamoat-published-tg');

    await r.goto(`${pub.url}/releases?lang=tg`);
    // Newest first: the new release, live, by the reviewer, with the 27 figures it added.
    const newest = squash(await r.locator('ol.rl > li').first().innerText());
    expect(newest).toMatch(new RegExp(`^Нашри ${next} ҳоло нишон дода мешавад .*Нашр кард: rustam`));
    expect(newest).toContain('қиматҳо: 27 илова, 0 тағйир, 0 хориҷ');
    await shot(r, 'releases-tg');
    await expectNoSideways(r);
    await reader.close();

    const csv = await fetch(`${pub.url}/releases/${next}/changes/observations.csv`);
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).split('\r\n');
    expect(lines.find((l) => l.startsWith(`${NORIN},`) && l.includes(',pupils,'))).toMatch(new RegExp(`^${NORIN},Norin,education,pupils,[^,]*,${YEAR},,${NORIN_PUPILS},added$`));
    expect(lines.filter((l) => l.startsWith('TJ-KT-06-'))).toHaveLength(27);
  }, 120_000);
});
