import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { type Problem, ProblemsError } from '../errors.js';
import { type Cell, type CellValue, type Sheet, columnLetter, isBlank } from './cell.js';
import { kindOf } from './check-file.js';
import { shortened } from './parse-value.js';
import { type SheetLimits, sheetTooLargeProblem } from './sheet-extent.js';

/**
 * Excel's own limit on a cell's text: a longer one was not typed in Excel. Layout columns bound
 * their text far tighter (row-schema.ts); this bounds every other cell (headers, footnotes).
 */
export const MAX_CELL_TEXT = 32_767;

/**
 * Reads every sheet of an XLSX workbook, or the one table of a CSV file, into `Sheet`s of plain
 * cells. Nothing here interprets values: that is the layouts' job. Call `checkFile` first: it
 * refuses a zip bomb and measures the sheets before exceljs is given them; the limits are checked
 * here again on what exceljs read, so this module is safe on its own. As there, `file`'s extension
 * gives the kind (an upload's bytes are stored without one).
 */
export async function readSheets(path: string, file: string, limits: SheetLimits): Promise<Sheet[]> {
  return kindOf(file) === 'csv' ? [await readCsv(path, file, limits)] : readXlsx(path, file, limits);
}

async function readXlsx(path: string, file: string, limits: SheetLimits): Promise<Sheet[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares a Buffer type of its own: the same bytes.
    await workbook.xlsx.load((await readFile(path)) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (e) {
    throw new ProblemsError([{
      code: 'LG_ERR_NOT_A_SPREADSHEET',
      file,
      reason: `the workbook cannot be read: ${(e as Error).message}`,
    }]);
  }
  const sheets: Sheet[] = [];
  const problems: Problem[] = [];
  workbook.eachSheet((ws) => {
    const read = readWorksheet(ws, file, limits);
    if ('problems' in read) append(problems, read.problems);
    else if (read.sheet) sheets.push(read.sheet);
  });
  if (problems.length > 0) throw new ProblemsError(problems);
  return sheets;
}

function append(into: Problem[], more: Problem[]): void {
  for (const p of more) into.push(p);
}

/**
 * One worksheet as a grid of cells, walking only the cells exceljs holds (asking exceljs for
 * `columnCount` per cell rescans every row: one value in A1048576 made that quadratic). A hidden
 * sheet gives no sheet, but one holding data is an error: its rows would silently go missing.
 */
function readWorksheet(ws: ExcelJS.Worksheet, file: string, limits: SheetLimits): { sheet?: Sheet } | { problems: Problem[] } {
  let rows = 0;
  let columns = 0;
  let count = 0;
  const present: { r: number; c: number; cell: ExcelJS.Cell }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      rows = Math.max(rows, r);
      columns = Math.max(columns, c);
      count++;
      // Past the limit nothing more is kept: the sheet is refused below.
      if (count <= limits.maxSheetCells) present.push({ r, c, cell });
    });
  });
  const tooLarge = sheetTooLargeProblem(file, ws.name, { rows, columns, cells: count }, limits);
  if (tooLarge) return { problems: [tooLarge] };

  const grid: Cell[][] = Array.from({ length: rows }, () => Array.from({ length: columns }, (): Cell => ({ value: null })));
  const problems: Problem[] = [];
  for (const { r, c, cell } of present) {
    const source = cell.isMerged ? cell.master : cell;
    const read = toCell(source.value);
    if (source !== cell && source.row === cell.row) read.mergedFromColumn = Number(source.col) - 1;
    if (typeof read.value === 'string' && read.value.length > MAX_CELL_TEXT) {
      problems.push(cellTooLong(file, ws.name, r, columnLetter(c - 1), read.value));
      read.value = null;
    }
    grid[r - 1]![c - 1] = read;
  }
  if (ws.state !== 'visible') {
    if (present.some(({ cell }) => !isBlank(toCell(cell.value)))) {
      problems.push({
        code: 'LG_ERR_HIDDEN_SHEET',
        file,
        sheet: ws.name,
        reason: `the sheet is ${ws.state === 'veryHidden' ? 'very hidden' : 'hidden'} and holds data, which would be left out without a word; unhide it (right-click a sheet tab, "Unhide"), or move what it holds to another workbook`,
      });
    }
    return problems.length > 0 ? { problems } : {};
  }
  if (problems.length > 0) return { problems };
  return { sheet: { file, sheet: ws.name, rows: grid, columnLabel: columnLetter } };
}

