import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/cli/build-server.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { PROJECT_ROOT } from '../src/project.js';
import { freePort, stop, waitFor } from '../bench/processes.js';
import { makeDataDir, wideSheet, writeXlsx } from './helpers.js';

/**
 * What `npm start` runs: the esbuild bundle in a process of its own, on a STATE_DIR of its own and
 * the tests' small data (makeDataDir, converts in about a second). Start-up serves the live
 * release (STATE_DIR/releases/{n}/), converts data/ into a new release when it changed since the
 * live one was built, serves the last good release when data/ does not convert, and refuses to
 * start only when there is nothing to serve or the live release's files are not what was built.
 *
 * The tests run in order on one STATE_DIR: release 1, release 1 again, release 2, a degraded start.
 */
const BUNDLE = join(PROJECT_ROOT, 'dist', 'test-server');
const BASE = 'http://localhost:3000/';
/** /metrics loads prom-client from its own chunk of the bundle: checked here, where the bundle runs. */
const METRICS_TOKEN = 'start-test-metrics-token';
const EDUCATION = join('statistics', 'education.xlsx');

let temp: string;
let dataDir: string;
let stateDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await buildServer(BUNDLE);
  temp = await mkdtemp(join(tmpdir(), 'lg-start-'));
  dataDir = await makeDataDir();
  stateDir = join(temp, 'state');
});

