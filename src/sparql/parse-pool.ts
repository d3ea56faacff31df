/**
 * A few worker threads that parse clients' SPARQL queries (parse-worker.ts), so that parsing never
 * holds the server's event loop (issue #11, fault probe: while a 1 MB query parsed, /health waited
 * 5.8 s; within MAX_QUERY_BYTES a parse still takes 0.2 s for 64 KiB of VALUES rows, 1.1 s for
 * 64 KiB of triple patterns). The same rules as the store's
 * pool (src/store/worker-pool.ts), since a parse is the first half of the same request:
 *
 * - Fair use: a client (by address) parses on at most one worker while another worker is needed
 *   for others; its further queries wait behind its own.
 * - Bounded: the queries waiting may hold at most `maxQueuedBytes` of text, and one client at most
 *   `maxQueuedBytesPerClient`; beyond that StoreBusyError (503, Retry-After). Counted in bytes, not
 *   queries: a burst of small queries parses in milliseconds and is bounded by the store's queue
 *   right after, while each maximum-size query costs a parse of 0.2 to 1.1 s.
 * - Time counts from the query's arrival (`deadline`): a query that would start too late is
 *   refused (StoreBusyError), one still parsing at its deadline is stopped with its worker
 *   (QueryTimeoutError), and what is left of the time goes on to the store.
 * - A worker that dies while parsing (out of memory, a crash) is replaced; the query it held is
 *   parsed once more on another worker, and only a second death is the query's own (400). The
 *   queries after it are served as if nothing happened.
 *
 * Idle workers do not keep the process alive (unref), so the pool needs no closing by the app; it
 * starts with the first query, not at start-up.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { workerFrom } from '../store/spawn-worker.js';
import { QueryTimeoutError, StoreBusyError } from '../store/store.js';
import { PARSE_WORKER_DATA, type ParseReply, type ParseRequest, refusalError } from './parse-protocol.js';
import type { PrepareOptions, PreparedQuery } from './prepare-query.js';
import { ProtocolError } from './protocol-error.js';

/** TypeScript when this file is (tsx, vitest); otherwise the bundle's parse-worker.js (build-server.ts). */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);

export interface ParsePoolOptions {
  /** Worker threads (default: 2, or 1 on a single core). */
  workers?: number;
  /** Bytes of query text waiting for a parse worker, all clients together (default 4 MiB). */
  maxQueuedBytes?: number;
  /** Of those, one client's (default 1 MiB: 16 queries of the default MAX_QUERY_BYTES). */
  maxQueuedBytesPerClient?: number;
  /** Heap of each worker (default 256 MB): a parse that needs more ends its worker, not the server. */
  maxHeapMb?: number;
  /** The worker module (tests pass one that can be made to die). */
  workerUrl?: URL;
}

/** Who asks and until when: the request's share of the time limit. */
export interface ParseJobOptions {
  /** The client's address (fair use); undefined for the site's own queries. */
  client?: string;
  /** performance.now() at the request's arrival. */
  arrivedAt: number;
  /** QUERY_TIMEOUT_MS. */
  timeoutMs: number;
}

interface Job {
  id: number;
  text: string;
  opts: PrepareOptions;
  client: string | undefined;
  bytes: number;
  deadline: number;
  timeoutMs: number;
  resolve(q: PreparedQuery): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
  retried?: boolean;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

/** A worker that died while idle or starting is replaced after this delay. */
const RESPAWN_DELAY_MS = 1000;

/** The least time left for which a waiting query is still parsed: as for the store (worker-pool.ts minRunMs). */
function minRunMs(timeoutMs: number): number {
  return Math.min(1000, timeoutMs / 10);
}

export class ParsePool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers replaced after dying under a parse (for tests and /metrics-like checks). */
  replaced = 0;

  constructor(private readonly options: ParsePoolOptions = {}) {}

  private get size(): number {
    return Math.max(1, this.options.workers ?? Math.min(2, availableParallelism()));
  }

  /** Parses and rewrites `text` on a worker; rejects with the refusal prepareQuery would throw. */
  prepare(text: string, opts: PrepareOptions, job: ParseJobOptions): Promise<PreparedQuery> {
    if (this.closed) return Promise.reject(new Error('the parse pool is closed'));
    this.fill();
    const bytes = text.length;
    if (this.queueFull(job.client, bytes)) return Promise.reject(new StoreBusyError(1));
    return new Promise<PreparedQuery>((resolve, reject) => {
      const j: Job = { id: this.nextId++, text, opts, client: job.client, bytes, deadline: job.arrivedAt + job.timeoutMs, timeoutMs: job.timeoutMs, resolve, reject };
      this.enqueue(j, 'last');
      this.dispatch();
    });
  }

