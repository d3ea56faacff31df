import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Problem } from '../errors.js';
import { type SheetExtent, SheetExtentScanner, type SheetLimits, sheetTooLargeProblem } from './sheet-extent.js';

export interface ZipLimits extends SheetLimits {
  maxUnzippedBytes: number;
}

/** Which entries exceljs (4.x, xlsx.js `load`) parses as worksheets: its own, unanchored test. */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;
/** The two small parts that name the sheets; anything larger is not a workbook Excel wrote. */
const NAMING_PARTS = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);
const MAX_NAMING_BYTES = 4 * 1024 * 1024;

/**
 * Inflates every entry of an XLSX zip (from `bytes`, the very buffer exceljs is given next), as a
 * stream, counting the bytes that really come out: a zip bomb is stopped at MAX_UNZIPPED_BYTES
 * whatever its headers declare, and an entry that inflates to more than its own header says is
 * refused the moment it does (yauzl's entry-size validation), with memory bounded by one chunk.
 * While it streams, each worksheet is measured (rows, columns, cells) so a sheet beyond the
 * limits is refused, by name, before exceljs builds it: exceljs holds some hundreds of bytes per
 * cell and takes about 8 µs each (2 million cells: 16 s, 1.1 GB).
 */
export function inspectZip(bytes: Buffer, file: string, limits: ZipLimits): Promise<Problem[]> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) {
        resolve([{ code: 'LG_ERR_NOT_A_SPREADSHEET', file, reason: `the workbook is not a readable zip: ${err?.message ?? 'unknown error'}` }]);
        return;
      }
      let declared = 0;
      let inflated = 0;
      let hasWorkbook = false;
      let done = false;
      const extents = new Map<string, SheetExtent>();
      const naming = new Map<string, string>();
      const finish = (problems: Problem[]) => {
        if (done) return;
        done = true;
        zip.close();
        resolve(problems);
      };
      const tooLarge = (reason: string): Problem => ({ code: 'LG_ERR_ZIP_TOO_LARGE', file, reason });
      const unreadable = (e: Error): Problem => ({ code: 'LG_ERR_NOT_A_SPREADSHEET', file, reason: `the workbook is not a readable zip: ${e.message}` });

      zip.on('entry', (entry: yauzl.Entry) => {
        if (done) return;
        // exceljs strips one leading "/" from entry names.
        const name = entry.fileName.replace(/^\//, '');
        if (name === 'xl/workbook.xml') hasWorkbook = true;
        declared += entry.uncompressedSize;
        // Honest headers over the limit: refused without inflating anything.
        if (declared > limits.maxUnzippedBytes) {
          finish([tooLarge(`the workbook unpacks to more than ${limits.maxUnzippedBytes} bytes (MAX_UNZIPPED_BYTES)`)]);
          return;
        }
        if (/\/$/.test(entry.fileName)) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            finish([unreadable(e ?? new Error('no stream'))]);
            return;
          }
          const scanner = WORKSHEET.test(name) ? new SheetExtentScanner() : undefined;
          const kept = NAMING_PARTS.has(name) ? [] as Buffer[] : undefined;
          let keptBytes = 0;
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (inflated > limits.maxUnzippedBytes) {
              destroy(stream);
              finish([tooLarge(`the workbook unpacks to more than ${limits.maxUnzippedBytes} bytes (MAX_UNZIPPED_BYTES)`)]);
              return;
            }
            scanner?.push(chunk);
            if (kept && keptBytes + chunk.length <= MAX_NAMING_BYTES) {
              kept.push(chunk);
              keptBytes += chunk.length;
            }
          });
          stream.on('error', (se: Error) => {
            destroy(stream);
            // yauzl's size validation: the entry inflates to more than its header declared.
            finish([/too many bytes/.test(se.message)
              ? tooLarge(`${name} unpacks to more than the ${entry.uncompressedSize} bytes its zip header declares: a damaged or hostile workbook`)
              : unreadable(se)]);
          });
          stream.on('end', () => {
            if (done) return;
            if (scanner) extents.set(name, scanner.result());
            if (kept) naming.set(name, Buffer.concat(kept).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => {
        if (!hasWorkbook) {
          finish([{ code: 'LG_ERR_NOT_A_SPREADSHEET', file, reason: 'the zip holds no Excel workbook (xl/workbook.xml is missing)' }]);
          return;
        }
        finish(checkSheets(file, extents, sheetNames(naming), limits));
      });
      zip.on('error', (e: Error) => finish([unreadable(e)]));
      zip.readEntry();
    });
  });
}

function destroy(stream: Readable): void {
  stream.removeAllListeners('data');
  stream.on('error', () => undefined);
  stream.destroy();
}

function checkSheets(file: string, extents: Map<string, SheetExtent>, names: Map<string, string>, limits: SheetLimits): Problem[] {
  const problems: Problem[] = [];
  let cells = 0;
  for (const [entry, extent] of extents) {
    cells += extent.cells;
    const p = sheetTooLargeProblem(file, names.get(entry) ?? entry, extent, limits);
    if (p) problems.push(p);
  }
  // exceljs reads every sheet of a workbook at once: many sheets each under the limit add up.
  if (problems.length === 0 && cells > limits.maxSheetCells) {
    problems.push({
      code: 'LG_ERR_SHEET_TOO_LARGE',
      file,
      reason: `the workbook's sheets hold ${cells} cells together; at most ${limits.maxSheetCells} cells are read (MAX_SHEET_CELLS)`,
    });
  }
  return problems;
}

const ATTR = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) =>
    e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' || e[1] === 'X' ? `0${e.slice(1)}` : e.slice(1))) : XML_ENTITIES[e] ?? all);
const attr = (tag: string, name: string) => {
  const m = ATTR(name).exec(tag);
  const v = m?.[1] ?? m?.[2];
  return v === undefined ? undefined : unescapeXml(v);
};

/**
 * Worksheet entry -> sheet name, from xl/workbook.xml (`<sheet name r:id>`) and its relationships
 * (`<Relationship Id Target>`), resolved as exceljs does; an entry not named there keeps its path.
 */
function sheetNames(naming: Map<string, string>): Map<string, string> {
  const targets = new Map<string, string>();
  for (const tag of (naming.get('xl/_rels/workbook.xml.rels') ?? '').match(/<Relationship\b[^>]*>/g) ?? []) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    if (id !== undefined && target !== undefined) targets.set(id, posix.normalize(`xl/${target.replace(/^(\s|\/xl\/)+/, '')}`));
  }
  const names = new Map<string, string>();
  for (const tag of (naming.get('xl/workbook.xml') ?? '').match(/<sheet\b[^>]*>/g) ?? []) {
    const name = attr(tag, 'name');
    const target = targets.get(attr(tag, 'r:id') ?? '');
    if (name !== undefined && target !== undefined) names.set(target, name);
  }
  return names;
}
