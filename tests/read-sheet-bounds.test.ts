import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../src/convert/check-file.js';
import { readSheets } from '../src/convert/read-sheet.js';
import { SheetExtentScanner } from '../src/convert/sheet-extent.js';
import { ProblemsError, type Problem } from '../src/errors.js';
import { LIMITS } from './helpers.js';

/**
 * Issue #14, items 1 and 4: a sheet is read by what it really holds, a sheet beyond the limits is
 * refused by name before its cells are walked, and a hidden sheet holding data is an error.
 */
let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'lg-sheet-bounds-')); });
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function workbook(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = join(dir, name);
  await writeFile(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

async function readProblems(path: string, file: string, limits = LIMITS): Promise<Problem[]> {
  try {
    await readSheets(path, file, limits);
    return [];
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
}

const rowsBeyond: Problem = {
  code: 'LG_ERR_SHEET_TOO_LARGE', file: 'units/jamoats.xlsx', sheet: 'Khatlon',
  reason: 'the sheet reaches row 1048576; at most 100000 rows are read (MAX_SHEET_ROWS); delete the rows and columns beyond the table (select them, then "Delete", not only clear their contents)',
};

describe('a sheet is bounded by what it holds (#14.1)', () => {
  it('one value in A1048576: refused by name, by the file check and by the reader alone', async () => {
    const path = await workbook('far.xlsx', (wb) => {
      const ws = wb.addWorksheet('Khatlon');
      ws.getCell('A1').value = 'Code';
      ws.getCell('A1048576').value = 'x';
    });
    let t = performance.now();
    expect(await checkFile(path, 'units/jamoats.xlsx', LIMITS)).toEqual([rowsBeyond]);
    console.log(`checkFile on A1048576: ${(performance.now() - t).toFixed(0)} ms`);
    // The reader checks what exceljs read too (it hung here: columnCount per cell, rows squared).
    t = performance.now();
    expect(await readProblems(path, 'units/jamoats.xlsx')).toEqual([rowsBeyond]);
    console.log(`readSheets on A1048576: ${(performance.now() - t).toFixed(0)} ms`);
  }, 60_000);

  it('a value far right, and a grid of rows × columns over the cell limit', async () => {
    const path = await workbook('wide.xlsx', (wb) => {
      wb.addWorksheet('Sughd').getCell('XFD1').value = 'x';
      const ws = wb.addWorksheet('GBAO');
      ws.getCell('A1').value = 'a';
      ws.getCell('J20').value = 'b';
    });
    const limits = { ...LIMITS, maxSheetCells: 150 };
    const expected: Problem[] = [{
      code: 'LG_ERR_SHEET_TOO_LARGE', file: 'units/w.xlsx', sheet: 'Sughd',
      reason: 'the sheet reaches column 16384; at most 1000 columns are read (MAX_SHEET_COLUMNS); delete the rows and columns beyond the table (select them, then "Delete", not only clear their contents)',
    }, {
      code: 'LG_ERR_SHEET_TOO_LARGE', file: 'units/w.xlsx', sheet: 'GBAO',
      reason: 'the sheet spans 20 rows × 10 columns (200 cells); at most 150 cells are read (MAX_SHEET_CELLS); delete the rows and columns beyond the table (select them, then "Delete", not only clear their contents)',
    }];
    expect(await checkFile(path, 'units/w.xlsx', limits)).toEqual(expected);
    expect(await readProblems(path, 'units/w.xlsx', limits)).toEqual(expected);
  }, 60_000);

  it('sheets each within the limit that together exceed it: the workbook is refused', async () => {
    const path = await workbook('many.xlsx', (wb) => {
      for (const name of ['A', 'B', 'C']) {
        const ws = wb.addWorksheet(name);
        for (let r = 1; r <= 10; r++) ws.addRow([1, 2, 3, 4, 5]);
      }
    });
    expect(await checkFile(path, 'statistics/x.xlsx', { ...LIMITS, maxSheetCells: 120 })).toEqual([{
      code: 'LG_ERR_SHEET_TOO_LARGE', file: 'statistics/x.xlsx',
      reason: "the workbook's sheets hold 150 cells together; at most 120 cells are read (MAX_SHEET_CELLS)",
    }]);
  });

  it('a sheet within the limits is read whole, its grid as wide as its widest row', async () => {
    const path = await workbook('ok.xlsx', (wb) => {
      const ws = wb.addWorksheet('Yovon');
      ws.getCell('A1').value = 'Code';
      ws.getCell('C5000').value = 7;
    });
    expect(await checkFile(path, 'statistics/ok.xlsx', LIMITS)).toEqual([]);
    const [sheet] = await readSheets(path, 'statistics/ok.xlsx', LIMITS);
    expect(sheet?.rows.length).toBe(5000);
    expect(sheet?.rows[0]).toEqual([{ value: 'Code' }, { value: null }, { value: null }]);
    expect(sheet?.rows[4999]?.[2]).toEqual({ value: 7 });
  }, 60_000);

  it('a CSV with more rows than MAX_SHEET_ROWS', async () => {
    const path = join(dir, 'long.csv');
    await writeFile(path, `Code,Name\n${'TJ,x\n'.repeat(30)}`);
    expect(await readProblems(path, 'units/long.csv', { ...LIMITS, maxSheetRows: 20 })).toEqual([{
      code: 'LG_ERR_SHEET_TOO_LARGE', file: 'units/long.csv',
      reason: 'the sheet reaches row 31; at most 20 rows are read (MAX_SHEET_ROWS); delete the rows and columns beyond the table (select them, then "Delete", not only clear their contents)',
    }]);
  });

  it('the scanner measures tags split across chunks, and implied positions', () => {
    const xml = '<worksheet><dimension ref="A1"/><cols><col min="1"/></cols><sheetData><row r="3"><c r="B3" t="s"><v>0</v></c><c><v>1</v></c></row><row><c r="AA9"/></row></sheetData></worksheet>';
    const scanner = new SheetExtentScanner();
    for (let i = 0; i < xml.length; i += 7) scanner.push(Buffer.from(xml.slice(i, i + 7)));
    // <row r=3>: B3 then C3 (no r); the next <row> is 4 but its cell says row 9, column AA (27).
    expect(scanner.result()).toEqual({ rows: 9, columns: 27, cells: 3 });
  });
});

describe('a hidden sheet that holds data is an error (#14.4)', () => {
  it('hidden and very hidden sheets with data are named; an empty hidden sheet is left out quietly', async () => {
    const path = await workbook('hidden.xlsx', (wb) => {
      wb.addWorksheet('Sughd').addRow(['Code']);
      const gbao = wb.addWorksheet('GBAO', { state: 'hidden' });
      gbao.addRow(['Code']);
      gbao.addRow(['TJ-GB-01-01']);
      wb.addWorksheet('Lists', { state: 'veryHidden' }).addRow(['x']);
      wb.addWorksheet('Empty', { state: 'hidden' });
    });
    expect(await readProblems(path, 'units/jamoats.xlsx')).toEqual([{
      code: 'LG_ERR_HIDDEN_SHEET', file: 'units/jamoats.xlsx', sheet: 'GBAO',
      reason: 'the sheet is hidden and holds data, which would be left out without a word; unhide it (right-click a sheet tab, "Unhide"), or move what it holds to another workbook',
    }, {
      code: 'LG_ERR_HIDDEN_SHEET', file: 'units/jamoats.xlsx', sheet: 'Lists',
      reason: 'the sheet is very hidden and holds data, which would be left out without a word; unhide it (right-click a sheet tab, "Unhide"), or move what it holds to another workbook',
    }]);
    const quiet = await workbook('hidden-empty.xlsx', (wb) => {
      wb.addWorksheet('Sughd').addRow(['Code']);
      wb.addWorksheet('Empty', { state: 'hidden' });
    });
    expect((await readSheets(quiet, 'units/jamoats.xlsx', LIMITS)).map((s) => s.sheet)).toEqual(['Sughd']);
  });
});
