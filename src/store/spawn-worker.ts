/**
 * Starting one store worker thread, and starting the first one early: before the pool's options
 * are known, so the data loads while the rest of the process starts (`npm start` does this before
 * it has even loaded its configuration code).
 */
import { readFileSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { ReadyMessage, ResultMessage, WorkerData } from './store-worker.js';

/** TypeScript when this file is (tsx, vitest); otherwise the bundle's store-worker.js, beside every chunk (build-server.ts). */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './store-worker.ts' : './store-worker.js', import.meta.url);

/**
 * Node 20 does not apply ESM loader hooks passed to a worker through execArgv (nodejs/node#47747):
 * `execArgv: [...process.execArgv, '--import', 'tsx']` fails on 20.20 with ERR_UNKNOWN_FILE_EXTENSION
 * for the .ts entry, under tsx and vitest alike. So a .ts worker starts from a bootstrap that
 * registers tsx's hooks inside the worker with tsx's own API, then imports the real module; tsx
 * is resolved from this file, not from the current directory.
 */
export function newWorker(workerData: WorkerData): Worker {
  return workerFrom(WORKER_URL, { workerData });
}

/** A worker thread running the module at `url`, a .ts one included (see newWorker); also used by the upload checks. */
export function workerFrom(url: URL, options: WorkerOptions): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  // A rejected import (e.g. a module that fails to load) becomes the worker's 'error'.
  return new Worker(boot, { ...options, eval: true });
}

/** The file's bytes in memory every worker can read; see WorkerData.nquads. */
export function sharedBytes(bytes: Uint8Array): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

/** A worker loading a file before anyone has asked for a store; the pool adopts it (WorkerStoreOptions.early). */
export interface EarlyWorker {
  nquadsPath: string;
  /** What the worker loads, as read from the file when it started (the only copy kept in this thread). */
  nquads: SharedArrayBuffer;
  worker: Worker;
  /** Its ready message; rejects if the worker fails or exits first. */
  ready: Promise<ReadyMessage>;
  /** True once the thread has ended (failed, or terminated by whoever decided not to use it). */
  readonly exited: boolean;
}

/**
 * Starts a worker on `nquadsPath` if the file is there (undefined if not). It does not count the
 * graphs: a pool adopts it only when build-info.json's counts are given. A worker nobody adopts
 * keeps the process alive, so a caller that does not pass it to a pool terminates it.
 */
export function startEarlyWorker(nquadsPath: string): EarlyWorker | undefined {
  let nquads: SharedArrayBuffer;
  try {
    nquads = sharedBytes(readFileSync(nquadsPath));
  } catch {
    return undefined; // no build yet: npm start converts first
  }
  const worker = newWorker({ nquadsPath, nquads, countGraphs: false });
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    worker.on('message', (msg: ReadyMessage | ResultMessage) => {
      if ('type' in msg) resolve(msg);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code} before it was ready`)));
  });
  ready.catch(() => undefined); // the adopting pool reports it; an unadopted worker's failure matters to no one
  let exited = false;
  worker.once('exit', () => (exited = true));
  return {
    nquadsPath, nquads, worker, ready,
    get exited() {
      return exited;
    },
  };
}
