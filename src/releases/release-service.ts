/**
 * The releases feature's state object: it builds releases one at a time, makes each live, and
 * knows what is being served. The order of steps is what makes a publication safe:
 *
 *   1. record the release as 'building' (a transaction, with its audit row);
 *   2. build it in a child process into its own directory (build-release.ts: write, then rename);
 *   3. load it into a new worker pool beside the live one;
 *   4. record it as complete and live (one transaction, with the caller's own changes, e.g. the
 *      upload marked published, and the audit row);
 *   5. switch the live store to the new pool; the old one closes after a grace period.
 *
 * A kill -9 before 4 leaves the previous release live and this one 'building', which start-up
 * marks as interrupted and builds again; a kill -9 after 4 serves the new one at restart. Readers
 * never see a half-built or half-loaded release.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { fileLimits } from '../convert/check-file.js';
import type { ConvertOptions } from '../convert/convert.js';
import type { Problem } from '../errors.js';
import { inputsDigest } from '../convert/inputs-digest.js';
import { PROJECT_ROOT, projectVersion } from '../project.js';
import type { AuditLog } from '../state/audit.js';
import type { StateDb } from '../state/state-db.js';
import { openReleaseStore } from '../store/open-release-store.js';
import { type ReleaseBuildResult, buildReleaseInChild, releaseDir } from './build-release.js';
import type { LiveStore, LoadedRelease } from './live-store.js';
import { type Release, type ReleaseKind, ReleaseStore } from './release-store.js';

/** The workbooks of approved uploads, as the converter takes them (the uploads feature resolves ids to files). */
export type OverlayResolver = (uploadIds: number[]) => NonNullable<ConvertOptions['overlays']>;

export interface PublishRequest {
  kind: ReleaseKind;
  createdBy: { id: number | null; name: string };
  /** Upload ids on top of the seed; a function is asked when the build starts, given the live release then. */
  overlays: number[] | ((live: Release | undefined) => number[]);
  uploadId?: number;
  rollbackTo?: number;
  /** Where the request came from, for the audit log (request.ip, 'cli', 'service'). */
  from: string;
  /** Runs inside the transaction that makes the release live (e.g. mark the upload published). */
  onLive?: (release: Release) => void;
  /** Runs inside the transaction that records a failed build. */
  onFailed?: (release: Release, outcome: Exclude<ReleaseBuildResult, { ok: true }>) => void;
}

export interface PublishOutcome {
  release: Release;
  /** Problems of a build that failed on the data (empty when it failed otherwise or succeeded). */
  problems: Problem[];
  error?: string;
  /** Milliseconds from the start of the build to the live switch. */
  ms: number;
}

/** When the data to serve did not convert at start-up: the last good release is served instead. */
export interface Degraded {
  since: string;
  reason: string;
  problems: Problem[];
}

/** How a publication ended: live; refused because the data did not pass the checks; failed otherwise (a build or load that broke). */
export type PublicationOutcome = 'published' | 'refused' | 'failed';

/** Publications as they finish, for whoever counts them (/metrics). */
export interface PublicationEvents {
  /** Calls `listener` after each publication; returns the function that stops it. */
  watchPublications(listener: (kind: ReleaseKind, outcome: PublicationOutcome) => void): () => void;
}

/** The file main.ts reads before anything else is loaded, to start loading the live release early. */
export const LIVE_POINTER = 'live.json';

export class ReleaseService implements PublicationEvents {
  readonly store: ReleaseStore;
  readonly releasesDir: string;
  degraded: Degraded | null = null;
  private live: LiveStore | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private building: number | null = null;
  /** Publications asked for and not finished (the one building included). */
  private queued = 0;
  private readonly watchers = new Set<(kind: ReleaseKind, outcome: PublicationOutcome) => void>();

  constructor(
    private readonly deps: { db: StateDb; audit: AuditLog; config: Config; overlays: OverlayResolver },
  ) {
    this.store = new ReleaseStore(deps.db);
    this.releasesDir = resolve(deps.config.STATE_DIR, 'releases');
  }

  /**
   * The digest of what the seed is built from: data/, the vocabulary, the shapes, the base URI and
   * the converter's version. Start-up builds a new release when the live one's differs.
   */
  seedDigest(): Promise<string> {
    return (async () =>
      inputsDigest({
        dataDir: this.deps.config.DATA_DIR,
        vocabDir: join(PROJECT_ROOT, 'vocab'),
        shapesDir: join(PROJECT_ROOT, 'shapes'),
        base: this.deps.config.BASE_URI,
        version: await projectVersion(),
      }))();
  }

  dirOf(n: number): string {
    return releaseDir(this.releasesDir, n);
  }

  /** From now on a published release is loaded and switched to in this store. */
  attach(live: LiveStore): void {
    this.live = live;
  }

  /**
   * The number of the release being built, if one is; while a publication waits in the queue (or
   * has not recorded its release yet), the number it will get. Null only when nothing is to be
   * published: /health's `building`, which a script (or start-up's resume) waits on.
   */
  get inProgress(): number | null {
    if (this.building !== null) return this.building;
    return this.queued > 0 ? this.store.next() : null;
  }

  /** Publications run one after another: two at once would race for the live pointer. */
  publish(req: PublishRequest): Promise<PublishOutcome> {
    this.queued++;
    const run = this.queue.then(async () => {
      try {
        return await this.publishNow(req);
      } finally {
        this.queued--;
      }
    });
    this.queue = run.catch(() => undefined);
    run.then(
      (o) => this.finished(req.kind, o.release.status === 'complete' ? 'published' : o.problems.length > 0 ? 'refused' : 'failed'),
      () => this.finished(req.kind, 'failed'),
    );
    return run;
  }

