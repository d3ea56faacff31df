import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { LiveStore } from '../src/releases/live-store.js';
import { LIVE_POINTER } from '../src/releases/release-service.js';
import { type Services, openServices } from '../src/server/services.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import { BASE, makeDataDir, wideSheet, writeXlsx } from './helpers.js';

/**
 * The release machinery on its own (no HTTP): a release is built in a child process into its own
 * directory, loaded beside the live one and switched to; a build that fails leaves the live release
 * as it was; a release left 'building' by a crash is recorded as interrupted.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function setUp(): Promise<{ services: Services; dataDir: string; stateDir: string }> {
  const dataDir = await makeDataDir();
  const stateDir = mkdtempSync(join(tmpdir(), 'lg-state-'));
  const config = loadConfig({ BASE_URI: BASE, DATA_DIR: dataDir, STATE_DIR: stateDir, QUERY_WORKERS: '1', LOG_LEVEL: 'silent' });
  const services = openServices(config);
  cleanup.push(async () => {
    services.close();
    await rm(stateDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });
  return { services, dataDir, stateDir };
}

const countStudents = `SELECT ?v WHERE { ?o <${BASE}def/indicator/pupils> ?v ; <${BASE}def/lg#refArea> <${BASE}id/jamoat/TJ-SU-01-01> ; <${BASE}def/lg#refPeriod> ?y . FILTER(STR(?y) = "2022") }`;

describe('releases', () => {
  it('builds the seed as release 1 in its own directory, records it live and writes the live pointer', async () => {
    const { services, stateDir } = await setUp();
    const out = await services.releases.publish({ kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: [], from: 'service' });
    expect(out.problems).toEqual([]);
    expect(out.release).toMatchObject({ n: 1, status: 'complete', kind: 'seed', previous: null });
    const dir = services.releases.dirOf(1);
    const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
    expect(out.release.dataVersion).toBe(info.dataVersion);
    expect(out.release.seedDigest).toBe(await services.releases.seedDigest());
    expect(out.release.seedDigest).toHaveLength(64);
    expect(existsSync(join(dir, 'data.nq'))).toBe(true);
    expect(services.releases.store.live()?.n).toBe(1);
    expect(JSON.parse(await readFile(join(stateDir, LIVE_POINTER), 'utf8'))).toEqual({ n: 1, dir });
    expect(services.audit.list({ limit: 10 }).map((e) => e.action)).toEqual(['release-published', 'release-started']);
  });

  it('loads the next release beside the live one and switches to it; queries then answer from it', async () => {
    const { services, dataDir } = await setUp();
    await services.releases.publish({ kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: [], from: 'service' });
    const dir1 = services.releases.dirOf(1);
    const info1 = JSON.parse(await readFile(join(dir1, 'build-info.json'), 'utf8')) as BuildInfo;
    const store1 = await createWorkerStore({ nquadsPath: join(dir1, 'data.nq'), dataVersion: info1.dataVersion, timeoutMs: 5000, workers: 1 });
    const live = new LiveStore({ n: 1, dir: dir1, info: info1, store: store1 }, 50);
    cleanup.push(() => live.close());
    services.releases.attach(live);

    // data/ changes (a figure corrected), and a new seed release is built from it.
    await writeXlsx(join(dataDir, 'statistics', 'education.xlsx'), [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 999, 1020], ['TJ-SU-01-02', 'Beta', 450, 470]])]);
    const before = await live.query(countStudents, { resultsFormat: 'application/sparql-results+json' });
    expect(before).toContain('"310"');
    const out = await services.releases.publish({ kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: [], from: 'service' });
    expect(out.release).toMatchObject({ n: 2, status: 'complete', previous: 1 });
    expect(live.release.n).toBe(2);
    expect(live.dataVersion).toBe(out.release.dataVersion);
    expect(await live.query(countStudents, { resultsFormat: 'application/sparql-results+json' })).toContain('"999"');
    // Alpha's figure; the totals computed from it (its district's, region's and country's here,
    // src/convert/aggregate.ts) change too, but a release counts the figures that were reported.
    expect(out.release.summary?.observationsChanged).toBe(1);
  });

  it('a build that fails leaves the live release live and records why', async () => {
    const { services, dataDir } = await setUp();
    await services.releases.publish({ kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: [], from: 'service' });
    await writeXlsx(join(dataDir, 'statistics', 'education.xlsx'), [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', -5, 1020]])]);
    const out = await services.releases.publish({ kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: [], from: 'service' });
    expect(out.release).toMatchObject({ n: 2, status: 'failed' });
    expect(out.problems.map((p) => p.code)).toContain('LG_ERR_BAD_VALUE');
    expect(services.releases.store.live()?.n).toBe(1);
    expect(existsSync(services.releases.dirOf(2))).toBe(false);
    expect(services.audit.list({ limit: 1 })[0]?.action).toBe('release-failed');
  });

  it('a release left building by a crash is recorded as interrupted at the next start', async () => {
    const { services } = await setUp();
    services.db.transaction(() => services.releases.store.begin({ kind: 'seed', createdBy: { id: null, name: 'service' }, uploadId: null, rollbackTo: null, seedDigest: '', overlays: [] }))();
    await writeFile(join(services.releases.releasesDir, '..', 'ignored'), '');
    const found = services.releases.recoverInterrupted();
    expect(found.map((r) => r.n)).toEqual([1]);
    expect(services.releases.store.get(1)).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
  });
});
