import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CellValue, Sheet } from '../src/convert/cell.js';
import { loadUnitsLayout, loadWideLayout } from '../src/convert/layout.js';
import { readUnitRows } from '../src/convert/read-units.js';
import { readWideSheet } from '../src/convert/read-wide.js';
import type { Problem } from '../src/errors.js';
import { PROJECT_ROOT } from '../src/project.js';

/**
 * Issue #14, items 3 and 5: a text cell is bounded by what its column means (a name 200
 * characters, a note or source 2,000), and a text that starts as a formula (= + - @, a tab or CR)
 * is refused at conversion; numbers keep their minus.
 */
const DATA = join(PROJECT_ROOT, 'data');
const HEADER = ['Code', 'Name (English)', 'Name (Russian)', 'Type', 'Parent code', 'Latitude', 'Former names', 'Source', 'Notes'];

function unitsSheet(rows: CellValue[][]): Sheet {
  return {
    file: 'units/jamoats.csv',
    rows: [HEADER, ...rows].map((r) => r.map((value) => ({ value }))),
    columnLabel: (c) => HEADER[c] ?? String(c),
  };
}

async function problemsOf(row: CellValue[]): Promise<Problem[]> {
  const layout = await loadUnitsLayout(DATA, 'layouts/units.json');
  return readUnitRows(unitsSheet([row]), layout, 'jamoat').problems;
}

const jamoat = (over: Partial<Record<string, CellValue>>): CellValue[] => {
  const base: Record<string, CellValue> = {
    Code: 'TJ-KT-06-06', 'Name (English)': 'Norin', 'Name (Russian)': 'Норин', Type: 'jamoat', 'Parent code': 'TJ-KT-06',
    Latitude: null, 'Former names': null, Source: 'https://example.org/source', Notes: null,
  };
  const all = { ...base, ...over };
  return HEADER.map((h) => all[h] ?? null);
};

const at = (column: string) => ({ file: 'units/jamoats.csv', row: 2, column });

describe('text cells start as text, not as formulas (#14.3)', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', '"="'],
    ["+1+cmd|' /C calc'!A0", '"+"'],
    ['@SUM(1+1)', '"@"'],
    ['-2+3', '"-"'],
    ['\tNorin', 'a tab'],
    ['\r=1+1', 'a carriage return'],
  ])('a name %j is refused', async (name, what) => {
    expect(await problemsOf(jamoat({ 'Name (English)': name }))).toEqual([{
      ...at('Name (English)'), code: 'LG_ERR_FORMULA_TEXT', value: name,
      reason: `the text starts with ${what}, which spreadsheet programs run as a formula; a name or note never starts so`,
    }]);
  });

  it('in a Cyrillic name, an entry of a list, a source that is not a URL', async () => {
    expect(await problemsOf(jamoat({ 'Name (Russian)': '=Норин', 'Former names': 'Old Norin; @cmd', Source: 'Decree 12; +cmd' }))).toEqual([
      { ...at('Name (Russian)'), code: 'LG_ERR_FORMULA_TEXT', value: '=Норин', reason: 'the text starts with "=", which spreadsheet programs run as a formula; a name or note never starts so' },
      { ...at('Former names'), code: 'LG_ERR_FORMULA_TEXT', value: 'Old Norin; @cmd', reason: 'the text starts with "@", which spreadsheet programs run as a formula; a name or note never starts so' },
      { ...at('Source'), code: 'LG_ERR_FORMULA_TEXT', value: 'Decree 12; +cmd', reason: 'the text starts with "+", which spreadsheet programs run as a formula; a name or note never starts so' },
    ]);
  });

  it('a negative number in a number column and a hyphen inside a name are fine', async () => {
    expect(await problemsOf(jamoat({ Latitude: '-12.5', 'Name (English)': 'Norin-Bolo' }))).toEqual([]);
    expect(await problemsOf(jamoat({ Latitude: -12.5 }))).toEqual([]);
  });
});

describe('text cells are bounded by what their column means (#14.5)', () => {
  it('a name of 201 characters, a note of 2,001; 200 and 2,000 pass', async () => {
    const long = 'N'.repeat(100_000);
    expect(await problemsOf(jamoat({ 'Name (English)': long, Notes: 'n'.repeat(2001) }))).toEqual([
      { ...at('Name (English)'), code: 'LG_ERR_TEXT_TOO_LONG', value: `${'N'.repeat(50)}…`, reason: 'the text has 100000 characters; this column allows at most 200' },
      { ...at('Notes'), code: 'LG_ERR_TEXT_TOO_LONG', value: `${'n'.repeat(50)}…`, reason: 'the text has 2001 characters; this column allows at most 2000' },
    ]);
    expect(await problemsOf(jamoat({ 'Name (English)': 'N'.repeat(200), Notes: 'n'.repeat(2000) }))).toEqual([]);
  });

  it('the name column of a statistics sheet', async () => {
    const layout = await loadWideLayout(DATA, 'layouts/wide-statistics.json');
    const rows: CellValue[][] = [['Code', 'Jamoat', 'Population'], [null, null, 2023], ['TJ-KT-06-06', 'x'.repeat(201), 5]];
    const sheet: Sheet = { file: 'statistics/population.xlsx', sheet: 'Yovon', rows: rows.map((r) => r.map((value) => ({ value }))), columnLabel: (c) => 'ABC'[c] ?? '' };
    const { problems } = readWideSheet(sheet, layout, { indicators: [], units: new Map() });
    expect(problems).toContainEqual({
      file: 'statistics/population.xlsx', sheet: 'Yovon', row: 3, column: 'B', code: 'LG_ERR_TEXT_TOO_LONG',
      value: `${'x'.repeat(50)}…`, reason: "the name has 201 characters; a unit's name has at most 200",
    });
  });

  it('a layout text column without its bound is refused', async () => {
    const { unitsLayoutSchema } = await import('../src/convert/layout.js');
    const parsed = unitsLayoutSchema.safeParse({ layout: 'units', columns: { note: { headers: ['Note'], type: 'text', predicate: 'skos:note' } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['a text column needs its maxLength']);
  });
});
