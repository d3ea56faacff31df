/**
 * The audit log: every action of the officials' area and of the release machinery, with who, when,
 * what and from where. Rows are only ever inserted; an administrator reads them in the browser
 * (/publish/audit). Callers write the audit row in the same transaction as the change it records,
 * so the log never claims what did not happen, nor misses what did.
 */
import { type StateDb, migrate } from './state-db.js';

export interface AuditEntry {
  id: number;
  at: string;
  /** Null for the service itself (start-up, a release built from data/). */
  userId: number | null;
  userName: string;
  /** e.g. 'login', 'login-failed', 'upload', 'review-approve', 'release-published', 'rollback'. */
  action: string;
  /** What the action was on, e.g. 'upload:12', 'release:3', 'user:amina'. */
  target: string;
  detail: Record<string, unknown>;
  /** The client's address as the server saw it (request.ip), or 'cli' / 'service'. */
  from: string;
}

export class AuditLog {
  constructor(private readonly db: StateDb) {
    migrate(db, 'audit', [
      `CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id INTEGER,
        user_name TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL,
        from_addr TEXT NOT NULL
      )`,
      'CREATE INDEX audit_at ON audit (at)',
    ]);
  }

  /** Call inside the transaction of the change it records. */
  record(e: Omit<AuditEntry, 'id' | 'at'> & { at?: string }): void {
    this.db
      .prepare('INSERT INTO audit (at, user_id, user_name, action, target, detail, from_addr) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.at ?? new Date().toISOString(), e.userId, e.userName, e.action, e.target, JSON.stringify(e.detail), e.from);
  }

  /** Newest first, a page at a time. */
  list(opts: { limit: number; before?: number } = { limit: 100 }): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit) as {
      id: number; at: string; user_id: number | null; user_name: string; action: string; target: string; detail: string; from_addr: string;
    }[];
    return rows.map((r) => ({
      id: r.id, at: r.at, userId: r.user_id, userName: r.user_name, action: r.action, target: r.target,
      detail: JSON.parse(r.detail) as Record<string, unknown>, from: r.from_addr,
    }));
  }
}
