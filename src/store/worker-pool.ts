/**
 * The embedded store: a few worker threads, each holding the whole data set in its own Oxigraph
 * store (style.md example 11, with the fix of "Avoid 5"). A query runs on an idle worker; one that
 * runs past its time limit is stopped by terminating its worker, which is then replaced by a fresh
 * one loaded from the same file while the others keep serving.
 *
 * Fair use (issue #11; the rules in fair-use.ts, shared with the remote store): a query that names its client (QueryOptions.client, the address of a
 * /sparql request) runs only while that client holds no other worker, unless a worker would still
 * stay idle for others; otherwise it waits behind the client's own queries, so two heavy queries
 * from one client cannot make another client's light query wait for both. Those queries share a
 * queue of `maxQueued` with at most `maxQueuedPerClient` per client; beyond that StoreBusyError.
 *
 * A worker whose engine fails (a WASM abort, a stack overflow, the thread's exit) is retired and
 * replaced before anything else is sent to it; the query it was running is run once more on
 * another worker, so a query that merely followed a damaging one is answered (engineFailed).
 * Queries without a client (the site's documents) are never held back by that rule and never
 * refused for load: they wait in the same FIFO queue, unbounded (see queueFull).
 *
 * Time (issue #14): a client's query has its time limit from its arrival (QueryOptions.arrivedAt,
 * the request's, so that its parse in src/sparql/parse-pool.ts counts too), so time spent waiting
 * counts. One that has too little of it left to start (MIN_RUN) is refused with StoreBusyError and
 * a Retry-After at that moment, not run: 20 runaway queries queued behind each other once had
 * the last answered after 99.5 s under a 10 s limit. The site's own look-ups keep their limit from
 * the moment they start, since they are never refused for load.
 *
 * Memory: a worker whose memory outside its JS heap (Oxigraph's WebAssembly memory, which never
 * shrinks) is above maxWorkerMemoryMb after a query is replaced by a fresh one at once: it is idle
 * then, so nothing is stopped.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { dataVersionOf } from '../rdf/data-version.js';
import { type QueueLimits, mayStart, minRunMs, queueFull, retryAfterSeconds, tooLateError } from './fair-use.js';
import { type EarlyWorker, newWorker, sharedBytes } from './spawn-worker.js';
import type { QueryMessage, ReadyMessage, ResultMessage, WorkerData } from './store-worker.js';
import {
  type AnswerShape,
  type BoundedAnswer,
  QueryFailedError,
  QuerySyntaxError,
  QueryTimeoutError,
  StoreBusyError,
  StoreUnavailableError,
  type LinkedDataStore,
  type QueryLog,
  type QueryOptions,
  type StoreError,
  type StoreInfo,
} from './store.js';

export interface WorkerStoreOptions extends QueueLimits {
  /** build/data.nq, read once at start; every worker, replacements included, loads those bytes. */
  nquadsPath: string;
  /** build-info.json's dataVersion, reported by info(). */
  dataVersion: string;
  /** Worker threads, each with a full copy of the data (~400 MB per million triples). */
  workers?: number;
  /**
   * Default time limit of one query (QUERY_TIMEOUT_MS): from its arrival for a query naming a
   * client, from its start on a worker for the site's own look-ups.
   */
  timeoutMs: number;
  /**
   * QUERY_WORKER_MEMORY_MB: a worker holding more than this after a query is replaced (default
   * 1024). If the data alone takes more, the bound is 64 MiB above what a fresh worker holds, so a
   * large store is not reloaded after every query.
   */
  maxWorkerMemoryMb?: number;
  /** Resolve when 'all' workers are loaded (default), or when the 'first' is (faster start-up). */
  readyWhen?: 'all' | 'first';
  /**
   * With readyWhen 'first': the other workers start when this settles (and the first is ready)
   * rather than as soon as the first is ready. `npm start` passes "the port is open": each worker
   * compiles Oxigraph's 4 MB of WebAssembly on the cores the web application is starting on, and
   * the first worker alone answers until they are ready.
   */
  othersAfter?: Promise<unknown>;
  /**
   * What build-info.json says the file holds. Given, the pool checks that the bytes it read hash to
   * `dataVersion` and that the store holds `quads`, and takes the per-graph counts from here rather
   * than counting them in the store after loading (a query that delays start-up); a file that does
   * not match fails start(). Without it the first worker counts.
   */
  built?: { quads: number; graphs: Record<string, number> };
  /**
   * A worker started early on the same file (startEarlyWorker): it becomes the first worker if its
   * path and bytes are the ones to load and `built` is given; otherwise it is terminated.
   */
  early?: EarlyWorker;
}

