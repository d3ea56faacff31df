import { open as openFile, stat } from 'node:fs/promises';
import yauzl from 'yauzl';
import type { Problem } from '../errors.js';

export interface FileLimits {
  maxFileBytes: number;
  maxUnzippedBytes: number;
}

export type FileKind = 'xlsx' | 'csv';

export function kindOf(path: string): FileKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}

/**
 * Checks a file before any parser sees it: not empty, under the size limit, and, for XLSX, a zip
 * holding a workbook whose entries unpack to less than the limit. The zip's central directory
 * declares each entry's uncompressed size, so a zip bomb is refused without inflating anything;
 * exceljs later inflates with those same declared sizes checked by yauzl's own validation.
 * `path` is where the bytes are, `file` the name they go by (its extension gives the kind).
 */
export async function checkFile(path: string, file: string, limits: FileLimits): Promise<Problem[]> {
  // The name says what the file claims to be: an upload is kept under its SHA-256, without one.
  const kind = kindOf(file);
  if (!kind) {
    return [{ code: 'LG_ERR_NOT_A_SPREADSHEET', file, reason: 'only .xlsx and .csv files can be converted' }];
  }
  const { size } = await stat(path);
  if (size === 0) return [{ code: 'LG_ERR_FILE_EMPTY', file, reason: 'the file is empty (0 bytes)' }];
  if (size > limits.maxFileBytes) {
    return [{
      code: 'LG_ERR_FILE_TOO_LARGE',
      file,
      reason: `the file is ${size} bytes; the limit is ${limits.maxFileBytes} (MAX_FILE_BYTES)`,
    }];
  }
  if (kind === 'csv') return [];

  const head = Buffer.alloc(4);
  const fh = await openFile(path, 'r');
  try {
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  if (head.toString('binary') !== 'PK\x03\x04') {
    return [{
      code: 'LG_ERR_NOT_A_SPREADSHEET',
      file,
      reason: 'the file is named .xlsx but is not an Excel workbook (no zip signature); save it as "Excel Workbook (.xlsx)"',
    }];
  }
  return inspectZip(path, file, limits);
}

function inspectZip(path: string, file: string, limits: FileLimits): Promise<Problem[]> {
  return new Promise((resolve) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) {
        resolve([{ code: 'LG_ERR_NOT_A_SPREADSHEET', file, reason: `the workbook is not a readable zip: ${err?.message ?? 'unknown error'}` }]);
        return;
      }
      let total = 0;
      let hasWorkbook = false;
      let done = false;
      const finish = (problems: Problem[]) => {
        if (done) return;
        done = true;
        zip.close();
        resolve(problems);
      };
      zip.on('entry', (entry: yauzl.Entry) => {
        total += entry.uncompressedSize;
        if (entry.fileName === 'xl/workbook.xml') hasWorkbook = true;
        if (total > limits.maxUnzippedBytes) {
          finish([{
            code: 'LG_ERR_ZIP_TOO_LARGE',
            file,
            reason: `the workbook unpacks to more than ${limits.maxUnzippedBytes} bytes (MAX_UNZIPPED_BYTES)`,
          }]);
          return;
        }
        zip.readEntry();
      });
      zip.on('end', () => {
        finish(hasWorkbook ? [] : [{ code: 'LG_ERR_NOT_A_SPREADSHEET', file, reason: 'the zip holds no Excel workbook (xl/workbook.xml is missing)' }]);
      });
      zip.on('error', (e: Error) => {
        finish([{ code: 'LG_ERR_NOT_A_SPREADSHEET', file, reason: `the workbook is not a readable zip: ${e.message}` }]);
      });
      zip.readEntry();
    });
  });
}
