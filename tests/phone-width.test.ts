import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium } from './browser-helpers.js';
import { listenLoopback, startApp } from './server-helpers.js';

/**
 * Issue #10, phone and language: most readers are citizens on a phone. No page may be wider than
 * the screen at 360 px (the district page was 1,099 px at 390: long source URLs, URIs in <code>),
 * in any language; a table wider than the screen scrolls inside its own box instead. Real Chromium.
 * The tables of figures, units and coverage do not even scroll in their box: a phone reads them
 * stacked (layout.ts, "sg" and "cards"), and chart text stays at least 12 px.
 */
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

/** Every kind of page the public site has. */
const PAGES = [
  '/', '/coverage', '/catalog', '/search?q=yovon', '/doc/country/TJ', '/doc/region/TJ-KT', '/doc/district/TJ-KT-06',
  '/doc/jamoat/TJ-KT-06-06', '/doc/hukumat/TJ-KT-06', '/doc/dataset/education', '/def/indicator/pupils', '/def/lg',
  '/def/lg-shapes', '/sparql', '/use-data', '/releases', '/.well-known/void', '/no/such/page',
  '/fragments?predicate=skos:prefLabel',
];

/** The document's width against the screen's, and what sticks out (outside scrolling table boxes). */
async function overflow(page: Page): Promise<{ scrollWidth: number; width: number; sticking: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const sticking = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.tw'))
      .slice(0, 3)
      .map((e) => `<${e.tagName.toLowerCase()}> ${(e.textContent ?? '').trim().slice(0, 50)}`);
    return { scrollWidth: document.documentElement.scrollWidth, width, sticking };
  });
}

