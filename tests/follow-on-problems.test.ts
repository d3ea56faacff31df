import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, makeDataDir, problemsOf, runScript } from './helpers.js';

/**
 * Issue #14, item 6: one broken file reported once, with its consequences counted rather than
 * repeated per row; the IC-17 problem names its cell; a duplicate code's follow-ups compare with
 * the row that stays the unit (the first), not with the duplicate.
 */
const fixture = (name: string) => readFile(join(FIXTURES, 'units', name), 'utf8');

/** The jamoats fixture with `extra` more jamoats of Testobod (TJ-SU-01), so a group has more rows than it lists. */
async function jamoatsWith(extra: number): Promise<string> {
  let text = await fixture('jamoats.csv');
  for (let i = 3; i < 3 + extra; i++) text += `TJ-SU-01-${String(i).padStart(2, '0')},Gamma ${i},,jamoat,TJ-SU-01,100,2015,https://example.org/source\n`;
  return text;
}

const EMPTY_FILE = (file: string) => ({ code: 'LG_ERR_FILE_EMPTY', file, reason: expect.any(String) as string });

describe('a file that cannot be read is the one problem, its consequences counted', () => {
  it('an empty districts file: one problem for the file, one for the 6 jamoat rows naming a district', async () => {
    const dir = await makeDataDir({ files: { 'units/districts.csv': '', 'units/jamoats.csv': await jamoatsWith(4) } });
    expect(await problemsOf(dir)).toEqual([
      EMPTY_FILE('units/districts.csv'),
      {
        code: 'LG_ERR_UNKNOWN_CODE', file: 'units/jamoats.csv', row: 2, column: 'Parent code', columnLetter: 'E', value: 'TJ-SU-01',
        reason: '6 rows of units/jamoats.csv (row 2, row 3, row 4 and 3 more) refer to districts in units/districts.csv, which could not be read (see its problem): fix that file first; these codes are checked again then',
      },
    ]);
  });

  it('an empty jamoats file: the statistics rows naming jamoats are one problem per workbook', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': '' } });
    expect(await problemsOf(dir)).toEqual([
      EMPTY_FILE('units/jamoats.csv'),
      {
        code: 'LG_ERR_UNKNOWN_CODE', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 4, column: 'A', value: 'TJ-SU-01-01',
        reason: '2 rows of statistics/education.xlsx (Testobod!A4, Testobod!A5) refer to jamoats in units/jamoats.csv, which could not be read (see its problem): fix that file first; these codes are checked again then',
      },
    ]);
  });

  it('an unknown code of a level whose files all read is still reported on its own row', async () => {
    const jamoats = (await jamoatsWith(1)).replace('TJ-SU-01-03,Gamma 3,,jamoat,TJ-SU-01,', 'TJ-SU-01-03,Gamma 3,,jamoat,TJ-SU-09,');
    const dir = await makeDataDir({ files: { 'units/regions.csv': '', 'units/jamoats.csv': jamoats } });
    expect(await problemsOf(dir)).toEqual([
      EMPTY_FILE('units/regions.csv'),
      {
        code: 'LG_ERR_UNKNOWN_CODE', file: 'units/districts.csv', row: 2, column: 'Parent code', columnLetter: 'F', value: 'TJ-SU',
        reason: 'this row refers to regions in units/regions.csv, which could not be read (see its problem): fix that file first; these codes are checked again then',
      },
      {
        code: 'LG_ERR_UNKNOWN_CODE', file: 'units/jamoats.csv', row: 4, column: 'Parent code', columnLetter: 'E', value: 'TJ-SU-09',
        reason: 'no district has this code',
      },
    ]);
  });

  it('npm run validate prints the two problems and counts two', async () => {
    const dir = await makeDataDir({ files: { 'units/districts.csv': '', 'units/jamoats.csv': await jamoatsWith(4) } });
    const r = await runScript('src/cli/validate.ts', ['--data', dir]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^units\/districts\.csv: \[LG_ERR_FILE_EMPTY\] /);
    expect(lines[1]).toBe('units/jamoats.csv row 2, column E "Parent code": [LG_ERR_UNKNOWN_CODE] 6 rows of units/jamoats.csv (row 2, row 3, row 4 and 3 more) refer to districts in units/districts.csv, which could not be read (see its problem): fix that file first; these codes are checked again then, got "TJ-SU-01"');
    expect(lines[2]).toBe(`2 problem(s) in ${dir}; nothing was written.`);
  });
});

describe('IC-17 (every indicator of a unit and year, or none) names the blank cell', () => {
  it('the cell of the missing indicator in that row', async () => {
    const dir = await makeDataDir({
      education: [{
        name: 'Testobod',
        rows: [
          ['Education indicators, Testobod district (test)'],
          ['Code', 'Jamoat', 'General education schools', 'Pupils in general education schools (persons)'],
          [null, null, 2022, 2022],
          ['TJ-SU-01-01', 'Alpha', 3, 310],
          ['TJ-SU-01-02', 'Beta', null, 450],
          [],
          [null, 'Total', null, null],
        ],
        merges: ['A1:D1', 'A2:A3', 'B2:B3'],
      }],
    });
    expect(await problemsOf(dir)).toEqual([{
      code: 'LG_ERR_BAD_VALUE', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 5, column: 'C',
      reason: 'TJ-SU-01-02 2022: General education schools missing while other indicators of that year are given; give every indicator of the dataset for a unit and year, or none (RDF Data Cube IC-17)',
    }]);
  });
});

describe('a duplicate code: what follows compares with the first row, which stays the unit', () => {
  it('a figure for the first row under its own name is no name mismatch; the code the duplicate hid is unknown', async () => {
    // Row 3 repeats Alpha's code under Beta's name: the statistics' row 4 (Alpha) is right, and
    // was reported as 'code TJ-SU-01-01 is "Beta"', the duplicate's name.
    const jamoats = (await fixture('jamoats.csv')).replace('TJ-SU-01-02,Beta', 'TJ-SU-01-01,Beta');
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': jamoats } });
    expect(await problemsOf(dir)).toEqual([
      {
        code: 'LG_ERR_DUPLICATE_CODE', file: 'units/jamoats.csv', row: 3, column: 'Code', columnLetter: 'A', value: 'TJ-SU-01-01',
        reason: 'this code is already used by "Alpha" (units/jamoats.csv row 2)',
      },
      {
        code: 'LG_ERR_UNKNOWN_CODE', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 5, column: 'A', value: 'TJ-SU-01-02',
        reason: 'no administrative unit has this code (see data/units)',
      },
    ]);
  });
});
