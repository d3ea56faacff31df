import type { HostileInput } from '../case.js';
import { editedWorkbook } from '../workbook-edit.js';

/**
 * Just under MAX_SHEET_CELLS (300,000): 560 rows × 500 columns of numbers in an extra sheet of a
 * statistics workbook. Nothing refuses it before it is read, so this is the slowest input the
 * limits let through: it must still be read and answered in seconds (the bench prints how many),
 * here refused because the sheet is no statistics table.
 */
const input: HostileInput = {
  title: 'an extra sheet of 280,000 numbers, just under MAX_SHEET_CELLS',
  issue: '#14.1',
  replaces: 'statistics/education.xlsx',
  make: () => editedWorkbook('statistics/education.xlsx', (wb) => {
    const ws = wb.addWorksheet('Extra');
    for (let r = 1; r <= 560; r++) ws.addRow(Array.from({ length: 500 }, (_, c) => r * 1000 + c));
  }),
  convert: { refusedWith: 'LG_ERR_MISSING_COLUMN' },
};
export default input;
