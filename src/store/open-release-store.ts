/**
 * The one place that decides what kind of store holds a release: start-up (src/server/start.ts),
 * a new publication (src/releases/release-service.ts) and a replica following a shared release
 * directory all open a release's store here, so the choice of store (STORE, design.md
 * "Configuration") is made once and the callers only see a LinkedDataStore.
 *
 * STORE=embedded: worker threads, each with its own Oxigraph copy of data.nq. STORE=remote: an
 * existing SPARQL 1.1 store, the release loaded there unless it holds it already (src/store/remote/).
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { BuildInfo } from '../convert/convert.js';
import type { EarlyWorker } from './spawn-worker.js';
import type { LinkedDataStore } from './store.js';
import { openRemoteStore } from './remote/open-remote-store.js';
import { openWorkerStore } from './worker-pool.js';

/** A built release on disk: its number (null for a plain build directory), its files, what they hold. */
export interface ReleaseFiles {
  n: number | null;
  dir: string;
  info: BuildInfo;
}

export interface OpenOptions {
  /**
   * 'first': `ready` resolves once one worker answers, the others start when `othersAfter` settles
   * (start-up: the port opens sooner). 'all' (default): `ready` resolves when the store is whole
   * (a publication, which switches to it only then).
   */
  readyWhen?: 'all' | 'first';
  othersAfter?: Promise<unknown>;
  /** A worker main.ts started early on the release it guessed (embedded store only). */
  early?: EarlyWorker;
  /** Where the remote store's loader says what it did (loaded, or already held). */
  log?: { info(fields: object, message: string): void };
}

export function openReleaseStore(config: Config, release: ReleaseFiles, opts: OpenOptions = {}): { store: LinkedDataStore; ready: Promise<void> } {
  const { info, dir } = release;
  if (config.STORE === 'remote') {
    // A worker main.ts started early holds an embedded copy nobody will query.
    if (opts.early) void opts.early.worker.terminate();
    return openRemoteStore(config, release, opts.log);
  }
  return openWorkerStore({
    nquadsPath: join(dir, 'data.nq'),
    dataVersion: info.dataVersion,
    timeoutMs: config.QUERY_TIMEOUT_MS,
    maxWorkerMemoryMb: config.QUERY_WORKER_MEMORY_MB,
    built: { quads: info.quads, graphs: info.graphs },
    ...(opts.readyWhen ? { readyWhen: opts.readyWhen } : {}),
    ...(opts.othersAfter ? { othersAfter: opts.othersAfter } : {}),
    ...(opts.early ? { early: opts.early } : {}),
    ...(config.QUERY_WORKERS !== undefined ? { workers: config.QUERY_WORKERS } : {}),
  });
}
