/**
 * One spreadsheet cell as the converter sees it, whatever the file format. Values keep the type
 * the file gave them (an XLSX number stays a number, a CSV cell is always text) so the parsers in
 * `parse-value.ts` can tell "12 000" typed as text from 12000 typed as a number.
 */
export type CellValue = string | number | boolean | Date | null;

export interface Cell {
  value: CellValue;
  /** The cell holds a formula: its cached result is not trusted (design: reject what is uncertain). */
  formula?: string;
  /** Spreadsheet error value such as #REF! or #DIV/0!. */
  error?: string;
  /**
   * For a cell covered by a merged range but not its top-left (master) cell: the master's 0-based
   * column, so a problem with the merged header is reported once, at the master, not per column.
   */
  mergedFromColumn?: number;
}

export interface Sheet {
  /** File name as given to the converter (relative to the data directory). */
  file: string;
  /** Sheet name; undefined for CSV. */
  sheet?: string;
  /** rows[r][c], 0-based; row r is spreadsheet row r+1. Merged cells carry their master's value. */
  rows: Cell[][];
  /** Column label for a 0-based column index: "C" for XLSX, the header text for CSV. */
  columnLabel: (col: number) => string;
}

export function columnLetter(col: number): string {
  let s = '';
  let n = col + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function isBlank(cell: Cell | undefined): boolean {
  if (!cell) return true;
  if (cell.formula !== undefined || cell.error !== undefined) return false;
  const v = cell.value;
  return v === null || (typeof v === 'string' && v.trim() === '');
}
