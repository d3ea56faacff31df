/**
 * Conversion benchmark: `npm run bench [-- --runs N] [--synthetic-runs N] [--factor N]`.
 *
 * 1. Converts the shipped data (data/) --runs times (default 3).
 * 2. Generates in a temp dir a synthetic set --factor (default 10) times the whole country, with
 *    statistics for every jamoat (bench/synthetic-data.ts), converts it --synthetic-runs times
 *    (default 1, or --runs when only that is given), then deletes the temp dir. If the converter
 *    crashes on it (not a ProblemsError), the crash is reported and the set is generated again with
 *    each topic cut into --factor datasets, and that is measured instead (labelled as such).
 * 3. Prints, per input: rows, quads, median seconds, rows/s, quads/s, peak RSS; and the ratio
 *    synthetic/shipped of the time per row (about 1.0 = linear scaling), which does not depend on
 *    the machine's speed.
 *
 * "Rows" are counted on the output: the `lg:code` triples (one per units row) plus the
 * `qb:Observation`s (one per figure, i.e. per filled cell of a statistics row; this is what the
 * converter handles as a row, `ObservationRow`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config.js';
import { type ConvertOptions, convert } from '../src/convert/convert.js';
import { ProblemsError, formatProblem } from '../src/errors.js';
import { PROJECT_ROOT } from '../src/project.js';
import { type SyntheticSummary, makeSyntheticData } from './synthetic-data.js';

const USAGE = 'usage: npm run bench -- [--runs N] [--synthetic-runs N] [--factor N]';
const RDF_TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
const QB_OBSERVATION = '<http://purl.org/linked-data/cube#Observation>';
const MB = 1024 * 1024;

interface Args {
  runs: number;
  syntheticRuns: number;
  factor: number;
}

function parseArgs(argv: string[]): Args {
  const got = new Map<string, number>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const m = /^--(runs|synthetic-runs|factor)(?:=(.*))?$/.exec(a);
    const raw = m ? (m[2] ?? argv[++i]) : undefined;
    const n = Number(raw);
    if (!m || !Number.isInteger(n) || n < 1) throw new Error(`bad argument ${JSON.stringify(a)}${raw !== undefined ? ` ${raw}` : ''}\n${USAGE}`);
    got.set(m[1] ?? '', n);
  }
  const runs = got.get('runs') ?? 3;
  return { runs, syntheticRuns: got.get('synthetic-runs') ?? got.get('runs') ?? 1, factor: got.get('factor') ?? 10 };
}

/** A full GC between runs, so that one run's garbage does not weigh on the next one's RSS. */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const f: unknown = runInNewContext('gc');
  return typeof f === 'function' ? () => { (f as () => void)(); } : () => {};
})();

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

interface Run {
  seconds: number;
  peakRssMb: number;
  quads: number;
  units: number;
  observations: number;
}

