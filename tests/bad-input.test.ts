import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../src/errors.js';
import { FIXTURES, LIMITS, makeDataDir, problemsOf, wideSheet, writeXlsx } from './helpers.js';

const fixture = (name: string) => readFile(join(FIXTURES, 'units', name), 'utf8');

/** The fixture CSV with one line replaced, as an official's mistake would. */
async function withLine(name: string, from: string, to: string): Promise<string> {
  const text = await fixture(name);
  if (!text.includes(from)) throw new Error(`fixture ${name} has no "${from}"`);
  return text.replace(from, to);
}

describe('bad input gets an error that says where and why', () => {
  it('a missing required column', async () => {
    const text = (await fixture('jamoats.csv')).replace('Code,', 'Kode,');
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': text } });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_MISSING_COLUMN', file: 'units/jamoats.csv', row: 1,
      reason: 'the required column "Code" is missing (accepted headers: "Code", "Рамз", "Код")',
    }, expect.objectContaining({ code: 'LG_ERR_UNKNOWN_CODE', file: 'statistics/education.xlsx', reason: expect.stringMatching(/^2 rows of statistics\/education.xlsx .* refer to jamoats in units\/jamoats.csv, which could not be read/) as string })]);
  });

  it('an unknown parent code', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await withLine('jamoats.csv', 'jamoat,TJ-SU-01,', 'jamoat,TJ-SU-09,') } });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_UNKNOWN_CODE', file: 'units/jamoats.csv', row: 2, column: 'Parent code', columnLetter: 'E', value: 'TJ-SU-09',
      reason: 'no district has this code',
    }]);
  });

  it('a CSV problem names the row and the column in words: letter and header (issue #11)', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await withLine('jamoats.csv', 'jamoat,TJ-SU-01,', 'jamoat,TJ-SU-09,') } });
    const [p] = await problemsOf(dir);
    expect(p).toBeDefined();
    if (p) expect(formatProblem(p)).toBe('units/jamoats.csv row 2, column E "Parent code": [LG_ERR_UNKNOWN_CODE] no district has this code, got "TJ-SU-09"');
    // A workbook's place is unchanged: Sheet!E2, the column a letter.
    expect(formatProblem({ code: 'LG_ERR_BAD_VALUE', file: 'a.xlsx', sheet: 'S', row: 2, column: 'E', reason: 'r' })).toBe('a.xlsx › S!E2: [LG_ERR_BAD_VALUE] r');
    // A row without a column (a CSV that does not parse) and a column without a row (a manifest field).
    expect(formatProblem({ code: 'LG_ERR_NOT_A_SPREADSHEET', file: 'u.csv', row: 7, reason: 'r' })).toBe('u.csv row 7: [LG_ERR_NOT_A_SPREADSHEET] r');
    expect(formatProblem({ code: 'LG_ERR_MANIFEST', file: 'datasets.json', column: 'license', reason: 'r' })).toBe('datasets.json column "license": [LG_ERR_MANIFEST] r');
  });

  it('a parent of the wrong level', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await withLine('jamoats.csv', 'jamoat,TJ-SU-01,', 'jamoat,TJ-SU,') } });
    expect(await problemsOf(dir)).toEqual([expect.objectContaining({
      code: 'LG_ERR_WRONG_LEVEL', file: 'units/jamoats.csv', row: 2, column: 'Parent code', value: 'TJ-SU',
    })]);
  });

  it('a duplicate code', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await withLine('jamoats.csv', 'TJ-SU-01-02,Beta', 'TJ-SU-01-01,Beta') } });
    const problems = await problemsOf(dir);
    expect(problems[0]).toEqual({
      code: 'LG_ERR_DUPLICATE_CODE', file: 'units/jamoats.csv', row: 3, column: 'Code', columnLetter: 'A', value: 'TJ-SU-01-01',
      reason: 'this code is already used by "Alpha" (units/jamoats.csv row 2)',
    });
  });

  it('a code typed with Cyrillic look-alike letters is read as the Latin code', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await withLine('jamoats.csv', 'TJ-SU-01-01,Alpha', 'ТJ-SU-01-01,Alpha') } });
    expect(await problemsOf(dir)).toEqual([]);
  });

  it('text in a numeric cell', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await withLine('jamoats.csv', 'TJ-SU-01,1500,', 'TJ-SU-01,about 1500,') } });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_BAD_VALUE', file: 'units/jamoats.csv', row: 2, column: 'Population', columnLetter: 'F', value: 'about 1500',
      reason: 'expected a number',
    }]);
  });

  it('an ambiguous thousands-or-decimal comma', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await withLine('jamoats.csv', 'TJ-SU-01,1500,', 'TJ-SU-01,"1,500",') } });
    expect(await problemsOf(dir)).toEqual([expect.objectContaining({ code: 'LG_ERR_BAD_VALUE', row: 2, column: 'Population', value: '1,500' })]);
  });

  it('a negative count in a statistics sheet', async () => {
    const dir = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 310, -4], ['TJ-SU-01-02', 'Beta', 450, 470]])] });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_BAD_VALUE', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 4, column: 'D', value: '-4',
      reason: 'Pupils in general education schools 2023: a count cannot be negative',
    }]);
  });

  it('an unknown indicator column, merged over two years, is reported once (at its first column)', async () => {
    const dir = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 1, 2]], { header: 'Number of mosques' })] });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_UNKNOWN_COLUMN', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 2, column: 'C', value: 'Number of mosques',
      reason: 'no indicator of the vocabulary has this name; add it to vocab/indicators.ttl or fix the header',
    }]);
  });

  it('a statistics row whose code is unknown or whose name is another unit\'s', async () => {
    const dir = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-07', 'Gamma', 1, 2], ['TJ-SU-01-02', 'Alpha', 1, 2]])] });
    expect(await problemsOf(dir)).toEqual([
      { code: 'LG_ERR_UNKNOWN_CODE', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 4, column: 'A', value: 'TJ-SU-01-07', reason: 'no administrative unit has this code (see data/units)' },
      { code: 'LG_ERR_NAME_MISMATCH', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 5, column: 'B', value: 'Alpha', reason: 'code TJ-SU-01-02 is "Beta"; check the code or the name' },
    ]);
  });

  it('a name written in the other script confirms its code (Бета for Beta); another unit\'s name still does not', async () => {
    // Beta's only published name is English: "Бета" (Cyrillic) is the same name, one Latin spelling.
    const ok = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 1, 2], ['TJ-SU-01-02', 'Бета', 1, 2]])] });
    expect(await problemsOf(ok)).toEqual([]);
    const wrong = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 1, 2], ['TJ-SU-01-02', 'Алфа', 1, 2]])] });
    expect((await problemsOf(wrong)).map((p) => `${p.code} ${p.value}`)).toEqual(['LG_ERR_NAME_MISMATCH Алфа']);
  });

  it('a formula cell', async () => {
    const dir = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 310, { formula: 'C4*2' }], ['TJ-SU-01-02', 'Beta', 450, 470]])] });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_FORMULA', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 4, column: 'D', value: '=C4*2',
      reason: 'the cell holds a formula; type the value itself (copy, then "paste values")',
    }]);
  });

  it('an empty file', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': '' } });
    expect((await problemsOf(dir))[0]).toEqual({ code: 'LG_ERR_FILE_EMPTY', file: 'units/jamoats.csv', reason: 'the file is empty (0 bytes)' });
  });

  it('a CSV file with a header and no rows is named as empty itself (issue #11)', async () => {
    const header = (await fixture('jamoats.csv')).split('\n')[0] ?? '';
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': `${header}\n\n,,,\n` } });
    expect(await problemsOf(dir)).toContainEqual({ code: 'LG_ERR_FILE_EMPTY', file: 'units/jamoats.csv', reason: 'the CSV file has a header row but no data rows' });
  });

  it('a file named .xlsx that is not a workbook', async () => {
    const dir = await makeDataDir({ files: { 'statistics/education.xlsx': 'Code;Jamoat\nTJ-SU-01-01;Alpha\n' } });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_NOT_A_SPREADSHEET', file: 'statistics/education.xlsx',
      reason: 'the file is named .xlsx but is not an Excel workbook (no zip signature); save it as "Excel Workbook (.xlsx)"',
    }]);
  });

  it('a zip named .xlsx that holds no workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x');
    const real = Buffer.from(await wb.xlsx.writeBuffer());
    // Same bytes, but the workbook part renamed: a zip, not an Excel workbook.
    const broken = Buffer.from(real.toString('binary').replaceAll('xl/workbook.xml', 'xl/workbook.xmX'), 'binary');
    const dir = await makeDataDir({ files: { 'statistics/education.xlsx': broken } });
    expect(await problemsOf(dir)).toEqual([expect.objectContaining({ code: 'LG_ERR_NOT_A_SPREADSHEET', file: 'statistics/education.xlsx', reason: 'the zip holds no Excel workbook (xl/workbook.xml is missing)' })]);
  });

  it('a file over the size limit', async () => {
    const dir = await makeDataDir();
    expect(await problemsOf(dir, { ...LIMITS, maxFileBytes: 1000 })).toEqual([{
      code: 'LG_ERR_FILE_TOO_LARGE', file: 'statistics/education.xlsx',
      reason: expect.stringMatching(/^the file is \d+ bytes; the limit is 1000 \(MAX_FILE_BYTES\)$/),
    }]);
  });

  it('a zip that unpacks past the limit (zip bomb)', async () => {
    const dir = await makeDataDir();
    // 20,000 rows of the same text compress to a few kB but unpack to several MB.
    await writeXlsx(join(dir, 'statistics', 'education.xlsx'), [{ name: 'Testobod', rows: Array.from({ length: 20_000 }, () => ['x'.repeat(100)]) }]);
    expect(await problemsOf(dir, { ...LIMITS, maxUnzippedBytes: 1_000_000 })).toEqual([{
      code: 'LG_ERR_ZIP_TOO_LARGE', file: 'statistics/education.xlsx',
      reason: 'the workbook unpacks to more than 1000000 bytes (MAX_UNZIPPED_BYTES)',
    }]);
  });

  it('reports every problem at once, not only the first', async () => {
    const jamoats = (await withLine('jamoats.csv', 'TJ-SU-01,1500,', 'TJ-SU-01,-3,')).replace('town,TJ-SU-01,', 'town,TJ-SU-05,');
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': jamoats } });
    await writeFile(join(dir, 'units', 'regions.csv'), (await fixture('regions.csv')).replace('Q241582', 'X241582'));
    const codes = (await problemsOf(dir)).map((p) => `${p.file}:${p.row}:${p.column}:${p.code}`).sort();
    expect(codes).toEqual([
      'units/jamoats.csv:2:Population:LG_ERR_BAD_VALUE',
      'units/jamoats.csv:3:Parent code:LG_ERR_UNKNOWN_CODE',
      'units/regions.csv:2:Wikidata:LG_ERR_BAD_VALUE',
    ]);
  });
});