export interface PoolStats {
  /** Live workers, loading or ready: stays at `workers` except between a crash and its restart (and, with othersAfter, before it settles). */
  workers: number;
  ready: number;
  busy: number;
  queued: number;
  /** Workers replaced since start because their memory stayed above maxWorkerMemoryMb. */
  recycled: number;
}

export interface WorkerStore extends LinkedDataStore {
  /** For /health and tests. */
  stats(): PoolStats;
}

/**
 * Loads the N-Quads file into `workers` threads and resolves once every one is ready; rejects
 * (and stops the others) if any fails to load. The quads per graph are counted by the first
 * worker with one SPARQL query after loading, so info() describes exactly the file loaded, not
 * what build-info.json says about it.
 */
export async function createWorkerStore(options: WorkerStoreOptions): Promise<WorkerStore> {
  const { store, ready } = openWorkerStore(options);
  await ready;
  return store;
}

/**
 * Starts loading and returns at once, so the caller can do its own start-up work while the workers
 * load (`npm start` builds the web application meanwhile). Queries asked before `ready` wait in the
 * queue; info() throws until then. `ready` settles as createWorkerStore does; after a rejection
 * the store is closed.
 */
export function openWorkerStore(options: WorkerStoreOptions): { store: WorkerStore; ready: Promise<void> } {
  const pool = new WorkerPool(options);
  return { store: pool, ready: pool.start() };
}

/** What a worker sends back for one query: its text, or a shaped answer's bytes. */
type Done = { body: string } | BoundedAnswer;

interface Job {
  id: number;
  sparql: string;
  opts: QueryMessage['opts'];
  shape?: AnswerShape;
  timeoutMs: number;
  /** QueryOptions.client: undefined for the site's own look-ups. */
  client: string | undefined;
  resolve(done: Done): void;
  reject(err: StoreError): void;
  /**
   * When its time is up (performance.now()): arrival + timeoutMs for a client's query; start +
   * timeoutMs for the site's own, set when it starts.
   */
  deadline?: number;
  /** While queued: refuses the job once it is too late to start it; while running: stops it. */
  timer?: NodeJS.Timeout;
  /** The worker running it. */
  slot?: Slot;
  /** True once the job has been run again after its worker failed under it (see engineFailed). */
  retried?: boolean;
  /** QueryOptions.log: the lines about this query (stopped, its engine failed) go there. */
  log: QueryLog | undefined;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  /** Its memory when loaded (ReadyMessage.memoryBytes). */
  loadedBytes?: number;
}

/** A replacement that fails to load (file gone, out of memory) is retried after this delay. */
const RESPAWN_DELAY_MS = 1000;

class WorkerPool implements WorkerStore {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private recycled = 0;
  private started = false;
  private closed = false;
  private loaded?: StoreInfo;
  /** The build file, read once at start (see WorkerData.nquads). */
  private nquads = new SharedArrayBuffer(0);

  constructor(private readonly options: WorkerStoreOptions) {}

