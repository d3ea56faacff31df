import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { convert } from '../src/convert/convert.js';
import { writeBuild } from '../src/convert/write-build.js';
import { PROJECT_ROOT } from '../src/project.js';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A build of the shipped data (data.nq, build-info.json), made once for all server tests. */
    buildDir: string;
    /**
     * Where tests/seeded-state.ts keeps, for this run, a STATE_DIR in which the service started on
     * the shipped data/ has built release 1 (made by the first test that asks; removed here).
     */
    seededStateDir: string;
  }
}

/**
 * One build shared by the vitest projects of one run ('embedded' and 'remote', vitest.config.ts),
 * whose global setups run in the same process: converting twice cost CI half a minute of a core.
 * Removed when the last project using it is torn down.
 */
const shared = globalThis as { lgTestBuild?: { dir: Promise<string>; users: number } };

async function makeBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-build-'));
  const out = await convert({ dataDir: join(PROJECT_ROOT, 'data'), base: 'http://localhost:3000/', limits: fileLimits(loadConfig({})) });
  await writeBuild(dir, out);
  return dir;
}

/** Converts the shipped data once; server tests load it instead of converting again each. */
export default async function setup(project: TestProject) {
  const build = (shared.lgTestBuild ??= { dir: makeBuild(), users: 0 });
  build.users++;
  const dir = await build.dir;
  project.provide('buildDir', dir);
  project.provide('seededStateDir', `${dir}-seeded-state`);
  return async () => {
    if (--build.users > 0) return;
    shared.lgTestBuild = undefined;
    await Promise.all([dir, `${dir}-seeded-state`].map((d) => rm(d, { recursive: true, force: true })));
  };
}
