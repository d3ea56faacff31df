/**
 * Building one release: convert the seed data directory with the release's overlays, write the
 * build into a temporary directory beside the final one, compute the changeset against the release
 * before, and rename the directory into place (one atomic step). A kill -9 at any moment leaves
 * either no directory or a complete one; temporary directories are swept at start-up.
 *
 * The conversion runs in a child process (buildReleaseInChild): it takes seconds of CPU and
 * hundreds of MB, and the server must keep answering on its own thread meanwhile; the child's
 * memory is given back to the system when it exits.
 */
import { fork } from 'node:child_process';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildInfo, ConvertOptions } from '../convert/convert.js';
import type { FileLimits } from '../convert/check-file.js';
import { DOWNLOAD_DIR, TMP_PREFIX, sweepTemps, writeBuild } from '../convert/write-build.js';
import { type Problem, ProblemsError } from '../errors.js';
import type { ReleaseSummary } from './release-store.js';

export interface ReleaseJob {
  n: number;
  dataDir: string;
  base: string;
  limits: FileLimits;
  overlays: NonNullable<ConvertOptions['overlays']>;
  /** The release date (YYYY-MM-DD): dct:modified of what it changes. */
  date: string;
  /** STATE_DIR/releases: the build goes to `${releasesDir}/${n}`. */
  releasesDir: string;
  /** The build of the release it follows (its data.nq is the changeset's "before"), or null for the first. */
  previousDir: string | null;
}

export type ReleaseBuildResult =
  | { ok: true; info: BuildInfo; summary: ReleaseSummary }
  | { ok: false; problems: Problem[] }
  | { ok: false; error: string };

export const releaseDir = (releasesDir: string, n: number) => join(releasesDir, String(n));

/** In this process: what the child runs. Throws ProblemsError when the data does not convert. */
export async function runReleaseBuild(job: ReleaseJob): Promise<{ info: BuildInfo; summary: ReleaseSummary }> {
  const { convert } = await import('../convert/convert.js');
  const { computeChangeset, writeChangeset } = await import('./changeset.js');
  const tmp = join(job.releasesDir, `${TMP_PREFIX}${job.n}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  // The downloads go into the temporary build as they are made (not all held in memory).
  const out = await convert({
    dataDir: job.dataDir,
    base: job.base,
    limits: job.limits,
    overlays: job.overlays,
    release: { n: job.n, date: job.date },
    downloadDir: join(tmp, DOWNLOAD_DIR),
  }).catch(async (e: unknown) => {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  });
  await writeBuild(tmp, out);
  const before = job.previousDir ? await readFile(join(job.previousDir, 'data.nq'), 'utf8').catch(() => null) : null;
  const changeset = computeChangeset(before, out.nquads);
  await writeChangeset(tmp, changeset);
  const final = releaseDir(job.releasesDir, job.n);
  // A directory under the final name is from an attempt that was killed before its release was
  // recorded as complete: nothing serves it, so it is replaced.
  await rm(final, { recursive: true, force: true });
  await rename(tmp, final);
  return { info: out.info, summary: changeset.summary };
}

/** Removes the temporary directories of builds that a killed process left behind (at start-up, before any build). */
export function sweepReleaseTemps(releasesDir: string): Promise<number> {
  return sweepTemps(releasesDir);
}

/** TypeScript when this file is (tsx, vitest); otherwise the bundle's build-release-child.js beside it (build-server.ts). */
const CHILD_URL = new URL(import.meta.url.endsWith('.ts') ? './build-release-child.ts' : './build-release-child.js', import.meta.url);

/**
 * Runs runReleaseBuild in a child process and resolves with its outcome; never rejects for a
 * problem in the data. A child that crashes or is killed resolves as an error.
 */
export function buildReleaseInChild(job: ReleaseJob): Promise<ReleaseBuildResult> {
  const ts = CHILD_URL.pathname.endsWith('.ts');
  const child = fork(CHILD_URL, [], {
    execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve) => {
    let answered = false;
    child.once('message', (msg: ReleaseBuildResult) => {
      answered = true;
      resolve(msg);
    });
    child.once('error', (e) => {
      if (!answered) resolve({ ok: false, error: `the release builder failed to start: ${e.message}` });
      answered = true;
    });
    child.once('exit', (code, signal) => {
      if (!answered) resolve({ ok: false, error: `the release builder ended without an answer (${signal ?? `exit code ${code}`})` });
      answered = true;
    });
    child.send(job);
  });
}

/** For the child: the outcome as a message (problems are data; anything else becomes one line of text). */
export async function outcomeOf(job: ReleaseJob): Promise<ReleaseBuildResult> {
  try {
    return { ok: true, ...(await runReleaseBuild(job)) };
  } catch (e) {
    if (e instanceof ProblemsError) return { ok: false, problems: e.problems };
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
