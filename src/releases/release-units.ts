/**
 * The administrative units of one build, as `units.json` beside its data.nq: what the officials'
 * area needs to know of the units (templates, names in uploads, areas) without loading the store or
 * reading the units workbooks again. Written by writeBuild from the converter's own unit rows, so it
 * always describes exactly the units that build publishes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { Level } from '../convert/layout.js';
import type { UnitRow } from '../convert/read-units.js';

export interface ReleaseUnit {
  code: string;
  level: Level;
  /** The class the units workbook gives it, as a CURIE (lg:Jamoat, lg:Town, lg:District, ...), also for a retired unit. */
  type: string;
  /** The containing unit's code (null for the country). */
  parent: string | null;
  labels: { tg?: string; ru?: string; en?: string };
  /** Other published names (former names, skos:hiddenLabel): an official may still write one. */
  altLabels: string[];
  /** The day it ceased to exist (xsd:date), or null. */
  retiredOn: string | null;
  /** For a retired unit: the code of the unit that replaced it, if any. */
  replacedBy: string | null;
}

/** The file name inside a build directory. */
export const UNITS_FILE = 'units.json';

const LEVELS = ['country', 'region', 'district', 'jamoat'] as const;
const optionalText = z.optional(z.string());
const unitSchema = z.object({
  code: z.string(),
  level: z.enum(LEVELS),
  type: z.string(),
  parent: z.nullable(z.string()),
  labels: z.object({ tg: optionalText, ru: optionalText, en: optionalText }),
  altLabels: z.array(z.string()),
  retiredOn: z.nullable(z.string()),
  // Absent in a file written before the field existed: read as "no successor".
  replacedBy: z._default(z.nullable(z.string()), null),
});

/** The units of the build in `buildDir` (its units.json), checked against the type above. */
export async function readReleaseUnits(buildDir: string): Promise<ReleaseUnit[]> {
  const path = join(buildDir, UNITS_FILE);
  const parsed = z.array(unitSchema).safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a list of units: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // zod/mini keeps absent optional keys absent, which is the shape of ReleaseUnit['labels'].
  return parsed.data.map((u) => ({
    code: u.code, level: u.level, type: u.type, parent: u.parent, altLabels: u.altLabels, retiredOn: u.retiredOn, replacedBy: u.replacedBy,
    labels: {
      ...(u.labels.tg !== undefined ? { tg: u.labels.tg } : {}),
      ...(u.labels.ru !== undefined ? { ru: u.labels.ru } : {}),
      ...(u.labels.en !== undefined ? { en: u.labels.en } : {}),
    },
  }));
}

/** The converter's unit rows (every level, retired ones included) as ReleaseUnits, sorted by code. */
export function releaseUnitsOf(rows: readonly UnitRow[]): ReleaseUnit[] {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const units = rows.map((u): ReleaseUnit => {
    const v = u.values;
    const tg = text(v.name_tg);
    const ru = text(v.name_ru);
    const en = text(v.name_en);
    return {
      code: String(v.code),
      level: u.level,
      type: String(v.type),
      parent: text(v.parent_code) ?? null,
      labels: { ...(tg !== undefined ? { tg } : {}), ...(ru !== undefined ? { ru } : {}), ...(en !== undefined ? { en } : {}) },
      altLabels: Array.isArray(v.former_names) ? v.former_names.filter((n): n is string => typeof n === 'string') : [],
      retiredOn: text(v.retired_on) ?? null,
      replacedBy: text(v.replaced_by) ?? null,
    };
  });
  return units.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
