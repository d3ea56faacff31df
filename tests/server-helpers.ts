import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { buildApp } from '../src/server/app.js';
import { openReleaseStore } from '../src/store/open-release-store.js';
import { createWorkerStore } from '../src/store/worker-pool.js';

export const BASE = 'http://localhost:3000/';

/**
 * The real app on the real store (worker threads, Oxigraph) with the shipped data; in the vitest
 * project 'remote' (LG_TEST_STORE=remote, vitest.config.ts) on a real Virtuoso instead, opened as
 * start-up opens it (src/store/open-release-store.ts), the build already loaded by tests/remote-setup.ts.
 */
export async function startApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const dir = inject('buildDir');
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  const remote = process.env.LG_TEST_STORE === 'remote' ? inject('remoteStoreEnv') : {};
  // BUILD_DIR: the download route serves the files of this build (those of the loaded data version).
  const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: dir, ...remote, ...env });
  if (config.STORE === 'remote') {
    const { store, ready } = openReleaseStore(config, { n: null, dir, info });
    await ready;
    const expected = info.expected?.jamoat.count;
    return buildApp({ config, store, ...(expected !== undefined ? { jamoatsExpected: expected } : {}), logger: false });
  }
  // As npm start does (src/server/start.ts): the counts and the expected number come from build-info.json.
  const store = await createWorkerStore({
    nquadsPath: join(dir, 'data.nq'),
    dataVersion: info.dataVersion,
    timeoutMs: config.QUERY_TIMEOUT_MS,
    maxWorkerMemoryMb: config.QUERY_WORKER_MEMORY_MB,
    built: { quads: info.quads, graphs: info.graphs },
  });
  const expected = info.expected?.jamoat.count;
  return buildApp({ config, store, ...(expected !== undefined ? { jamoatsExpected: expected } : {}), logger: false });
}

/** Listens on a free port of 127.0.0.1 (tests reach only the loopback) and returns the port. */
export async function listenLoopback(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}
