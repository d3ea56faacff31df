import type { ErrorCode, Problem } from '../errors.js';
import { type Cell, type Sheet, isBlank } from './cell.js';
import { type Indicator, matchIndicator } from './indicators.js';
import type { ColumnSpec, Level, WideLayout } from './layout.js';
import { locateHeader } from './locate-header.js';
import { cleanText, nameKey, parseCode, parseYear, shortened } from './parse-value.js';
import type { ReadResult } from './read-units.js';
import { rowSchema } from './row-schema.js';
import type { AreaRule, NameResolution } from './unit-directory.js';
import { latinKey } from '../describe/latin-key.js';

/** One figure of a wide statistics sheet: a unit, an indicator, a year, a value, and where it was. */
export interface ObservationRow {
  unitCode: string;
  unitLevel: Level;
  indicator: Indicator;
  year: number;
  value: number;
  file: string;
  sheet?: string;
  row: number;
  column: string;
}

/**
 * What the statistics reader needs to know of the units: level and every label, by code;
 * `retiredOn` is set for a unit that no longer exists (no new figures for it).
 */
export type UnitIndex = Map<string, { level: Level; labels: string[]; retiredOn?: string; successor?: string }>;

interface ValueColumn {
  col: number;
  indicator: Indicator;
  year: number;
}

/**
 * Reads the wide layout: title row(s), a header row (code, name, one merged cell per indicator),
 * a row of years, one row per unit, a totals row. Rows below the totals row may hold footnotes,
 * but not units.
 */
export interface WideSheetContext {
  indicators: Indicator[];
  units: UnitIndex;
  /**
   * Uploads only (officials' workbooks, overlays): a unit may be named by one of its names instead
   * of its code, in the code column or, with the code left blank, in the name column; the code
   * column may then be missing altogether. Seed files keep requiring codes.
   */
  resolveName?: (name: string) => NameResolution;
  /** Uploads only: figures are accepted only for units of this area. */
  area?: AreaRule;
  /** Uploads only: the dataset's topic (notation); an indicator of another topic is refused. */
  topic?: string;
}

