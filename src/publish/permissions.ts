/**
 * Who may do what in the officials' area: one table. Every route of the area names its operation
 * (route option `config.operation`), the area's plugin refuses to register a route that names none
 * (so a new route cannot skip the check), and the authorisation-matrix test is generated from this
 * same table. Area rules (a publisher acts inside their own district or region only) and the
 * four-eyes rule (no reviewer decides their own upload) are checked by the workflow on top.
 */
import type { Role } from './accounts.js';
import { canUploadFor, unitInArea } from './area.js';

export type { Role };

/** What the permission check needs to know of the person asking. */
export interface Actor {
  id: number;
  name: string;
  role: Role;
  /** A publisher's district or region code; null for the other roles. */
  area: string | null;
}

export const OPERATIONS = {
  /** The dashboard and the list of uploads (each role sees what concerns it). */
  'view-area': ['publisher', 'reviewer', 'administrator'],
  /** Download a template workbook for one's own area. */
  template: ['publisher'],
  /** Send a workbook. */
  upload: ['publisher'],
  /** An upload's report, preview and draft pages (a publisher: only those of their own area). */
  'view-upload': ['publisher', 'reviewer', 'administrator'],
  /** Approve or reject an upload (never one's own). */
  review: ['reviewer'],
  /** Make an earlier release's data live again (itself a new release). */
  rollback: ['administrator'],
  /** Read the audit log. */
  audit: ['administrator'],
  /** Readers' error reports, open ones (src/reports/; a publisher: only those about units of their own area). */
  'view-reports': ['publisher', 'reviewer', 'administrator'],
  /** Mark a reader's error report handled (a publisher: only one about a unit of their own area). */
  'close-report': ['publisher', 'reviewer', 'administrator'],
} as const satisfies Record<string, readonly Role[]>;

export type Operation = keyof typeof OPERATIONS;

export function allowed(actor: Pick<Actor, 'role'>, op: Operation): boolean {
  return (OPERATIONS[op] as readonly Role[]).includes(actor.role);
}

/** Whether an actor may see an upload made for `area`: reviewers and administrators all; a publisher those of their own area. */
export function canSeeArea(actor: Actor, area: string): boolean {
  if (actor.role !== 'publisher') return true;
  return actor.area !== null && unitInArea(area, actor.area);
}

export { canUploadFor, unitInArea };
