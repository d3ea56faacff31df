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
  }
}

/** Converts the shipped data once; server tests load it instead of converting again each. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'lg-build-'));
  const out = await convert({ dataDir: join(PROJECT_ROOT, 'data'), base: 'http://localhost:3000/', limits: fileLimits(loadConfig({})) });
  await writeBuild(dir, out);
  project.provide('buildDir', dir);
  return async () => rm(dir, { recursive: true, force: true });
}
