/**
 * The measured figures of docs/capacity.md: `npm run bench -- --part capacity [--factor N]`.
 *
 * 1. Converts a synthetic 1x country (bench/synthetic-data.ts: every jamoat, five topics) with the
 *    converter's own command (npm run convert), and takes the shipped data's build beside it.
 * 2. Makes larger N-Quads files from that 1x build without converting (10x converts in 13 minutes
 *    and 13 GB): copies of it with the IRIs under `{base}id/` and the blank nodes renamed per copy,
 *    so each copy's units and figures are new resources in the same datasets' graphs (the
 *    vocabulary, the catalog and the literals repeat, as they would). Sizes 3x, 10x, ... up to
 *    --factor (default 10). These are "replicated", not converted, and the tables say so.
 * 3. Loads each file in a fresh process into ONE store worker of the service (src/store/
 *    worker-pool.ts, as QUERY_WORKERS=1) and prints: quads, seconds to load (the store's share of
 *    start-up; wall clock and the process's CPU seconds), the process's RSS above the same process
 *    without a store (the worker's Oxigraph copy, its thread, the garbage of loading, and the file's
 *    bytes the pool keeps to restart a worker) right after loading and after the queries, what a
 *    first worker started as npm start starts one reports as its own memory (Oxigraph's
 *    WebAssembly memory), and the median time of each of the endpoint's example queries
 *    (src/sparql/examples.ts) on that worker.
 *
 * The child processes are this file with --child FILE.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../src/project.js';
import { EXAMPLES, exampleQuery } from '../src/sparql/examples.js';
import { startEarlyWorker } from '../src/store/spawn-worker.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import { makeSyntheticData } from './synthetic-data.js';

interface Measured {
  quads: number;
  fileBytes: number;
  loadSeconds: number;
  /** CPU seconds of the whole process (every thread) while loading: less at the mercy of a busy machine than the wall clock. */
  loadCpuSeconds: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** The same after the example queries ran (the worker's garbage from loading partly collected). */
  rssAfterQueriesMb: number;
  /**
   * What the worker itself reports when loaded (ReadyMessage.memoryBytes: its memory outside the JS
   * heap, Oxigraph's WebAssembly memory), from a first worker started the way npm start starts one.
   */
  workerReportedMb: number;
  /** Median milliseconds per example query, by example id. */
  queries: Record<string, number>;
}

const mb = (b: number) => b / 1024 / 1024;

/** In the child: one worker on `file`, measured. */
async function measure(file: string, base: string): Promise<Measured> {
  const gcOnce = () => (globalThis as { gc?: () => void }).gc?.();
  gcOnce();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const store = await createWorkerStore({ nquadsPath: file, dataVersion: 'capacity', workers: 1, timeoutMs: 600_000, maxWorkerMemoryMb: 65_536 });
  const loadSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const loadCpuSeconds = (cpu.user + cpu.system) / 1e6;
  gcOnce();
  const rssAfter = process.memoryUsage().rss;
  const queries: Record<string, number> = {};
  for (const ex of EXAMPLES) {
    const sparql = exampleQuery(ex, base);
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const q0 = performance.now();
      await store.query(sparql, { resultsFormat: 'application/sparql-results+json' });
      if (i > 0) times.push(performance.now() - q0); // the first run warms the worker
    }
    times.sort((a, b) => a - b);
    queries[ex.id] = times[Math.floor(times.length / 2)]!;
  }
  gcOnce();
  const rssAfterQueriesMb = mb(process.memoryUsage().rss);
  const quads = store.info().triples;
  await store.close();
  // Last, so that its thread is not in the RSS figures above.
  const early = startEarlyWorker(file);
  if (!early) throw new Error(`cannot read ${file}`);
  const workerReportedMb = mb((await early.ready).memoryBytes);
  await early.worker.terminate();
  return { quads, fileBytes: statSync(file).size, loadSeconds, loadCpuSeconds, rssBeforeMb: mb(rssBefore), rssAfterMb: mb(rssAfter), rssAfterQueriesMb, workerReportedMb, queries };
}

