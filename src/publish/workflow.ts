/**
 * The operations of the officials' area, the same for the browser forms and the JSON API: send a
 * workbook, decide on it, roll back. Each checks the actor's permission on the server (the role
 * table in permissions.ts, the area, the four-eyes rule), does its work, and records its change
 * and the audit row in one transaction. Routes only translate HTTP to these calls and back.
 */
import type { ErrorCode, Problem } from '../errors.js';
import type { ObservationRow } from '../convert/read-wide.js';
import type { Services } from '../server/services.js';
import type { PublishOutcome } from '../releases/release-service.js';
import { type Actor, type Operation, allowed, canSeeArea, canUploadFor } from './permissions.js';
import type { FigureChange, Upload, UploadChanges } from './uploads.js';

/** A refusal of the workflow: a stable code, the HTTP status, and a key of the area's strings for the reader's language. */
export class PublishError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'LG_ERR_FORBIDDEN' | 'LG_ERR_NOT_FOUND' | 'LG_ERR_OWN_UPLOAD' | 'LG_ERR_NOT_PENDING' | 'LG_ERR_UNKNOWN_DATASET' | 'LG_ERR_OUTSIDE_AREA' | 'LG_ERR_BAD_REQUEST'>,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/** What the converter side offers the workflow (src/publish/validate-upload.ts, preview.ts, template.ts). */
export interface UploadChecker {
  /**
   * The converter's checks on one workbook, against the units of the build in `buildDir`, and the
   * figures the live store holds now for the area in this dataset (keyed unit|indicator|year), which
   * the checks merge the upload over and the preview compares it with.
   */
  check(input: { bytes: Buffer; fileName: string; dataset: string; area: string; buildDir: string }): Promise<{ rows: ObservationRow[]; problems: Problem[]; current: Map<string, number> }>;
  /** Ids of the statistics datasets a publisher can upload for. */
  datasetIds(): string[];
}

export const figureKey = (unitCode: string, indicator: string, year: number) => `${unitCode}|${indicator}|${year}`;

/** What an upload would change: a blank cell changes nothing, so nothing is removed by an upload. */
export function changesOf(rows: ObservationRow[], current: Map<string, number>): UploadChanges {
  const added: FigureChange[] = [];
  const changed: FigureChange[] = [];
  let unchanged = 0;
  for (const r of rows) {
    const old = current.get(figureKey(r.unitCode, r.indicator.id, r.year));
    const change = { unitCode: r.unitCode, indicator: r.indicator.id, year: r.year, old: old ?? null, new: r.value };
    if (old === undefined) added.push(change);
    else if (old !== r.value) changed.push(change);
    else unchanged++;
  }
  const order = (a: FigureChange, b: FigureChange) => a.unitCode.localeCompare(b.unitCode) || a.indicator.localeCompare(b.indicator) || a.year - b.year;
  return { added: added.sort(order), changed: changed.sort(order), removed: [], unchanged };
}

export class PublishWorkflow {
  constructor(
    private readonly services: Services,
    private readonly checker: UploadChecker,
    /** The build directory of the live release (its units.json is what uploads are checked against). */
    private readonly liveDir: () => { n: number | null; dir: string },
  ) {}

  require(actor: Actor, op: Operation): void {
    if (!allowed(actor, op)) throw new PublishError('LG_ERR_FORBIDDEN', 403, `a ${actor.role} may not ${op}`);
  }

  /** An upload the actor may see, or a 404 (not a 403: another district's uploads are not even confirmed to exist). */
  visibleUpload(actor: Actor, id: number): Upload {
    this.require(actor, 'view-upload');
    const u = this.services.uploads.get(id);
    if (!u || !canSeeArea(actor, u.area)) throw new PublishError('LG_ERR_NOT_FOUND', 404, `no upload ${id}`);
    return u;
  }

