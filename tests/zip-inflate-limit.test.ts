import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../src/convert/check-file.js';
import { PROJECT_ROOT } from '../src/project.js';
import { LIMITS } from './helpers.js';
import { entryOf, readEntries, writeZip, zerosEntry } from './hostile/zip-bytes.js';

/**
 * Issue #14, item 2: MAX_UNZIPPED_BYTES counts what really inflates, not what the zip's headers
 * declare (a workbook whose entry claimed 1,000 bytes inflated to 1.5 GB before anything refused
 * it: checkFile passed it and exceljs inflated it all).
 */
let dir: string;
let population: Awaited<ReturnType<typeof readEntries>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lg-zip-limit-'));
  population = await readEntries(await readFile(join(PROJECT_ROOT, 'data', 'statistics', 'population.xlsx')));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function check(bytes: Buffer, limits = LIMITS) {
  const path = join(dir, 'upload');
  await writeFile(path, bytes);
  return checkFile(path, 'statistics/population.xlsx', limits);
}

describe('the unzipped size is counted while inflating (#14.2)', () => {
  it('an entry that inflates past what its headers declare is refused as soon as it does, in little memory', async () => {
    const bomb = writeZip([...population, await zerosEntry('xl/media/image1.png', 512 * 1024 ** 2, 1_000)]);
    const rss0 = process.memoryUsage().rss;
    const t = performance.now();
    expect(await check(bomb)).toEqual([{
      code: 'LG_ERR_ZIP_TOO_LARGE', file: 'statistics/population.xlsx',
      reason: 'xl/media/image1.png unpacks to more than the 1000 bytes its zip header declares: a damaged or hostile workbook',
    }]);
    console.log(`lying 512 MiB entry (${bomb.length} bytes zipped): refused in ${(performance.now() - t).toFixed(0)} ms, rss +${((process.memoryUsage().rss - rss0) / 1e6).toFixed(0)} MB`);
  }, 120_000);

  it('honest headers over the limit are refused without inflating; under it, the real bytes are counted', async () => {
    const zeros = await zerosEntry('xl/media/image1.png', 3 * 1024 ** 2, 3 * 1024 ** 2);
    expect(await check(writeZip([...population, zeros]), { ...LIMITS, maxUnzippedBytes: 2 * 1024 ** 2 })).toEqual([{
      code: 'LG_ERR_ZIP_TOO_LARGE', file: 'statistics/population.xlsx',
      reason: 'the workbook unpacks to more than 2097152 bytes (MAX_UNZIPPED_BYTES)',
    }]);
    expect(await check(writeZip([...population, zeros]), { ...LIMITS, maxUnzippedBytes: 4 * 1024 ** 2 })).toEqual([]);
  }, 60_000);

  it('an entry that inflates to less than it declares is a damaged zip', async () => {
    const short = { ...entryOf('xl/media/image1.png', 'abc'), declaredSize: 10 };
    expect(await check(writeZip([...population, short]))).toEqual([{
      code: 'LG_ERR_NOT_A_SPREADSHEET', file: 'statistics/population.xlsx',
      reason: 'the workbook is not a readable zip: not enough bytes in the stream. expected 10. got only 3',
    }]);
  });

  it('the shipped workbooks pass', async () => {
    for (const f of ['statistics/population.xlsx', 'units/jamoats.xlsx', 'units/districts.xlsx']) {
      expect(await checkFile(join(PROJECT_ROOT, 'data', f), f, LIMITS)).toEqual([]);
    }
  });
});
