/**
 * An upload's problems as the official reads them: where (sheet, row, the column's letter and its
 * header text), what was there, what is wrong and what to do, in their language. The converter's
 * English reason stays as the detail line (it names the indicator, year, unit or rule), and the
 * LG_ERR_* code stays for machines (the JSON API, tests).
 */
import type { ErrorCode, Problem } from '../errors.js';
import { CODE_TEXT, type ReportLang, UNKNOWN_CODE_TEXT } from './report-strings.js';

export type { ReportLang };

export interface ReportRow {
  code: ErrorCode;
  file: string;
  sheet: string | null;
  /** The spreadsheet row number, as Excel shows it. */
  row: number | null;
  /** The column letter (XLSX) or header (CSV). */
  column: string | null;
  /** The column's header text in the sheet ("Pupils in general education schools (persons), 2024"). */
  header: string | null;
  value: string | null;
  /** What went wrong, in the report's language. */
  reason: string;
  /** What to do about it, in the report's language. */
  action: string;
  /** The converter's own reason, in English. */
  detail: string;
}

/** The key of headersByColumn: a column of a sheet (a CSV has no sheet name). */
export function headerKey(sheet: string | undefined, column: string): string {
  return `${sheet ?? ''}!${column}`;
}

export function reportRows(problems: readonly Problem[], lang: ReportLang, headersByColumn?: ReadonlyMap<string, string>): ReportRow[] {
  return problems.map((p) => {
    const text = CODE_TEXT[p.code] ?? UNKNOWN_CODE_TEXT;
    const header = p.column !== undefined ? (headersByColumn?.get(headerKey(p.sheet, p.column)) ?? null) : null;
    return {
      code: p.code,
      file: p.file,
      sheet: p.sheet ?? null,
      row: p.row ?? null,
      column: p.column ?? null,
      header,
      value: p.value ?? null,
      reason: text.explain[lang],
      action: text.todo[lang],
      detail: p.reason,
    };
  });
}
