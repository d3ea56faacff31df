/**
 * One timed conversion, run in a child process by bench/run.ts (`run.ts --child '<options JSON>'`);
 * the result goes back over the IPC channel.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type ConvertOptions, type ConvertOutput, convert } from '../src/convert/convert.js';
import { DOWNLOAD_DIR, writeBuild } from '../src/convert/write-build.js';
import { ProblemsError, formatProblem } from '../src/errors.js';

const RDF_TYPE = '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
const QB_OBSERVATION = '<http://purl.org/linked-data/cube#Observation>';
const MB = 1024 * 1024;

/** One step of the conversion (src/convert/phase-clock.ts). */
export interface Phase {
  name: string;
  cpuMs: number;
  wallMs: number;
  rssMb: number;
}

export interface Run {
  /** The conversion and the writing of its build directory (as `npm run convert` does, less the switch). */
  seconds: number;
  /** Max of process.memoryUsage().rss sampled every 20 ms during the run. */
  peakRssMb: number;
  /** getrusage high-water mark of the child process (covers synchronous stretches too). */
  maxRssMb: number;
  /** CPU time (user + system) of the conversion: on a shared machine, steadier than the wall clock. */
  cpuSeconds: number;
  quads: number;
  /** `lg:code` triples: one per units row. */
  units: number;
  /** `qb:Observation`s: one per figure of the statistics rows. */
  observations: number;
  phases: Phase[];
}

export type RunReport = { ok: true; run: Run } | { ok: false; error: string; detail?: string[]; crash?: boolean };

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

async function timedRun(opts: ConvertOptions): Promise<Run> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const phases: Phase[] = [];
  const onPhase = (name: string, cpuMs: number, wallMs: number, rssMb: number) => {
    phases.push({ name, cpuMs, wallMs, rssMb });
    peak = Math.max(peak, rssMb * MB);
  };
  const dir = await mkdtemp(join(tmpdir(), 'lg-bench-build-'));
  let out: ConvertOutput;
  try {
    out = await convert({ ...opts, onPhase, downloadDir: join(dir, 'build', DOWNLOAD_DIR) });
    await writeBuild(join(dir, 'build'), out, onPhase);
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // One more sample while the output (the N-Quads string) is still held.
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    seconds,
    peakRssMb: peak / MB,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    quads: out.info.quads,
    units: countOf(out.nquads, ` <${opts.base}def/lg#code> `),
    observations: countOf(out.nquads, ` ${RDF_TYPE} ${QB_OBSERVATION} `),
    phases,
  };
}

export async function childMain(json: string): Promise<void> {
  const opts = JSON.parse(json) as ConvertOptions;
  let report: RunReport;
  try {
    report = { ok: true, run: await timedRun(opts) };
  } catch (e) {
    if (e instanceof ProblemsError) {
      report = { ok: false, error: `${e.problems.length} problem(s) in ${opts.dataDir}`, detail: e.problems.slice(0, 30).map(formatProblem) };
    } else if (e instanceof Error) {
      report = { ok: false, error: `${e.name}: ${e.message}`, detail: (e.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()) };
    } else throw e;
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('bench/child.ts runs as a child of bench/run.ts (no IPC channel)');
  send(report, () => process.exit(0));
}