/** `copies` copies of the 1x N-Quads, each copy's own resources renamed (see the file's comment). */
async function replicate(from: string, to: string, copies: number, base: string): Promise<void> {
  const out = createWriteStream(to);
  const idPrefix = `<${base}id/`;
  for (let k = 1; k <= copies; k++) {
    const lines = createInterface({ input: createReadStream(from), crlfDelay: Infinity });
    for await (const line of lines) {
      const renamed = k === 1 ? line : line.replaceAll(idPrefix, `${idPrefix}copy${k}/`).replace(/(^|\s)_:([A-Za-z0-9]+)/g, `$1_:c${k}x$2`);
      if (!out.write(renamed + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    }
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** The measured figures, or why the worker could not load the file (a limit is a result too). */
function runChild(file: string, base: string): Measured | { failed: string } {
  const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--child', file, base], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) return { failed: /code: '([A-Z_]+)'/.exec(r.stderr)?.[1] ?? r.stderr.split('\n').find((l) => l.startsWith('Error')) ?? `exit ${r.status}` };
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measured;
}

/** The build directory `npm run convert -- --out DIR` made current. */
async function convertedNq(dataDir: string, outDir: string): Promise<string> {
  const r = spawnSync('npx', ['tsx', 'src/cli/convert.ts', '--data', dataDir, '--out', outDir], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8000' } });
  if (r.status !== 0) throw new Error(`npm run convert -- --data ${dataDir} failed:\n${r.stdout}\n${r.stderr}`);
  const builds = (await readdir(join(outDir, 'builds'))).filter((d) => !d.startsWith('.'));
  return join(outDir, 'builds', builds.sort().at(-1)!, 'data.nq');
}

/** `--factor N` among the bench's other arguments: the largest replicated size (default 10). */
function factorOf(argv: string[]): number {
  const i = argv.indexOf('--factor');
  const n = i >= 0 ? Number(argv[i + 1]) : 10;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--factor must be a whole number, got ${argv[i + 1]}`);
  return n;
}

export async function capacityBench(argv: string[]): Promise<void> {
  const opts = { factor: factorOf(argv) };
  const tmp = await mkdtemp(join(tmpdir(), 'lg-capacity-'));
  try {
    const base = 'http://localhost:3000/';
    console.log('\ncapacity: converting the shipped data and a synthetic 1x country (npm run convert)...');
    const shipped = await convertedNq(join(PROJECT_ROOT, 'data'), join(tmp, 'out-shipped'));
    const summary = await makeSyntheticData(join(PROJECT_ROOT, 'data'), join(tmp, 'syn1'), { factor: 1, split: 1 });
    const syn1 = await convertedNq(join(tmp, 'syn1'), join(tmp, 'out-syn1'));
    const builtBase = (JSON.parse(readFileSync(join(syn1, '..', 'build-info.json'), 'utf8')) as { baseUri: string }).baseUri;
    if (builtBase !== base) throw new Error(`the synthetic build's base is ${builtBase}, expected ${base}`);
    const sets: { name: string; file: string }[] = [
      { name: 'shipped data', file: shipped },
      { name: `synthetic 1x (converted; ${summary.figures} figures)`, file: syn1 },
    ];
    for (const k of [3, 10, 30, 100].filter((n) => n <= opts.factor)) {
      const file = join(tmp, `replicated-${k}x.nq`);
      await replicate(syn1, file, k, base);
      sets.push({ name: `${k}x (replicated from 1x)`, file });
    }
    const rows: { name: string; m: Measured }[] = [];
    for (const set of sets) {
      const m = runChild(set.file, base);
      if ('failed' in m) {
        console.log(`  ${set.name} (${mb(statSync(set.file).size).toFixed(0)} MB of N-Quads): the store worker could not load it: ${m.failed}`);
        continue;
      }
      rows.push({ name: set.name, m });
      console.log(`  ${set.name}: ${m.quads} quads loaded in ${m.loadSeconds.toFixed(2)} s (${m.loadCpuSeconds.toFixed(2)} s CPU), RSS ${m.rssBeforeMb.toFixed(0)} -> ${m.rssAfterMb.toFixed(0)} MB (${m.rssAfterQueriesMb.toFixed(0)} after the queries), the worker reports ${m.workerReportedMb.toFixed(0)} MB`);
    }
    console.log('\n| data | quads | N-Quads MB | load s, wall (CPU) | RSS above an empty process after loading (after the queries), MB | worker\'s own report, MB | per million quads (report), MB |');
    console.log('|---|---|---|---|---|---|---|');
    for (const { name, m } of rows) {
      const above = m.rssAfterMb - m.rssBeforeMb;
      console.log(`| ${name} | ${m.quads.toLocaleString('en')} | ${mb(m.fileBytes).toFixed(1)} | ${m.loadSeconds.toFixed(2)} (${m.loadCpuSeconds.toFixed(2)}) | ${above.toFixed(0)} (${(m.rssAfterQueriesMb - m.rssBeforeMb).toFixed(0)}) | ${m.workerReportedMb.toFixed(0)} | ${((m.workerReportedMb / m.quads) * 1e6).toFixed(0)} |`);
    }
    console.log(`\n| example query, median ms on one worker | ${rows.map((r) => r.name.split(' (')[0]).join(' | ')} |`);
    console.log(`|---|${rows.map(() => '---').join('|')}|`);
    for (const ex of EXAMPLES) console.log(`| ${ex.id} | ${rows.map((r) => r.m.queries[ex.id]!.toFixed(1)).join(' | ')} |`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// Only when this file is the process's own (bench/run.ts imports it and has a --child of its own).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--child') {
  const [, , , file, base] = process.argv;
  measure(file!, base!).then(
    (m) => {
      console.log(JSON.stringify(m));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
