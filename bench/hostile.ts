/**
 * The hostile corpus measured (issue #14): `npm run bench -- --part hostile`.
 *
 * 1. Each hostile spreadsheet (tests/hostile/inputs/) through `npm run validate` in a child
 *    process: seconds and peak resident memory (the child's VmHWM), against the targets of no case
 *    over 10 s or 500 MB. The shipped data, validated the same way, is the baseline of the run.
 * 2. Each hostile request (tests/hostile/requests/) against the server as `npm start` runs it (the
 *    bundle, a fresh STATE_DIR, 127.0.0.1): seconds, the server's peak RSS during the case, and
 *    /health latency meanwhile (p50, max), against the target of /health under 100 ms throughout.
 *    /health on the idle server is the baseline. Cases needing other settings get their own server.
 *
 * A case over a target is marked OVER; the bench exits 1 if a case failed its own assertions.
 * `--case NAME` measures one case of either kind (with the baselines).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../src/project.js';
import { loadInputs, loadRequests, percentile, validateInput, watchHealth } from '../tests/hostile/run-cases.js';
import type { HostileInput } from '../tests/hostile/case.js';
import { SERVER_ENTRY, compile, freePort, stop, waitFor } from './processes.js';

const TARGET_SECONDS = 10;
const TARGET_MB = 500;
const TARGET_HEALTH_MS = 100;

const mark = (over: boolean) => (over ? '  OVER' : '');

export async function hostileBench(opts: { only?: string } = {}): Promise<void> {
  let failed = 0;
  // `--case NAME`: that case alone (and its baseline), e.g. to measure a change to one bound.
  const chosen = <T>(cases: { name: string; case: T }[]) => (opts.only ? cases.filter((c) => c.name === opts.only) : cases);
  console.log('\nhostile inputs (npm run validate on a copy of data/ with one file replaced; child process):');
  const baseline: HostileInput = {
    title: 'the shipped data, unchanged', issue: 'baseline', replaces: 'datasets.json',
    make: () => readFile(join(PROJECT_ROOT, 'data', 'datasets.json')),
    convert: { accepted: true },
  };
  console.log(`  ${'case'.padEnd(28)} ${'seconds'.padStart(8)} ${'peak MB'.padStart(8)}  outcome`);
  for (const { name, case: input } of [{ name: 'baseline (shipped data)', case: baseline }, ...chosen(await loadInputs())]) {
    const run = await validateInput(input, { killAfterMs: 120_000 });
    const expected = 'refusedWith' in input.convert ? input.convert.refusedWith : 'valid';
    const outcome = run.timedOut ? 'HUNG (killed at 120 s)' : run.exitCode === 0 ? 'valid' : [...new Set(run.codes)].join(' ') || `exit ${run.exitCode}`;
    const ok = !run.timedOut && (expected === 'valid' ? run.exitCode === 0 : run.codes.includes(expected));
    if (!ok) failed++;
    console.log(`  ${name.padEnd(28)} ${run.seconds.toFixed(1).padStart(8)} ${run.peakRssMb.toFixed(0).padStart(8)}  ${outcome}${ok ? '' : `  FAILED (expected ${expected})`}${mark(run.seconds > TARGET_SECONDS || run.peakRssMb > TARGET_MB)}`);
  }

  const requests = chosen(await loadRequests());
  const groups = new Map<string, typeof requests>();
  for (const r of requests) {
    const key = JSON.stringify(r.case.env ?? {});
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  await compile();
  console.log('\nhostile requests (the bundled server on 127.0.0.1; /health asked every 100 ms during each case):');
  for (const [envKey, cases] of groups) {
    const server = await startServer(JSON.parse(envKey) as Record<string, string>);
    try {
      console.log(`  server env ${envKey}`);
      const idle = watchHealth(server.origin, 50);
      await new Promise((r) => setTimeout(r, 2000));
      const base = await idle.stop();
      console.log(`  ${'case'.padEnd(28)} ${'seconds'.padStart(8)} ${'peak MB'.padStart(8)} ${'health p50'.padStart(11)} ${'max'.padStart(7)}`);
      console.log(`  ${'baseline (idle)'.padEnd(28)} ${'2.0'.padStart(8)} ${(await rssMb(server.child)).toFixed(0).padStart(8)} ${`${percentile(base.latenciesMs, 50).toFixed(1)} ms`.padStart(11)} ${`${Math.max(...base.latenciesMs).toFixed(0)} ms`.padStart(7)}`);
      for (const { name, case: request } of cases) {
        let peak = await rssMb(server.child);
        const sampler = setInterval(() => { void rssMb(server.child).then((mb) => { peak = Math.max(peak, mb); }); }, 50);
        const watch = watchHealth(server.origin);
        const t0 = performance.now();
        const error = await request.run(server.origin, server.base).then(() => undefined, (e: unknown) => e as Error);
        const seconds = (performance.now() - t0) / 1000;
        const { latenciesMs, failures } = await watch.stop();
        clearInterval(sampler);
        const max = Math.max(0, ...latenciesMs);
        if (error || failures.length > 0) failed++;
        console.log(`  ${name.padEnd(28)} ${seconds.toFixed(1).padStart(8)} ${peak.toFixed(0).padStart(8)} ${`${percentile(latenciesMs, 50).toFixed(1)} ms`.padStart(11)} ${`${max.toFixed(0)} ms`.padStart(7)}${mark(max > TARGET_HEALTH_MS || seconds > TARGET_SECONDS || peak > TARGET_MB)}${error ? `  FAILED: ${error.message.split('\n')[0]}` : ''}${failures.length ? `  /health failed ${failures.length}x` : ''}`);
      }
    } finally {
      await server.close();
    }
  }
  console.log(`\ntargets: inputs under ${TARGET_SECONDS} s and ${TARGET_MB} MB; /health under ${TARGET_HEALTH_MS} ms during each request case (server peak RSS includes the loaded store)`);
  if (failed > 0) {
    console.log(`${failed} case(s) FAILED their own assertions`);
    process.exitCode = 1;
  }
}

/** The server process's resident memory now, in MB (VmRSS). */
async function rssMb(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function startServer(env: Record<string, string>): Promise<{ origin: string; base: string; child: ChildProcess; close(): Promise<void> }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'lg-bench-hostile-'));
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STATE_DIR: stateDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/health`, child, 300_000);
  return {
    origin,
    // What the server mints and links absolutely: BASE_URI, by default http://localhost:PORT/.
    base: env.BASE_URI ?? process.env.BASE_URI ?? `http://localhost:${port}/`,
    child,
    async close() {
      await stop(child);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
