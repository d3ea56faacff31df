/**
 * Publication benchmark: `npm run bench -- --part publish [--seconds N]`, or alone:
 * `npx tsx bench/publish.ts [--seconds N]`.
 *
 * What an approval costs the readers. For the shipped data (data/) and for a synthetic set the size
 * of the whole country with statistics for every jamoat (bench/synthetic-data.ts, 1x):
 * - the server bundle (what `npm start` runs) starts in a child process with a fresh STATE_DIR and
 *   builds release 1 from the data (the time is printed: first start);
 * - a publisher sends a workbook changing one jamoat's pupils in 2022 (the API, as a script would);
 * - baseline: a read load with no swap, --seconds (default 5): autocannon, 4 connections on
 *   loopback, cycling over the jamoat's document in Turtle, JSON-LD and HTML, the education CSV
 *   download and `ASK {}` on /sparql;
 * - swap: the same load, and after 1 s a reviewer approves with ?wait=1, which answers when the new
 *   release is live (built in a child process, loaded beside the live one, switched); the load
 *   goes on 1 s more.
 * Printed per input: approval to live (ms, as the reviewer waits for it; and from the release's
 * record: recorded to live), the requests that failed during the swap (non-2xx or a network error;
 * target 0), req/s and p99 latency from approval to live against the baseline's (ratios: the build
 * takes a core of the two the machine may have, which is what the ratio shows), and that the new
 * figure is served afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import ExcelJS from 'exceljs';
import { loadConfig } from '../src/config.js';
import { PROJECT_ROOT } from '../src/project.js';
import { Accounts } from '../src/publish/accounts.js';
import type { Release } from '../src/releases/release-store.js';
import { readReleaseUnits } from '../src/releases/release-units.js';
import { AuditLog } from '../src/state/audit.js';
import { openStateDb } from '../src/state/state-db.js';
import { compile, freePort, stop, waitFor } from './processes.js';
import { makeSyntheticData } from './synthetic-data.js';

const BUNDLE = join(PROJECT_ROOT, 'dist', 'bench-publish');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CONNECTIONS = 4;
/** Load before the approval and after the release is live, in the swap run. */
const AROUND_MS = 1_000;

interface Officials {
  publisher: string;
  reviewer: string;
}

/** A publisher of `area` and a reviewer with API tokens, made on the server's state database as `npm run users` would. */
async function officials(stateDir: string, area: string): Promise<Officials> {
  const db = openStateDb(stateDir);
  try {
    const accounts = new Accounts(db, new AuditLog(db));
    const token = async (name: string, role: 'publisher' | 'reviewer', a: string | null) => {
      const actor = { userId: null, userName: 'bench', from: 'cli' };
      const { official, oneTimePassword } = await accounts.add(name, role, a, actor);
      await accounts.changePassword(official.id, oneTimePassword, `${name}-bench-password`, 'bench');
      return accounts.createToken(official.id, 'bench', 'bench');
    };
    return { publisher: await token('bench-publisher', 'publisher', area), reviewer: await token('bench-reviewer', 'reviewer', null) };
  } finally {
    db.close();
  }
}

