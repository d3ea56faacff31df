import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildInfo } from '../src/convert/convert.js';
import { PROJECT_ROOT, projectVersion } from '../src/project.js';
import type { Config } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';
import { inputsDigest } from '../src/convert/inputs-digest.js';
import { currentBuild, removeLeftovers, switchBuild } from '../src/convert/build-output.js';
import { takeBuildLock } from '../src/cli/build-lock.js';

export interface Build {
  nquadsPath: string;
  info: BuildInfo;
  /** True when this start converted the data; false when the build on disk was current. */
  rebuilt: boolean;
}

/** A build from before the downloads existed, or with a download deleted, is converted again. */
async function downloadsPresent(dir: string, info: BuildInfo): Promise<boolean> {
  if (!Array.isArray(info.downloads) || info.downloads.length === 0) return false;
  try {
    await Promise.all(info.downloads.map((d) => access(join(dir, 'download', d.name))));
    return true;
  } catch {
    return false;
  }
}

async function readInfo(dir: string): Promise<BuildInfo | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  } catch {
    return undefined;
  }
}

/**
 * The benchmarks' build of data/ in BUILD_DIR (its current build: src/convert/build-output.ts), converted only when missing or stale (any input
 * file, the base URI or the converter version changed), as `npm start` did before releases: the
 * in-process Oxigraph baselines load it. A conversion that fails throws with every problem; the build
 * on disk, if any, stays as it was, so the caller can still serve what was published before.
 */
export async function buildIfStale(config: Config, hooks: { beforeConvert?: () => void } = {}): Promise<Build> {
  const digest = await inputsDigest({
    dataDir: config.DATA_DIR,
    vocabDir: join(PROJECT_ROOT, 'vocab'),
    shapesDir: join(PROJECT_ROOT, 'shapes'),
    base: config.BASE_URI,
    version: await projectVersion(),
  });
  // The current build's directory, resolved once: its files are read from there, never through the link.
  const dir = await currentBuild(config.BUILD_DIR);
  const current = dir !== undefined ? await readInfo(dir) : undefined;
  // A build-info.json from before `expected` existed is converted again too.
  if (dir !== undefined && current?.inputsDigest === digest && current.expected !== undefined && (await downloadsPresent(dir, current))) {
    return { nquadsPath: join(dir, 'data.nq'), info: current, rebuilt: false };
  }
  hooks.beforeConvert?.();
  // The converter (exceljs, SHACL) is loaded only when there is something to convert.
  const { convert } = await import('../src/convert/convert.js');
  const release = await takeBuildLock(config.BUILD_DIR);
  try {
    await removeLeftovers(config.BUILD_DIR);
    const out = await convert({
      dataDir: config.DATA_DIR,
      base: config.BASE_URI,
      limits: fileLimits(config),
    });
    const built = await switchBuild(config.BUILD_DIR, out);
    return { nquadsPath: join(built, 'data.nq'), info: out.info, rebuilt: true };
  } finally {
    await release();
  }
}