afterAll(async () => {
  await Promise.all(children.map(stop));
  await rm(temp, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
  await rm(BUNDLE, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: { STATE_DIR: string; DATA_DIR: string }, port: number): Run {
  let output = '';
  const child = spawn(process.execPath, [join(BUNDLE, 'main.js')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', BASE_URI: BASE, LOG_LEVEL: 'info', QUERY_WORKERS: '1', METRICS_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => output, exited };
}

interface Health {
  status: 'ok' | 'degraded';
  release: number | null;
  building: number | null;
  degraded: { since: string; reason: string; problems: number } | null;
  dataVersion: string;
  triples: number;
}

/** The "serving …" log line of a start. */
interface Serving {
  release: number;
  dataVersion: string;
  rebuilt: boolean;
  listeningMs: number;
  degraded?: string;
}

function servingLine(output: string): Serving {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Serving & { msg?: string };
    if (entry.msg?.startsWith('serving ')) return entry;
  }
  throw new Error(`no "serving" line in:\n${output}`);
}

/** Starts the server, waits for /health, and returns what it says and what the log said. */
async function serve(): Promise<{ run: Run; health: Health; serving: Serving; url: string }> {
  const run = startServer({ STATE_DIR: stateDir, DATA_DIR: dataDir }, await freePort());
  const url = `http://127.0.0.1:${run.port}`;
  await waitFor(`${url}/health`, run.child, 120_000);
  const health = (await (await fetch(`${url}/health`)).json()) as Health;
  // The line is written right after listen(), before /health can answer; give the pipe a moment.
  for (let i = 0; i < 100 && !/"msg":"serving /.test(run.output()); i++) await new Promise((r) => setTimeout(r, 20));
  return { run, health, serving: servingLine(run.output()), url };
}

/** SIGTERM, as a deployment stops it: the server closes and exits 0. */
async function shutDown(run: Run): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
}

/** A start that does not serve: its exit code and everything it printed. */
async function failedStart(env: { STATE_DIR: string; DATA_DIR: string }): Promise<{ code: number | null; output: string }> {
  const run = startServer(env, await freePort());
  const code = await run.exited;
  return { code, output: run.output() };
}

const buildInfo = async (n: number) => JSON.parse(await readFile(join(stateDir, 'releases', String(n), 'build-info.json'), 'utf8')) as BuildInfo;
const liveJson = async () => JSON.parse(await readFile(join(stateDir, 'live.json'), 'utf8')) as { n: number; dir: string };
const releaseDirs = async () => (await readdir(join(stateDir, 'releases'))).filter((d) => /^\d+$/.test(d)).sort();

/** The bytes of the workbook release 2 was built from (the tampering test restores them). */
let educationV2: Buffer;
/** The release the tampering test ends on. */
let lastGood = 0;

describe('npm start (the bundle) serves releases from STATE_DIR', () => {
  it('the first start converts data/ into release 1 and serves it', async () => {
    const { run, health, serving, url } = await serve();
    const info = await buildInfo(1);
    expect(serving).toMatchObject({ release: 1, rebuilt: true, dataVersion: info.dataVersion });
    expect(health).toMatchObject({ status: 'ok', release: 1, degraded: null, dataVersion: info.dataVersion, triples: info.quads });
    // main.ts's early worker starts from this pointer on the next start.
    expect(await liveJson()).toEqual({ n: 1, dir: join(stateDir, 'releases', '1') });

    const res = await fetch(`${url}/doc/jamoat/TJ-SU-01-01.ttl`);
    expect(res.status).toBe(200);
    const quads = new N3.Parser({ baseIRI: BASE }).parse(await res.text());
    const labels = quads.filter((q) => q.subject.value === `${BASE}id/jamoat/TJ-SU-01-01` && q.predicate.value === 'http://www.w3.org/2004/02/skos/core#prefLabel');
    expect(labels.map((q) => q.object.value)).toContain('Alpha');
    await shutDown(run);
  });

  it('a second start serves release 1 as it is, without converting', async () => {
    const { run, health, serving, url } = await serve();
    const info = await buildInfo(1);
    expect(serving).toMatchObject({ release: 1, rebuilt: false, dataVersion: info.dataVersion });
    expect(health).toMatchObject({ status: 'ok', release: 1, dataVersion: info.dataVersion });
    // Nothing was converted: no new release, recorded or on disk.
    expect(await releaseDirs()).toEqual(['1']);
    const list = (await (await fetch(`${url}/releases`, { headers: { accept: 'application/json' } })).json()) as { live: number; releases: { n: number }[] };
    expect(list).toMatchObject({ live: 1, releases: [{ n: 1 }] });
    const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain(`lg_data_version_info{data_version="${info.dataVersion}",release="1"} 1\n`);
    await shutDown(run);
  });

  it('a changed data file makes the next start build release 2 and serve it', async () => {
    await writeXlsx(join(dataDir, EDUCATION), [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 311, 1021], ['TJ-SU-01-02', 'Beta', 450, 470]])]);
    educationV2 = await readFile(join(dataDir, EDUCATION));
    const { run, health, serving } = await serve();
    const [one, two] = [await buildInfo(1), await buildInfo(2)];
    expect(two.dataVersion).not.toBe(one.dataVersion);
    expect(serving).toMatchObject({ release: 2, rebuilt: true, dataVersion: two.dataVersion });
    expect(health).toMatchObject({ status: 'ok', release: 2, dataVersion: two.dataVersion });
    expect((await liveJson()).n).toBe(2);
    await shutDown(run);
  });

  it('data that does not convert: the next start serves release 2 still, /health says degraded and why, the log says so', async () => {
    await writeXlsx(join(dataDir, EDUCATION), [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 'many', 1021], ['TJ-SU-01-02', 'Beta', 450, 470]])]);
    const { run, health, serving } = await serve();
    const two = await buildInfo(2);
    expect(health).toMatchObject({ status: 'degraded', release: 2, dataVersion: two.dataVersion });
    expect(health.degraded?.reason).toMatch(/^\d+ problem\(s\) in .+; serving release 2, the last one that converted$/);
    expect(health.degraded?.problems).toBeGreaterThan(0);
    expect(serving).toMatchObject({ release: 2, rebuilt: false, dataVersion: two.dataVersion });
    expect(serving.degraded).toBe(health.degraded?.reason);
    // Errors in the log: each problem (file, cell) and what to do.
    const errors = run.output().split('\n').filter((l) => l.startsWith('{') && (JSON.parse(l) as { level: number }).level >= 50).join('\n');
    expect(errors).toContain('education.xlsx');
    expect(errors).toContain('Fix the data (npm run validate); the next start converts again.');
    // Serving, not exited; a signal ends it cleanly.
    expect(run.child.exitCode).toBeNull();
    expect((await liveJson()).n).toBe(2);
    await shutDown(run);
  });

  it('data that does not convert and no release at all: exit code 1, the problems printed', async () => {
    const empty = join(temp, 'state-empty');
    const { code, output } = await failedStart({ STATE_DIR: empty, DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toMatch(/education\.xlsx.*C4/);
    expect(output).toContain('; there is no earlier release to serve, so the server does not start. Fix the cells above (npm run validate).');
    expect(existsSync(join(empty, 'live.json'))).toBe(false);
  });

  it('a live release whose data.nq was changed is refused with what to do; moving it away converts again', async () => {
    // data/ as release 2 was built from, so only the release's own file is wrong.
    await writeFile(join(dataDir, EDUCATION), educationV2);
    const dir = join(stateDir, 'releases', '2');
    await appendFile(join(dir, 'data.nq'), `<${BASE}id/x> <${BASE}def/lg#p> "not converted" <${BASE}graph/units> .\n`);
    const { code, output } = await failedStart({ STATE_DIR: stateDir, DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toContain(`the server does not start: release 2 (${dir}) does not load: could not load ${join(dir, 'data.nq')} into a store worker: its content is data version`);
    expect(output).toContain(`but build-info.json describes ${(await buildInfo(2)).dataVersion}`);
    expect(output).toContain(`Its files are not the ones that were built (changed by hand, or damaged), and nothing is served in their place. Restore ${dir} from a backup, or move it away`);
    // One clear message: not a stack trace, not the advice for a build directory.
    expect(output).not.toContain('npm run convert');
    expect(output).not.toMatch(/^\s+at /m);
    // Nothing was rebuilt behind the operator's back.
    expect((await liveJson()).n).toBe(2);

    // The advice works: without the directory, start-up converts the data into a new release.
    await rename(dir, join(temp, 'release-2-moved-away'));
    const { run, health, serving } = await serve();
    expect(serving.rebuilt).toBe(true);
    expect(serving.release).toBeGreaterThan(2);
    expect(health).toMatchObject({ status: 'ok', release: serving.release, dataVersion: (await buildInfo(serving.release)).dataVersion });
    lastGood = serving.release;
    await shutDown(run);
  });

  it('data that does not convert and the live release\'s directory gone: exit code 1, saying so', async () => {
    await writeXlsx(join(dataDir, EDUCATION), [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 'many', 1021]])]);
    const dir = join(stateDir, 'releases', String(lastGood));
    await rename(dir, join(temp, 'release-last-moved-away'));
    const { code, output } = await failedStart({ STATE_DIR: stateDir, DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toMatch(/education\.xlsx.*C4/);
    expect(output).toContain(`; release ${lastGood}, the live one, has no build in ${dir}, so the server does not start. Fix the cells above (npm run validate).`);
  });
});
