import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { type Problem, ProblemsError } from '../errors.js';
import { type Cell, type CellValue, type Sheet, columnLetter } from './cell.js';
import { kindOf } from './check-file.js';

/**
 * Reads every sheet of an XLSX workbook, or the one table of a CSV file, into `Sheet`s of plain
 * cells. Nothing here interprets values: that is the layouts' job. Call `checkFile` first. As
 * there, `file`'s extension gives the kind (an upload's bytes are stored without one).
 */
export async function readSheets(path: string, file: string): Promise<Sheet[]> {
  return kindOf(file) === 'csv' ? [await readCsv(path, file)] : readXlsx(path, file);
}

async function readXlsx(path: string, file: string): Promise<Sheet[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (e) {
    throw new ProblemsError([{
      code: 'LG_ERR_NOT_A_SPREADSHEET',
      file,
      reason: `the workbook cannot be read: ${(e as Error).message}`,
    }]);
  }
  const sheets: Sheet[] = [];
  workbook.eachSheet((ws) => {
    if (ws.state !== 'visible') return; // hidden helper sheets are not data
    const rows: Cell[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: Cell[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        const cell = row.getCell(c);
        const source = cell.isMerged ? cell.master : cell;
        const read = toCell(source.value);
        if (source !== cell && source.row === cell.row) read.mergedFromColumn = Number(source.col) - 1;
        cells.push(read);
      }
      rows.push(cells);
    }
    sheets.push({ file, sheet: ws.name, rows, columnLabel: columnLetter });
  });
  return sheets;
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

async function readCsv(path: string, file: string): Promise<Sheet> {
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