  watchPublications(listener: (kind: ReleaseKind, outcome: PublicationOutcome) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private finished(kind: ReleaseKind, outcome: PublicationOutcome): void {
    for (const w of this.watchers) w(kind, outcome);
  }

  /**
   * Releases left 'building' by a process that died: recorded as failed (interrupted) and returned,
   * so start-up can publish the same request again once the server is up.
   */
  recoverInterrupted(): Release[] {
    const found = this.store.interrupted();
    for (const r of found) {
      this.store.fail(r.n, 'interrupted: the service stopped while this release was being built', () =>
        this.deps.audit.record({ userId: null, userName: 'service', action: 'release-interrupted', target: `release:${r.n}`, detail: { kind: r.kind }, from: 'service' }),
      );
    }
    return found;
  }

  private async publishNow(req: PublishRequest): Promise<PublishOutcome> {
    const t0 = performance.now();
    const { audit, config } = this.deps;
    const previous = this.store.live();
    const overlays = typeof req.overlays === 'function' ? req.overlays(previous) : req.overlays;
    const seedDigest = await this.seedDigest();
    const release = this.deps.db.transaction(() => {
      const r = this.store.begin({
        kind: req.kind, createdBy: req.createdBy, uploadId: req.uploadId ?? null, rollbackTo: req.rollbackTo ?? null,
        seedDigest, overlays,
      });
      audit.record({ userId: req.createdBy.id, userName: req.createdBy.name, action: 'release-started', target: `release:${r.n}`, detail: { kind: req.kind, overlays, ...(req.uploadId ? { upload: req.uploadId } : {}), ...(req.rollbackTo ? { rollbackTo: req.rollbackTo } : {}) }, from: req.from });
      return r;
    })();
    this.building = release.n;
    // Loaded beside the live release, not switched to yet: closed if anything fails before the switch.
    let loaded: LoadedRelease | undefined;
    let switched = false;
    try {
      const outcome = await buildReleaseInChild({
        n: release.n,
        dataDir: config.DATA_DIR,
        base: config.BASE_URI,
        limits: fileLimits(config),
        overlays: this.deps.overlays(overlays),
        date: new Date().toISOString().slice(0, 10),
        releasesDir: this.releasesDir,
        previousDir: previous ? this.dirOf(previous.n) : null,
      });
      if (!outcome.ok) return this.failed(release, req, outcome, t0);

      // Loaded beside the live release before anything says it is live.
      if (this.live) {
        const dir = this.dirOf(release.n);
        try {
          // (A store whose loading fails closes itself.)
          const { store, ready } = openReleaseStore(config, { n: release.n, dir, info: outcome.info });
          await ready;
          loaded = { n: release.n, dir, info: outcome.info, store };
        } catch (e) {
          return this.failed(release, req, { ok: false, error: `the build did not load: ${(e as Error).message}` }, t0);
        }
      }
      const done = this.store.complete(release.n, { dataVersion: outcome.info.dataVersion, summary: outcome.summary }, () => {
        audit.record({ userId: req.createdBy.id, userName: req.createdBy.name, action: 'release-published', target: `release:${release.n}`, detail: { dataVersion: outcome.info.dataVersion, ...outcome.summary }, from: req.from });
        req.onLive?.(this.store.get(release.n) as Release);
      });
      // What the database says is live is served from now on, whatever comes next.
      if (loaded && this.live) this.live.switchTo(loaded);
      switched = true;
      this.degraded = null;
      this.writeLivePointer(release.n);
      return { release: this.store.get(done.n) as Release, problems: [], ms: performance.now() - t0 };
    } catch (e) {
      // Anything thrown once the release is recorded (an overlay that cannot be resolved, a full
      // disk, the database): the release is recorded as failed rather than left 'building' with
      // nothing building it, and the caller gets the failed outcome like any other.
      if (switched || this.store.get(release.n)?.status !== 'building') throw e;
      return this.failed(release, req, { ok: false, error: `the publication failed: ${e instanceof Error ? e.message : String(e)}` }, t0);
    } finally {
      this.building = null;
      if (loaded && !switched) void loaded.store.close();
    }
  }

  private failed(release: Release, req: PublishRequest, outcome: Exclude<ReleaseBuildResult, { ok: true }>, t0: number): PublishOutcome {
    const problems = 'problems' in outcome ? outcome.problems : [];
    const error = 'error' in outcome ? outcome.error : `${problems.length} problem(s) in the data`;
    this.store.fail(release.n, error, () => {
      this.deps.audit.record({ userId: req.createdBy.id, userName: req.createdBy.name, action: 'release-failed', target: `release:${release.n}`, detail: { error, problems: problems.length }, from: req.from });
      req.onFailed?.(this.store.get(release.n) as Release, outcome);
    });
    return { release: this.store.get(release.n) as Release, problems, error, ms: performance.now() - t0 };
  }

  /**
   * STATE_DIR/live.json, written then renamed: read by main.ts, never trusted beyond a guess. So a
   * pointer that cannot be written does not undo a publication: the release is live in the
   * database and in the store, and the next start only loses the head start of its early worker.
   */
  private writeLivePointer(n: number): void {
    const file = join(this.deps.config.STATE_DIR, LIVE_POINTER);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify({ n, dir: this.dirOf(n) })}\n`);
      renameSync(tmp, file);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}
