/**
 * The store the routes query, standing for "whichever release is live": it forwards every call to
 * the store of the loaded release and can switch to another in one assignment. A new release is
 * loaded beside the live one (its own worker pool), and only once it is ready does switchTo make
 * it the one that answers; the old pool keeps answering the queries it already started, and is
 * closed after a grace period longer than any query may run. So readers never see a half-loaded
 * release, and no request fails during the swap.
 *
 * A request sees one release from its start to its end: the server runs each request inside
 * `pin` (src/server/app.ts), and every read of this store in it, in all its async continuations,
 * answers from the release that was live when it arrived (AsyncLocalStorage). Without it a
 * document built across the switch could carry one release's ETag and the other's figures, or a
 * CONSTRUCT's probe and main query could run on different releases.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BuildInfo } from '../convert/convert.js';
import type { AnswerShape, BoundedAnswer, LinkedDataStore, QueryOptions, StoreInfo } from '../store/store.js';

/** One release loaded into a store: its number (null for a plain build directory), where its files are, what it holds. */
export interface LoadedRelease {
  n: number | null;
  dir: string;
  info: BuildInfo;
  store: LinkedDataStore;
}

export class LiveStore implements LinkedDataStore {
  private current: LoadedRelease;
  private readonly retiring = new Set<{ store: LinkedDataStore; timer: NodeJS.Timeout }>();
  private closed = false;
  private readonly pinned = new AsyncLocalStorage<LoadedRelease>();

  /** @param graceMs how long a replaced store keeps answering before it is closed (longer than QUERY_TIMEOUT_MS). */
  constructor(first: LoadedRelease, private readonly graceMs: number) {
    this.current = first;
  }

  /**
   * Runs `fn` (a request's whole handling) with the release live now pinned: inside it, and in
   * everything it awaits, this store answers from that release even after a switch.
   */
  pin<T>(fn: () => T): T {
    return this.pinned.run(this.current, fn);
  }

  /** The release of the request being handled (pinned), or the live one outside any request. */
  get release(): LoadedRelease {
    return this.pinned.getStore() ?? this.current;
  }

  get dataVersion(): string {
    return this.release.store.dataVersion;
  }

  info(): StoreInfo {
    return this.release.store.info();
  }

  query(sparql: string, opts: QueryOptions): Promise<string> {
    return this.release.store.query(sparql, opts);
  }

  answer(sparql: string, opts: QueryOptions, shape: AnswerShape): Promise<BoundedAnswer> {
    return this.release.store.answer(sparql, opts, shape);
  }

  /** Makes a loaded (ready) release the live one; the previous store closes after the grace period. */
  switchTo(next: LoadedRelease): void {
    if (this.closed) throw new Error('the live store is closed');
    const old = this.current;
    this.current = next;
    if (old.store === next.store) return;
    const entry = {
      store: old.store,
      timer: setTimeout(() => {
        this.retiring.delete(entry);
        void old.store.close();
      }, this.graceMs),
    };
    entry.timer.unref();
    this.retiring.add(entry);
  }

  async close(): Promise<void> {
    this.closed = true;
    const stores = [this.current.store, ...[...this.retiring].map((e) => (clearTimeout(e.timer), e.store))];
    this.retiring.clear();
    await Promise.all(stores.map((s) => s.close()));
  }
}
