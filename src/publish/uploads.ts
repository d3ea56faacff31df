/**
 * The uploads' records: every workbook an official sends is kept (as a blob, by SHA-256) with what
 * the checks found, what it would change, and what became of it. Nothing here is ever deleted; a
 * refused workbook stays as a refused draft, a rejected one as rejected.
 *
 *   refused ──(never published)
 *   pending ──review──> approved ──release built──> published
 *                  └──> rejected          └──build failed──> failed
 */
import type { ConvertOptions } from '../convert/convert.js';
import type { Problem } from '../errors.js';
import type { BlobStore } from '../state/blobs.js';
import { type StateDb, migrate } from '../state/state-db.js';

export type UploadStatus = 'refused' | 'pending' | 'approved' | 'rejected' | 'published' | 'failed';

/** One figure the upload changes, as shown in the preview and kept with the upload. */
export interface FigureChange {
  unitCode: string;
  indicator: string;
  year: number;
  old: number | null;
  new: number | null;
}

export interface UploadChanges {
  added: FigureChange[];
  changed: FigureChange[];
  removed: FigureChange[];
  unchanged: number;
}

export interface Upload {
  id: number;
  userId: number;
  userName: string;
  area: string;
  dataset: string;
  fileName: string;
  sha256: string;
  bytes: number;
  status: UploadStatus;
  problems: Problem[];
  changes: UploadChanges | null;
  /** The release that was live when it was checked (its preview is against that release). */
  baseRelease: number | null;
  createdAt: string;
  reviewer: { id: number; name: string } | null;
  decidedAt: string | null;
  comment: string | null;
  releaseN: number | null;
}

interface Row {
  id: number; user_id: number; user_name: string; area: string; dataset: string; file_name: string; sha256: string; bytes: number;
  status: UploadStatus; problems: string; changes: string | null; base_release: number | null; created_at: string;
  reviewer_id: number | null; reviewer_name: string | null; decided_at: string | null; comment: string | null; release_n: number | null;
}

const fromRow = (r: Row): Upload => ({
  id: r.id, userId: r.user_id, userName: r.user_name, area: r.area, dataset: r.dataset, fileName: r.file_name, sha256: r.sha256,
  bytes: r.bytes, status: r.status, problems: JSON.parse(r.problems) as Problem[], changes: r.changes ? (JSON.parse(r.changes) as UploadChanges) : null,
  baseRelease: r.base_release, createdAt: r.created_at,
  reviewer: r.reviewer_id !== null ? { id: r.reviewer_id, name: r.reviewer_name ?? '' } : null,
  decidedAt: r.decided_at, comment: r.comment, releaseN: r.release_n,
});

export class Uploads {
  constructor(readonly db: StateDb, private readonly blobs: BlobStore) {
    migrate(db, 'uploads', [
      `CREATE TABLE uploads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL,
        user_name TEXT NOT NULL,
        area TEXT NOT NULL,
        dataset TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('refused', 'pending', 'approved', 'rejected', 'published', 'failed')),
        problems TEXT NOT NULL,
        changes TEXT,
        base_release INTEGER,
        created_at TEXT NOT NULL,
        reviewer_id INTEGER,
        reviewer_name TEXT,
        decided_at TEXT,
        comment TEXT,
        release_n INTEGER
      )`,
      'CREATE INDEX uploads_area ON uploads (area, id)',
      'CREATE INDEX uploads_status ON uploads (status, id)',
    ]);
  }

  /** Records a checked upload (its bytes must already be in the blob store). Call inside the caller's transaction. */
  add(u: Pick<Upload, 'userId' | 'userName' | 'area' | 'dataset' | 'fileName' | 'sha256' | 'bytes' | 'problems' | 'changes' | 'baseRelease'>): Upload {
    const status: UploadStatus = u.problems.length > 0 ? 'refused' : 'pending';
    const info = this.db
      .prepare(`INSERT INTO uploads (user_id, user_name, area, dataset, file_name, sha256, bytes, status, problems, changes, base_release, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(u.userId, u.userName, u.area, u.dataset, u.fileName, u.sha256, u.bytes, status, JSON.stringify(u.problems), u.changes ? JSON.stringify(u.changes) : null, u.baseRelease, new Date().toISOString());
    return this.get(Number(info.lastInsertRowid)) as Upload;
  }

  get(id: number): Upload | undefined {
    const r = this.db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Newest first. `areas` limits to uploads whose area is one of these (a publisher sees their own area's). */
  list(opts: { status?: UploadStatus[]; areaPrefix?: string; limit?: number } = {}): Upload[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (opts.status && opts.status.length > 0) {
      where.push(`status IN (${opts.status.map(() => '?').join(', ')})`);
      args.push(...opts.status);
    }
    if (opts.areaPrefix !== undefined) {
      // The area itself or any area inside it (a region's publisher sees its districts' uploads).
      where.push("(area = ? OR area LIKE ? ESCAPE '\\')");
      args.push(opts.areaPrefix, `${opts.areaPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`);
    }
    const sql = `SELECT * FROM uploads ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, opts.limit ?? 200) as Row[]).map(fromRow);
  }

  /** A reviewer's decision; only a pending upload can be decided. Returns false if it was not pending. */
  decide(id: number, d: { reviewer: { id: number; name: string }; approve: boolean; comment: string }): boolean {
    const res = this.db
      .prepare("UPDATE uploads SET status = ?, reviewer_id = ?, reviewer_name = ?, decided_at = ?, comment = ? WHERE id = ? AND status = 'pending'")
      .run(d.approve ? 'approved' : 'rejected', d.reviewer.id, d.reviewer.name, new Date().toISOString(), d.comment, id);
    return res.changes === 1;
  }

  markPublished(id: number, releaseN: number): void {
    this.db.prepare("UPDATE uploads SET status = 'published', release_n = ? WHERE id = ? AND status IN ('approved', 'failed')").run(releaseN, id);
  }

  markFailed(id: number, problems: Problem[]): void {
    this.db.prepare("UPDATE uploads SET status = 'failed', problems = ? WHERE id = ? AND status = 'approved'").run(JSON.stringify(problems), id);
  }

  /** Approved uploads not yet in a live release: after a crash, start-up publishes them. */
  approvedUnpublished(): Upload[] {
    return (this.db.prepare("SELECT * FROM uploads WHERE status = 'approved' ORDER BY id").all() as Row[]).map(fromRow);
  }

  /** The converter's view of approved uploads, in the given order. */
  overlayFiles(ids: number[]): NonNullable<ConvertOptions['overlays']> {
    return ids.map((id) => {
      const u = this.get(id);
      if (!u) throw new Error(`release overlay names upload ${id}, which does not exist`);
      return { dataset: u.dataset, path: this.blobs.path(u.sha256), name: `${u.dataset}-upload-${u.id}.xlsx`, area: u.area };
    });
  }
}
