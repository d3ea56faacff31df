/**
 * The app on one build directory (data.nq, build-info.json), without releases or the officials'
 * area: what `npm run export-static -- --build DIR` crawls and what the tests' startApp serves.
 * The store is opened as start-up opens a release's (open-release-store.ts, so STORE=remote too),
 * with the counts and the expected number of jamoats from build-info.json.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { BuildInfo } from '../convert/convert.js';
import { openReleaseStore } from '../store/open-release-store.js';
import { buildApp } from './app.js';

export async function readBuildInfo(dir: string): Promise<BuildInfo> {
  return JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
}

export async function appOnBuild(config: Config, dir: string, info?: BuildInfo): Promise<FastifyInstance> {
  const built = info ?? (await readBuildInfo(dir));
  const { store, ready } = openReleaseStore(config, { n: null, dir, info: built });
  await ready;
  const expected = built.expected?.jamoat.count;
  return buildApp({ config, store, ...(expected !== undefined ? { jamoatsExpected: expected } : {}), logger: false });
}
