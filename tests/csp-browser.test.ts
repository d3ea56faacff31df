import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser-helpers.js';
import { type Publishing, launchPublishing } from './publish-helpers.js';

/**
 * Issue #14.14: the pages under their Content-Security-Policy in Debian's chromium, on the whole
 * service as npm start runs it (release 1, the officials' area): nothing is blocked (no
 * `securitypolicyviolation` event, no CSP message in the console) and the pages still work: the
 * SPARQL editor starts and its results table draws (YASGUI inserts a style element, allowed by
 * its hash), the plain form and the login form submit, and no page can be framed.
 */

let pub: Publishing;
let browser: Browser;
beforeAll(async () => {
  [pub, browser] = await Promise.all([launchPublishing(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await pub?.close();
});

/** A page that records CSP violations and console errors from its first script on. */
async function watched(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on('console', (m) => {
    // A 404 page is itself reported as a resource that failed to load: that is the point of it.
    if (/^Failed to load resource: the server responded with a status of 404/.test(m.text())) return;
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

describe('the pages under their Content-Security-Policy', () => {
  it.each(['/?lang=en', '/doc/jamoat/TJ-KT-06-06?lang=tg', '/doc/district/TJ-KT-06?lang=ru', '/catalog?lang=en', '/coverage', '/releases', '/no/such/page'])('%s: styled, nothing blocked', async (path) => {
    const { page, problems } = await watched();
    const res = await page.goto(`${pub.url}${path}`);
    expect(res?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    // The inline stylesheet applied: the header's rule (a 3px border) is in effect.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('header') as Element).borderBottomWidth)).toBe('3px');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('/sparql: YASGUI starts, runs the default query and draws its table, nothing blocked', async () => {
    const { page, problems } = await watched();
    await page.goto(`${pub.url}/sparql?lang=en`);
    await page.waitForSelector('.yasgui .CodeMirror');
    await page.click('.yasqe_queryButton');
    await page.waitForSelector('.yasr table tbody tr');
    expect(await page.$$eval('.yasr table tbody tr', (trs) => trs.length)).toBe(5);
    // The style element of YASR's column resizer is in the page and applies.
    expect(await page.evaluate(() => [...document.querySelectorAll('style')].some((s) => s.textContent?.includes('.grip-resizable')))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('/sparql without JavaScript: the plain form submits and shows results', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${pub.url}/sparql?lang=en`);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('#sparql-query') as Element).fontFamily)).toMatch(/monospace/);
    await page.click('#sparql-form button[type=submit]');
    await page.waitForSelector('table tbody tr');
    expect(await page.$$eval('table tbody tr', (trs) => trs.length)).toBe(5);
    await context.close();
  });

  it('/publish/login: the form posts (a wrong password is refused on a page of the area), nothing blocked', async () => {
    const { page, problems } = await watched();
    await page.goto(`${pub.url}/publish/login?lang=en`);
    await page.fill('#name', 'nobody');
    await page.fill('#password', 'not the password');
    await Promise.all([page.waitForLoadState('load'), page.locator('form.fm button[type=submit]').click()]);
    await page.waitForSelector('.err');
    expect(new URL(page.url()).pathname).toBe('/publish/login');
    // The area's stylesheet applied (its error box has a border).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.err') as Element).borderTopStyle)).toBe('solid');
    expect(problems.filter((p) => /Content Security Policy|CSP violation/.test(p))).toEqual([]);
    await page.close();
  });

  it('a page framed by another origin is refused', async () => {
    const { page, problems } = await watched();
    // A page of another origin (about:blank's document, written here) that frames our home page.
    // Chromium says so on the console when it refuses the frame: waited for, not a fixed sleep.
    const refused = page.waitForEvent('console', { predicate: (m) => /frame-ancestors|Refused to (display|frame)/i.test(m.text()), timeout: 30_000 });
    await page.setContent(`<iframe id="f" src="${pub.url}/?lang=en"></iframe>`);
    await refused;
    const frame = page.frames().find((f) => f.url().startsWith(pub.url));
    const framedHeader = frame ? await frame.$('header').catch(() => null) : null;
    expect(framedHeader).toBeNull();
    expect(problems.some((p) => /frame-ancestors|Refused to (display|frame)/i.test(p))).toBe(true);
    await page.close();
  });
});
