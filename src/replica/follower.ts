/**
 * A replica following the publisher's live.json: every RELEASES_POLL_MS it reads which release is
 * live there, and when that is another one than it serves, it loads it beside the served one (its
 * own worker pool) and switches (LiveStore.switchTo) once the whole store answers. Requests that
 * arrived before the switch finish on the release they started with (LiveStore.pin).
 *
 * A release that does not load (build-info.json missing, data.nq not hashing to its data version)
 * is logged and not switched to; the replica keeps serving what it had and says so on /health. It
 * is tried again when live.json names another release, or after RETRY_FAILED_MS (a copy to the
 * volume that was still under way may be complete by then).
 */
import { resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { LiveStore, LoadedRelease } from '../releases/live-store.js';
import { openSharedRelease, readLivePointer } from './shared-releases.js';

/** How long a release that failed to load is left alone before it is tried again. */
export const RETRY_FAILED_MS = 60_000;

/** What /health says of a replica (src/routes/health.ts, `replica`). */
export interface ReplicaHealth {
  /** The publisher's STATE_DIR this replica reads its releases from (RELEASES_FROM, resolved). */
  following: string;
  /** The release the publisher's live.json named at the last check (null: no live.json yet, or unreadable). */
  publisherRelease: number | null;
  /** A release being loaded beside the served one, to be switched to once loaded. */
  loading: number | null;
  /** When live.json was last read. */
  checkedAt: string | null;
  /** The last release that did not load, with why (English, for the operator); null once a later one did. */
  failed: { release: number; at: string; error: string } | null;
}

export class ReleaseFollower {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  private pointer: number | null = null;
  private loading: number | null = null;
  private checkedAt: Date | null = null;
  private failed: { release: number; at: Date; error: string } | null = null;
  private readonly from: string;
  /** The last error reading live.json, while reading it keeps failing. */
  private pointerError: string | undefined;

  /** `started`: the release live.json named when start-up read it (and loaded), and when. */
  constructor(private readonly deps: { config: Config & { RELEASES_FROM: string }; live: LiveStore; log: FastifyBaseLogger; started: { n: number; at: Date } }) {
    this.from = resolve(deps.config.RELEASES_FROM);
    this.pointer = deps.started.n;
    this.checkedAt = deps.started.at;
  }

  /** Polls from now on, every RELEASES_POLL_MS (the timer does not keep the process alive). */
  start(): void {
    if (this.stopped) return;
    this.timer = setInterval(() => void this.check(), this.deps.config.RELEASES_POLL_MS);
    this.timer.unref();
  }

  /**
   * One check: reads live.json and, if it names another release, loads and switches to it.
   * Resolves when that is done (or failed); a check asked for while one runs joins it.
   */
  check(): Promise<void> {
    this.polling ??= this.checkNow().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async checkNow(): Promise<void> {
    const { live, log, config } = this.deps;
    let n: number | undefined;
    try {
      n = await readLivePointer(this.from);
    } catch (e) {
      // Once per distinct error, not at every poll (every 2 s) while it lasts.
      const message = e instanceof Error ? e.message : String(e);
      if (message !== this.pointerError) log.error({ err: e, following: this.from }, 'the publisher\'s live.json cannot be read; the replica keeps serving its release');
      this.pointerError = message;
      return;
    } finally {
      this.checkedAt = new Date();
    }
    this.pointerError = undefined;
    this.pointer = n ?? null;
    if (n === undefined || n === live.release.n || this.stopped) return;
    if (this.failed?.release === n && Date.now() - this.failed.at.getTime() < RETRY_FAILED_MS) return;
    this.loading = n;
    const t0 = performance.now();
    let loaded: LoadedRelease | undefined;
    let switched = false;
    try {
      const { release, ready } = await openSharedRelease(config, this.from, n);
      loaded = release;
      await ready;
      if (this.stopped) return;
      const before = live.release;
      live.switchTo(release);
      switched = true;
      this.failed = null;
      log.info({ release: n, dataVersion: release.info.dataVersion, previous: before.n, previousDataVersion: before.info.dataVersion, loadMs: Math.round(performance.now() - t0) }, `replica switched to release ${n}`);
    } catch (e) {
      this.failed = { release: n, at: new Date(), error: e instanceof Error ? e.message : String(e) };
      log.error({ err: e, release: n, serving: live.release.n }, `release ${n} of ${this.from} does not load; the replica keeps serving release ${live.release.n}`);
    } finally {
      this.loading = null;
      // Loaded and not switched to (stopped meanwhile, or it failed): nothing else will close it.
      if (loaded && !switched) void loaded.store.close();
    }
  }

  health(): ReplicaHealth {
    return {
      following: this.from,
      publisherRelease: this.pointer,
      loading: this.loading,
      checkedAt: this.checkedAt?.toISOString() ?? null,
      failed: this.failed ? { release: this.failed.release, at: this.failed.at.toISOString(), error: this.failed.error } : null,
    };
  }

  /** Stops polling and waits for a check under way (a store it was loading is closed). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
  }
}
