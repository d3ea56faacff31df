import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConvertOutput } from './convert.js';
import { UNITS_FILE } from '../releases/release-units.js';
import { type OnPhase, phaseClock } from './phase-clock.js';

/** Where the downloads go inside the build directory; the download route serves only from here. */
export const DOWNLOAD_DIR = 'download';

/**
 * A directory being written under this prefix is not a build yet: it becomes one by a rename (a
 * release's `releases/.tmp-{n}-{pid}`, a conversion's `builds/.tmp-{pid}`), and one left by a killed
 * process is removed by sweepTemps.
 */
export const TMP_PREFIX = '.tmp-';

/**
 * Writes a whole build into `dir`, a directory that does not exist yet or is empty (but for the
 * downloads the conversion already wrote into its `download/`, ConvertOptions.downloadDir): the downloads,
 * data.nq, units.json (the units the build publishes, for the officials' area:
 * src/releases/release-units.ts) and build-info.json, which names the data version and lists the
 * downloads. Each file and directory is flushed to disk, so once the caller renames `dir` into
 * place (a release: releases/{n}; a conversion: build-output.ts) the build is whole even after a
 * power cut. No reader sees `dir` before that rename: the set of files changes in one step.
 */
export async function writeBuild(dir: string, out: ConvertOutput, onPhase?: OnPhase): Promise<void> {
  const phase = phaseClock(onPhase);
  const downloads = join(dir, DOWNLOAD_DIR);
  await mkdir(downloads, { recursive: true });
  // download/ holds nothing, or exactly the downloads the conversion wrote there itself as it made
  // them (ConvertOptions.downloadDir): those build-info.json lists that are not in out.files.
  const streamed = new Set(out.info.downloads.map((d) => d.name));
  for (const f of out.files) streamed.delete(f.name);
  const present = await readdir(downloads);
  if ((await readdir(dir)).some((n) => n !== DOWNLOAD_DIR) || present.length !== streamed.size || present.some((n) => !streamed.has(n))) {
    throw new Error(`${dir} is not empty: a build is written into a directory of its own`);
  }
  for (const f of out.files) await writeDurably(join(downloads, f.name), f.bytes);
  await writeDurably(join(dir, 'data.nq'), out.nquads);
  await writeDurably(join(dir, UNITS_FILE), `${JSON.stringify(out.units, null, 2)}\n`);
  await writeDurably(join(dir, 'build-info.json'), `${JSON.stringify(out.info, null, 2)}\n`);
  await syncDir(downloads);
  await syncDir(dir);
  phase('write');
}

/** Writes a new file (never one that exists) and flushes it to disk before returning. */
export async function writeDurably(path: string, content: string | Buffer): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Flushes a directory's entries (the names written or renamed in it) to disk. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Removes the temporary directories (and files) that a killed process left in `dir`. The caller
 * makes sure no live process is writing one: the release service sweeps at start-up, before it
 * builds; a conversion while it holds the lock of its --out folder.
 */
export async function sweepTemps(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (name.startsWith(TMP_PREFIX)) {
      await rm(join(dir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
