/**
 * The composition root of the features that keep durable state (style.md: one composition root):
 * the state database, the blob store, the audit log, the uploads and the releases. Each feature
 * is its own object; the app gets them together, the routes only the ones they need.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { Accounts } from '../publish/accounts.js';
import type { Operation } from '../publish/permissions.js';
import { Uploads } from '../publish/uploads.js';
import { type PublishOutcome, ReleaseService } from '../releases/release-service.js';
import { ReportStore } from '../reports/report-store.js';
import type { Release } from '../releases/release-store.js';
import { AuditLog } from '../state/audit.js';
import { BlobStore } from '../state/blobs.js';
import { type StateDb, openStateDb } from '../state/state-db.js';

export interface Services {
  config: Config;
  db: StateDb;
  audit: AuditLog;
  blobs: BlobStore;
  accounts: Accounts;
  uploads: Uploads;
  /** Readers' error reports (src/reports/). */
  reports: ReportStore;
  /** Every route of the officials' area as registered, with its operation (for the authorisation-matrix test). */
  areaRoutes: { method: string; url: string; operation: Operation }[];
  releases: ReleaseService;
  /** Publishes an approved upload as the next release (queued behind any release being built). */
  publishUpload(uploadId: number, by: { id: number | null; name: string }, from: string): Promise<PublishOutcome>;
  /** After a crash: publish what was approved but never made live, and redo interrupted rollbacks. */
  resumeAfterCrash(interrupted: Release[], log: FastifyBaseLogger): Promise<void>;
  close(): void;
}

export function openServices(config: Config): Services {
  const db = openStateDb(config.STATE_DIR);
  const audit = new AuditLog(db);
  const blobs = new BlobStore(config.STATE_DIR);
  const accounts = new Accounts(db, audit);
  const uploads = new Uploads(db, blobs);
  const reports = new ReportStore(db, audit);
  const releases = new ReleaseService({ db, audit, config, overlays: (ids) => uploads.overlayFiles(ids) });

  const publishUpload: Services['publishUpload'] = (uploadId, by, from) =>
    releases.publish({
      kind: 'upload',
      createdBy: by,
      // Asked when the build starts, not when it is queued: a release built meanwhile is kept.
      overlays: (live) => [...(live?.overlays ?? []).filter((id) => id !== uploadId), uploadId],
      uploadId,
      from,
      onLive: (r) => uploads.markPublished(uploadId, r.n),
      onFailed: (_r, outcome) =>
        uploads.markFailed(uploadId, 'problems' in outcome ? outcome.problems : [{ code: 'LG_ERR_INTERNAL', file: '', reason: outcome.error }]),
    });

  return {
    config, db, audit, blobs, accounts, uploads, reports, releases, publishUpload, areaRoutes: [],
    async resumeAfterCrash(interrupted, log) {
      // One that throws (the database or the disk failing) is logged and the others are still done;
      // nothing here may end the process, which serves the last complete release meanwhile.
      const attempt = async (what: Record<string, number>, publication: () => Promise<PublishOutcome>) => {
        try {
          const outcome = await publication();
          if (outcome.release.status !== 'complete') log.error({ ...what, release: outcome.release.n, error: outcome.error }, 'the publication resumed after a crash failed');
        } catch (e) {
          log.error({ ...what, err: e }, 'the publication resumed after a crash failed');
        }
      };
      for (const u of uploads.approvedUnpublished()) {
        log.info({ upload: u.id }, 'publishing an upload approved before the service stopped');
        await attempt({ upload: u.id }, () => publishUpload(u.id, u.reviewer ?? { id: null, name: 'service' }, 'service'));
      }
      for (const r of interrupted.filter((x) => x.kind === 'rollback' && x.rollbackTo !== null)) {
        const target = releases.store.get(r.rollbackTo as number);
        if (!target) continue;
        log.info({ rollbackTo: target.n }, 'redoing a rollback interrupted when the service stopped');
        await attempt({ rollbackTo: target.n }, () => releases.publish({ kind: 'rollback', createdBy: r.createdBy, overlays: target.overlays, rollbackTo: target.n, from: 'service' }));
      }
    },
    close() {
      db.close();
    },
  };
}
