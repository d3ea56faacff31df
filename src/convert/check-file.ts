import { readFile, stat } from 'node:fs/promises';
import type { Config } from '../config.js';
import type { Problem } from '../errors.js';
import { inspectZip } from './inspect-zip.js';
import type { SheetLimits } from './sheet-extent.js';

/** What a spreadsheet may weigh before it is read (config.ts: MAX_FILE_BYTES ... MAX_SHEET_CELLS). */
export interface FileLimits extends SheetLimits {
  maxFileBytes: number;
  maxUnzippedBytes: number;
}

/** The limits the configuration sets, for every caller of checkFile and readSheets. */
export function fileLimits(config: Pick<Config, 'MAX_FILE_BYTES' | 'MAX_UNZIPPED_BYTES' | 'MAX_SHEET_ROWS' | 'MAX_SHEET_COLUMNS' | 'MAX_SHEET_CELLS'>): FileLimits {
  return {
    maxFileBytes: config.MAX_FILE_BYTES,
    maxUnzippedBytes: config.MAX_UNZIPPED_BYTES,
    maxSheetRows: config.MAX_SHEET_ROWS,
    maxSheetColumns: config.MAX_SHEET_COLUMNS,
    maxSheetCells: config.MAX_SHEET_CELLS,
  };
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
 * holding a workbook that really unpacks to less than MAX_UNZIPPED_BYTES and whose sheets are
 * within the sheet limits (inspect-zip.ts inflates and measures it, streaming). A CSV's rows are
 * bounded in read-sheet.ts, which holds the whole text anyway. `path` is where the bytes are,
 * `file` the name they go by (its extension gives the kind).
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

  // At most MAX_FILE_BYTES, checked above: read once, for the signature and for inspectZip.
  const bytes = await readFile(path);
  if (bytes.subarray(0, 4).toString('binary') !== 'PK\x03\x04') {
    return [{
      code: 'LG_ERR_NOT_A_SPREADSHEET',
      file,
      reason: 'the file is named .xlsx but is not an Excel workbook (no zip signature); save it as "Excel Workbook (.xlsx)"',
    }];
  }
  return inspectZip(bytes, file, limits);
}
