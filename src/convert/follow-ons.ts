import type { Problem } from '../errors.js';
import { levelOfCode } from './check-units.js';
import type { Level } from './layout.js';

/** How many of a group's places its one problem lists, beside the count. */
const PLACES_SHOWN = 3;

const LEVEL_PLURAL: Record<Level, string> = { country: 'the country', region: 'regions', district: 'districts', jamoat: 'jamoats' };

/** `Khatlon!G4` in a workbook, `row 4` in a CSV: as formatProblem says a place, without the file. */
function placeOf(p: Problem): string {
  if (p.sheet !== undefined) return `${p.sheet}!${p.column ?? ''}${p.row ?? ''}`;
  return p.row !== undefined ? `row ${p.row}` : '(the file)';
}

/**
 * One broken units file makes every row that refers to its units fail with "unknown code": 333
 * problems for one unreadable districts.xlsx. Those follow-ons say nothing the root problem does
 * not, and bury it; their codes cannot be checked until the file reads. So each unknown code whose
 * level (by its form) has a units file that could not be read is folded, per referring file, into
 * one problem at its first place, with the count and the first few places. An unknown code of a
 * level whose files all read is a real error and stays as it is.
 *
 * `unread` names, per level, the units files that yielded no rows because of their own problems.
 */
export function groupFollowOns(problems: Problem[], unread: Map<Level, string[]>): Problem[] {
  if (unread.size === 0) return problems;
  const groups = new Map<string, { first: Problem; places: string[]; level: Level }>();
  const out: Problem[] = [];
  for (const p of problems) {
    const level = p.code === 'LG_ERR_UNKNOWN_CODE' && p.value !== undefined ? levelOfCode(p.value) : undefined;
    if (level === undefined || !unread.has(level)) {
      out.push(p);
      continue;
    }
    const key = `${p.file}\n${level}`;
    const group = groups.get(key);
    if (group) {
      group.places.push(placeOf(p));
      continue;
    }
    // The group's problem keeps the first member's place in the output, so the order stays that of the files.
    const first = { ...p };
    groups.set(key, { first, places: [placeOf(p)], level });
    out.push(first);
  }
  for (const { first, places, level } of groups.values()) {
    const files = (unread.get(level) ?? []).join(', ');
    const shown = places.slice(0, PLACES_SHOWN).join(', ');
    const rest = places.length > PLACES_SHOWN ? ` and ${places.length - PLACES_SHOWN} more` : '';
    const count = places.length === 1 ? 'this row refers' : `${places.length} rows of ${first.file} (${shown}${rest}) refer`;
    first.reason = `${count} to ${LEVEL_PLURAL[level]} in ${files}, which could not be read (see its problem): ` +
      'fix that file first; these codes are checked again then';
  }
  return out;
}