  async start(): Promise<void> {
    const count = this.options.workers ?? 2;
    const first = this.options.readyWhen === 'first';
    // 'first': serve as soon as one worker holds the data, and only then start the others, so
    // they do not compete with it (and with the web framework loading) for the same cores; a
    // failing latecomer is replaced like a crashed worker.
    try {
      const built = this.options.built;
      const early = this.adoptable(this.options.early);
      // Only the shared copy is kept: at a million quads the file is ~200 MB.
      this.nquads = early?.nquads ?? sharedBytes(readFileSync(this.options.nquadsPath));
      const bytes = new Uint8Array(this.nquads);
      const readies = Array.from({ length: first ? 1 : count }, (_, i) =>
        i === 0 && early ? this.attach(early.worker, early.ready) : this.spawn(i === 0 && !built));
      const allReady = Promise.all(readies);
      allReady.catch(() => undefined); // awaited below, unless the check throws first
      // Checked while the workers load, on this otherwise idle thread (adopted bytes already were).
      if (built) this.checkBuilt(bytes, built, early !== undefined);
      const [ready] = await allReady;
      if (built && ready!.triples !== built.quads) {
        throw new Error(`the store holds ${ready!.triples} quads where build-info.json says ${built.quads}; the build's files were changed after it was made: build it again`);
      }
      if (first) {
        const others = () => {
          if (this.closed) return;
          for (let i = 1; i < count; i++) this.spawn(false).catch(() => undefined);
        };
        if (this.options.othersAfter) void this.options.othersAfter.then(others, others);
        else others();
      }
      this.loaded = {
        dataVersion: this.options.dataVersion,
        triples: ready!.triples,
        graphs: built?.graphs ?? ready!.graphs,
        loadedAt: new Date(),
      };
      this.started = true;
    } catch (err) {
      await this.close();
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`could not load ${this.options.nquadsPath} into a store worker: ${reason}`, { cause: err });
    }
  }

  /**
   * The early worker if it loads what this pool is to load; otherwise it is stopped. Its bytes were
   * read before build-info.json was: a conversion that ended in between makes them stale.
   */
  private adoptable(early: EarlyWorker | undefined): EarlyWorker | undefined {
    if (!early || early.exited) return undefined;
    if (this.options.built && resolvePath(early.nquadsPath) === resolvePath(this.options.nquadsPath) && dataVersionOf(new Uint8Array(early.nquads)) === this.options.dataVersion) return early;
    void early.worker.terminate();
    return undefined;
  }

  /** The file must be the one build-info.json describes: everything keyed on dataVersion relies on it. */
  private checkBuilt(bytes: Uint8Array, built: NonNullable<WorkerStoreOptions['built']>, hashChecked: boolean): void {
    const version = hashChecked ? this.options.dataVersion : dataVersionOf(bytes);
    if (version !== this.options.dataVersion) {
      throw new Error(`its content is data version ${version}, but build-info.json describes ${this.options.dataVersion}; the build's files were changed after it was made: build it again`);
    }
    const inGraphs = Object.values(built.graphs).reduce((a, b) => a + b, 0);
    if (inGraphs > built.quads) throw new Error(`build-info.json counts ${inGraphs} quads in graphs but ${built.quads} in all`);
  }

  get dataVersion(): string {
    return this.options.dataVersion;
  }

  info(): StoreInfo {
    if (!this.loaded) throw new Error('the store is not loaded');
    return this.loaded;
  }

  stats(): PoolStats {
    const slots = [...this.slots];
    return {
      workers: slots.length,
      ready: slots.filter((s) => s.ready).length,
      busy: slots.filter((s) => s.job).length,
      queued: this.queue.length,
      recycled: this.recycled,
    };
  }

  async query(sparql: string, opts: QueryOptions): Promise<string> {
    const done = await this.submit(sparql, opts, undefined);
    if (!('body' in done) || typeof done.body !== 'string') throw new Error('the worker sent bytes for a query without a shape');
    return done.body;
  }

  async answer(sparql: string, opts: QueryOptions, shape: AnswerShape): Promise<BoundedAnswer> {
    const done = await this.submit(sparql, opts, shape);
    if (typeof done.body === 'string') throw new Error('the worker sent text for a shaped answer');
    return done as BoundedAnswer;
  }

  private submit(sparql: string, opts: QueryOptions, shape: AnswerShape | undefined): Promise<Done> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const { client } = opts;
    const idle = this.eligible(client) ? this.idleSlot() : undefined;
    if (!idle && this.queueFull(client)) return Promise.reject(new StoreBusyError(this.retryAfterSeconds()));
    return new Promise<Done>((resolve, reject) => {
      const { resultsFormat, defaultGraphs, namedGraphs } = opts;
      const job: Job = {
        id: this.nextId++,
        sparql,
        opts: { resultsFormat, defaultGraphs, namedGraphs },
        ...(shape ? { shape } : {}),
        timeoutMs: opts.timeoutMs ?? this.options.timeoutMs,
        client,
        log: opts.log,
        resolve,
        reject,
      };
      if (client !== undefined) job.deadline = Math.min(opts.arrivedAt ?? Infinity, performance.now()) + job.timeoutMs;
      // FIFO among the queries allowed to start (dispatch); queued queries wait for a worker, also
      // for one replacing a timed-out worker.
      if (idle) this.run(idle, job);
      else this.enqueue(job, 'last');
    });
  }

  /** Queues a job; a client's is refused when too little of its time is left to start it. */
  private enqueue(job: Job, where: 'first' | 'last'): void {
    if (where === 'first') this.queue.unshift(job);
    else this.queue.push(job);
    if (job.deadline === undefined) return;
    const latest = job.deadline - minRunMs(job.timeoutMs);
    job.timer = setTimeout(() => this.tooLate(job), Math.max(0, latest - performance.now()));
  }

  /** A queued client query that can no longer start in time: refused now, with when to retry. */
  private tooLate(job: Job): void {
    const at = this.queue.indexOf(job);
    if (at < 0) return;
    this.queue.splice(at, 1);
    job.reject(tooLateError(job.timeoutMs, this.retryAfterSeconds(), 'a worker'));
  }

  private retryAfterSeconds(): number {
    return retryAfterSeconds(this.running());
  }

  /** The queries running on workers. */
  private running(): Job[] {
    return [...this.slots].flatMap((s) => (s.job ? [s.job] : []));
  }

  /** Whether a query of `client` may start on an idle worker now (fair-use.ts, mayStart). */
  private eligible(client: string | undefined): boolean {
    return mayStart(client, this.running(), this.idleCount());
  }

  private idleCount(): number {
    let idle = 0;
    for (const slot of this.slots) if (slot.ready && !slot.job) idle++;
    return idle;
  }

  /** The bounds of maxQueued, for SPARQL clients only (fair-use.ts, queueFull). */
  private queueFull(client: string | undefined): boolean {
    return queueFull(client, this.queue, this.options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.slots].flatMap((s) => (s.job ? [s.job] : []));
    this.failQueued('the store is closed');
    for (const job of running) {
      clearTimeout(job.timer);
      job.reject(new StoreUnavailableError('the store is closed'));
    }
    const workers = [...this.slots].map((s) => s.worker);
    this.slots.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private failQueued(message: string): void {
    for (const job of this.queue.splice(0)) {
      clearTimeout(job.timer);
      job.reject(new StoreUnavailableError(message));
    }
  }

  private idleSlot(): Slot | undefined {
    for (const slot of this.slots) if (slot.ready && !slot.job) return slot;
    return undefined;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    job.slot = slot;
    clearTimeout(job.timer);
    // The site's own look-ups: the limit counts from here. A client's: what is left of it.
    job.deadline ??= performance.now() + job.timeoutMs;
    job.timer = setTimeout(() => this.timeOut(slot, job), Math.max(0, job.deadline - performance.now()));
    const msg: QueryMessage = { type: 'query', id: job.id, sparql: job.sparql, opts: job.opts, ...(job.shape ? { shape: job.shape } : {}) };
    slot.worker.postMessage(msg);
  }

  /** Starts the oldest queued query that may start (eligible), while a worker is idle. */
  private dispatch(): void {
    for (let slot = this.idleSlot(); slot && this.queue.length > 0; slot = this.idleSlot()) {
      const next = this.queue.findIndex((job) => this.eligible(job.client));
      if (next < 0) return;
      this.run(slot, this.queue.splice(next, 1)[0]!);
    }
  }

  /** Oxigraph cannot be interrupted, so the only way to stop the query is to end its thread. */
  private timeOut(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    slot.job = undefined;
    job.slot = undefined;
    job.reject(new QueryTimeoutError(job.timeoutMs));
    job.log?.warn({ code: 'LG_ERR_QUERY_TIMEOUT', timeoutMs: job.timeoutMs, worker: slot.worker.threadId }, 'query stopped at its time limit: its worker thread is ended and replaced');
    this.retire(slot);
  }

  /** Stops a worker we no longer trust and starts its replacement. */
  private retire(slot: Slot): void {
    this.slots.delete(slot); // before terminate(), so its 'exit' is not taken for a crash
    void slot.worker.terminate();
    this.respawn(0);
    // The stopped query's client holds no worker now: its next query may start on an idle one.
    this.dispatch();
  }

  private respawn(delayMs: number): void {
    if (this.closed) return;
    const again = () => {
      // A failed load shows up as that worker's 'exit', which schedules the next attempt.
      if (!this.closed) this.spawn(false).catch(() => undefined);
    };
    if (delayMs > 0) setTimeout(again, delayMs).unref();
    else again();
  }

  private settle(slot: Slot, msg: ResultMessage): void {
    const job = slot.job;
    if (!job || job.id !== msg.id) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    job.slot = undefined;
    if (msg.ok) {
      if ('body' in msg) job.resolve({ body: msg.body });
      else job.resolve({ body: msg.bytes, ...(msg.truncatedAt !== undefined ? { truncatedAt: msg.truncatedAt } : {}), ...(msg.byteLimit !== undefined ? { byteLimit: msg.byteLimit } : {}) });
    } else if (msg.error.name === 'RuntimeError' || msg.error.name === 'RangeError') {
      // RuntimeError: the WASM instance aborted (a panic, past its 4 GiB memory, a memory access
      // out of bounds). RangeError: the thread's stack overflowed inside the engine (a 5,000-branch
      // UNION); the exception unwinds through the WASM frames without restoring the engine's own
      // stack pointer, so the next query on this instance fails or reads corrupt memory. Either
      // way the worker is not trusted again.
      job.log?.error({ worker: slot.worker.threadId, error: msg.error.name, again: !job.retried }, `the query engine failed under this query (${msg.error.name}): its worker thread is replaced`);
      this.engineFailed(job, () => msg.error.name === 'RangeError'
        ? new QueryFailedError('the query is too complex for the query engine (it ran out of stack space): use fewer UNION branches, projected variables or nested groups')
        : new StoreUnavailableError('the query engine failed on this query and is restarting'));
      return this.retire(slot);
    } else {
      job.reject(QuerySyntaxError.from(msg.error.message) ?? new QueryFailedError(msg.error.message));
    }
    if (this.overMemory(slot, msg.memoryBytes)) {
      this.recycled++;
      return this.retire(slot);
    }
    this.dispatch();
  }

  /** See maxWorkerMemoryMb. */
  private overMemory(slot: Slot, bytes: number): boolean {
    const limit = (this.options.maxWorkerMemoryMb ?? 1024) * 1024 * 1024;
    return bytes > Math.max(limit, (slot.loadedBytes ?? 0) + 64 * 1024 * 1024);
  }

  /**
   * The job's worker failed under it. The job may be the cause, or an innocent query sent to an
   * instance a previous query had already damaged without failing: so it is run once more, first
   * in the queue, on another worker (never the failed one, which is retired), and only a second
   * failure is its own. The caller retires the worker and dispatches.
   */
  private engineFailed(job: Job, failure: () => StoreError): void {
    clearTimeout(job.timer);
    job.slot = undefined;
    if (!job.retried && !this.closed) {
      job.retried = true;
      // The site's own look-up gets its limit again; a client's keeps the time it has left.
      if (job.client === undefined) job.deadline = undefined;
      this.enqueue(job, 'first');
      return;
    }
    job.reject(failure());
  }

  /** Starts one worker; resolves with its ready message, rejects if it dies before that. */
  private spawn(countGraphs: boolean): Promise<ReadyMessage> {
    const workerData: WorkerData = { nquadsPath: this.options.nquadsPath, nquads: this.nquads, countGraphs };
    return this.attach(newWorker(workerData));
  }

  /**
   * Makes a started worker one of the pool's. An early worker may have sent its ready message (or
   * failed) before the pool listened: `early` carries what happened.
   */
  private attach(worker: Worker, early?: Promise<ReadyMessage>): Promise<ReadyMessage> {
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    return new Promise<ReadyMessage>((resolve, reject) => {
      let failure: Error | undefined;
      const becomeReady = (msg: ReadyMessage) => {
        if (slot.ready) return;
        slot.ready = true;
        slot.loadedBytes = msg.memoryBytes;
        resolve(msg);
        this.dispatch();
      };
      early?.then(becomeReady, reject);
      worker.on('message', (msg: ReadyMessage | ResultMessage) => {
        if (!('type' in msg)) return this.settle(slot, msg);
        becomeReady(msg);
      });
      worker.on('error', (err) => {
        failure = err;
      });
      worker.on('exit', (exitCode) => {
        reject(failure ?? new Error(`the worker exited with code ${exitCode} before it was ready`));
        if (!this.slots.delete(slot)) return; // retired or closed by us
        slot.job?.log?.error({ worker: worker.threadId, exitCode }, 'the query engine thread stopped under this query: it is replaced');
        if (slot.job) this.engineFailed(slot.job, () => new StoreUnavailableError('the query engine stopped unexpectedly; try again'));
        // Only a running pool heals itself; a failure during start() fails start() instead.
        if (!this.started) return;
        this.respawn(slot.ready ? 0 : RESPAWN_DELAY_MS);
        this.dispatch(); // as in retire(): the crashed query's client may go on
        // A replacement that cannot load (file gone) would leave queued queries waiting forever.
        if (!slot.ready && ![...this.slots].some((s) => s.ready)) this.failQueued('no query engine is available');
      });
    });
  }
}

/**
 * The pool's counts behind a store (busy and ready workers, queued queries), for /metrics; undefined
 * for a store that is not a worker pool. A getter apart from the class, so readers need not know it.
 */
export function poolStats(store: LinkedDataStore): PoolStats | undefined {
  return store instanceof WorkerPool ? store.stats() : undefined;
}
