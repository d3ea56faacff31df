import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, listenLoopback } from './server-helpers.js';
import { ARTIFACTS, launchChromium } from './browser-helpers.js';

let app: FastifyInstance;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('a person reading a jamoat page in a browser', () => {
  it('sees its name, switches language, follows the breadcrumb up to the district', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.goto(`${origin}/doc/jamoat/TJ-KT-06-06?lang=en`);
    await expect.poll(() => page.locator('h1').innerText()).toContain('Norin');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.screenshot({ path: join(ARTIFACTS, 'jamoat-en.png'), fullPage: true });

    // The language switch: Тоҷикӣ. Norin has no Tajik name in the sources: the English one shows, marked.
    await page.locator('a[hreflang="tg"][lang="tg"]').first().click();
    await page.waitForURL(/lang=tg/);
    expect(await page.getAttribute('html', 'lang')).toBe('tg');
    expect(await page.locator('h1').innerText()).toContain('Norin');
    expect(await page.locator('h1 [lang="en"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'jamoat-tg.png'), fullPage: true });

    // Breadcrumbs: country > region > district > jamoat; the district link leads to Yovon.
    const crumbs = page.locator('nav.bc a');
    expect(await crumbs.count()).toBe(4);
    await crumbs.nth(2).click();
    await page.waitForURL(/\/doc\/district\/TJ-KT-06/);
    expect(await page.locator('h1').innerText()).toContain('Ёвон');
    await page.screenshot({ path: join(ARTIFACTS, 'district-tg.png'), fullPage: true });

    // Nothing was fetched from another origin.
    expect(requests.filter((u) => !u.startsWith(origin))).toEqual([]);
    await page.close();
  });
});
