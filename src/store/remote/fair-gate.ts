/**
 * Fair use in the remote store: at most `concurrency` queries of this instance in flight to the
 * SPARQL store (STORE_CONCURRENCY), admitted by the same rules as the embedded store's worker
 * threads (src/store/fair-use.ts): one client's heavy queries cannot fill the store and make
 * another client's light query wait behind them all, its waiting queries are bounded, and a query
 * that waited nearly all its time is refused with a Retry-After. A place here is a request to the
 * store, not a thread holding the data: each query's request is aborted at its deadline
 * (protocol.ts), which frees its place.
 */
import { StoreBusyError, StoreUnavailableError } from '../store.js';
import { type Held, type QueueLimits, mayStart, minRunMs, queueFull, retryAfterSeconds, tooLateError } from '../fair-use.js';

export interface FairGateOptions extends QueueLimits {
  /** Queries in flight at once (STORE_CONCURRENCY). */
  concurrency: number;
}

interface Ticket extends Held {
  timeoutMs: number;
  start(): void;
  refuse(err: StoreBusyError | StoreUnavailableError): void;
  timer?: NodeJS.Timeout;
}

export class FairGate {
  private readonly running = new Set<Ticket>();
  private readonly queue: Ticket[] = [];
  private closed = false;

  constructor(private readonly options: FairGateOptions) {}

  /**
   * Waits for a place for a query of `client` (undefined: the site's own look-up, never refused
   * for load) with the limit `timeoutMs`, counted from `arrivedAt` for a client's query. Resolves
   * with the function that gives the place back, which must be called once the request is over.
   */
  enter(client: string | undefined, timeoutMs: number, arrivedAt?: number): Promise<() => void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    const now = performance.now();
    return new Promise((resolve, reject) => {
      const ticket: Ticket = {
        client,
        timeoutMs,
        // A site's look-up has its limit from its start (set in begin), as in the worker pool.
        ...(client !== undefined ? { deadline: Math.min(arrivedAt ?? Infinity, now) + timeoutMs } : {}),
        start: () => resolve(() => this.leave(ticket)),
        refuse: reject,
      };
      if (this.startsNow(client)) return this.begin(ticket);
      if (queueFull(client, this.queue, this.options)) return reject(new StoreBusyError(retryAfterSeconds(this.running)));
      this.queue.push(ticket);
      if (ticket.deadline === undefined) return;
      const latest = ticket.deadline - minRunMs(timeoutMs);
      ticket.timer = setTimeout(() => this.tooLate(ticket), Math.max(0, latest - performance.now()));
    });
  }

  /** Stops admitting; waiting queries are refused. Running ones finish or are aborted by their owners. */
  close(): void {
    this.closed = true;
    for (const t of this.queue.splice(0)) {
      clearTimeout(t.timer);
      t.refuse(new StoreUnavailableError('the store is closed'));
    }
  }

  /** For tests and /metrics: places taken and queries waiting. */
  stats(): { busy: number; queued: number } {
    return { busy: this.running.size, queued: this.queue.length };
  }

  private free(): number {
    return this.options.concurrency - this.running.size;
  }

  private startsNow(client: string | undefined): boolean {
    return mayStart(client, this.running, this.free());
  }

  private begin(ticket: Ticket): void {
    clearTimeout(ticket.timer);
    ticket.deadline ??= performance.now() + ticket.timeoutMs;
    this.running.add(ticket);
    ticket.start();
  }

  private leave(ticket: Ticket): void {
    if (!this.running.delete(ticket)) return;
    this.dispatch();
  }

  /** Starts the oldest waiting query that may start, while a place is free. */
  private dispatch(): void {
    while (this.free() > 0 && this.queue.length > 0) {
      const next = this.queue.findIndex((t) => this.startsNow(t.client));
      if (next < 0) return;
      this.begin(this.queue.splice(next, 1)[0]!);
    }
  }

  private tooLate(ticket: Ticket): void {
    const at = this.queue.indexOf(ticket);
    if (at < 0) return;
    this.queue.splice(at, 1);
    ticket.refuse(tooLateError(ticket.timeoutMs, retryAfterSeconds(this.running), 'the SPARQL store'));
  }
}
