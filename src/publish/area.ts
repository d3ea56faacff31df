/**
 * Area codes of the officials' area: a publisher may publish for one region (`TJ-KT`) or one
 * district-level unit (`TJ-KT-06`), and for every unit inside it. Codes are the units' own stable
 * codes (design.md, "URI patterns"), so "inside" is a prefix test on whole code segments: never on
 * names, and never a bare string prefix (`TJ-KT-1` must not contain `TJ-KT-10`).
 */
import type { Official } from './accounts.js';

/** A region (`TJ-KT`) or a district-level unit (`TJ-KT-06`): the only areas an account can have. */
export const AREA_CODE = /^TJ-[A-Z]{2}(-\d{2})?$/;

export function isAreaCode(value: string): boolean {
  return AREA_CODE.test(value);
}

/** True when `unitCode` is the area itself or a unit below it (`TJ-KT-06-03` is inside `TJ-KT-06` and `TJ-KT`). */
export function unitInArea(unitCode: string, area: string): boolean {
  if (!isAreaCode(area)) return false;
  return unitCode === area || unitCode.startsWith(`${area}-`);
}

/**
 * Whether the official may upload data for `area` (a unit code or an area code). Only publishers
 * upload, and only inside their own area; reviewers and administrators never do, so that the one
 * who approves is never the one who uploaded (the review rule is checked again on the review).
 */
export function canUploadFor(official: Pick<Official, 'role' | 'area'>, area: string): boolean {
  return official.role === 'publisher' && official.area !== null && unitInArea(area, official.area);
}
