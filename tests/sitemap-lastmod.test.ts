import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { sitemapEntries } from '../src/routes/sitemap.js';
import { AppContext } from '../src/server/app-context.js';
import { type WorkerStore, createWorkerStore } from '../src/store/worker-pool.js';
import { BASE } from './server-helpers.js';

/**
 * A sitemap's lastmod says when what a page shows last changed: after a release that changed the
 * education figures, their pages (and the pages that list everything) carry its date, while a
 * jamoat's page, which no education triple describes, keeps the date of the units.
 */
let store: WorkerStore;
let dir: string;
const CHANGED = '2026-12-01';

beforeAll(async () => {
  const shipped = await readFile(join(inject('buildDir'), 'data.nq'), 'utf8');
  const educationModified = new RegExp(`^(<${BASE}id/dataset/education> <http://purl.org/dc/terms/modified> )"[^"]+"(.*<${BASE}graph/education> \\.)$`, 'm');
  expect(shipped).toMatch(educationModified);
  dir = await mkdtemp(join(tmpdir(), 'lg-sitemap-'));
  await writeFile(join(dir, 'data.nq'), shipped.replace(educationModified, `$1"${CHANGED}"$2`));
  store = await createWorkerStore({ nquadsPath: join(dir, 'data.nq'), dataVersion: 'changed', timeoutMs: 10_000, workers: 1 });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sitemap lastmod', () => {
  it('dates each page by the datasets behind it', async () => {
    const entries = await sitemapEntries(new AppContext(loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent' }), store));
    const lastmod = new Map(entries.map((e) => [e.loc, e.lastmod]));
    const units = lastmod.get(`${BASE}doc/dataset/units`);
    expect(units).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(units).not.toBe(CHANGED);
    expect(lastmod.get(`${BASE}doc/jamoat/TJ-KT-06-06`)).toBe(units);
    expect(lastmod.get(`${BASE}doc/dataset/education`)).toBe(CHANGED);
    expect(lastmod.get(`${BASE}graph/education`)).toBe(CHANGED);
    const observation = entries.find((e) => e.loc.includes('/doc/observation/education/'));
    expect(observation?.lastmod).toBe(CHANGED);
    expect(lastmod.get(BASE)).toBe(CHANGED);
    expect(lastmod.get(`${BASE}catalog`)).toBe(CHANGED);
  });
});
