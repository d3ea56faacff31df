/**
 * Upload checks off the server's thread: one worker thread (check-worker.ts) takes one workbook at a
 * time. The time limit counts from when the worker has loaded what checks need (the shapes, the
 * vocabulary, the converter), so a fresh worker's start is not charged to the workbook. A check
 * that runs past its time limit, or a worker that runs out of its memory, is stopped
 * and the worker replaced; the official gets a problem that says so, and readers never notice.
 */
import type { Worker } from 'node:worker_threads';
import { workerFrom } from '../store/spawn-worker.js';
import type { ObservationRow } from '../convert/read-wide.js';
import type { Problem } from '../errors.js';
import type { CheckRequest, CheckResponse, CheckWorkerData, CheckWorkerReady } from './check-worker.js';
import type { CurrentFigure } from './preview.js';

export interface CheckResult {
  rows: ObservationRow[];
  problems: Problem[];
  headers: Map<string, string>;
}

/** TypeScript when this file is (tsx, vitest); otherwise the bundle's check-worker.js beside it (build-server.ts). */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './check-worker.ts' : './check-worker.js', import.meta.url);

function startWorker(data: CheckWorkerData, maxMemoryMb: number): Worker {
  return workerFrom(WORKER_URL, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb } });
}

/** How long a new worker may take to load what checks need (not counted in a check's time limit). */
const START_LIMIT_MS = 120_000;

export class UploadCheckPool {
  private worker: Worker | undefined;
  /** Resolves when the current worker has loaded; rejects if it fails or exits first. */
  private started: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(private readonly opts: { data: CheckWorkerData; timeoutMs: number; maxMemoryMb: number }) {}

  /** Checks one workbook against the units of the build in `buildDir`; one at a time. */
  check(buildDir: string, input: { bytes: Buffer; fileName: string; dataset: string; area: string; current?: CurrentFigure[] }): Promise<CheckResult> {
    const run = this.queue.then(() => this.run(buildDir, input));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The worker, started if there is none, once it has loaded what checks need. */
  private async ready(): Promise<Worker> {
    if (!this.worker || !this.started) {
      const worker = startWorker(this.opts.data, this.opts.maxMemoryMb);
      this.worker = worker;
      this.started = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the upload check worker did not start within ${START_LIMIT_MS} ms`)), START_LIMIT_MS);
        const onMessage = (msg: CheckWorkerReady | CheckResponse) => {
          if ('ready' in msg) settle(resolve);
        };
        const onError = (e: Error) => settle(() => reject(e));
        const onExit = (code: number) => settle(() => reject(new Error(`the upload check worker exited (code ${code}) while starting`)));
        const settle = (then: () => void) => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          then();
        };
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
      });
      this.started.catch(() => {
        if (this.worker === worker) {
          this.worker = undefined;
          this.started = undefined;
        }
        void worker.terminate();
      });
    }
    const worker = this.worker;
    await this.started;
    return worker;
  }

  private async run(buildDir: string, input: { bytes: Buffer; fileName: string; dataset: string; area: string; current?: CurrentFigure[] }): Promise<CheckResult> {
    const worker = await this.ready();
    const id = this.nextId++;
    return new Promise<CheckResult>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      // The worker is given up: the next check starts a fresh one.
      const discard = () => {
        if (this.worker === worker) {
          this.worker = undefined;
          this.started = undefined;
        }
        void worker.terminate();
      };
      const refuse = (reason: string): CheckResult => ({ rows: [], headers: new Map(), problems: [{ code: 'LG_ERR_CHECK_FAILED', file: input.fileName, reason }] });
      const timer = setTimeout(() => {
        done();
        discard();
        resolve(refuse(`checking the workbook took longer than ${this.opts.timeoutMs} ms (UPLOAD_CHECK_TIMEOUT_MS) and was stopped; a sheet may hold far more rows or columns than it shows`));
      }, this.opts.timeoutMs);
      const onMessage = (msg: CheckResponse | CheckWorkerReady) => {
        if ('ready' in msg || msg.id !== id) return;
        done();
        if (msg.ok) resolve({ rows: msg.result.rows, problems: msg.result.problems, headers: new Map(msg.result.headers) });
        else reject(new Error(`the upload check failed: ${msg.error}`));
      };
      const onError = (e: Error) => {
        done();
        discard();
        // ERR_WORKER_OUT_OF_MEMORY: the workbook needs more than the worker may have.
        const oom = (e as Error & { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        if (oom) resolve(refuse(`checking the workbook needed more than ${this.opts.maxMemoryMb} MB of memory (UPLOAD_CHECK_MEMORY_MB) and was stopped`));
        else reject(e);
      };
      const onExit = (code: number) => {
        done();
        if (this.worker === worker) {
          this.worker = undefined;
          this.started = undefined;
        }
        reject(new Error(`the upload check worker exited (code ${code}) before answering`));
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      const request: CheckRequest = { id, buildDir, input: { ...input, bytes: new Uint8Array(input.bytes) } };
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.started = undefined;
    await w?.terminate();
  }
}