function cellTooLong(file: string, sheet: string | undefined, row: number, column: string, text: string): Problem {
  return {
    code: 'LG_ERR_TEXT_TOO_LONG',
    file,
    ...(sheet !== undefined ? { sheet } : {}),
    row,
    column,
    value: shortened(text),
    reason: `the cell holds ${text.length} characters; a cell holds at most ${MAX_CELL_TEXT} (Excel's own limit)`,
  };
}

/** exceljs's value union (rich text, hyperlinks, formulas, errors) down to one plain cell. */
function toCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return { value: null };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) {
    return { value: v };
  }
  if ('formula' in v || 'sharedFormula' in v) {
    const f = 'formula' in v ? v.formula : v.sharedFormula;
    const result = v.result;
    const value: CellValue =
      result === undefined || result === null || typeof result === 'object' && !(result instanceof Date)
        ? null
        : result;
    return { value, formula: `=${f}` };
  }
  if ('error' in v) return { value: null, error: v.error };
  if ('richText' in v) return { value: v.richText.map((t) => t.text).join('') };
  if ('text' in v) return { value: typeof v.text === 'string' ? v.text : null };
  return { value: null };
}

async function readCsv(path: string, file: string, limits: SheetLimits): Promise<Sheet> {
  const bytes = await readFile(path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProblemsError([{
      code: 'LG_ERR_BAD_ENCODING',
      file,
      reason: 'the CSV file is not UTF-8; in Excel use "Save as > CSV UTF-8 (comma delimited)"',
    }]);
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ProblemsError([{ code: 'LG_ERR_FILE_EMPTY', file, reason: 'the CSV file has no rows' }]);
  const delimiter = guessDelimiter(text);
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new ProblemsError([{
      code: 'LG_ERR_NOT_A_SPREADSHEET',
      file,
      ...(err.lines !== undefined ? { row: err.lines } : {}),
      reason: `the CSV cannot be parsed: ${err.message}`,
    }]);
  }
  // A header and nothing under it is as empty as no bytes: say so, naming this file, rather than
  // let only the rows of other files that depend on it fail.
  if (records.filter((rec) => rec.some((v) => v.trim() !== '')).length <= 1) {
    throw new ProblemsError([{ code: 'LG_ERR_FILE_EMPTY', file, reason: 'the CSV file has a header row but no data rows' }]);
  }
  const columns = records.reduce((w, rec) => Math.max(w, rec.length), 0);
  const tooLarge = sheetTooLargeProblem(file, undefined, { rows: records.length, columns, cells: 0 }, limits);
  if (tooLarge) throw new ProblemsError([tooLarge]);
  const long: Problem[] = [];
  records.forEach((rec, r) => rec.forEach((v, c) => {
    if (v.length > MAX_CELL_TEXT) long.push(cellTooLong(file, undefined, r + 1, records[0]?.[c]?.trim() || columnLetter(c), v));
  }));
  if (long.length > 0) throw new ProblemsError(long);
  const header = records[0] ?? [];
  const rows = records.map((rec) => rec.map((v): Cell => ({ value: v })));
  return {
    file,
    rows,
    columnLabel: (col) => header[col]?.trim() || columnLetter(col),
  };
}

/**
 * Excel writes CSV with ";" in locales whose decimal mark is a comma (Russian, Tajik). The first
 * line is the header, which has no decimals, so whichever of the two occurs there is the delimiter.
 */
function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** A CSV sheet's header texts (its `columnLabel`s), each with its column letter; the first wins. */
export function csvColumnLetters(sheet: Sheet): Map<string, string> {
  const letters = new Map<string, string>();
  const width = sheet.rows[0]?.length ?? 0;
  for (let c = 0; c < width; c++) {
    const label = sheet.columnLabel(c);
    if (!letters.has(label)) letters.set(label, columnLetter(c));
  }
  return letters;
}

/**
 * Adds `columnLetter` to the problems of CSV files (no sheet, `column` a header), keyed by file:
 * `column` keeps the header, as the upload report reads it.
 */
export function withCsvColumnLetters(problems: Problem[], lettersByFile: ReadonlyMap<string, ReadonlyMap<string, string>>): Problem[] {
  return problems.map((p) => {
    if (p.sheet !== undefined || p.column === undefined || p.columnLetter !== undefined) return p;
    const letter = lettersByFile.get(p.file)?.get(p.column);
    return letter !== undefined ? { ...p, columnLetter: letter } : p;
  });
}