async function timedRun(opts: ConvertOptions): Promise<Run> {
  gc();
  let peak = process.memoryUsage().rss;
  // Note: a timer cannot fire while the converter runs synchronous code (SHACL, sorting), so this
  // samples between await points; the sample taken right after the run, while the output is still
  // held, catches the N-Quads string itself.
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  let out: Awaited<ReturnType<typeof convert>>;
  try {
    out = await convert(opts);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  const units = countOf(out.nquads, ` <${opts.base}def/lg#code> `);
  const observations = countOf(out.nquads, ` ${RDF_TYPE} ${QB_OBSERVATION} `);
  return { seconds, peakRssMb: peak / MB, quads: out.info.quads, units, observations };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

interface Result {
  input: string;
  runs: Run[];
  rows: number;
  quads: number;
  medianSeconds: number;
}

async function bench(input: string, opts: ConvertOptions, n: number): Promise<Result> {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    const r = await timedRun(opts);
    console.log(`  ${input} run ${i + 1}/${n}: ${r.seconds.toFixed(2)} s, ${r.quads} quads, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
    const first = runs[0];
    if (first && (first.quads !== r.quads || first.units !== r.units || first.observations !== r.observations)) {
      throw new Error(`${input}: run ${i + 1} gave different output counts than run 1`);
    }
    runs.push(r);
  }
  const first = runs[0] as Run;
  return { input, runs, rows: first.units + first.observations, quads: first.quads, medianSeconds: median(runs.map((r) => r.seconds)) };
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printTable(results: Result[], failures: Failure[]): void {
  const table: Record<string, string | number>[] = results.map((r) => {
    const first = r.runs[0] as Run;
    return {
      input: r.input,
      runs: r.runs.length,
      'rows (units+obs)': `${fmt(r.rows)} (${fmt(first.units)}+${fmt(first.observations)})`,
      quads: fmt(r.quads),
      'median s': fmt(r.medianSeconds, 2),
      'rows/s': fmt(r.rows / r.medianSeconds),
      'quads/s': fmt(r.quads / r.medianSeconds),
      'peak RSS MB': fmt(Math.max(...r.runs.map((x) => x.peakRssMb))),
    };
  });
  for (const f of failures) table.push({ input: f.input, runs: 0, 'rows (units+obs)': `FAILED: ${f.error.name}` });
  console.table(table);
}

interface Failure {
  input: string;
  error: Error;
}

/** Generates a synthetic set in its own directory under `tmp` and benchmarks it. */
async function syntheticBench(dataDir: string, tmp: string, args: Args, split: number, opts: Omit<ConvertOptions, 'dataDir'>): Promise<Result> {
  const dir = join(tmp, `split-${split}`);
  const t0 = performance.now();
  const summary: SyntheticSummary = await makeSyntheticData(dataDir, dir, { factor: args.factor, split });
  const u = summary.units;
  const label = `synthetic ${args.factor}x${split > 1 ? ` (${split} datasets/topic)` : ''}`;
  console.log(
    `\n${label}: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s in ${dir}\n` +
    `  units: ${u.country} country, ${u.region} regions, ${u.district} district-level, ${u.jamoat} jamoat-level\n` +
    `  statistics: ${summary.statisticsRows} data rows (5 topics x every jamoat) in ${5 * split} dataset(s), ${summary.figures} figures\n` +
    `  ${args.syntheticRuns} run(s):`,
  );
  const result = await bench(label, { ...opts, dataDir: dir }, args.syntheticRuns);
  const r0 = result.runs[0] as Run;
  const units = u.country + u.region + u.district + u.jamoat;
  if (r0.units !== units || r0.observations !== summary.figures) {
    console.warn(`warning: the output has ${r0.units} units / ${r0.observations} observations; ${units} / ${summary.figures} were generated`);
  }
  await rm(dir, { recursive: true, force: true });
  return result;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const opts = { base: config.BASE_URI, limits: { maxFileBytes: config.MAX_FILE_BYTES, maxUnzippedBytes: config.MAX_UNZIPPED_BYTES } };
  console.log(`node ${process.version}, base ${opts.base}`);

  const dataDir = join(PROJECT_ROOT, 'data');
  console.log(`\nshipped data (${dataDir}), ${args.runs} run(s):`);
  const shipped = await bench('shipped', { ...opts, dataDir }, args.runs);

  const tmp = await mkdtemp(join(tmpdir(), 'lg-bench-'));
  const results: Result[] = [shipped];
  const failures: Failure[] = [];
  try {
    try {
      results.push(await syntheticBench(dataDir, tmp, args, 1, opts));
    } catch (e) {
      // A crash (not a ProblemsError: those mean the generator is wrong) is a finding about the
      // converter: report it, then measure with each topic cut into smaller datasets.
      if (e instanceof ProblemsError || !(e instanceof Error)) throw e;
      failures.push({ input: `synthetic ${args.factor}x`, error: e });
      console.log(`  FAILED: ${e.name}: ${e.message}\n  ${e.stack?.split('\n').slice(1, 3).map((l) => l.trim()).join('\n  ') ?? ''}`);
      results.push(await syntheticBench(dataDir, tmp, args, args.factor, opts));
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }

  console.log('\nrows = lg:code triples (units rows) + qb:Observations (figures), counted on the output N-Quads');
  printTable(results, failures);
  const synthetic = results[results.length - 1] as Result;
  const perRow = (r: Result) => r.medianSeconds / r.rows;
  const perQuad = (r: Result) => r.medianSeconds / r.quads;
  console.log(`${synthetic.input} / shipped: rows ${(synthetic.rows / shipped.rows).toFixed(1)}x, quads ${(synthetic.quads / shipped.quads).toFixed(1)}x`);
  console.log(`  time per row  ratio: ${(perRow(synthetic) / perRow(shipped)).toFixed(2)}  (~1.0 = linear scaling; < 1: fixed costs amortised; > 1: superlinear)`);
  console.log(`  time per quad ratio: ${(perQuad(synthetic) / perQuad(shipped)).toFixed(2)}`);
  console.log(`process max RSS (getrusage, whole process incl. data generation): ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
  for (const f of failures) {
    console.log(`\nCONVERTER FAILURE on ${f.input} (one statistics dataset per topic, as shipped): ${f.error.name}: ${f.error.message}`);
    console.log('  the figures above for the synthetic set come from the split workaround.');
  }
}

main().catch((e: unknown) => {
  if (e instanceof ProblemsError) {
    for (const p of e.problems.slice(0, 50)) console.error(formatProblem(p));
    console.error(`${e.problems.length} problem(s)${e.problems.length > 50 ? ' (first 50 shown)' : ''}`);
  } else console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
