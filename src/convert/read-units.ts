import type { Problem } from '../errors.js';
import { type Sheet, isBlank } from './cell.js';
import type { Level, UnitsLayout } from './layout.js';
import { locateHeader } from './locate-header.js';
import { shortened } from './parse-value.js';
import { type UnitRowValues, issueCode, rowSchema } from './row-schema.js';

/** One administrative unit as read from one spreadsheet row, before cross-row checks. */
export interface UnitRow {
  level: Level;
  file: string;
  sheet?: string;
  /** 1-based row number in the sheet. */
  row: number;
  /** Column letter or header per column key, for error messages. */
  columnOf: Record<string, string>;
  values: UnitRowValues;
  /**
   * The row had bad cells (already reported). It is kept, with those cells left out, so that its
   * code still counts as known: one typo must not cascade into "unknown parent" errors for every
   * jamoat below it.
   */
  rejected?: true;
}

export interface ReadResult<T> {
  rows: T[];
  problems: Problem[];
}

/** Rows of one units sheet: header located, blank rows skipped, every cell checked by the row schema. */
export function readUnitRows(sheet: Sheet, layout: UnitsLayout, level: Level): ReadResult<UnitRow> {
  const spec = Object.entries(layout.columns).map(([key, c]) => ({
    key,
    headers: c.headers,
    // The country has no parent; every other level must give one.
    required: c.required || (c.role === 'parent' && level !== 'country'),
  }));
  const header = locateHeader(sheet, spec);
  if (Array.isArray(header)) return { rows: [], problems: header };

  const schema = rowSchema(
    Object.fromEntries(Object.entries(layout.columns).map(([k, c]) => [k, { ...c, required: spec.find((s) => s.key === k)?.required ?? false }])),
  );
  const columnOf: Record<string, string> = {};
  for (const [key, col] of header.columns) columnOf[key] = sheet.columnLabel(col);
  const where = { file: sheet.file, ...(sheet.sheet !== undefined ? { sheet: sheet.sheet } : {}) };

  const rows: UnitRow[] = [];
  const problems: Problem[] = [];
  for (let r = header.row + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r] ?? [];
    if (cells.every((c) => isBlank(c))) continue;
    // Every declared column gets a value, so the row schema can tell "absent" from "not required".
    const raw: Record<string, string | number | boolean | Date | null> = Object.fromEntries(Object.keys(layout.columns).map((k) => [k, null]));
    let rowOk = true;
    for (const [key, col] of header.columns) {
      const cell = cells[col];
      if (cell?.formula !== undefined || cell?.error !== undefined) {
        rowOk = false;
        problems.push({
          ...where, row: r + 1, column: sheet.columnLabel(col), code: 'LG_ERR_FORMULA',
          value: cell.formula ?? cell.error ?? '',
          reason: cell.formula !== undefined
            ? 'the cell holds a formula; type the value itself (copy, then "paste values")'
            : 'the cell holds a spreadsheet error value',
        });
        continue;
      }
      raw[key] = cell?.value ?? null;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const blanked = { ...raw };
      for (const issue of parsed.error.issues) blanked[String(issue.path[0] ?? '')] = null;
      const partial = schema.safeParse(blanked);
      if (partial.success) rows.push({ level, ...where, row: r + 1, columnOf, values: partial.data, rejected: true });
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '');
        const col = header.columns.get(key);
        const value = raw[key];
        const code = issueCode(issue);
        problems.push({
          ...where, row: r + 1, column: col !== undefined ? sheet.columnLabel(col) : key,
          code, reason: issue.message,
          ...(value !== null && value !== undefined ? { value: value instanceof Date ? value.toISOString() : code === 'LG_ERR_TEXT_TOO_LONG' ? shortened(String(value)) : String(value) } : {}),
        });
      }
      continue;
    }
    if (rowOk) rows.push({ level, ...where, row: r + 1, columnOf, values: parsed.data });
  }
  return { rows, problems };
}
