/**
 * Runs the hostile corpus (tests/hostile/case.ts): loads the case files, converts a hostile input
 * as `npm run validate` does (a child process, so a hang or a blown heap is measured and killed,
 * not suffered), and watches /health while a hostile request runs. Shared by
 * tests/hostile-inputs.test.ts, tests/hostile-requests.test.ts and bench/hostile.ts.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { HostileInput, HostileRequest } from './case.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');

export interface Named<T> { name: string; case: T }

async function loadDir<T>(sub: string): Promise<Named<T>[]> {
  const dir = join(HERE, sub);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.ts')).sort();
  const out: Named<T>[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: T };
    out.push({ name: basename(f, '.ts'), case: mod.default });
  }
  return out;
}

export const loadInputs = (): Promise<Named<HostileInput>[]> => loadDir<HostileInput>('inputs');
export const loadRequests = (): Promise<Named<HostileRequest>[]> => loadDir<HostileRequest>('requests');

export interface ValidateRun {
  /** validate's exit code (0 valid, 1 problems), or null when it was killed. */
  exitCode: number | null;
  /** The LG_ERR codes validate printed, in order. */
  codes: string[];
  stderr: string;
  seconds: number;
  /** The child's high-water mark of resident memory (VmHWM), in MB, last read before it ended. */
  peakRssMb: number;
  /** Killed after `killAfterMs`: the input hung the converter. */
  timedOut: boolean;
}

/**
 * `npm run validate` on a copy of data/ in which the case's file replaces `replaces`. The child is
 * killed after `killAfterMs` (a guard against a hang, reported as timedOut, not a timing claim).
 */
export async function validateInput(input: HostileInput, opts: { killAfterMs?: number; env?: Record<string, string> } = {}): Promise<ValidateRun> {
  const work = await mkdtemp(join(tmpdir(), 'lg-hostile-'));
  try {
    const dataDir = join(work, 'data');
    await cp(join(ROOT, 'data'), dataDir, { recursive: true });
    const target = join(dataDir, input.replaces);
    // A CSV case replacing an XLSX (or the reverse) takes the place of the file it names.
    await rm(target, { force: true });
    await writeFile(target, await input.make());
    return await runValidate(dataDir, opts.killAfterMs ?? 120_000, opts.env ?? {});
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function runValidate(dataDir: string, killAfterMs: number, env: Record<string, string>): Promise<ValidateRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/validate.ts'), '--data', dataDir], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 1_000_000) stderr += d; });
    let peakKb = 0;
    const statusFile = `/proc/${child.pid}/status`;
    const sample = () => {
      readFile(statusFile, 'utf8').then((s) => {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      }, () => undefined);
    };
    const sampler = setInterval(sample, 25);
    let timedOut = false;
    const killer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      resolve({
        exitCode: timedOut ? null : code,
        codes: [...stderr.matchAll(/\[(LG_ERR_[A-Z0-9_]+)\]/g)].map((m) => m[1] ?? ''),
        stderr,
        seconds: (performance.now() - t0) / 1000,
        peakRssMb: peakKb / 1024,
        timedOut,
      });
    });
  });
}

/** The dataset an input is uploaded as: its own when it replaces a statistics file. */
export function uploadDatasetOf(input: HostileInput): string {
  if (input.upload?.dataset) return input.upload.dataset;
  const m = /^statistics\/([a-z-]+)\.(?:xlsx|csv)$/.exec(input.replaces);
  return m?.[1] ?? 'population';
}

export interface HealthWatch {
  /** Stops watching; resolves with every /health latency measured, in ms, and the failures. */
  stop(): Promise<{ latenciesMs: number[]; failures: string[] }>;
}

/**
 * Asks /health every `everyMs` while a case runs, one request at a time, so a server whose event
 * loop is blocked shows as one long latency rather than a pile of queued ones.
 */
export function watchHealth(origin: string, everyMs = 100): HealthWatch {
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`/health answered ${res.status}`);
      } catch (e) {
        failures.push(`/health failed: ${(e as Error).message}`);
      }
      latenciesMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { latenciesMs, failures };
    },
  };
}

/** The p-th percentile (0-100) of some numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
