import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/processes.js';
import { buildServer } from '../src/cli/build-server.js';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { PROJECT_ROOT } from '../src/project.js';
import type { Upload } from '../src/publish/uploads.js';
import type { Release } from '../src/releases/release-store.js';
import { type Services, openServices } from '../src/server/services.js';
import { mulberry32 } from '../src/tools/mulberry32.js';
import { makeDataDir, wideSheet, writeXlsx } from './helpers.js';
import { type TestOfficial, addOfficial, apiReview, apiUpload } from './publish-helpers.js';

/**
 * kill -9 at any moment of an upload, a review or a publication, then a restart: the service
 * serves the last complete release, and nothing that was acknowledged is lost.
 *
 * The server is the bundle `npm start` runs (its own copy in dist/test-crash), in a child process
 * on 127.0.0.1, on a small data directory (a release builds in about a second) and a STATE_DIR of
 * its own; this process reads the same state database (SQLite in WAL mode lets it) to make the
 * officials and to see what the server left. Each try sends a workbook with a figure of its own
 * and approves it; the server is then killed with SIGKILL after a delay drawn from a seeded PRNG
 * (printed; CRASH_SEED=... draws the same delays again) over the whole publication: before the
 * build starts, during the build (a child process), while the new release loads, and just after it
 * went live. Two tries are killed during the upload instead, two during the review.
 *
 * After every restart: /health names release N, whose directory holds the build-info.json of the
 * data version /health reports; the live_release row names that release, complete; once the
 * restarted server has published what the crash interrupted, no release is left 'building', no
 * .tmp-* directory is left under releases/, every acknowledged approval is published (its release
 * holds its figure, and the live release serves the newest one), every acknowledged upload is kept
 * with its blob, and the release builder of a killed server did not outlive it.
 */
const BUNDLE = join(PROJECT_ROOT, 'dist', 'test-crash');
const BASE = 'http://localhost:3000/';
const SEED = process.env.CRASH_SEED !== undefined ? Number(process.env.CRASH_SEED) >>> 0 : Date.now() % 2 ** 32;
/**
 * 8 publications killed: each of the four stretches of a publication twice, at points drawn anew in
 * every run (the seed is the clock unless CRASH_SEED is given), so that runs after runs cover each
 * stretch densely; one run does not need to. Each try costs a restart and a publication (about 4 s
 * on CI; the 16 of before were 88 of the run's 838 s). CRASH_PUBLICATIONS=N kills N (a multiple of
 * 4) for a longer run by hand.
 */
const PUBLICATION_TRIES = Number(process.env.CRASH_PUBLICATIONS ?? 8);
/** Tries (by position) killed during the upload or the review instead of the publication (all four come before the 8th publication). */
const SPECIAL: Record<number, 'upload' | 'review'> = { 2: 'upload', 5: 'review', 8: 'upload', 10: 'review' };
const FETCH_MS = 30_000;
/** The longest the restarted server may take to publish what the crash interrupted. */
const SETTLE_MS = 45_000;

const pupils = `${BASE}def/indicator/pupils`;
const figureQuery = `SELECT ?v WHERE { ?o <${pupils}> ?v ; <${BASE}def/lg#refArea> <${BASE}id/jamoat/TJ-SU-01-01> ; <${BASE}def/lg#refPeriod> ?y . FILTER(STR(?y) = "2022") }`;

let dataDir: string;
let stateDir: string;
let work: string;
let port: number;
let url: string;
let services: Services;
let publisher: TestOfficial;
let reviewer: TestOfficial;
let server: { child: ChildProcess; output: () => string } | undefined;
/** Processes this test started (servers) or that they started (release builders): stopped at the end if still there. */
const started = new Set<number>();

function startServer(): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [join(BUNDLE, 'main.js')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', BASE_URI: BASE, DATA_DIR: dataDir, STATE_DIR: stateDir,
      LOG_LEVEL: 'info', QUERY_WORKERS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The last lines only: what to show when a check fails.
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid !== undefined) started.add(child.pid);
  return { child, output: () => output };
}

