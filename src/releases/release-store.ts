/**
 * The releases' records: every publication is a numbered release, built into its own directory
 * (STATE_DIR/releases/{n}/: data.nq, build-info.json, download/, units.json, changes/) and then made
 * live in one transaction. Rows are never deleted; a rollback is a new release.
 *
 * What a release holds is described by its inputs, not by a diff: the seed (the shipped data/,
 * named by its inputs digest) plus the ordered list of approved uploads applied on top of it
 * (`overlays`). Rebuilding a release from its record gives the same bytes, so a release interrupted
 * by a crash is simply built again.
 */
import { type StateDb, migrate } from '../state/state-db.js';

export type ReleaseStatus = 'building' | 'complete' | 'failed';
/** seed: data/ as shipped (release 1, or data/ changed by a deployment); upload: an approved upload; rollback: an earlier release's inputs again. */
export type ReleaseKind = 'seed' | 'upload' | 'rollback';

/** What changed against the release before, counted (the table itself is in changes/). */
export interface ReleaseSummary {
  quadsAdded: number;
  quadsRemoved: number;
  observationsAdded: number;
  observationsChanged: number;
  observationsRemoved: number;
}

export interface Release {
  n: number;
  status: ReleaseStatus;
  kind: ReleaseKind;
  createdAt: string;
  finishedAt: string | null;
  /** Who caused it: the approving reviewer, the administrator who rolled back, or null for the service. */
  createdBy: { id: number | null; name: string };
  /** For kind 'upload': the upload it publishes. */
  uploadId: number | null;
  /** For kind 'rollback': the release whose inputs it restores. */
  rollbackTo: number | null;
  /** The release that was live when this one was started (its changes are counted against it). */
  previous: number | null;
  seedDigest: string;
  /** Upload ids applied on top of the seed, oldest first. */
  overlays: number[];
  /** build-info.json's dataVersion, once built. */
  dataVersion: string | null;
  summary: ReleaseSummary | null;
  /** Why a build failed (for 'failed'), in English for the log; the problems are in the upload's report. */
  error: string | null;
}

interface Row {
  n: number; status: ReleaseStatus; kind: ReleaseKind; created_at: string; finished_at: string | null;
  created_by_id: number | null; created_by_name: string; upload_id: number | null; rollback_to: number | null;
  previous: number | null; seed_digest: string; overlays: string; data_version: string | null; summary: string | null; error: string | null;
}

const fromRow = (r: Row): Release => ({
  n: r.n, status: r.status, kind: r.kind, createdAt: r.created_at, finishedAt: r.finished_at,
  createdBy: { id: r.created_by_id, name: r.created_by_name }, uploadId: r.upload_id, rollbackTo: r.rollback_to,
  previous: r.previous, seedDigest: r.seed_digest, overlays: JSON.parse(r.overlays) as number[], dataVersion: r.data_version,
  summary: r.summary ? (JSON.parse(r.summary) as ReleaseSummary) : null, error: r.error,
});

export class ReleaseStore {
  constructor(readonly db: StateDb) {
    migrate(db, 'releases', [
      `CREATE TABLE releases (
        n INTEGER PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('building', 'complete', 'failed')),
        kind TEXT NOT NULL CHECK (kind IN ('seed', 'upload', 'rollback')),
        created_at TEXT NOT NULL,
        finished_at TEXT,
        created_by_id INTEGER,
        created_by_name TEXT NOT NULL,
        upload_id INTEGER,
        rollback_to INTEGER,
        previous INTEGER,
        seed_digest TEXT NOT NULL,
        overlays TEXT NOT NULL,
        data_version TEXT,
        summary TEXT,
        error TEXT
      )`,
      // One row: the release being served. Changing it is the one step that makes a release live.
      `CREATE TABLE live_release (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL REFERENCES releases (n), since TEXT NOT NULL)`,
    ]);
  }

  get(n: number): Release | undefined {
    const r = this.db.prepare('SELECT * FROM releases WHERE n = ?').get(n) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** The release being served, if any has been made live. */
  live(): Release | undefined {
    const r = this.db.prepare('SELECT releases.* FROM live_release JOIN releases USING (n) WHERE one = 1').get() as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Every release, newest first; `complete` only for the public pages. */
  list(opts: { completeOnly?: boolean } = {}): Release[] {
    const sql = opts.completeOnly ? "SELECT * FROM releases WHERE status = 'complete' ORDER BY n DESC" : 'SELECT * FROM releases ORDER BY n DESC';
    return (this.db.prepare(sql).all() as Row[]).map(fromRow);
  }

  /** Builds that were running when the process died: they are built again (or given up) at start-up. */
  interrupted(): Release[] {
    return (this.db.prepare("SELECT * FROM releases WHERE status = 'building' ORDER BY n").all() as Row[]).map(fromRow);
  }

  /** The number the next release will get. */
  next(): number {
    return ((this.db.prepare('SELECT MAX(n) AS m FROM releases').get() as { m: number | null }).m ?? 0) + 1;
  }

  /** Records a new release as 'building' and returns it. Call inside the transaction that causes it. */
  begin(r: Pick<Release, 'kind' | 'createdBy' | 'uploadId' | 'rollbackTo' | 'seedDigest' | 'overlays'>): Release {
    const n = this.next();
    const previous = this.live()?.n ?? null;
    this.db
      .prepare(`INSERT INTO releases (n, status, kind, created_at, created_by_id, created_by_name, upload_id, rollback_to, previous, seed_digest, overlays)
                VALUES (?, 'building', ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(n, r.kind, new Date().toISOString(), r.createdBy.id, r.createdBy.name, r.uploadId, r.rollbackTo, previous, r.seedDigest, JSON.stringify(r.overlays));
    return this.get(n) as Release;
  }

  /** The build is on disk: record it and make it live, in one transaction (with the caller's audit row). */
  complete(n: number, done: { dataVersion: string; summary: ReleaseSummary }, alsoInTransaction: () => void = () => undefined): Release {
    this.db.transaction(() => {
      const now = new Date().toISOString();
      this.db.prepare("UPDATE releases SET status = 'complete', finished_at = ?, data_version = ?, summary = ? WHERE n = ? AND status = 'building'").run(now, done.dataVersion, JSON.stringify(done.summary), n);
      this.db.prepare('INSERT INTO live_release (one, n, since) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET n = excluded.n, since = excluded.since').run(n, now);
      alsoInTransaction();
    })();
    return this.get(n) as Release;
  }

  fail(n: number, error: string, alsoInTransaction: () => void = () => undefined): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE releases SET status = 'failed', finished_at = ?, error = ? WHERE n = ? AND status = 'building'").run(new Date().toISOString(), error.slice(0, 4000), n);
      alsoInTransaction();
    })();
  }
}