export function readWideSheet(sheet: Sheet, layout: WideLayout, ctx: WideSheetContext): ReadResult<ObservationRow> {
  const where = { file: sheet.file, ...(sheet.sheet !== undefined ? { sheet: sheet.sheet } : {}) };
  const header = locateHeader(sheet, [
    { key: 'code', headers: layout.codeHeaders, required: ctx.resolveName === undefined },
    { key: 'name', headers: layout.nameHeaders, required: true },
  ], { allowUnknown: true });
  if (Array.isArray(header)) return { rows: [], problems: header };
  // Without name resolution the code column is required, so it is found; with it, it may be absent.
  const codeCol = header.columns.get('code') ?? (ctx.resolveName === undefined ? 0 : -1);
  const nameCol = header.columns.get('name') ?? 1;
  const headerRow = sheet.rows[header.row] ?? [];
  const yearRow = sheet.rows[header.row + 1] ?? [];
  const problems: Problem[] = [];

  const columns: ValueColumn[] = [];
  const seen = new Map<string, number>();
  // Columns whose header was refused: the other columns of the same merged header are not reported again.
  const refused = new Set<number>();
  const width = sheet.rows.reduce((w, r) => Math.max(w, r.length), 0);
  for (let c = 0; c < width; c++) {
    if (c === codeCol || c === nameCol) continue;
    const head = headerRow[c];
    const yearCell = yearRow[c];
    const at = { ...where, row: header.row + 1, column: sheet.columnLabel(c) };
    if (isBlank(head)) {
      const used = sheet.rows.slice(header.row + 2).some((r) => !isBlank(r[c]));
      if (used) problems.push({ ...at, code: 'LG_ERR_MISSING_COLUMN', reason: 'this column has values but no indicator header' });
      continue;
    }
    const text = cleanText(head?.value ?? null);
    if (head?.mergedFromColumn !== undefined && refused.has(head.mergedFromColumn)) continue;
    const indicator = matchIndicator(text, ctx.indicators);
    if (!indicator) {
      refused.add(c);
      problems.push({ ...at, code: 'LG_ERR_UNKNOWN_COLUMN', value: text, reason: 'no indicator of the vocabulary has this name; add it to vocab/indicators.ttl or fix the header' });
      continue;
    }
    if (ctx.topic !== undefined && indicator.topicId !== ctx.topic) {
      refused.add(c);
      problems.push({ ...at, code: 'LG_ERR_UNKNOWN_COLUMN', value: text, reason: `"${indicator.labels.en ?? indicator.id}" is an indicator of the topic "${indicator.topicId}", not of this dataset ("${ctx.topic}"); upload it with that dataset` });
      continue;
    }
    const year = parseYear(yearCell?.value ?? null);
    if (!year.ok) {
      problems.push({ ...at, row: header.row + 2, code: 'LG_ERR_BAD_VALUE', value: cleanText(yearCell?.value ?? null), reason: `the year under "${text}": ${year.reason}` });
      continue;
    }
    const key = `${indicator.id}|${year.value}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ ...at, code: 'LG_ERR_DUPLICATE_COLUMN', reason: `column ${sheet.columnLabel(first)} already holds "${text}" for ${year.value}` });
      continue;
    }
    seen.set(key, c);
    columns.push({ col: c, indicator, year: year.value });
  }

  const specs: Record<string, ColumnSpec> = {};
  for (const v of columns) {
    specs[String(v.col)] = { headers: [v.indicator.id], type: v.indicator.datatype === 'integer' ? 'count' : 'decimal', required: false, predicate: 'ind:x' };
  }
  const schema = rowSchema(specs);
  const totals = new Set(layout.totalsLabels.map(nameKey));
  const rows: ObservationRow[] = [];
  let afterTotals = false;

  for (let r = header.row + 2; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r] ?? [];
    if (cells.every((c) => isBlank(c))) continue;
    const at = { ...where, row: r + 1 };
    const codeCell = codeCol >= 0 ? cells[codeCol] : undefined;
    const name = cleanText(cells[nameCol]?.value ?? null);
    if (name.length > layout.nameMaxLength) {
      problems.push({ ...at, column: sheet.columnLabel(nameCol), code: 'LG_ERR_TEXT_TOO_LONG', value: shortened(name), reason: `the name has ${name.length} characters; a unit's name has at most ${layout.nameMaxLength}` });
      continue;
    }
    if (isBlank(codeCell) && totals.has(nameKey(name))) {
      afterTotals = true; // the district's own total is not a figure of any unit in the list
      continue;
    }
    if (afterTotals) {
      if (!isBlank(codeCell)) problems.push({ ...at, column: sheet.columnLabel(codeCol), code: 'LG_ERR_BAD_VALUE', value: cleanText(codeCell?.value ?? null), reason: 'a unit row below the totals row; move it above the totals' });
      continue; // footnotes below the totals row
    }
    // Where the unit was named: the code column, or the name column when a name stands in for a blank code.
    const unitCol = codeCol >= 0 && (!isBlank(codeCell) || ctx.resolveName === undefined) ? codeCol : nameCol;
    const code = identify(codeCell, name, ctx.resolveName);
    if (!code.ok) {
      problems.push({ ...at, column: sheet.columnLabel(unitCol), code: code.code, value: code.value, reason: code.reason });
      continue;
    }
    const unit = ctx.units.get(code.value);
    if (!unit) {
      problems.push({ ...at, column: sheet.columnLabel(unitCol), code: 'LG_ERR_UNKNOWN_CODE', value: code.value, reason: 'no administrative unit has this code (see data/units)' });
      continue;
    }
    if (ctx.area && !ctx.area.contains(code.value)) {
      problems.push({ ...at, column: sheet.columnLabel(unitCol), code: 'LG_ERR_OUTSIDE_AREA', value: cleanText(cells[unitCol]?.value ?? null), reason: `${code.value} (${unit.labels[0] ?? ''}) is not in ${ctx.area.label}, the area you publish for` });
      continue;
    }
    // The name beside a code confirms it: any published label, also written in the other script
    // ("Норин" for Norin, whose only published name is English: one Latin spelling, latin-key.ts).
    if (!code.byName && name !== '' && !unit.labels.some((l) => nameKey(l) === nameKey(name) || latinKey(l) === latinKey(name))) {
      problems.push({ ...at, column: sheet.columnLabel(nameCol), code: 'LG_ERR_NAME_MISMATCH', value: name, reason: `code ${code.value} is "${unit.labels[0] ?? ''}"; check the code or the name` });
      continue;
    }
    const raw: Record<string, string | number | boolean | Date | null> = Object.fromEntries(columns.map((v) => [String(v.col), null]));
    for (const v of columns) {
      const cell = cells[v.col];
      if (cell?.formula !== undefined || cell?.error !== undefined) {
        problems.push({ ...at, column: sheet.columnLabel(v.col), code: 'LG_ERR_FORMULA', value: cell.formula ?? cell.error ?? '', reason: cell.formula !== undefined ? 'the cell holds a formula; type the value itself (copy, then "paste values")' : 'the cell holds a spreadsheet error value' });
        continue;
      }
      raw[String(v.col)] = cell?.value ?? null;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const col = Number(issue.path[0]);
        const ind = columns.find((v) => v.col === col);
        problems.push({ ...at, column: sheet.columnLabel(col), code: 'LG_ERR_BAD_VALUE', value: String(raw[String(col)] ?? ''), reason: `${ind?.indicator.labels.en ?? ''} ${ind?.year ?? ''}: ${issue.message}` });
      }
      continue;
    }
    for (const v of columns) {
      const value = parsed.data[String(v.col)];
      if (typeof value !== 'number') continue;
      if (v.indicator.max !== undefined && value > v.indicator.max) {
        problems.push({ ...at, column: sheet.columnLabel(v.col), code: 'LG_ERR_BAD_VALUE', value: String(value), reason: `${v.indicator.labels.en ?? v.indicator.id} is a percentage, at most ${v.indicator.max}` });
        continue;
      }
      // A retired unit keeps the figures of the years it existed in (some of); later ones belong elsewhere.
      if (unit.retiredOn !== undefined && `${v.year}-01-01` >= unit.retiredOn) {
        const next = unit.successor !== undefined ? `; give it to ${unit.successor}, the unit that replaced it` : '';
        problems.push({ ...at, column: sheet.columnLabel(v.col), code: 'LG_ERR_RETIRED_CODE', value: String(value), reason: `a figure for ${v.year}, but ${code.value} was retired on ${unit.retiredOn}${next}` });
        continue;
      }
      rows.push({ unitCode: code.value, unitLevel: unit.level, indicator: v.indicator, year: v.year, value, ...where, row: r + 1, column: sheet.columnLabel(v.col) });
    }
  }
  return { rows, problems };
}

