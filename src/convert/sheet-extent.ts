import type { Problem } from '../errors.js';

/** The largest sheet read (MAX_SHEET_ROWS, MAX_SHEET_COLUMNS, MAX_SHEET_CELLS in config.ts). */
export interface SheetLimits {
  maxSheetRows: number;
  maxSheetColumns: number;
  maxSheetCells: number;
}

/** How far a sheet reaches and how many cells it really holds. */
export interface SheetExtent {
  /** The last row used (1-based), or 0. */
  rows: number;
  /** The last column used (1-based), or 0. */
  columns: number;
  /** `<c>` elements in the XML, or cells read: what a reader must walk, whatever their positions. */
  cells: number;
}

/**
 * Why a sheet is too large to read, or undefined. Rows × columns is bounded too: the converter
 * holds a sheet as a full grid, so one cell far right and one far down cost their product.
 */
export function sheetTooLarge(extent: SheetExtent, limits: SheetLimits): string | undefined {
  const { rows, columns, cells } = extent;
  if (rows > limits.maxSheetRows) return `the sheet reaches row ${rows}; at most ${limits.maxSheetRows} rows are read (MAX_SHEET_ROWS)`;
  if (columns > limits.maxSheetColumns) return `the sheet reaches column ${columns}; at most ${limits.maxSheetColumns} columns are read (MAX_SHEET_COLUMNS)`;
  const grid = rows * columns;
  if (Math.max(grid, cells) > limits.maxSheetCells) {
    return `the sheet spans ${rows} rows × ${columns} columns (${Math.max(grid, cells)} cells); at most ${limits.maxSheetCells} cells are read (MAX_SHEET_CELLS)`;
  }
  return undefined;
}

/** The problem naming the sheet (undefined for a CSV file, which has none) that is too large. */
export function sheetTooLargeProblem(file: string, sheet: string | undefined, extent: SheetExtent, limits: SheetLimits): Problem | undefined {
  const reason = sheetTooLarge(extent, limits);
  return reason === undefined ? undefined : {
    code: 'LG_ERR_SHEET_TOO_LARGE',
    file,
    ...(sheet !== undefined ? { sheet } : {}),
    reason: `${reason}; delete the rows and columns beyond the table (select them, then "Delete", not only clear their contents)`,
  };
}

/** 'AB' -> 28; undefined for anything that is not 1-3 capital letters. */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

// A start tag of <row> or <c> (not <cols>, <col>, <cfRule>...) with its attributes; a prefixed
// name (<x:c>) is not matched, as exceljs does not read one either.
const TAG = /<(row|c)(?=[\s/>])([^>]*)>/g;
const R_ATTR = /\sr\s*=\s*["']([A-Z]{0,3})(\d{0,8})["']/;
/** A tag longer than this is not a cell or row tag the scanner has to keep whole across chunks. */
const MAX_CARRY = 4096;

/**
 * Measures a worksheet's XML while it streams past, without parsing it into anything: the rows
 * and columns its `<row r>` and `<c r>` elements reach (a missing `r` means the next one, as the
 * format says) and how many `<c>` elements there are. The XML's own `<dimension ref>` is not
 * trusted: it is whatever the writer claimed. Cost is linear in the bytes, memory a few KB.
 */
export class SheetExtentScanner {
  private carry = '';
  private row = 0;
  private col = 0;
  private readonly extent: SheetExtent = { rows: 0, columns: 0, cells: 0 };

  push(chunk: Buffer): void {
    // latin1 keeps every byte one character: tags are ASCII, and a UTF-8 sequence split between
    // chunks cannot break the match.
    const text = this.carry + chunk.toString('latin1');
    let consumed = 0;
    TAG.lastIndex = 0;
    for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
      this.tag(m[1] === 'row', m[2] ?? '');
      consumed = TAG.lastIndex;
    }
    // Keep an unfinished tag for the next chunk; a "tag" that never ends is not one.
    const open = text.lastIndexOf('<');
    this.carry = open >= consumed && text.indexOf('>', open) < 0 ? text.slice(open, open + MAX_CARRY) : '';
  }

  private tag(isRow: boolean, attributes: string): void {
    const r = R_ATTR.exec(attributes);
    if (isRow) {
      this.row = r?.[2] ? Number(r[2]) : this.row + 1;
      this.col = 0;
    } else {
      this.extent.cells++;
      if (r?.[1]) this.col = columnNumber(r[1]);
      else this.col++;
      if (r?.[2]) this.row = Math.max(this.row, Number(r[2]));
      this.extent.columns = Math.max(this.extent.columns, this.col);
    }
    this.extent.rows = Math.max(this.extent.rows, this.row);
  }

  result(): SheetExtent {
    return { ...this.extent };
  }
}
