import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILDS_DIR, CURRENT_LINK, currentBuild } from '../src/convert/build-output.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { TMP_PREFIX } from '../src/convert/write-build.js';
import { LOCK_FILE } from '../src/cli/build-lock.js';
import { PROJECT_ROOT } from '../src/project.js';
import { dataVersionOf } from '../src/rdf/data-version.js';
import { mulberry32 } from '../src/tools/mulberry32.js';
import { convertDir, makeDataDir, wideSheet } from './helpers.js';

/**
 * kill -9 of `npm run convert` at any moment (issue #14, item 7): afterwards --out's `current`
 * names either the build that was current before or the new one, each whole: data.nq hashes to
 * build-info.json's data version, every download has the size and SHA-256 that build-info.json and
 * the catalog inside data.nq give it. The next run removes what the killed one left.
 *
 * The converter runs as the real command (node --import tsx src/cli/convert.ts) in a child process
 * of its own, alternately on two data directories whose builds differ, so that every run changes
 * the build. Half the tries are killed after a delay drawn over a whole run (mostly during the
 * conversion, before anything is written); the other half a short drawn delay after the run's
 * temporary build directory appears, i.e. while it writes, renames and switches. The delays come
 * from a seeded PRNG (printed; CONVERT_CRASH_SEED=... draws the same again).
 */
const SEED = process.env.CONVERT_CRASH_SEED !== undefined ? Number(process.env.CONVERT_CRASH_SEED) >>> 0 : Date.now() % 2 ** 32;
/**
 * 12 tries, 6 of each kind, at points drawn anew in every run (the seed is the clock unless
 * CONVERT_CRASH_SEED is given), so that runs after runs cover the whole run and the write window
 * densely; one run does not need to (and a kill drawn over the whole run lands in tsx's start-up,
 * before the converter opens anything, about half the time). Each try is a whole `npm run convert`
 * (about 2 s on CI; the 20 of before were 43 of the run's 838 s). CONVERT_CRASH_TRIES=N (a multiple
 * of 4) tries N for a longer run by hand.
 */
const TRIES = Number(process.env.CONVERT_CRASH_TRIES ?? 12);
/** Longest delay after the temporary directory appears: writing (each file flushed to disk) and switching a small build took 40 to 540 ms here. */
const WRITE_WINDOW_MS = 200;
const RUN_LIMIT_MS = 120_000;

const started = new Set<ChildProcess>();
let out: string | undefined;
afterAll(async () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (out !== undefined) await rm(out, { recursive: true, force: true });
});

