/**
 * Readers' error reports, kept in the officials' durable store (state.db, table `error_reports`).
 * A report is written in one transaction with the day's count it is checked against, so the cap on
 * reports per day holds however many arrive at once; closing one writes its audit row in the same
 * transaction. Nothing here is ever deleted: a handled report stays, closed, with who closed it.
 *
 * The reader's address is not stored: the rate limit per address is counted in memory
 * (public-routes.ts), and a report needs no more than what the reader chose to write.
 */
import type { AuditLog } from '../state/audit.js';
import { type StateDb, migrate } from '../state/state-db.js';
import type { Lang } from '../html/models.js';

export type ReportStatus = 'open' | 'closed';

export interface ErrorReport {
  id: number;
  createdAt: string;
  /** The unit the report is about (its code), and the path of its page as the form sent it. */
  unitCode: string;
  page: string;
  text: string;
  contact: string | null;
  /** The language of the page the reader wrote from. */
  lang: Lang;
  status: ReportStatus;
  closedAt: string | null;
  closedBy: { id: number; name: string } | null;
}

export interface NewReport {
  unitCode: string;
  page: string;
  text: string;
  contact: string | null;
  lang: Lang;
}

interface Row {
  id: number; created_at: string; unit_code: string; page: string; text: string; contact: string | null; lang: Lang;
  status: ReportStatus; closed_at: string | null; closed_by_id: number | null; closed_by_name: string | null;
}

const toReport = (r: Row): ErrorReport => ({
  id: r.id, createdAt: r.created_at, unitCode: r.unit_code, page: r.page, text: r.text, contact: r.contact, lang: r.lang, status: r.status,
  closedAt: r.closed_at, closedBy: r.closed_by_id !== null && r.closed_by_name !== null ? { id: r.closed_by_id, name: r.closed_by_name } : null,
});

/** The start of the UTC day `now` is in, as the ISO text created_at is compared with. */
export function utcDayStart(now: Date): string {
  return `${now.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

export class ReportStore {
  constructor(private readonly db: StateDb, private readonly audit: AuditLog) {
    migrate(db, 'reports', [
      `CREATE TABLE error_reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        unit_code TEXT NOT NULL,
        page TEXT NOT NULL,
        text TEXT NOT NULL,
        contact TEXT,
        lang TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        closed_at TEXT,
        closed_by_id INTEGER,
        closed_by_name TEXT
      )`,
      'CREATE INDEX error_reports_status ON error_reports (status, id)',
      'CREATE INDEX error_reports_created ON error_reports (created_at)',
    ]);
  }

  /**
   * Stores a report unless `perDay` reports have already been stored since midnight UTC (every
   * report counts, open or closed: the cap bounds how fast the table can grow). 'full' when refused.
   */
  add(input: NewReport, opts: { perDay: number; now?: Date }): ErrorReport | 'full' {
    const now = opts.now ?? new Date();
    return this.db.transaction((): ErrorReport | 'full' => {
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM error_reports WHERE created_at >= ?').get(utcDayStart(now)) as { n: number };
      if (n >= opts.perDay) return 'full';
      const { lastInsertRowid } = this.db
        .prepare("INSERT INTO error_reports (created_at, unit_code, page, text, contact, lang, status) VALUES (?, ?, ?, ?, ?, ?, 'open')")
        .run(now.toISOString(), input.unitCode, input.page, input.text, input.contact, input.lang);
      return this.get(Number(lastInsertRowid)) as ErrorReport;
    })();
  }

  get(id: number): ErrorReport | undefined {
    const r = this.db.prepare('SELECT * FROM error_reports WHERE id = ?').get(id) as Row | undefined;
    return r ? toReport(r) : undefined;
  }

  /**
   * Reports with the given status, newest first; with `area`, only those about that area's units
   * (the unit itself or one below it, by whole code segments as in src/publish/area.ts).
   */
  list(opts: { status: ReportStatus; area?: string; limit?: number }): ErrorReport[] {
    const area = opts.area ?? null;
    const rows = this.db
      .prepare(`SELECT * FROM error_reports WHERE status = @status
        AND (@area IS NULL OR unit_code = @area OR substr(unit_code, 1, length(@area) + 1) = @area || '-')
        ORDER BY id DESC LIMIT @limit`)
      .all({ status: opts.status, area, limit: opts.limit ?? 500 }) as Row[];
    return rows.map(toReport);
  }

  /**
   * Marks a report handled, with its audit row, in one transaction. A report already closed is
   * left as it was (`changed: false`): two reviewers pressing the button at once close it once.
   */
  close(id: number, by: { id: number; name: string }, from: string): { report: ErrorReport; changed: boolean } | undefined {
    return this.db.transaction(() => {
      const at = new Date().toISOString();
      const { changes } = this.db
        .prepare("UPDATE error_reports SET status = 'closed', closed_at = ?, closed_by_id = ?, closed_by_name = ? WHERE id = ? AND status = 'open'")
        .run(at, by.id, by.name, id);
      const report = this.get(id);
      if (!report) return undefined;
      if (changes > 0) this.audit.record({ at, userId: by.id, userName: by.name, action: 'report-close', target: `report:${id}`, detail: { unit: report.unitCode }, from });
      return { report, changed: changes > 0 };
    })();
  }
}
