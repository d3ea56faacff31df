import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';
import { convert } from '../src/convert/convert.js';
import { writeBuild } from '../src/convert/write-build.js';
import { PROJECT_ROOT } from '../src/project.js';
import { buildApp } from '../src/server/app.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import { ARTIFACTS, launchChromium } from './browser-helpers.js';
import { wideSheet, writeXlsx } from './helpers.js';
import { listenLoopback } from './server-helpers.js';

/**
 * Issue #10, district profiles: a pilot district's page is a profile an official can print. The
 * shipped data has populations of 2015 only and every other figure of 2021-2024, so nothing could
 * be put per inhabitant and nothing is missing; this server adds one sample dataset beside the
 * shipped ones (test only): the population of 2024 of 8 of Yovon's 9 jamoat-level units. Then
 * per-capita figures exist for 8 units, and the 9th is missing from the coverage.
 */
const BASE = 'http://localhost:3000/';
const DISTRICT = 'TJ-KT-06';
const POP_2024: [string, string, number][] = [
  ['TJ-KT-06-01', 'Hayotinav', 4_210], ['TJ-KT-06-02', 'Yovon', 35_880], ['TJ-KT-06-03', 'Chorgul', 17_020],
  ['TJ-KT-06-04', 'Dahana', 22_300], ['TJ-KT-06-05', 'Hasan Huseynov', 26_940], ['TJ-KT-06-06', 'Norin', 23_105],
  ['TJ-KT-06-07', 'Obshoron', 32_760], ['TJ-KT-06-08', 'Sitorai Surkh', 22_480],
];
const MISSING = 'TJ-KT-06-09';

let app: FastifyInstance;
let origin: string;
let dir: string;

async function dataWithTestPopulation(): Promise<string> {
  const data = join(dir, 'data');
  await cp(join(PROJECT_ROOT, 'data'), data, { recursive: true });
  await writeXlsx(join(data, 'statistics', 'census-test.xlsx'), [wideSheet('Yovon', POP_2024.map(([c, n, v]) => [c, n, v]), { header: 'Population (persons)', years: [2024] })]);
  const manifest = JSON.parse(await readFile(join(data, 'datasets.json'), 'utf8')) as { datasets: Record<string, unknown>[] };
  const population = manifest.datasets.find((d) => d.id === 'population');
  manifest.datasets.push({
    ...population, id: 'census-test', sample: true, files: [{ path: 'statistics/census-test.xlsx' }],
    title: { en: 'Population 2024 (test, sample data)', tg: 'Аҳолӣ 2024 (санҷиш, маълумоти намунавӣ)', ru: 'Население 2024 (тест, примерные данные)' },
  });
  await writeFile(join(data, 'datasets.json'), JSON.stringify(manifest, null, 2));
  return data;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lg-profile-'));
  const out = await convert({ dataDir: await dataWithTestPopulation(), base: BASE, limits: fileLimits(loadConfig({})) });
  const build = join(dir, 'build');
  await writeBuild(build, out);
  const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: build });
  const store = await createWorkerStore({ nquadsPath: join(build, 'data.nq'), dataVersion: out.info.dataVersion, timeoutMs: config.QUERY_TIMEOUT_MS, built: { quads: out.info.quads, graphs: out.info.graphs } });
  app = await buildApp({ config, store, logger: false });
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
}, 120_000);
afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function page(path: string): Promise<string> {
  const res = await fetch(`${origin}${path}`);
  expect(res.status).toBe(200);
  return res.text();
}

async function select(query: string): Promise<Record<string, string>[]> {
  const res = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: query });
  const json = (await res.json()) as { results: { bindings: Record<string, { value: string }>[] } };
  return json.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])));
}

