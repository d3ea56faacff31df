import type { HostileInput } from '../case.js';
import { cellUnder, editedWorkbook } from '../workbook-edit.js';

/**
 * A jamoat whose English name is 100,000 characters: it was published in the RDF, the pages and
 * the CSV. A name is now bounded by its column (200 characters; every cell by Excel's 32,767).
 */
const input: HostileInput = {
  title: 'a 100,000-character jamoat name',
  issue: '#14.5',
  replaces: 'units/jamoats.xlsx',
  make: () => editedWorkbook('units/jamoats.xlsx', (wb) => {
    cellUnder(wb.worksheets[0]!, 'Name (English)').value = 'Jamoat '.repeat(14_286).slice(0, 100_000);
  }),
  convert: { refusedWith: 'LG_ERR_TEXT_TOO_LONG' },
};
export default input;
