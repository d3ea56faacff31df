/**
 * The store the routes query, standing for "whichever release is live": it forwards every call to
 * the store of the loaded release and can switch to another in one assignment. A new release is
 * loaded beside the live one (its own worker pool), and only once it is ready does switchTo make
 * it the one that answers; the old pool keeps answering the queries it already started, and is
 * closed after a grace period longer than any query may run. So readers never see a half-loaded
 * release, and no request fails during the swap.
 */
import type { BuildInfo } from '../convert/convert.js';
import type { LinkedDataStore, QueryOptions, StoreInfo } from '../store/store.js';

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

  /** @param graceMs how long a replaced store keeps answering before it is closed (longer than QUERY_TIMEOUT_MS). */
  constructor(first: LoadedRelease, private readonly graceMs: number) {
    this.current = first;
  }

  /** The release answering now. Read it once per request where several reads must agree. */
  get release(): LoadedRelease {
    return this.current;
  }

  get dataVersion(): string {
    return this.current.store.dataVersion;
  }

  info(): StoreInfo {
    return this.current.store.info();
  }

  query(sparql: string, opts: QueryOptions): Promise<string> {
    return this.current.store.query(sparql, opts);
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