  stats(): { workers: number; busy: number; queued: number; replaced: number } {
    const slots = [...this.slots];
    return { workers: slots.length, busy: slots.filter((s) => s.job).length, queued: this.queue.length, replaced: this.replaced };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      clearTimeout(job.timer);
      job.reject(new Error('the parse pool is closed'));
    }
    const workers = [...this.slots].map((s) => s.worker);
    for (const slot of this.slots) {
      if (!slot.job) continue;
      clearTimeout(slot.job.timer);
      slot.job.reject(new Error('the parse pool is closed'));
      slot.job = undefined;
    }
    this.slots.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private queueFull(client: string | undefined, bytes: number): boolean {
    const max = this.options.maxQueuedBytes ?? 4 * 1024 * 1024;
    const perClient = this.options.maxQueuedBytesPerClient ?? 1024 * 1024;
    let all = bytes;
    let own = bytes;
    for (const j of this.queue) {
      all += j.bytes;
      if (j.client === client) own += j.bytes;
    }
    // A query alone is always taken (its size is bounded by MAX_QUERY_BYTES before it comes here).
    return all > max || (client !== undefined && own > perClient && this.queue.some((j) => j.client === client));
  }

  private enqueue(job: Job, where: 'first' | 'last'): void {
    if (where === 'first') this.queue.unshift(job);
    else this.queue.push(job);
    const latest = job.deadline - minRunMs(job.timeoutMs);
    clearTimeout(job.timer);
    job.timer = setTimeout(() => this.tooLate(job), Math.max(0, latest - performance.now()));
  }

  private tooLate(job: Job): void {
    const at = this.queue.indexOf(job);
    if (at < 0) return;
    this.queue.splice(at, 1);
    this.refuseLate(job);
  }

  private refuseLate(job: Job): void {
    job.reject(new StoreBusyError(1, `the query service is busy: the query waited to be parsed for nearly all of its time limit of ${job.timeoutMs} ms (QUERY_TIMEOUT_MS, counted from its arrival) and was not started; try again after Retry-After`));
  }

  /** As the store's pool: a client holding a worker takes another only if one more stays idle. */
  private eligible(client: string | undefined): boolean {
    let idle = 0;
    let holds = false;
    for (const slot of this.slots) {
      if (!slot.job) idle++;
      else if (client !== undefined && slot.job.client === client) holds = true;
    }
    return holds ? idle >= 2 : idle >= 1;
  }

  private dispatch(): void {
    for (;;) {
      const slot = [...this.slots].find((s) => !s.job);
      if (!slot || this.queue.length === 0) return;
      const next = this.queue.findIndex((j) => this.eligible(j.client));
      if (next < 0) return;
      this.run(slot, this.queue.splice(next, 1)[0]!);
    }
  }

  private run(slot: Slot, job: Job): void {
    clearTimeout(job.timer);
    // Started now, it would be stopped before it could run: refused while it costs nothing.
    if (performance.now() > job.deadline - minRunMs(job.timeoutMs)) return this.refuseLate(job);
    slot.job = job;
    job.timer = setTimeout(() => this.timeOut(slot, job), Math.max(0, job.deadline - performance.now()));
    slot.worker.ref();
    const msg: ParseRequest = { id: job.id, text: job.text, opts: job.opts };
    slot.worker.postMessage(msg);
  }

  /** A parse past the query's deadline: its worker is stopped (sparqljs cannot be interrupted). */
  private timeOut(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    slot.job = undefined;
    job.reject(new QueryTimeoutError(job.timeoutMs));
    this.slots.delete(slot);
    void slot.worker.terminate();
    this.fill();
    this.dispatch();
  }

  private settle(slot: Slot, reply: ParseReply): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    slot.worker.unref();
    if (reply.ok) job.resolve(reply.prepared);
    else job.reject(refusalError(reply.refusal));
    this.dispatch();
  }

  /** The worker died under `job`: parsed again first on another worker; a second death is the query's. */
  private died(job: Job): void {
    if (!job.retried && !this.closed) {
      job.retried = true;
      this.enqueue(job, 'first');
      return;
    }
    clearTimeout(job.timer);
    job.reject(new ProtocolError('LG_ERR_QUERY_FAILED', 'the query parser failed on this query twice (it ran out of memory or stack); write the query smaller or flatter'));
  }

  /** Starts workers up to the pool's size. */
  private fill(): void {
    while (!this.closed && this.slots.size < this.size) this.spawn();
  }

  private spawn(): void {
    const heap = this.options.maxHeapMb ?? 256;
    const worker = workerFrom(this.options.workerUrl ?? WORKER_URL, { workerData: PARSE_WORKER_DATA, resourceLimits: { maxOldGenerationSizeMb: heap, maxYoungGenerationSizeMb: Math.min(64, heap / 4) } });
    // Idle, it does not keep the process alive; run() refs it while it parses.
    worker.unref();
    const slot: Slot = { worker };
    this.slots.add(slot);
    worker.on('message', (reply: ParseReply) => this.settle(slot, reply));
    // An 'error' (out of memory, a failed load) is followed by 'exit', which does the work.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (!this.slots.delete(slot)) return; // stopped by us (timeOut, close)
      const job = slot.job;
      slot.job = undefined;
      this.replaced++;
      if (job) {
        this.died(job);
        this.fill();
        this.dispatch();
        return;
      }
      // Died idle, or while starting (a broken install): not replaced in a tight loop; the queries
      // waiting meanwhile are refused at their deadline.
      setTimeout(() => {
        this.fill();
        this.dispatch();
      }, RESPAWN_DELAY_MS).unref();
    });
  }
}