  /** A publisher's area is where they act; a request naming an area outside it is refused. */
  checkArea(actor: Actor, area: string): void {
    if (!canUploadFor(actor, area)) {
      throw new PublishError('LG_ERR_OUTSIDE_AREA', 403, `${area} is outside your area (${actor.area ?? 'none'})`);
    }
  }

  checkDataset(dataset: string): void {
    if (!this.checker.datasetIds().includes(dataset)) throw new PublishError('LG_ERR_UNKNOWN_DATASET', 422, `no statistics dataset "${dataset.slice(0, 60)}"`);
  }

  /**
   * Checks a workbook at once and keeps it, with its report and, when it passed, what it would
   * change. A workbook with problems is kept as a refused draft and never published.
   */
  async upload(actor: Actor, input: { area?: string; dataset: string; fileName: string; bytes: Buffer; from: string }): Promise<Upload> {
    this.require(actor, 'upload');
    const area = input.area ?? actor.area ?? '';
    this.checkArea(actor, area);
    this.checkDataset(input.dataset);
    const live = this.liveDir();
    const checked = await this.checker.check({ bytes: input.bytes, fileName: input.fileName, dataset: input.dataset, area, buildDir: live.dir });
    const changes = checked.problems.length === 0 ? changesOf(checked.rows, checked.current) : null;
    const { db, blobs, uploads, audit } = this.services;
    const sha256 = blobs.put(input.bytes);
    return db.transaction(() => {
      const u = uploads.add({
        userId: actor.id, userName: actor.name, area, dataset: input.dataset, fileName: input.fileName.slice(0, 200), sha256, bytes: input.bytes.length,
        problems: checked.problems, changes, baseRelease: live.n,
      });
      audit.record({
        userId: actor.id, userName: actor.name, action: u.status === 'refused' ? 'upload-refused' : 'upload', target: `upload:${u.id}`,
        detail: { area, dataset: input.dataset, file: u.fileName, sha256, problems: checked.problems.length, ...(changes ? { added: changes.added.length, changed: changes.changed.length } : {}) },
        from: input.from,
      });
      return u;
    })();
  }

  /**
   * A reviewer's decision. Approval queues the publication and returns at once with its promise:
   * the decision is durable before the response, and a crash before the release is live makes
   * start-up publish it (services.resumeAfterCrash).
   */
  decide(actor: Actor, id: number, d: { approve: boolean; comment: string; from: string }): { upload: Upload; publication?: Promise<PublishOutcome> } {
    this.require(actor, 'review');
    const u = this.visibleUpload(actor, id);
    if (u.userId === actor.id) throw new PublishError('LG_ERR_OWN_UPLOAD', 403, 'a reviewer never decides on their own upload');
    const { db, uploads, audit } = this.services;
    const decided = db.transaction(() => {
      const ok = uploads.decide(id, { reviewer: { id: actor.id, name: actor.name }, approve: d.approve, comment: d.comment.slice(0, 2000) });
      if (ok) audit.record({ userId: actor.id, userName: actor.name, action: d.approve ? 'review-approve' : 'review-reject', target: `upload:${id}`, detail: { comment: d.comment.slice(0, 2000) }, from: d.from });
      return ok;
    })();
    if (!decided) throw new PublishError('LG_ERR_NOT_PENDING', 409, `upload ${id} is ${u.status}, not waiting for review`);
    const upload = uploads.get(id) as Upload;
    if (!d.approve) return { upload };
    return { upload, publication: this.services.publishUpload(id, { id: actor.id, name: actor.name }, d.from) };
  }

  /** Makes the inputs of release `to` live again, as a new release. */
  rollback(actor: Actor, to: number, from: string): Promise<PublishOutcome> {
    this.require(actor, 'rollback');
    const target = this.services.releases.store.get(to);
    if (!target || target.status !== 'complete') throw new PublishError('LG_ERR_NOT_FOUND', 404, `no complete release ${to}`);
    return this.services.releases.publish({
      kind: 'rollback', createdBy: { id: actor.id, name: actor.name }, overlays: target.overlays, rollbackTo: to, from,
    });
  }
}
