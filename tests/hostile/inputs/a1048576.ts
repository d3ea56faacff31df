import type { HostileInput } from '../case.js';
import { editedWorkbook } from '../workbook-edit.js';

/**
 * The jamoats workbook with one value in A1048576 of its first sheet (Excel's last row): the
 * reader asked exceljs for the column count per cell, which rescans every row, so validate was
 * still running after 300 s. Now refused at once, naming the sheet (MAX_SHEET_ROWS).
 */
const input: HostileInput = {
  title: 'one value in cell A1048576 of a units sheet',
  issue: '#14.1',
  replaces: 'units/jamoats.xlsx',
  make: () => editedWorkbook('units/jamoats.xlsx', (wb) => {
    wb.worksheets[0]!.getCell('A1048576').value = 'x';
  }),
  convert: { refusedWith: 'LG_ERR_SHEET_TOO_LARGE' },
};
export default input;
