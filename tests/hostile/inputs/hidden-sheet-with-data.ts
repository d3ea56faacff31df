import type { HostileInput } from '../case.js';
import { editedWorkbook } from '../workbook-edit.js';

/**
 * The jamoats workbook with its GBAO sheet hidden: hidden sheets were skipped, so the build was
 * "valid" with 30 jamoats fewer and no word. A hidden sheet that holds data is now an error.
 */
const input: HostileInput = {
  title: 'the GBAO sheet of the jamoats workbook hidden',
  issue: '#14.4',
  replaces: 'units/jamoats.xlsx',
  make: () => editedWorkbook('units/jamoats.xlsx', (wb) => {
    const sheet = wb.getWorksheet('GBAO');
    if (!sheet) throw new Error('data/units/jamoats.xlsx has no GBAO sheet');
    sheet.state = 'hidden';
  }),
  convert: { refusedWith: 'LG_ERR_HIDDEN_SHEET' },
};
export default input;
