import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../src/convert/convert.js';
import { Describer } from '../src/describe/describe.js';
import { coverageModel } from '../src/describe/page-models.js';
import { renderCoveragePage } from '../src/html/pages.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import type { WorkerStore } from '../src/store/worker-pool.js';
import { LIMITS, makeDataDir, wideSheet } from './helpers.js';

/**
 * Issue #15: the coverage page says, per indicator and year, which units have no figure, not only
 * how many have one. Alpha has no figure for 2023; Beta has both years.
 */
const BASE = 'http://localhost:3000/';
let store: WorkerStore;
let dir: string;

beforeAll(async () => {
  const dataDir = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 310, null], ['TJ-SU-01-02', 'Beta', 450, 470]])] });
  const out = await convert({ dataDir, base: BASE, limits: LIMITS });
  await rm(dataDir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'lg-coverage-'));
  await writeFile(join(dir, 'data.nq'), out.nquads);
  store = await createWorkerStore({ nquadsPath: join(dir, 'data.nq'), dataVersion: out.info.dataVersion, timeoutMs: 10_000, workers: 1 });
});

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('coverage per indicator and year', () => {
  it('names the units of the dataset without a figure for that year', async () => {
    const model = await coverageModel(new Describer(store, BASE), BASE);
    const education = model.statistics.find((s) => s.dataset.iri.endsWith('/education'));
    const years = education?.indicators[0]?.years;
    expect(years?.map((y) => ({ year: y.year, units: y.units, missing: y.missing.map((m) => m.code) }))).toEqual([
      { year: 2022, units: 2, missing: [] },
      { year: 2023, units: 1, missing: ['TJ-SU-01-01'] },
    ]);
    const page = renderCoveragePage(model, { lang: 'ru', base: BASE, path: '/coverage', alternates: [], dataVersion: 'v' });
    expect(page).toContain('<td>2023</td><td class="n">1</td><td><a href="/doc/jamoat/TJ-SU-01-01">');
    expect(page).toMatch(/<td>2022<\/td><td class="n">2<\/td><td>нет<\/td>/);
  });
});
