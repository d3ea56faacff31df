import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.js';
import { appOnBuild } from '../src/server/app-on-build.js';

export const BASE = 'http://localhost:3000/';

/**
 * The real app on the real store (worker threads, Oxigraph) with the shipped data; in the vitest
 * project 'remote' (LG_TEST_STORE=remote, vitest.config.ts) on a real Virtuoso instead, opened as
 * start-up opens it (src/store/open-release-store.ts), the build already loaded by tests/remote-setup.ts.
 */
export async function startApp(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const dir = inject('buildDir');
  const remote = process.env.LG_TEST_STORE === 'remote' ? inject('remoteStoreEnv') : {};
  // BUILD_DIR: the download route serves the files of this build (those of the loaded data version).
  const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: dir, ...remote, ...env });
  return appOnBuild(config, dir);
}

/** Listens on a free port of 127.0.0.1 (tests reach only the loopback) and returns the port. */
export async function listenLoopback(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}
