import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './server-helpers.js';
import { ARTIFACTS, launchChromium } from './browser-helpers.js';
import { listen } from './sparql-helpers.js';

/**
 * The query editor as a researcher meets it, in Debian's chromium (as tests/browser.test.ts):
 * YASGUI starts from our own origin with nothing fetched elsewhere, an example opens in it, runs
 * against the endpoint, and its rows show. Without JavaScript the plain form gives a table.
 */

let app: FastifyInstance;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  app = await startApp();
  origin = await listen(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the SPARQL query editor in a browser', () => {
  it('runs an example query in YASGUI, loading nothing from another origin', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/sparql?lang=en`);
    await page.waitForSelector('.yasgui .CodeMirror');
    expect(await page.isVisible('#sparql-form')).toBe(false);
    await page.click('#example-districts-ranked summary');
    await page.click('#example-districts-ranked button[data-example]');
    expect(await page.evaluate(() => (document.querySelector('.CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue())).toContain('lg:computed true');
    await page.click('.yasqe_queryButton');
    await page.waitForSelector('.yasr table tbody tr');
    const rows = await page.$$eval('.yasr table tbody tr', (trs) => trs.length);
    expect(rows).toBe(3);
    await page.screenshot({ path: join(ARTIFACTS, 'sparql-editor.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    expect(requests.some((u) => u === `${origin}/sparql`)).toBe(true); // the query, POSTed by YASGUI
    await page.close();
  });

  it('without JavaScript, the form gives a results table', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${origin}/sparql?lang=en`);
    expect(await page.isVisible('#sparql-form textarea')).toBe(true);
    await page.click('#sparql-form button[type=submit]');
    await page.waitForSelector('table tbody tr');
    expect(await page.$$eval('table tbody tr', (trs) => trs.length)).toBe(5); // the five regions of the default query
    await context.close();
  });
});
