import type { Problem } from '../errors.js';
import { append } from './append.js';
import type { Level } from './layout.js';
import type { UnitRow } from './read-units.js';

const PARENT_LEVEL: Record<Level, Level | undefined> = { country: undefined, region: 'country', district: 'region', jamoat: 'district' };

const CODE_FORM: Record<Level, RegExp> = {
  country: /^TJ$/,
  region: /^TJ-[A-Z]{2}$/,
  district: /^TJ-[A-Z]{2}-\d{2}$/,
  jamoat: /^TJ-[A-Z]{2}-\d{2}-\d{2}$/,
};

/** The level a code of that form names (the forms exclude one another), or undefined. */
export function levelOfCode(code: string): Level | undefined {
  return (Object.keys(CODE_FORM) as Level[]).find((l) => CODE_FORM[l].test(code));
}

/** Which classes (from the layout's type column) belong to which level. */
const CODE_EXAMPLE: Record<Level, string> = { country: 'TJ', region: 'TJ-XX', district: 'TJ-XX-NN', jamoat: 'TJ-XX-NN-NN' };

const CLASSES_OF_LEVEL: Record<Level, string[]> = {
  country: ['lg:Country'],
  region: ['lg:Region'],
  district: ['lg:District', 'lg:City', 'lg:CityDistrict'],
  jamoat: ['lg:Jamoat', 'lg:Town'],
};

function at(u: UnitRow, key: string) {
  return { file: u.file, ...(u.sheet !== undefined ? { sheet: u.sheet } : {}), row: u.row, column: u.columnOf[key] ?? key };
}

/** A unit that no longer exists: its row stays, with the day it ended (design.md: its URI answers 410 or redirects). */
export function isRetired(u: UnitRow): boolean {
  return u.values.retired_on !== undefined;
}

/**
 * Checks across rows and files: codes unique and of their level's form, the type fits the level of
 * the file, every parent code names a unit exactly one level up, no unit lies within a retired
 * one, and a retired unit's successor is a unit of its level that still exists.
 */
export function checkUnits(units: UnitRow[]): Problem[] {
  const problems: Problem[] = [];
  const byCode = new Map<string, UnitRow>();
  for (const u of units) {
    const code = String(u.values.code);
    const first = byCode.get(code);
    if (first) {
      problems.push({
        ...at(u, 'code'), code: 'LG_ERR_DUPLICATE_CODE', value: code,
        reason: `this code is already used by "${String(first.values.name_en)}" (${first.file}${first.sheet ? ` › ${first.sheet}` : ''} row ${first.row})`,
      });
      continue;
    }
    byCode.set(code, u);
    if (!CODE_FORM[u.level].test(code)) {
      problems.push({ ...at(u, 'code'), code: 'LG_ERR_BAD_VALUE', value: code, reason: `a ${u.level} code has the form ${CODE_EXAMPLE[u.level]}` });
    }
    const type = String(u.values.type);
    if (!CLASSES_OF_LEVEL[u.level].includes(type)) {
      problems.push({ ...at(u, 'type'), code: 'LG_ERR_WRONG_LEVEL', value: type.replace('lg:', ''), reason: `this file lists ${u.level}-level units; the type must be one of ${CLASSES_OF_LEVEL[u.level].join(', ')}` });
    }
  }
  for (const u of units) {
    if (byCode.get(String(u.values.code)) !== u) continue;
    const parentCode = u.values.parent_code;
    const wanted = PARENT_LEVEL[u.level];
    if (wanted === undefined) {
      if (parentCode !== undefined) problems.push({ ...at(u, 'parent_code'), code: 'LG_ERR_WRONG_LEVEL', value: String(parentCode), reason: 'the country has no parent unit' });
      continue;
    }
    if (parentCode === undefined) continue; // already reported as a missing required value
    const parent = byCode.get(String(parentCode));
    if (!parent) {
      problems.push({ ...at(u, 'parent_code'), code: 'LG_ERR_UNKNOWN_CODE', value: String(parentCode), reason: `no ${wanted} has this code` });
    } else if (parent.level !== wanted) {
      problems.push({ ...at(u, 'parent_code'), code: 'LG_ERR_WRONG_LEVEL', value: String(parentCode), reason: `the parent of a ${u.level} must be a ${wanted}, but this code is a ${parent.level}` });
    } else if (isRetired(parent) && !isRetired(u)) {
      problems.push({
        ...at(u, 'parent_code'), code: 'LG_ERR_RETIRED_CODE', value: String(parentCode),
        reason: `"${String(parent.values.name_en)}" was retired on ${String(parent.values.retired_on)}; give this unit the ${wanted} it now belongs to`,
      });
    }
  }
  append(problems, checkSuccessors(units, byCode));
  return problems;
}

function checkSuccessors(units: UnitRow[], byCode: Map<string, UnitRow>): Problem[] {
  const problems: Problem[] = [];
  for (const u of units) {
    if (byCode.get(String(u.values.code)) !== u) continue;
    const successor = u.values.replaced_by;
    if (successor === undefined) continue;
    const value = String(successor);
    if (!isRetired(u)) {
      problems.push({ ...at(u, 'replaced_by'), code: 'LG_ERR_BAD_VALUE', value, reason: 'only a retired unit has a successor: fill "Retired on" too, or empty this cell' });
      continue;
    }
    const next = byCode.get(value);
    if (!next) problems.push({ ...at(u, 'replaced_by'), code: 'LG_ERR_UNKNOWN_CODE', value, reason: `no ${u.level} has this code` });
    else if (next.level !== u.level) problems.push({ ...at(u, 'replaced_by'), code: 'LG_ERR_WRONG_LEVEL', value, reason: `a ${u.level} is replaced by a ${u.level}, but this code is a ${next.level}` });
    else if (next === u) problems.push({ ...at(u, 'replaced_by'), code: 'LG_ERR_BAD_VALUE', value, reason: 'a unit cannot replace itself' });
    else if (isRetired(next)) {
      problems.push({
        ...at(u, 'replaced_by'), code: 'LG_ERR_RETIRED_CODE', value,
        reason: `"${String(next.values.name_en)}" was retired too (on ${String(next.values.retired_on)}); give the unit that exists today${next.values.replaced_by !== undefined ? `, ${String(next.values.replaced_by)}` : ''}`,
      });
    }
  }
  return problems;
}