function startConvert(data: string, out: string): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/convert.ts'), '--data', data, '--out', out], {
    cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let output = '';
  child.stdout?.on('data', (b: Buffer) => { output += b.toString('utf8'); });
  child.stderr?.on('data', (b: Buffer) => { output += b.toString('utf8'); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => {
    child.once('close', (code, signal) => {
      started.delete(child);
      resolve({ code, signal, output });
    });
  });
  return { child, exited };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Checks that `current` names one whole build, and returns its data version. */
async function checkWhole(out: string, label: string): Promise<string> {
  const dir = await currentBuild(out);
  if (dir === undefined) throw new Error(`${label}: no ${out}/${CURRENT_LINK}`);
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  const nquads = await readFile(join(dir, 'data.nq'));
  expect(dataVersionOf(nquads), `${label}: data.nq against build-info.json`).toBe(info.dataVersion);
  const text = nquads.toString('utf8');
  expect((await readdir(join(dir, 'download'))).sort(), `${label}: download/ against build-info.json`).toEqual(info.downloads.map((d) => d.name).sort());
  for (const d of info.downloads) {
    const bytes = await readFile(join(dir, 'download', d.name));
    expect([bytes.length, sha256(bytes)], `${label}: ${d.name} against build-info.json`).toEqual([d.bytes, d.sha256]);
    // The catalog (graph /graph/distributions in data.nq) gives every file but the CSVW metadata its checksum.
    if (d.role !== 'csvw') expect(text.includes(`"${d.sha256}"^^`), `${label}: ${d.name}'s checksum in the catalog`).toBe(true);
  }
  JSON.parse(await readFile(join(dir, 'units.json'), 'utf8'));
  return info.dataVersion;
}

/** Resolves once the temporary build directory of process `pid` appears in `dir` (inotify: within a millisecond or so of its mkdir). */
function tmpAppears(dir: string, pid: number | undefined): { seen: Promise<void>; stop: () => void } {
  let watcher: FSWatcher | undefined;
  const seen = new Promise<void>((resolve) => {
    watcher = watch(dir, (_event, name) => {
      if (name === `${TMP_PREFIX}${pid}`) resolve();
    });
  });
  return { seen, stop: () => watcher?.close() };
}

describe('npm run convert killed with -9 at any moment (issue #14, item 7)', () => {
  it(`leaves the old whole build or the new whole build current, and the next run cleans up (seed ${SEED})`, async () => {
    console.log(`convert-crash seed ${SEED} (CONVERT_CRASH_SEED=${SEED} to draw the same delays)`);
    const random = mulberry32(SEED);
    const data = [
      await makeDataDir(),
      await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 311, 1021], ['TJ-SU-01-02', 'Beta', 451, 471]])] }),
    ];
    const version = await Promise.all(data.map(async (d) => (await convertDir(d)).info.dataVersion));
    expect(version[0]).not.toBe(version[1]);
    out = await mkdtemp(join(tmpdir(), 'lg-crash-out-'));

    // A first build, not killed: the old build of the first try, and how long a whole run takes here.
    const t0 = performance.now();
    const first = await startConvert(data[0] as string, out).exited;
    expect(first.code, first.output).toBe(0);
    const runMs = performance.now() - t0;
    let last = await checkWhole(out, 'first build');
    expect(last).toBe(version[0]);

    const outcomes: Record<string, number> = { 'killed, old build current': 0, 'killed, new build current': 0, 'finished first': 0 };
    let leftovers = 0;
    for (let i = 1; i <= TRIES; i++) {
      const which = i % 2;
      const inWrite = i % 4 >= 2;
      const delay = inWrite ? random() * WRITE_WINDOW_MS : random() * runMs;
      const label = `try ${i} (${inWrite ? `${delay.toFixed(1)} ms after the temporary build appeared` : `${delay.toFixed(0)} ms after start`})`;
      const run = startConvert(data[which] as string, out);
      // Started before the child can have read its data, so the directory cannot appear unseen.
      const watcher = tmpAppears(join(out, BUILDS_DIR), run.child.pid);
      const trigger = inWrite ? watcher.seen : Promise.resolve();
      const killed = Promise.race([
        trigger.then(() => new Promise((r) => setTimeout(r, delay))).then(() => run.child.kill('SIGKILL')),
        run.exited.then(() => false),
      ]);
      const limit = setTimeout(() => run.child.kill('SIGKILL'), RUN_LIMIT_MS);
      await killed;
      const end = await run.exited;
      clearTimeout(limit);
      watcher.stop();
      if (end.signal === null) expect(end.code, `${label}: ${end.output}`).toBe(0);

      const now = await checkWhole(out, label);
      expect([last, version[which]], `${label}: the build current after it`).toContain(now);
      const outcome = end.signal === null ? 'finished first' : now === last ? 'killed, old build current' : 'killed, new build current';
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      const builds = await readdir(join(out, BUILDS_DIR));
      if (builds.some((n) => n.startsWith(TMP_PREFIX)) || (await readdir(out)).some((n) => n.startsWith(TMP_PREFIX))) leftovers++;
      // Bounded whatever the kills: the current build, the one before, at most one made but never
      // switched to, and at most one temporary directory.
      expect(builds.length, `${label}: ${builds.join(', ')}`).toBeLessThanOrEqual(4);
      last = now;
    }
    console.log(`convert-crash: ${JSON.stringify(outcomes)}; ${leftovers} kill(s) left a temporary directory or link`);

    // A run that is not killed removes whatever the killed ones left, and keeps two builds.
    const final = await startConvert(data[0] as string, out).exited;
    expect(final.code, final.output).toBe(0);
    expect(await checkWhole(out, 'final build')).toBe(version[0]);
    const builds = await readdir(join(out, BUILDS_DIR));
    expect(builds.filter((n) => n.startsWith(TMP_PREFIX))).toEqual([]);
    expect(builds.length).toBeLessThanOrEqual(2);
    expect((await readdir(out)).sort()).toEqual([BUILDS_DIR, CURRENT_LINK]);
    expect((await readdir(out)).includes(LOCK_FILE)).toBe(false);
  }, 600_000);
});