/** The part of a page from `<section …aria-labelledby="id">` to the end of that section (no nested sections inside). */
function section(htmlText: string, id: string): string {
  const start = htmlText.indexOf(`aria-labelledby="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(0);
  return htmlText.slice(start, htmlText.indexOf('</section>', start));
}

const PREFIXES = `PREFIX lg: <${BASE}def/lg#> PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX ind: <${BASE}def/indicator/>`;

describe('the profile of a pilot district', () => {
  it.each(['tg', 'ru', 'en'])('compares its jamoats by pupils in 2024, largest first, as an independent query orders them (%s)', async (lang) => {
    const body = await page(`/doc/district/${DISTRICT}?lang=${lang}`);
    const expected = await select(`${PREFIXES} SELECT ?u ?v WHERE { ?o qb:measureType ind:pupils ; lg:refPeriod ?y ; lg:refArea ?u ; ind:pupils ?v . ?u lg:within <${BASE}id/district/${DISTRICT}> . FILTER(STR(?y) = "2024") } ORDER BY DESC(?v) ?u`);
    expect(expected.length).toBe(9);
    const cmp = section(body, 'cmp-pupils');
    const rows = [...cmp.matchAll(/<tr><th scope="row"><a href="\/doc\/jamoat\/([^"?]+)/g)].map((m) => m[1]);
    expect(rows).toEqual(expected.map((r) => r.u?.slice(`${BASE}id/jamoat/`.length)));
    // The chart's bars in the same order, their figures as the table gives them.
    const bars = [...cmp.matchAll(/<text x="340" [^>]*>([^<]+)<\/text>/g)].map((m) => Number((m[1] ?? '').replace(/[^\d]/g, '')));
    expect(bars).toEqual(expected.map((r) => Number(r.v)));
    expect(cmp).toMatch(/<svg class="bars"[^>]* role="img"><title>[^<]+<\/title>/);
    // Each figure of the table links to its observation.
    expect(cmp).toContain(`href="/doc/observation/education/${expected[0]?.u?.slice(`${BASE}id/jamoat/`.length)}/pupils/2024?lang=${lang}"`);
  });

  it('gives pupils per 1,000 inhabitants, marked as computed, as value / population of the same year × 1000', async () => {
    const body = await page(`/doc/district/${DISTRICT}?lang=en`);
    const cmp = section(body, 'cmp-pupils');
    expect(cmp).toContain('per 1,000 inhabitants, 2024 (computed)');
    expect(cmp).toContain('computed here, not an official figure');
    const [pupils] = await select(`${PREFIXES} SELECT ?v WHERE { ?o qb:measureType ind:pupils ; lg:refPeriod ?y ; lg:refArea <${BASE}id/jamoat/TJ-KT-06-06> ; ind:pupils ?v . FILTER(STR(?y) = "2024") }`);
    const row = /<tr><th scope="row"><a href="\/doc\/jamoat\/TJ-KT-06-06[^]*?<\/tr>/.exec(cmp)?.[0] ?? '';
    const perCapita = Number(/<data value="([^"]+)">([^<]+)<\/data>/.exec(row)?.[1]);
    expect(perCapita).toBeCloseTo((Number(pupils?.v) / 23_105) * 1000, 9);
    expect(/<data value="[^"]+">([^<]+)<\/data>/.exec(row)?.[1]).toBe(((Number(pupils?.v) / 23_105) * 1000).toFixed(0));
    // The unit with no population of 2024 gets none; no unit is divided by the population of 2015.
    const missingRow = new RegExp(`<tr><th scope="row"><a href="/doc/jamoat/${MISSING}[^]*?</tr>`).exec(cmp)?.[0] ?? '';
    expect(missingRow).not.toContain('<data');
    expect(missingRow).toMatch(/<td class="n pc">–<\/td><\/tr>$/);
    // Budgets read per inhabitant in somoni; a share (drinking water) never.
    expect(section(body, 'cmp-budget-revenue')).toContain('somoni per inhabitant, 2024 (computed)');
    expect(section(body, 'cmp-drinking-water-access')).not.toContain('class="n pc"');
    // Population figures of 2015 only: the comparison of 2021 figures says why there is none (other districts).
    const other = await page('/doc/district/TJ-RA-06?lang=en');
    expect(section(other, 'cmp-pupils')).toContain('Not computed per inhabitant for 2024: no population figure of that year is published (2015).');
  });

  it('lists what the coverage says is missing, with n of m units reported', async () => {
    const body = await page(`/doc/district/${DISTRICT}?lang=en`);
    const missing = section(body, 'missing');
    expect(missing).toContain('Population 2024 (test, sample data)');
    expect(missing).toMatch(new RegExp(`Population, 2024: 8 of 9 units reported; no figure: <a href="/doc/jamoat/${MISSING}\\?lang=en">Gulsara Yusufova</a>`));
    // The coverage page says the same of that dataset.
    const coverage = await page('/coverage?lang=en');
    const testDataset = coverage.slice(coverage.indexOf('Population 2024 (test, sample data)'));
    expect(testDataset.slice(0, 2000)).toContain(`/doc/jamoat/${MISSING}`);
    // A district the dataset does not cover says so; one with every figure says nothing is missing.
    const other = section(await page('/doc/district/TJ-RA-06?lang=ru'), 'missing');
    expect(other).toContain('Нет цифр по единицам этой территории в наборах:');
    expect(other).toContain('Население 2024 (тест, примерные данные)');
  });

  it('shows the data version it was made from, and the sample-data mark', async () => {
    const health = (await (await fetch(`${origin}/health`)).json()) as { dataVersion: string };
    for (const lang of ['tg', 'ru', 'en']) {
      const body = await page(`/doc/district/${DISTRICT}?lang=${lang}`);
      expect(section(body, 'about')).toContain(`<code>${health.dataVersion}</code>`);
      expect(body).toContain('<strong class="sample">');
      // every comparison names its unit of measure in words, never as a compact IRI
      expect(body).not.toMatch(/lg:unit-/);
    }
    expect(await page(`/doc/district/${DISTRICT}?lang=ru`)).toMatch(/<h3 id="cmp-drinking-water-access">.*, процент, \d{4}<\/h3>/);
  });

  it('links every key figure to its observation, which resolves, with its year and source', async () => {
    const body = await page(`/doc/district/${DISTRICT}?lang=tg`);
    const key = section(body, 'key');
    const items = [...key.matchAll(/<li>[^]*?<\/li>/g)].map((m) => m[0]);
    expect(items.length).toBeGreaterThanOrEqual(5);
    for (const item of items) {
      const href = /<span class="v"><a href="([^"]+)"/.exec(item)?.[1] ?? '';
      expect(href).toMatch(/^\/doc\/observation\//);
      expect((await fetch(`${origin}${href}`)).status).toBe(200);
      expect(item).toMatch(/соли 20\d\d/);
      expect(item).toMatch(/сарчашма: <a href="\/doc\/dataset\//);
      // The address printed under it is the observation's URI, which answers 303 to the same page.
      const iri = /<small class="pu">([^<]+)<\/small>/.exec(item)?.[1] ?? '';
      const res = await fetch(`${origin}/${iri.slice(BASE.length)}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(href.replace(/\?lang=tg$/, ''));
    }
  });
});

describe('the profile in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('prints on A4 without the menus, search and language switch', async () => {
    // A4 is 210 mm wide; the profile's @page margins leave 186 mm, 703 CSS px at 96 px/in.
    const page = await browser.newPage({ viewport: { width: 703, height: 1000 } });
    try {
      await page.emulateMedia({ media: 'print' });
      for (const lang of ['tg', 'ru', 'en']) {
        await page.goto(`${origin}/doc/district/${DISTRICT}?lang=${lang}`);
        for (const hidden of ['header nav', 'header form[role=search]', 'footer', 'section[aria-labelledby=report]']) {
          await expect.poll(() => page.locator(hidden).first().isVisible()).toBe(false);
        }
        expect(await page.locator('section[aria-labelledby=key] .pu').first().isVisible()).toBe(true);
        const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth, wide: [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)} ${(e.textContent ?? '').slice(0, 60)}`) }));
        expect(o.wide).toEqual([]);
        expect(o.scroll).toBeLessThanOrEqual(o.width);
        // The bars print grey.
        expect(await page.locator('svg.bars').first().evaluate((e) => getComputedStyle(e).fill)).toBe('rgb(85, 85, 85)');
      }
      await page.pdf({ path: join(ARTIFACTS, 'profile-a4-en.pdf'), format: 'A4' });
    } finally {
      await page.close();
    }
  }, 60_000);

  it.each(['tg', 'ru', 'en'])('fits a phone and a desktop screen (%s), screenshots saved', async (lang) => {
    for (const width of [360, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(`${origin}/doc/district/${DISTRICT}?lang=${lang}`);
        const o = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
        expect(o.scroll).toBeLessThanOrEqual(o.width);
        // The print hint is on screen, the printed addresses are not.
        expect(await page.locator('.hint').isVisible()).toBe(true);
        expect(await page.locator('.kf .pu').first().isVisible()).toBe(false);
        await page.screenshot({ path: join(ARTIFACTS, `profile-${width}-${lang}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    }
  }, 60_000);
});