describe('pages on a phone', () => {
  it.each(['tg', 'ru', 'en'])('no page is wider than a 360 px screen, in %s', async (lang) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    try {
      const wide: string[] = [];
      for (const path of PAGES) {
        await page.goto(`${origin}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        const o = await overflow(page);
        if (o.scrollWidth > o.width) wide.push(`${path}: ${o.scrollWidth} px > ${o.width} px (${o.sticking.join('; ')})`);
      }
      expect(wide).toEqual([]);
      await page.goto(`${origin}/doc/district/TJ-KT-06?lang=${lang}`);
      await page.screenshot({ path: join(ARTIFACTS, `district-360-${lang}.png`), fullPage: true });
      // The indicator page (src/indicators/): its table read stacked, its chart 320 px.
      await page.goto(`${origin}/def/indicator/pupils?lang=${lang}`);
      await page.screenshot({ path: join(ARTIFACTS, `indicator-360-${lang}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the indicator page at desktop width, in tg, ru and en (screenshots as test artefacts)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      for (const lang of ['tg', 'ru', 'en']) {
        await page.goto(`${origin}/def/indicator/pupils?lang=${lang}`);
        const o = await overflow(page);
        expect(o.scrollWidth).toBeLessThanOrEqual(o.width);
        await page.screenshot({ path: join(ARTIFACTS, `indicator-1280-${lang}.png`), fullPage: true });
      }
    } finally {
      await page.close();
    }
  });

  it('a statistics table is read as cards at 360 px: every year beside its figure, nothing behind a sideways scroll', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    try {
      await page.goto(`${origin}/doc/jamoat/TJ-KT-06-06?lang=ru`);
      const tables = await page.locator('table.cards').evaluateAll((els) => els.map((t) => {
        const box = t.closest('.tw')!;
        const cells = [...t.querySelectorAll('tbody td.n')].filter((c) => (c as HTMLElement).offsetParent !== null);
        return {
          scroll: box.scrollWidth, client: box.clientWidth,
          // what a reader sees before each figure: its year, drawn by td::before from data-label
          labels: cells.map((c) => getComputedStyle(c, '::before').content),
          years: [...t.querySelectorAll('thead th.n')].map((h) => `"${(h.textContent ?? '').trim()}"`),
        };
      }));
      expect(tables.length).toBeGreaterThan(0);
      for (const tb of tables) {
        expect(tb.scroll).toBeLessThanOrEqual(tb.client);
        expect(tb.labels.length).toBeGreaterThan(0);
        for (const l of tb.labels) expect(tb.years).toContain(l);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'jamoat-cards-360-ru.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('at 390 px the district page fits too; a code in a table stays on one line; a wide table scrolls in its box', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${origin}/doc/district/TJ-KT-06?lang=tg`);
      const o = await overflow(page);
      expect(o.scrollWidth).toBeLessThanOrEqual(o.width);
      // A unit code in a table cell: one line, however narrow the screen (TJ-KT-06-06 wrapped in four).
      const codeHeights = await page.locator('td > code').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
      expect(codeHeights.length).toBeGreaterThan(0);
      const lineHeight = Math.min(...codeHeights);
      expect(Math.max(...codeHeights)).toBe(lineHeight);
      const boxes = await page.locator('.tw').evaluateAll((els) => els.map((e) => ({ scroll: e.scrollWidth, client: e.clientWidth, overflowX: getComputedStyle(e).overflowX })));
      for (const b of boxes) expect(b.overflowX).toBe('auto');
    } finally {
      await page.close();
    }
  }, 60_000);

  /**
   * The pages with tables of figures (statistics by year, the units below, comparisons, an
   * indicator's units by year, coverage): the jamoat, pilot districts (with their comparisons),
   * regions, the country, indicators with long and short figures, coverage.
   */
  const TABLE_PAGES = [
    '/doc/jamoat/TJ-KT-06-06', '/doc/district/TJ-KT-06', '/doc/district/TJ-SU-02', '/doc/region/TJ-KT', '/doc/region/TJ-SU',
    '/doc/country/TJ', '/def/indicator/pupils', '/def/indicator/population', '/def/indicator/budget-revenue', '/coverage',
  ];

  it.each(['tg', 'ru', 'en'])('at 360 px no table is wider than the screen, none scrolls in its box, no cell spills over, in %s', async (lang) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    try {
      const problems: string[] = [];
      let comparisons = 0;
      for (const path of TABLE_PAGES) {
        await page.goto(`${origin}${path}?lang=${lang}`);
        const r = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const label = (e: Element) => `<${e.tagName.toLowerCase()}> ${(e.textContent ?? '').trim().slice(0, 40)}`;
          const tables = [...document.querySelectorAll('table')];
          return {
            width,
            scrollWidth: document.documentElement.scrollWidth,
            tables: tables.length,
            comparisons: document.querySelectorAll('.cmp table').length,
            wide: tables.filter((t) => t.getBoundingClientRect().right > width + 0.5).map((t) => `${label(t)}: ${Math.round(t.getBoundingClientRect().width)} px`),
            scrolling: tables.map((t) => t.closest('.tw')).filter((b): b is Element => b !== null && b.scrollWidth > b.clientWidth).map((b) => `${label(b)}: scrolls ${b.scrollWidth} > ${b.clientWidth}`),
            // a figure wider than its cell would be cut off or overlap the next one (a card table's header row is visually hidden on a phone)
            spilling: [...document.querySelectorAll('td, th')].filter((c) => !c.closest('table.cards thead') && c.scrollWidth > c.clientWidth + 1).slice(0, 3).map((c) => `${label(c)}: ${c.scrollWidth} > ${c.clientWidth}`),
          };
        });
        expect(r.tables, path).toBeGreaterThan(0);
        comparisons += r.comparisons;
        if (r.scrollWidth > r.width) problems.push(`${path}: the page scrolls sideways, ${r.scrollWidth} > ${r.width}`);
        for (const p of [...r.wide, ...r.scrolling, ...r.spilling]) problems.push(`${path}: ${p}`);
      }
      expect(problems).toEqual([]);
      expect(comparisons).toBeGreaterThan(0);
      await page.goto(`${origin}/coverage?lang=${lang}`);
      await page.screenshot({ path: join(ARTIFACTS, `coverage-360-${lang}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  }, 180_000);

  it('read stacked at 360 px, every figure stands under its year, and the tables stay tables for a screen reader', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    try {
      for (const path of ['/def/indicator/budget-revenue', '/def/indicator/pupils', '/doc/district/TJ-KT-06']) {
        await page.goto(`${origin}${path}?lang=ru`);
        const r = await page.locator('table.sg').evaluateAll((tables) => tables.filter((t) => t.querySelector('thead th.n')).map((t) => {
          const box = (e: Element) => e.getBoundingClientRect();
          const heads = [...t.querySelectorAll('thead th.n')];
          const misplaced: string[] = [];
          let figures = 0;
          let rowsStacked = 0;
          for (const tr of t.querySelectorAll('tbody tr')) {
            const cells = [...tr.querySelectorAll('td.n')];
            if (cells.length === 0) continue;
            const name = tr.querySelector('th[scope=row]');
            if (name && box(name).bottom <= box(cells[0]!).top + 1) rowsStacked++;
            cells.forEach((c, i) => {
              figures++;
              const h = heads[i];
              if (!h || Math.abs(box(h).left - box(c).left) > 1 || Math.abs(box(h).right - box(c).right) > 1) misplaced.push(`${(c.textContent ?? '').trim()} not under ${(h?.textContent ?? '').trim()}`);
            });
          }
          return { figures, rowsStacked, rows: t.querySelectorAll('tbody tr th[scope=row]').length, misplaced: misplaced.slice(0, 3) };
        }));
        expect(r.length, path).toBeGreaterThan(0);
        for (const tb of r) {
          expect(tb.figures).toBeGreaterThan(0);
          expect(tb.misplaced).toEqual([]);
          // each row's name on its own line above its figures
          expect(tb.rowsStacked).toBe(tb.rows);
        }
      }
      // Chromium's accessibility tree at this width: still tables, with column and row headers.
      await page.goto(`${origin}/def/indicator/pupils?lang=en`);
      const cdp = await page.context().newCDPSession(page);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: { role?: { value?: string } }[] };
      const roles = nodes.map((n) => n.role?.value);
      const count = (role: string) => roles.filter((x) => x === role).length;
      expect(count('table')).toBe(await page.locator('table').count());
      expect(count('columnheader')).toBe(await page.locator('thead th').count());
      expect(count('rowheader')).toBeGreaterThanOrEqual(await page.locator('tbody th[scope=row]').count());
      await page.screenshot({ path: join(ARTIFACTS, 'indicator-table-360-ru.png'), fullPage: true });
    } finally {
      await page.close();
    }
  }, 60_000);

  it('chart text is at least 12 px on a 360 px screen (the charts of the statistics, the comparisons and the indicator pages)', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    try {
      const kinds = new Set<string>();
      const small: string[] = [];
      for (const path of ['/doc/district/TJ-KT-06', '/doc/district/TJ-SU-02', '/doc/jamoat/TJ-KT-06-06', '/def/indicator/pupils', '/doc/country/TJ']) {
        await page.goto(`${origin}${path}?lang=tg`);
        // The rendered size: the text's font size times the SVG's scale (its drawn width over its viewBox's).
        const texts = await page.locator('svg text').evaluateAll((els) => els.filter((t) => t.getClientRects().length > 0).map((t) => {
          const svg = (t as SVGTextElement).ownerSVGElement!;
          const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.getBoundingClientRect().width);
          const kind = svg.closest('.cmp') ? 'comparison' : svg.closest('table') ? 'statistics' : svg.classList.contains('bars') ? 'indicator' : 'other';
          return { kind, px: parseFloat(getComputedStyle(t).fontSize) * scale, text: (t.textContent ?? '').slice(0, 30) };
        }));
        for (const t of texts) {
          kinds.add(t.kind);
          if (t.px < 12) small.push(`${path} ${t.kind} "${t.text}": ${t.px.toFixed(1)} px`);
        }
      }
      expect(small.slice(0, 5)).toEqual([]);
      expect([...kinds].sort()).toEqual(expect.arrayContaining(['comparison', 'indicator', 'statistics']));
    } finally {
      await page.close();
    }
  }, 60_000);
});