type Identified =
  | { ok: true; value: string; byName: boolean }
  | { ok: false; code: Extract<ErrorCode, 'LG_ERR_BAD_VALUE' | 'LG_ERR_UNKNOWN_CODE' | 'LG_ERR_AMBIGUOUS_NAME' | 'LG_ERR_OUTSIDE_AREA'>; value: string; reason: string };

/**
 * The unit a row is about. Its code, as always; with name resolution (uploads), also a name in the
 * code column (what is not a code's form is taken for a name) or, the code left blank, the name
 * column's name. A cell that is neither a code nor a known name keeps the code's reason too, since
 * a mistyped code is the likelier mistake in a code column.
 */
function identify(codeCell: Cell | undefined, name: string, resolve: WideSheetContext['resolveName']): Identified {
  const written = cleanText(codeCell?.value ?? null);
  const code = parseCode(codeCell?.value ?? null);
  if (code.ok) return { ok: true, value: code.value, byName: false };
  if (resolve === undefined) return { ok: false, code: 'LG_ERR_BAD_VALUE', value: written, reason: code.reason };
  const asName = written !== '' ? written : name;
  if (asName === '') return { ok: false, code: 'LG_ERR_BAD_VALUE', value: '', reason: 'give the unit\'s code, or its name in the name column' };
  const found = resolve(asName);
  if (found.ok) return { ok: true, value: found.code, byName: true };
  if (found.code === 'LG_ERR_UNKNOWN_CODE' && written !== '') {
    return { ok: false, code: found.code, value: written, reason: `not a code (${code.reason}), and ${found.reason}` };
  }
  return { ok: false, code: found.code, value: asName, reason: found.reason };
}
