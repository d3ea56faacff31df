import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { openReleaseStore } from '../src/store/open-release-store.js';
import { startVirtuoso } from './virtuoso-helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The 'remote' project's Virtuoso: the STORE=remote keys that reach it (tests/server-helpers.ts). */
    remoteStoreEnv: Record<string, string>;
  }
}

/**
 * The 'remote' project's global setup (after tests/global-setup.ts, which made the build): one
 * Virtuoso for the whole run, with the shipped build loaded into it through the service's own
 * loading path (openReleaseStore, as `npm start` with STORE=remote), so that each test's startApp
 * finds the release already there and only checks it.
 */
export default async function setup(project: TestProject) {
  const buildDir = project.getProvidedContext().buildDir;
  const virtuoso = await startVirtuoso();
  try {
    const info = JSON.parse(await readFile(join(buildDir, 'build-info.json'), 'utf8')) as BuildInfo;
    const config = loadConfig({ BASE_URI: 'http://localhost:3000/', ...virtuoso.env });
    const { store, ready } = openReleaseStore(config, { n: null, dir: buildDir, info });
    await ready;
    await store.close();
  } catch (err) {
    await virtuoso.stop();
    throw err;
  }
  project.provide('remoteStoreEnv', virtuoso.env);
  return async () => virtuoso.stop();
}
