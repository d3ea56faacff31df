import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/project.js';
import type { HostileInput } from '../case.js';
import { readEntries, writeZip, zerosEntry } from '../zip-bytes.js';

/**
 * The population workbook with one more entry whose headers claim 1,000 bytes and which inflates
 * to 1 GiB (about 1 MB on disk): the check summed the declared sizes, so exceljs then inflated it
 * all (the probe's 1.5 GB took 1.8 GB of memory and 22 s before anything refused it).
 */
const input: HostileInput = {
  title: 'a workbook entry that claims 1,000 bytes and inflates to 1 GiB (zip bomb with lying sizes)',
  issue: '#14.2',
  replaces: 'statistics/population.xlsx',
  async make() {
    const entries = await readEntries(await readFile(join(PROJECT_ROOT, 'data', 'statistics', 'population.xlsx')));
    return writeZip([...entries, await zerosEntry('xl/media/image1.png', 1024 ** 3, 1_000)]);
  },
  convert: { refusedWith: 'LG_ERR_ZIP_TOO_LARGE' },
};
export default input;
