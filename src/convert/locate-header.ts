import type { Problem } from '../errors.js';
import { type Sheet, isBlank } from './cell.js';
import { cleanText, nameKey } from './parse-value.js';

export interface HeaderColumn {
  key: string;
  headers: string[];
  required: boolean;
}

export interface HeaderMatch {
  /** 0-based index of the header row. */
  row: number;
  /** Column index of each key found. */
  columns: Map<string, number>;
}

/** Officials put a title (and sometimes a blank line) above the header; look this far down. */
const HEADER_SEARCH_ROWS = 10;

/**
 * Finds the header row: the first of the sheet's first rows that holds every required column.
 * Header texts match case- and space-insensitively. Merged title cells repeat the title in every
 * column, so a title row never matches.
 */
export function locateHeader(sheet: Sheet, spec: HeaderColumn[], opts: { allowUnknown?: boolean } = {}): HeaderMatch | Problem[] {
  const byText = new Map<string, string>();
  for (const col of spec) for (const h of col.headers) byText.set(nameKey(h), col.key);
  const where = { file: sheet.file, ...(sheet.sheet !== undefined ? { sheet: sheet.sheet } : {}) };

  let best: { row: number; found: Map<string, number> } | undefined;
  const limit = Math.min(HEADER_SEARCH_ROWS, sheet.rows.length);
  for (let r = 0; r < limit; r++) {
    const found = new Map<string, number>();
    sheet.rows[r]?.forEach((cell, c) => {
      const key = byText.get(nameKey(cleanText(cell.value)));
      if (key !== undefined && !found.has(key)) found.set(key, c);
    });
    if (!best || found.size > best.found.size) best = { row: r, found };
    if (spec.every((s) => !s.required || found.has(s.key))) {
      const problems = checkHeaderRow(sheet, r, byText, opts.allowUnknown ?? false);
      return problems.length > 0 ? problems : { row: r, columns: found };
    }
  }
  const missing = spec.filter((s) => s.required && !best?.found.has(s.key));
  if (!best || best.found.size === 0) {
    return [{
      ...where,
      code: 'LG_ERR_MISSING_COLUMN',
      reason: `no header row found in the first ${HEADER_SEARCH_ROWS} rows; expected columns ${missing.map((m) => `"${m.headers[0]}"`).join(', ')}`,
    }];
  }
  return missing.map((m) => ({
    ...where,
    code: 'LG_ERR_MISSING_COLUMN' as const,
    row: best.row + 1,
    reason: `the required column "${m.headers[0]}" is missing (accepted headers: ${m.headers.map((h) => `"${h}"`).join(', ')})`,
  }));
}

function checkHeaderRow(sheet: Sheet, r: number, byText: Map<string, string>, allowUnknown: boolean): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  sheet.rows[r]?.forEach((cell, c) => {
    if (isBlank(cell)) return;
    const text = cleanText(cell.value);
    const key = byText.get(nameKey(text));
    const at = { file: sheet.file, ...(sheet.sheet !== undefined ? { sheet: sheet.sheet } : {}), row: r + 1, column: sheet.columnLabel(c), value: text };
    if (key === undefined) {
      if (!allowUnknown) problems.push({ ...at, code: 'LG_ERR_UNKNOWN_COLUMN', reason: 'this column header is not in the layout; rename it to a known header or remove the column' });
      return;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ ...at, code: 'LG_ERR_DUPLICATE_COLUMN', reason: `column ${sheet.columnLabel(first)} already means the same thing` });
    } else seen.set(key, c);
  });
  return problems;
}
