/**
 * The --out folder of `npm run convert` (BUILD_DIR): every build in a directory of its own, and one
 * symbolic link naming the build that is current, replaced in one atomic step.
 *
 *   OUT/current -> builds/20260501T120000.123Z-Xy12ab   the build to read (relative link)
 *   OUT/builds/20260501T120000.123Z-Xy12ab/             data.nq, build-info.json, units.json, download/
 *   OUT/builds/20260430T090000.000Z-Ab34cd/             the build before it, kept for readers still on it
 *   OUT/builds/.tmp-{pid}/                              a build being written
 *   OUT/.convert.lock                                   the lock of the folder (src/cli/build-lock.ts)
 *
 * A build is written whole into builds/.tmp-{pid}/ (writeBuild), renamed to its name, and then the
 * link `current` is made under a temporary name and renamed over the old one (rename(2) replaces it
 * atomically). A kill -9 at any moment leaves `current` naming either the old complete build or the
 * new complete one, never a mix: the files of one build never change once it is named. What a
 * killed run left (a .tmp-* directory, a link not yet renamed, a build never made current) is
 * removed by the next run. Readers resolve `current` once (currentBuild) and read every file from
 * the directory it names, so a switch between two of their reads does not mix builds either.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ConvertOutput } from './convert.js';
import { TMP_PREFIX, sweepTemps, syncDir, writeBuild } from './write-build.js';

export const CURRENT_LINK = 'current';
export const BUILDS_DIR = 'builds';
/** How many builds stay in builds/: the current one and the one before it. */
const KEEP = 2;

/** What the layout before builds/ wrote straight into the folder: removed once a build is current. */
const FLAT_LAYOUT = ['data.nq', 'build-info.json', 'units.json', 'download'];
const FLAT_TEMP = /^\.(data\.nq|build-info\.json|units\.json)\.\d+\.tmp$/;

/** The directory of the current build of `out` (the target of `out/current`), or undefined if none. */
export async function currentBuild(out: string): Promise<string | undefined> {
  try {
    return await realpath(join(out, CURRENT_LINK));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A build's name: when it was made, then its data version; names sort by age. */
function buildName(out: ConvertOutput): string {
  return `${new Date().toISOString().replace(/[-:]/g, '')}-${out.info.dataVersion}`;
}

/**
 * The temporary build directory of this process under `out`: a conversion that writes its
 * downloads as it makes them (ConvertOptions.downloadDir) writes them into its `download/`.
 */
export function buildTempDir(out: string): string {
  return join(out, BUILDS_DIR, `${TMP_PREFIX}${process.pid}`);
}

/**
 * Writes `output` as a new build of `out` and makes it current in one step; returns its directory.
 * The caller holds the lock of `out` (takeBuildLock): what is removed here is known to be no live
 * process's work. `streamed`: the conversion wrote its downloads into buildTempDir(out) already,
 * after the caller removed the leftovers (the CLI does so when it takes the lock), so that
 * directory is kept and completed.
 */
export async function switchBuild(out: string, output: ConvertOutput, opts: { streamed?: boolean } = {}): Promise<string> {
  const builds = join(out, BUILDS_DIR);
  await mkdir(builds, { recursive: true });
  if (!opts.streamed) await removeLeftovers(out);
  const tmp = buildTempDir(out);
  await writeBuild(tmp, output);
  const name = buildName(output);
  await rename(tmp, join(builds, name));
  await syncDir(builds);
  const before = await currentName(out);
  const link = join(out, `${TMP_PREFIX}${CURRENT_LINK}-${process.pid}`);
  await symlink(join(BUILDS_DIR, name), link);
  await rename(link, join(out, CURRENT_LINK));
  await syncDir(out);
  await prune(out, [name, ...(before !== undefined ? [before] : [])].slice(0, KEEP));
  return join(builds, name);
}

/** The name under builds/ that `out/current` points at, if it does. */
async function currentName(out: string): Promise<string | undefined> {
  try {
    return basename(await readlink(join(out, CURRENT_LINK)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Removes what a killed run left in `out`: temporary build directories and links. Called by the
 * holder of the lock before it writes anything (and by switchBuild).
 */
export async function removeLeftovers(out: string): Promise<void> {
  await sweepTemps(join(out, BUILDS_DIR));
  await sweepTemps(out);
  // The flat layout's temporary files (`.data.nq.{pid}.tmp`), which a kill -9 could leave too.
  for (const name of existsSync(out) ? await readdir(out) : []) {
    if (FLAT_TEMP.test(name)) await rm(join(out, name), { force: true });
  }
}

/**
 * Keeps the builds named (the new current one and the one it replaced) and removes every other
 * entry of builds/: older builds and builds a killed run made but never made current. Files of the
 * flat layout before builds/ existed go too, now that `current` replaces them.
 */
async function prune(out: string, keep: string[]): Promise<void> {
  const builds = join(out, BUILDS_DIR);
  for (const name of await readdir(builds)) {
    if (!keep.includes(name)) await rm(join(builds, name), { recursive: true, force: true });
  }
  for (const name of FLAT_LAYOUT) {
    if (existsSync(join(out, name))) await rm(join(out, name), { recursive: true, force: true });
  }
}