/** The wide layout officials fill in: one jamoat, pupils in 2022. */
async function workbook(code: string, name: string, figure: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Upload');
  ws.addRow(['Education indicators (benchmark upload)']);
  ws.addRow(['Code', 'Jamoat', 'Pupils in general education schools (persons)']);
  ws.addRow([undefined, undefined, 2022]);
  ws.addRow([code, name, figure]);
  ws.addRow([]);
  ws.addRow([undefined, 'Total']);
  for (const m of ['A1:C1', 'A2:A3', 'B2:B3']) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface Load {
  requests: number;
  seconds: number;
  failed: number;
  p50: number;
  p99: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * The read load, until stopped; `figures` gives those of the answers that came between two moments
 * (performance.now()). Latencies are autocannon's, per response.
 */
function readLoad(origin: string, paths: string[]): { stop: () => Promise<void>; figures: (from: number, to: number) => Load } {
  const answers: { at: number; ms: number; ok: boolean }[] = [];
  const errors: number[] = [];
  const instance = autocannon(
    { url: origin, connections: CONNECTIONS, duration: 3_600, requests: paths.map((path) => ({ method: 'GET', path })) },
    () => undefined,
  );
  instance.on('response', (_client, status, _bytes, ms) => answers.push({ at: performance.now(), ms, ok: status >= 200 && status < 400 }));
  instance.on('reqError', () => errors.push(performance.now()));
  const done = new Promise<void>((resolve) => instance.on('done', () => resolve()));
  return {
    stop: async () => {
      instance.stop();
      await done;
    },
    figures: (from, to) => {
      const inside = answers.filter((a) => a.at >= from && a.at <= to);
      const ms = inside.map((a) => a.ms).sort((a, b) => a - b);
      return {
        requests: inside.length,
        seconds: (to - from) / 1000,
        failed: inside.filter((a) => !a.ok).length + errors.filter((t) => t >= from && t <= to).length,
        p50: quantile(ms, 0.5),
        p99: quantile(ms, 0.99),
      };
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Measured {
  input: string;
  quads: number;
  firstStartMs: number;
  uploadMs: number;
  approvalToLiveMs: number;
  recordedToLiveMs: number;
  baseline: Load;
  swap: Load;
  /** Failed requests over the whole swap run (the second before and after included). */
  swapRunFailed: number;
  served: boolean;
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(600_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

async function measure(input: string, dataDir: string, district: (units: Awaited<ReturnType<typeof readReleaseUnits>>) => string, seconds: number): Promise<Measured> {
  const config = loadConfig(process.env);
  const stateDir = await mkdtemp(join(tmpdir(), 'lg-bench-publish-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  try {
    server = spawn(process.execPath, [join(BUNDLE, 'main.js')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', BASE_URI: config.BASE_URI, DATA_DIR: dataDir, STATE_DIR: stateDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const firstStartMs = await waitFor(`${origin}/health`, server, 600_000);
    const health = await json<{ release: number; dataVersion: string; triples: number }>(`${origin}/health`);
    const units = await readReleaseUnits(join(stateDir, 'releases', String(health.release)));
    const area = district(units);
    const inArea = units.filter((u) => u.parent === area && u.level === 'jamoat' && u.retiredOn === null);
    const jamoat = inArea.find((u) => u.labels.en?.startsWith('Norin')) ?? inArea[0];
    if (!jamoat) throw new Error(`${input}: no jamoat in ${area}`);
    const tokens = await officials(stateDir, area);

    const observation = `${config.BASE_URI}id/observation/education/${jamoat.code}/pupils/2022`;
    const select = `/sparql?query=${encodeURIComponent(`SELECT ?v WHERE { <${observation}> <${config.BASE_URI}def/indicator/pupils> ?v }`)}`;
    const figureNow = async () =>
      Number((await json<{ results: { bindings: { v?: { value: string } }[] } }>(`${origin}${select}`, { headers: { accept: 'application/sparql-results+json' } })).results.bindings[0]?.v?.value);
    const old = await figureNow();
    if (!Number.isFinite(old)) throw new Error(`${input}: ${jamoat.code} has no pupils figure for 2022`);
    const figure = old + 4_321;

    let t = performance.now();
    const upload = await json<{ id: number; status: string }>(`${origin}/publish/api/uploads?dataset=education&filename=bench.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.publisher}`, 'content-type': XLSX },
      body: new Uint8Array(await workbook(jamoat.code, jamoat.labels.en ?? jamoat.code, figure)),
    });
    const uploadMs = performance.now() - t;
    if (upload.status !== 'pending') throw new Error(`${input}: the upload is ${upload.status}`);

    const paths = [
      `/doc/${jamoat.level}/${jamoat.code}.ttl`, `/doc/${jamoat.level}/${jamoat.code}.jsonld`, `/doc/${jamoat.level}/${jamoat.code}.html?lang=tg`,
      '/download/education.csv', `/sparql?query=${encodeURIComponent('ASK {}')}`,
    ];
    for (const p of paths) await fetch(`${origin}${p}`).then((r) => r.arrayBuffer()); // warm: the baseline is the served state

    const base = readLoad(origin, paths);
    const b0 = performance.now();
    await sleep(seconds * 1000);
    const b1 = performance.now();
    await base.stop();
    const baseline = base.figures(b0, b1);

    const swapLoad = readLoad(origin, paths);
    const s0 = performance.now();
    await sleep(AROUND_MS);
    t = performance.now();
    const approved = await json<{ release: Release }>(`${origin}/publish/api/uploads/${upload.id}/review?wait=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.reviewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve', comment: 'benchmark' }),
    });
    const live = performance.now();
    await sleep(AROUND_MS);
    const s1 = performance.now();
    await swapLoad.stop();
    const { release } = approved;
    if (release.status !== 'complete') throw new Error(`${input}: release ${release.n} is ${release.status}: ${release.error ?? ''}`);
    const after = await json<{ release: number; dataVersion: string }>(`${origin}/health`);
    const served = after.release === release.n && after.dataVersion === release.dataVersion && (await figureNow()) === figure;
    return {
      input, quads: health.triples, firstStartMs, uploadMs,
      approvalToLiveMs: live - t,
      recordedToLiveMs: Date.parse(release.finishedAt ?? '') - Date.parse(release.createdAt),
      baseline, swap: swapLoad.figures(t, live), swapRunFailed: swapLoad.figures(s0, s1).failed, served,
    };
  } finally {
    if (server) await stop(server);
    await rm(stateDir, { recursive: true, force: true });
  }
}

const byEnglishName = (name: string) => (units: Awaited<ReturnType<typeof readReleaseUnits>>) => {
  const d = units.find((u) => u.level === 'district' && u.labels.en === name);
  if (!d) throw new Error(`no district named ${name}`);
  return d.code;
};

export async function publishBench(opts: { seconds: number }): Promise<Measured[]> {
  console.log(`\npublication: approval to live, and a read load (autocannon, ${CONNECTIONS} connections, loopback) during the swap against ${opts.seconds} s of the same load without one`);
  await compile(BUNDLE);
  const results: Measured[] = [];
  const tmp = await mkdtemp(join(tmpdir(), 'lg-bench-publish-data-'));
  try {
    const shipped = join(PROJECT_ROOT, 'data');
    results.push(await measure('shipped', shipped, byEnglishName('Yovon'), opts.seconds));
    report(results.at(-1));
    const t = performance.now();
    const s = await makeSyntheticData(shipped, tmp, { factor: 1, split: 1 });
    console.log(`  synthetic 1x generated in ${((performance.now() - t) / 1000).toFixed(1)} s: ${s.units.jamoat} jamoat-level units, ${s.figures} figures`);
    results.push(await measure('synthetic 1x', tmp, byEnglishName('Yovon 1'), opts.seconds));
    report(results.at(-1));
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(BUNDLE, { recursive: true, force: true });
  }
  const f = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  console.table(results.map((r) => ({
    input: r.input,
    quads: f(r.quads),
    'first start s': f(r.firstStartMs / 1000, 1),
    'upload ms': f(r.uploadMs),
    'approval to live ms': f(r.approvalToLiveMs),
    'recorded to live ms': f(r.recordedToLiveMs),
    'failed during swap': r.swapRunFailed,
    'baseline req/s': f(r.baseline.requests / r.baseline.seconds),
    'swap req/s': f(r.swap.requests / r.swap.seconds),
    'req/s ratio': f(r.swap.requests / r.swap.seconds / (r.baseline.requests / r.baseline.seconds), 2),
    'baseline p99 ms': f(r.baseline.p99, 1),
    'swap p99 ms': f(r.swap.p99, 1),
    'p99 ratio': f(r.swap.p99 / r.baseline.p99, 1),
    'new figure served': r.served ? 'yes' : 'NO',
  })));
  const failed = results.reduce((s, r) => s + r.swapRunFailed + r.baseline.failed, 0);
  console.log(`target: 0 requests failed during the swap; ${failed === 0 ? 'met' : `${failed} FAILED`}. "swap" figures are from the approval to the release being live; "failed" counts the whole swap run (1 s before and after too).`);
  if (failed > 0 || results.some((r) => !r.served)) process.exitCode = 1;
  return results;
}

function report(r: Measured | undefined): void {
  if (!r) return;
  console.log(`  ${r.input}: first start ${(r.firstStartMs / 1000).toFixed(1)} s, approval to live ${r.approvalToLiveMs.toFixed(0)} ms, ${r.swap.requests} answers during it, ${r.swapRunFailed} failed`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds needs a positive number');
  publishBench({ seconds }).catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
