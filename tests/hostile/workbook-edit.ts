/**
 * Edits a copy of a shipped workbook with
 * exceljs, for the cases that change one cell or one sheet of real data.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PROJECT_ROOT } from '../../src/project.js';

export async function editedWorkbook(dataFile: string, edit: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(PROJECT_ROOT, 'data', dataFile));
  edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The cell of `header`'s column in the `nth` data row below the header (found in the first ten rows). */
export function cellUnder(ws: ExcelJS.Worksheet, header: string, nth = 1): ExcelJS.Cell {
  for (let r = 1; r <= 10; r++) {
    let found: number | undefined;
    ws.getRow(r).eachCell((c, col) => {
      if (String(c.value).trim() === header) found = col;
    });
    if (found !== undefined) return ws.getRow(r + nth).getCell(found);
  }
  throw new Error(`no header "${header}" in sheet ${ws.name}`);
}