/** Starts the server on the state left, and returns the first answer of its /health. */
async function restart(): Promise<Health> {
  const s = startServer();
  server = s;
  const until = performance.now() + 60_000;
  while (performance.now() < until) {
    if (s.child.exitCode !== null) throw new Error(`the server exited with ${s.child.exitCode} at start:\n${s.output()}`);
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(FETCH_MS) }).catch(() => undefined);
    if (res?.ok) return (await res.json()) as Health;
    await sleep(5);
  }
  throw new Error(`the server did not answer /health within 60 s:\n${s.output()}`);
}

/** The processes whose parent is `pid` (Linux /proc), and whether one still runs (a zombie does not). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function ours(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(BUNDLE);
  } catch {
    return false;
  }
}

/** SIGKILL to the server alone (as the kernel's OOM killer or `kill -9 PID` would); returns the processes it had started. */
async function kill9(): Promise<number[]> {
  const s = server;
  if (!s || s.child.pid === undefined) throw new Error('no server to kill');
  const pid = s.child.pid;
  const children = childrenOf(pid);
  for (const c of children) started.add(c);
  const exited = new Promise<void>((resolve) => (s.child.exitCode !== null || s.child.signalCode !== null ? resolve() : s.child.once('exit', () => resolve())));
  s.child.kill('SIGKILL');
  await exited;
  server = undefined;
  return children;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(FETCH_MS) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Health {
  release: number | null;
  building: number | null;
  dataVersion: string;
}

async function servedFigure(): Promise<number | undefined> {
  const res = await fetch(`${url}/sparql?query=${encodeURIComponent(figureQuery)}`, { headers: { accept: 'application/sparql-results+json' }, signal: AbortSignal.timeout(FETCH_MS) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: { bindings: { v: { value: string } }[] } };
  const values = body.results.bindings.map((b) => Number(b.v.value));
  expect(values.length).toBeLessThanOrEqual(1);
  return values[0];
}

/** A workbook of the publisher's district changing Alpha's pupils in 2022 to `figure`. */
async function workbook(figure: number): Promise<Buffer> {
  const path = join(work, `upload-${figure}.xlsx`);
  await writeXlsx(path, [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', figure, 1020]])]);
  return readFile(path);
}

/** What was acknowledged: an upload answered 201, and whether its approval was answered 200. */
interface Acked {
  id: number;
  figure: number;
  sha256: string;
  approved: boolean;
}
const acked: Acked[] = [];
const figureOf = new Map<number, number>();

async function upload(figure: number): Promise<Acked> {
  const res = await apiUpload(url, publisher.token, await workbook(figure), { dataset: 'education', filename: `pupils-${figure}.xlsx` });
  const body = (await res.json()) as Upload;
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(201);
  const a = { id: body.id, figure, sha256: body.sha256, approved: false };
  acked.push(a);
  figureOf.set(a.id, figure);
  return a;
}

async function approve(a: Acked, wait = false): Promise<void> {
  const res = await apiReview(url, reviewer.token, a.id, 'approve', { wait });
  expect(res.status, await res.clone().text()).toBe(200);
  a.approved = true;
}

const releaseOfUpload = (id: number) =>
  services.db.prepare('SELECT n, status FROM releases WHERE upload_id = ? ORDER BY n DESC LIMIT 1').get(id) as { n: number; status: Release['status'] } | undefined;
const uploadRow = (id: number) => services.uploads.get(id);

/** Where in the publication of upload `id` the kill landed, read from what the dead server left. */
function phaseOf(id: number): string {
  const r = releaseOfUpload(id);
  if (!r) return 'before the build started';
  if (r.status === 'complete') return 'after the release went live';
  if (r.status !== 'building') return `release ${r.status}`;
  const releases = join(stateDir, 'releases');
  if (existsSync(join(releases, String(r.n)))) return 'built, while loading';
  return readdirSync(releases).some((d) => d.startsWith(`.tmp-${r.n}-`)) ? 'writing the build' : 'converting';
}

/**
 * What must hold after a restart, and once the server has published what the crash interrupted
 * (bounded: SETTLE_MS).
 */
async function checkAfterRestart(label: string, first: Health, approvedAtRestart: number): Promise<void> {
  await checkLive(first, `${label}, at restart`);
  // An approval the crash left unpublished is being published from the first answer on: a script
  // that waits for `building` to be null waits for it.
  if (approvedAtRestart > 0) expect(first.building, `${label}: /health's building at restart, with ${approvedAtRestart} approval(s) to publish`).not.toBeNull();

  const t0 = performance.now();
  let health = first;
  for (;;) {
    health = await getJson<Health>('/health');
    const approved = services.uploads.list({ status: ['approved'] });
    if (health.building === null && approved.length === 0) break;
    if (performance.now() - t0 > SETTLE_MS) {
      throw new Error(`${label}: after ${SETTLE_MS} ms still building ${health.building}, approved and unpublished: ${approved.map((u) => u.id).join(', ')}\n${server?.output() ?? ''}`);
    }
    await sleep(50);
  }
  await checkLive(health, `${label}, settled`);

  const releasesDir = join(stateDir, 'releases');
  expect(services.releases.store.list().filter((r) => r.status === 'building').map((r) => r.n), `${label}: releases left building`).toEqual([]);
  expect(readdirSync(releasesDir).filter((d) => d.startsWith('.tmp-')), `${label}: temporary directories under releases/`).toEqual([]);
  expect(services.uploads.list({ status: ['failed'] }).map((u) => u.id), `${label}: failed uploads`).toEqual([]);
  // The state store is consistent: intact; the live release is the newest complete one; a release
  // failed only because a kill interrupted it; a published upload names the complete release that
  // published it, and that release applies it.
  expect(services.db.pragma('integrity_check', { simple: true }), `${label}: SQLite integrity_check`).toBe('ok');
  const all = services.releases.store.list();
  expect(services.releases.store.live()?.n).toBe(all.find((r) => r.status === 'complete')?.n);
  for (const r of all.filter((x) => x.status === 'failed')) expect(r.error, `${label}: release ${r.n}`).toMatch(/^interrupted/);
  for (const u of services.uploads.list({ status: ['published'], limit: 1000 })) {
    const r = services.releases.store.get(u.releaseN ?? 0);
    expect(r, `${label}: the release of published upload ${u.id}`).toMatchObject({ status: 'complete', uploadId: u.id });
    expect(r?.overlays.at(-1)).toBe(u.id);
  }

  for (const a of acked) {
    const u = uploadRow(a.id);
    expect(u, `${label}: acknowledged upload ${a.id}`).toBeDefined();
    expect(existsSync(services.blobs.path(a.sha256)), `${label}: blob of upload ${a.id}`).toBe(true);
    if (!a.approved) continue;
    expect(u?.status, `${label}: acknowledged approval of upload ${a.id}`).toBe('published');
    const n = u?.releaseN;
    expect(n, `${label}: release of upload ${a.id}`).not.toBeNull();
    expect(services.releases.store.get(n ?? 0)?.status).toBe('complete');
    const nquads = await readFile(join(releasesDir, String(n), 'data.nq'), 'utf8');
    expect(nquads, `${label}: upload ${a.id}'s figure in release ${n}`).toContain(`<${pupils}> "${a.figure}"`);
  }

  // The live release serves the figure of the newest upload it applies (every upload changes the same figure).
  const live = services.releases.store.live();
  const newest = live?.overlays.at(-1);
  const expected = newest !== undefined ? figureOf.get(newest) : 310;
  expect(await servedFigure(), `${label}: the served figure (live release ${live?.n}, overlays ${live?.overlays.join(',')})`).toBe(expected);
}

/** /health names release N, whose directory exists with the data version /health reports; live_release names it, complete. */
async function checkLive(health: Health, label: string): Promise<void> {
  const row = services.db.prepare('SELECT n FROM live_release WHERE one = 1').get() as { n: number } | undefined;
  expect(row, `${label}: live_release row`).toBeDefined();
  const live = services.releases.store.get(row?.n ?? 0);
  expect(live?.status, `${label}: live release ${row?.n}`).toBe('complete');
  expect(health.release, `${label}: /health's release`).toBe(row?.n);
  const info = JSON.parse(await readFile(join(stateDir, 'releases', String(health.release), 'build-info.json'), 'utf8')) as BuildInfo;
  expect(info.dataVersion, `${label}: build-info.json of release ${health.release}`).toBe(health.dataVersion);
  expect(live?.dataVersion).toBe(health.dataVersion);
}

beforeAll(async () => {
  await buildServer(BUNDLE);
  dataDir = await makeDataDir();
  stateDir = await mkdtemp(join(tmpdir(), 'lg-crash-state-'));
  work = await mkdtemp(join(tmpdir(), 'lg-crash-'));
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
  await restart(); // the first start builds release 1 from the data directory
  services = openServices(loadConfig({ BASE_URI: BASE, DATA_DIR: dataDir, STATE_DIR: stateDir, LOG_LEVEL: 'silent' }));
  publisher = await addOfficial(services, 'crash-publisher', 'publisher', 'TJ-SU-01');
  reviewer = await addOfficial(services, 'crash-reviewer', 'reviewer');
});

afterAll(async () => {
  if (server) await kill9().catch(() => undefined);
  // Only a process still running this test's bundle (a pid may have been reused since).
  for (const pid of started) if (running(pid) && ours(pid)) process.kill(pid, 'SIGKILL');
  services?.close();
  for (const d of [stateDir, dataDir, work]) if (d) await rm(d, { recursive: true, force: true });
  await rm(BUNDLE, { recursive: true, force: true });
});

describe('kill -9 during uploads, reviews and publications', () => {
  it(`serves the last complete release and loses nothing acknowledged (${PUBLICATION_TRIES} publications killed, seed ${SEED})`, async () => {
    console.log(`publish-crash: seed ${SEED} (CRASH_SEED=${SEED} draws the same delays)`);
    const rnd = mulberry32(SEED);
    const t0 = performance.now();

    // One publication that is not killed: how long its phases take on this machine, from the
    // approval: until its release is recorded (the build starts), until its directory is in place
    // (the build is done; the load starts), until it is live (the answer to ?wait=1).
    let t = performance.now();
    const calibration = await upload(1000);
    const uploadMs = performance.now() - t;
    const n = (services.releases.store.list()[0]?.n ?? 0) + 1;
    const marks: { begun?: number; built?: number } = {};
    t = performance.now();
    const approved = approve(calibration, true);
    let live = false;
    const settled = () => (live = true);
    approved.then(settled, settled);
    while (!live) {
      marks.begun ??= services.releases.store.get(n) ? performance.now() - t : undefined;
      marks.built ??= existsSync(join(stateDir, 'releases', String(n))) ? performance.now() - t : undefined;
      await sleep(2);
    }
    await approved;
    const publishMs = performance.now() - t;
    const begunMs = marks.begun ?? 0;
    const builtMs = marks.built ?? publishMs;
    const second = await upload(1001);
    t = performance.now();
    await approve(second);
    const reviewMs = performance.now() - t;
    await checkAfterRestart('calibration', await getJson<Health>('/health'), 0);
    console.log(`publish-crash: upload ${uploadMs.toFixed(0)} ms, review ${reviewMs.toFixed(0)} ms; from the approval: build started ${begunMs.toFixed(0)} ms, built ${builtMs.toFixed(0)} ms, live ${publishMs.toFixed(0)} ms`);
    // The kill delays, from the approval's answer: each try aims at one of the four stretches in
    // turn (before the build, the build, the load, just after), at a point drawn in it; where it
    // landed is read afterwards from what the server left.
    const stretches: [number, number][] = [[0, begunMs], [begunMs, builtMs], [builtMs, publishMs], [publishMs, publishMs * 1.3]];

    const phases = new Map<string, number>();
    const count = (p: string) => phases.set(p, (phases.get(p) ?? 0) + 1);
    let figure = 2000;
    let publications = 0;
    /** Releases whose build a kill cut short: nothing may complete their directory afterwards. */
    const unfinished: { n: number; label: string }[] = [];
    for (let i = 0; publications < PUBLICATION_TRIES; i++) {
      const kind = SPECIAL[i] ?? 'publication';
      figure += 1;
      let label: string;
      if (kind === 'upload') {
        // Killed while the workbook is sent or checked: acknowledged or not, either is fine, but an acknowledged one is kept.
        const delay = rnd() * uploadMs * 1.2;
        const sent = apiUpload(url, publisher.token, await workbook(figure), { dataset: 'education', filename: `pupils-${figure}.xlsx` })
          .then(async (res) => (res.status === 201 ? ((await res.json()) as Upload) : undefined))
          .catch(() => undefined);
        await sleep(delay);
        await kill9();
        const u = await sent;
        if (u) {
          acked.push({ id: u.id, figure, sha256: u.sha256, approved: false });
          figureOf.set(u.id, figure);
        }
        label = `try ${i} (kill during an upload after ${delay.toFixed(0)} ms, ${u ? 'acknowledged' : 'not acknowledged'})`;
        count(`upload ${u ? 'acknowledged' : 'not acknowledged'}`);
      } else if (kind === 'review') {
        const a = await upload(figure);
        const delay = rnd() * reviewMs * 1.5;
        const sent = apiReview(url, reviewer.token, a.id, 'approve').then((res) => res.status === 200).catch(() => false);
        await sleep(delay);
        await kill9();
        a.approved = await sent;
        label = `try ${i} (kill during a review after ${delay.toFixed(0)} ms, ${a.approved ? 'acknowledged' : 'not acknowledged'})`;
        count(`review ${a.approved ? 'acknowledged' : 'not acknowledged'}`);
      } else {
        const a = await upload(figure);
        const stretch = publications % 4;
        await approve(a);
        let delay: number;
        if (stretch === 2) {
          // The load is a few tens of ms after a build of varying length: aimed at from the moment
          // the build's directory is in place.
          const until = performance.now() + 3 * publishMs;
          const n = () => releaseOfUpload(a.id)?.n;
          while (performance.now() < until && !existsSync(join(stateDir, 'releases', String(n() ?? 'none')))) await sleep(2);
          delay = rnd() * (publishMs - builtMs);
        } else {
          const [from, to] = stretches[stretch] ?? [0, publishMs];
          delay = Math.max(0, from - reviewMs + rnd() * (to - from));
        }
        await sleep(delay);
        const builders = await kill9();
        const phase = phaseOf(a.id);
        count(phase);
        label = `try ${i} (kill ${delay.toFixed(0)} ms after the ${stretch === 2 ? 'build' : 'approval'}: ${phase})`;
        // The release builder dies with the server: it does not go on writing into releases/ behind the restarted one.
        const until = performance.now() + 2_000;
        while (builders.some(running) && performance.now() < until) await sleep(10);
        expect(builders.filter(running), `${label}: release builders still running 2 s after the server was killed`).toEqual([]);
        const cut = releaseOfUpload(a.id);
        if (cut && (phase === 'converting' || phase === 'writing the build')) unfinished.push({ n: cut.n, label });
        publications++;
      }
      const approvedAtRestart = services.uploads.list({ status: ['approved'] }).length;
      await checkAfterRestart(label, await restart(), approvedAtRestart);
      for (const u of unfinished) expect(existsSync(join(stateDir, 'releases', String(u.n))), `${u.label}: release ${u.n}'s directory was written after the kill`).toBe(false);
    }
    console.log(`publish-crash: where the kills landed: ${[...phases].map(([p, n]) => `${p}: ${n}`).join('; ')}`);
    console.log(`publish-crash: ${acked.length} uploads acknowledged, ${acked.filter((a) => a.approved).length} approvals; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The delays were spread over the publication: some kills interrupted a build.
    const interrupted = [...phases].filter(([p]) => ['converting', 'writing the build', 'built, while loading'].includes(p)).reduce((s, [, n]) => s + n, 0);
    expect(interrupted).toBeGreaterThan(0);
  }, 240_000);

  it('a live pointer that cannot be written does not keep a release from going live', async () => {
    // STATE_DIR/live.json only tells main.ts which release to start loading early; a directory in
    // its place makes writing it fail. The release is live all the same, in the database and on /health.
    const pointer = join(stateDir, 'live.json');
    await rm(pointer, { force: true });
    await mkdir(pointer);
    try {
      const a = await upload(9_000);
      const res = await apiReview(url, reviewer.token, a.id, 'approve', { wait: true });
      expect(res.status, await res.clone().text()).toBe(200);
      a.approved = true;
      await checkAfterRestart('live.json unwritable', await getJson<Health>('/health'), 0);
      expect(services.uploads.get(a.id)?.status).toBe('published');
    } finally {
      await rm(pointer, { recursive: true, force: true });
    }
  });
});
