/**
 * Import the reference compilation (`../shared/reference/{regions,districts,jamoats}.csv`) into the
 * `units` spreadsheets of `data/units/` (see docs/data-model.md, "Columns of the `units` layout").
 *
 *   npm run import-reference -- [--reference DIR] [--out DIR]
 *
 * Codes are assigned once: when `--out` already holds `csv/{regions,districts,jamoats}.csv`, every
 * existing row keeps its `Code` (matched by `Reference key`); a new reference row gets the next free
 * serial under its parent. Values are copied, never invented: an empty reference cell stays empty.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { fixZipTimestamps } from './fix-zip-timestamps.js';
import { PREFERRED_RU, establishedOn, officialName } from './reference-names.js';

// ---------------------------------------------------------------------------------------------
// Constants

const FIXED_DATE = new Date('2026-11-23T00:00:00Z');
const CREATOR = 'Local Development Committee (import from shared/reference)';

/** `owner/repo` -> the commit SOURCES.md gives for it (permanent GitHub URLs). */
const REPO_COMMITS: Record<string, string> = {
  'whosonfirst-data/whosonfirst-data-admin-tj': '2f44379f3dbcec41293ae033d15f55535d5da054',
  'hoho9155/24ad.info': 'b395c6bdfd9ed4ac3a9ab43902722fb2169f1b47',
  'open-admin-data/tajikistan-administrative-divisions': '4dd5c30d2ebf4675e264f9134031be2a507735b8',
};

/** Sheet names per region, in the order of the workbooks. */
const REGION_SHEETS: ReadonlyArray<readonly [string, string]> = [
  ['TJ-SU', 'Sughd'],
  ['TJ-KT', 'Khatlon'],
  ['TJ-GB', 'GBAO'],
  ['TJ-RA', 'DRS'],
  ['TJ-DU', 'Dushanbe'],
];

/** All headers of the `units` layout, in the documented order. */
const ALL_HEADERS = [
  'Code',
  'Reference key',
  'Name (English)',
  'Name (Tajik)',
  'Name (Russian)',
  'Type',
  'Parent code',
  'Parent name',
  'Administrative centre',
  'Centre latitude',
  'Centre longitude',
  'Population',
  'Population year',
  'Area (km²)',
  'Latitude',
  'Longitude',
  'Wikidata',
  'Wikidata (settlement)',
  'GeoNames',
  'HASC',
  'ISO 3166-2',
  'Former names',
  'Other names (Tajik)',
  'Other names (Russian)',
  'Established',
  'Jamoat list',
  'Jamoat list note',
  'Source',
  'Notes',
] as const;
type Header = (typeof ALL_HEADERS)[number];
type OutRow = Partial<Record<Header, string>>;

/** Columns written as integers / decimals in the XLSX (the CSV keeps the reference text). */
const INTEGER_HEADERS: ReadonlySet<Header> = new Set<Header>(['Population', 'Population year']);
const DECIMAL_HEADERS: ReadonlySet<Header> = new Set<Header>([
  'Area (km²)',
  'Latitude',
  'Longitude',
  'Centre latitude',
  'Centre longitude',
]);

const ALWAYS: Header[] = [
  'Code',
  'Reference key',
  'Name (English)',
  'Name (Tajik)',
  'Name (Russian)',
  'Other names (Tajik)',
  'Other names (Russian)',
  'Established',
  'Type',
  'Parent code',
  'Source',
  'Notes',
];

/** Columns per level (subset of ALL_HEADERS; output order is always the ALL_HEADERS order). */
const LEVEL_HEADERS: Record<'country' | 'regions' | 'districts' | 'jamoats', Header[]> = {
  country: order(ALWAYS),
  regions: order([
    ...ALWAYS,
    'Parent name',
    'Administrative centre',
    'Population',
    'Population year',
    'Area (km²)',
    'Latitude',
    'Longitude',
    'Wikidata',
    'Wikidata (settlement)',
    'GeoNames',
    'HASC',
    'ISO 3166-2',
  ]),
  districts: order([
    ...ALWAYS,
    'Parent name',
    'Administrative centre',
    'Centre latitude',
    'Centre longitude',
    'Population',
    'Population year',
    'Area (km²)',
    'Latitude',
    'Longitude',
    'Wikidata',
    'Wikidata (settlement)',
    'GeoNames',
    'HASC',
    'Former names',
    'Jamoat list',
    'Jamoat list note',
  ]),
  jamoats: order([
    ...ALWAYS,
    'Parent name',
    'Administrative centre',
    'Population',
    'Population year',
    'Area (km²)',
    'Latitude',
    'Longitude',
    'Wikidata',
    'Wikidata (settlement)',
    'GeoNames',
  ]),
};

function order(headers: Header[]): Header[] {
  const set = new Set(headers);
  return ALL_HEADERS.filter((h) => set.has(h));
}


// ---------------------------------------------------------------------------------------------
// Names and dates as the converter takes them (src/tools/reference-names.ts)

/** The name, other-names and established columns of a reference row. */
function namesOf(r: RefRow, key: string): OutRow {
  const tg = officialName(val(r, 'name_tg'));
  const ru = officialName(val(r, 'name_ru'), PREFERRED_RU[key]);
  return {
    'Name (Tajik)': tg.name,
    'Name (Russian)': ru.name,
    'Other names (Tajik)': tg.others,
    'Other names (Russian)': ru.others,
    Established: establishedOn(val(r, 'notes')),
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

class ImportError extends Error {}

const warnings: string[] = [];
function warn(message: string): void {
  warnings.push(message);
  console.warn(`WARNING: ${message}`);
}
function fail(message: string): never {
  throw new ImportError(message);
}

function parseArgs(argv: string[]): { reference: string; out: string } {
  let reference = '../shared/reference';
  let out = 'data/units';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string => {
      const value = argv[++i];
      if (value === undefined || value === '') fail(`${arg} needs a directory`);
      return value;
    };
    if (arg === '--reference') reference = next();
    else if (arg?.startsWith('--reference=')) reference = arg.slice('--reference='.length);
    else if (arg === '--out') out = next();
    else if (arg?.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: import-reference [--reference DIR] [--out DIR]');
      process.exit(0);
    } else fail(`unknown argument ${String(arg)}`);
  }
  return { reference: resolve(reference), out: resolve(out) };
}

type RefRow = Record<string, string>;

function readCsv(path: string, required: string[]): RefRow[] {
  if (!existsSync(path)) fail(`missing file ${path}`);
  const rows = parse(readFileSync(path, 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  }) as RefRow[];
  const first = rows[0];
  if (first) {
    const missing = required.filter((c) => !(c in first));
    if (missing.length > 0) fail(`${path}: missing column(s) ${missing.join(', ')}`);
  }
  return rows;
}

/** The value of a column, '' when absent; trims nothing (values are copied as they are). */
function val(row: RefRow, key: string): string {
  return row[key] ?? '';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toCsv(headers: Header[], rows: OutRow[]): string {
  const lines = [headers.map(csvField).join(',')];
  for (const row of rows) lines.push(headers.map((h) => csvField(row[h] ?? '')).join(','));
  return lines.join('\n') + '\n';
}

function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, 'utf8');
}

function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/** Rewrite `owner/repo:path` source entries to permanent GitHub URLs; keep `; ` separators. */
function rewriteSources(source: string, context: string): string {
  if (source.trim() === '') fail(`${context}: empty source (Source is required)`);
  return source
    .split('; ')
    .map((entry) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return entry;
      const m = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+):(.+)$/.exec(entry);
      if (!m) return entry; // a plain-text source (kept as a literal)
      const repo = m[1] ?? '';
      const path = m[2] ?? '';
      const commit = REPO_COMMITS[repo];
      if (!commit) fail(`${context}: source ${entry}: no commit known for repository ${repo}`);
      return `https://github.com/${repo}/blob/${commit}/${path}`;
    })
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// Codes (assigned once)

interface ExistingCodes {
  /** Reference key -> code. */
  byKey: Map<string, string>;
  /** Every code in the file (also rows without a matching reference key). */
  codes: Set<string>;
  /** Rows of the existing file, as read, in file order. */
  rows: Array<Record<string, string>>;
}

function readExisting(path: string): ExistingCodes {
  const result: ExistingCodes = { byKey: new Map(), codes: new Set(), rows: [] };
  if (!existsSync(path)) return result;
  const rows = readCsv(path, ['Code', 'Reference key']);
  const keyOfCode = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    const code = val(row, 'Code');
    const key = val(row, 'Reference key');
    const where = `${path} row ${i + 2}`;
    if (code === '') fail(`${where}: empty Code`);
    if (!isAscii(code) || /\s/.test(code)) fail(`${where}: Code ${JSON.stringify(code)} is not plain ASCII`);
    if (result.codes.has(code) && keyOfCode.get(code) !== key) {
      fail(`${where}: Code ${code} is used by two different reference keys`);
    }
    if (key !== '') {
      const previous = result.byKey.get(key);
      if (previous !== undefined && previous !== code) {
        fail(`${where}: Reference key ${key} has two codes (${previous}, ${code})`);
      }
      result.byKey.set(key, code);
    }
    result.codes.add(code);
    keyOfCode.set(code, key);
    result.rows.push(row);
  }
  return result;
}

/** Hands out `{parent}-{NN}` serials: keeps existing codes, new rows get max existing + 1. */
class CodeAllocator {
  private readonly used = new Set<string>();
  private readonly maxSerial = new Map<string, number>();

  constructor(private readonly existing: ExistingCodes) {
    for (const code of existing.codes) this.reserve(code);
  }

  private reserve(code: string): void {
    this.used.add(code);
    const m = /^(.*)-(\d+)$/.exec(code);
    if (m) {
      const prefix = m[1] ?? '';
      const serial = Number(m[2]);
      if (serial > (this.maxSerial.get(prefix) ?? 0)) this.maxSerial.set(prefix, serial);
    }
  }

  /** The code for a reference row: the existing one, or the next free serial under `parentCode`. */
  serial(refKey: string, parentCode: string): { code: string; isNew: boolean } {
    const existing = this.existing.byKey.get(refKey);
    if (existing !== undefined) return { code: existing, isNew: false };
    let next = (this.maxSerial.get(parentCode) ?? 0) + 1;
    let code = `${parentCode}-${String(next).padStart(2, '0')}`;
    while (this.used.has(code)) code = `${parentCode}-${String(++next).padStart(2, '0')}`;
    if (!isAscii(code)) fail(`code ${code} for ${refKey} is not ASCII`);
    this.reserve(code);
    return { code, isNew: true };
  }

  /** A fixed code (regions: the ISO 3166-2 code), unless the key already has one. */
  fixed(refKey: string, code: string): { code: string; isNew: boolean } {
    const existing = this.existing.byKey.get(refKey);
    if (existing !== undefined) {
      if (existing !== code) warn(`${refKey}: keeping existing code ${existing} (reference now says ${code})`);
      return { code: existing, isNew: false };
    }
    if (this.used.has(code)) fail(`code ${code} for ${refKey} is already used by another row`);
    if (!isAscii(code)) fail(`code ${code} for ${refKey} is not ASCII`);
    this.reserve(code);
    return { code, isNew: true };
  }
}

/**
 * Rows of an existing CSV whose reference key is no longer in the reference (or that have none):
 * they are kept unchanged, so their code stays taken, and a person decides what happens to them.
 */
function orphanRows(existing: ExistingCodes, referenceKeys: Set<string>, headers: Header[], file: string): OutRow[] {
  const out: OutRow[] = [];
  for (const row of existing.rows) {
    const key = val(row, 'Reference key');
    if (key !== '' && referenceKeys.has(key)) continue;
    warn(
      `${file}: row with Code ${val(row, 'Code')} (Reference key ${JSON.stringify(key)}) is not in the reference; ` +
        'kept unchanged so that its code is never reused - please review',
    );
    const kept: OutRow = {};
    for (const h of headers) kept[h] = val(row, h);
    out.push(kept);
  }
  return out;
}

/**
 * This tool rebuilds the workbooks from the reference: a column it does not write (an official's
 * "Retired on", a column added by hand) would silently disappear, and with a retirement a unit's
 * URI would go from 410 or a redirect to 404. So it refuses; such sheets are edited by hand.
 */
async function refuseToDropColumns(out: string): Promise<void> {
  const found: string[] = [];
  for (const [file, level] of [['regions.xlsx', 'regions'], ['districts.xlsx', 'districts'], ['jamoats.xlsx', 'jamoats']] as const) {
    const path = join(out, file);
    if (!existsSync(path)) continue;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const written = new Set<string>(LEVEL_HEADERS[level].map((h) => h.toLowerCase()));
    for (const ws of wb.worksheets) {
      let headers: string[] | undefined;
      ws.eachRow((row) => {
        const texts = (row.values as unknown[]).map((v) => (typeof v === 'string' ? v.trim() : ''));
        if (!headers && texts.includes('Code')) headers = texts.filter((t) => t !== '');
      });
      const extra = (headers ?? []).filter((h) => !written.has(h.toLowerCase()));
      if (extra.length > 0) found.push(`${file} › ${ws.name}: ${extra.map((h) => JSON.stringify(h)).join(', ')}`);
    }
  }
  if (found.length > 0) {
    fail(
      `the workbooks in ${out} have columns this tool does not write, which rebuilding them would lose:\n  ${found.join('\n  ')}\n` +
        'Edit those sheets by hand (README: "How to add jamoats", "How to retire a unit"); this tool is for the first import.',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Jamoat list status, derived from SOURCES.md "Gaps" (the notes it gives are published on the
// units' pages, so they do not name SOURCES.md, a file readers cannot open)

type ListStatus = 'complete' | 'listed' | 'partial' | 'outdated' | 'missing' | 'not-applicable';
interface StatusEntry {
  status: ListStatus;
  note: string;
  /** Expected counts when SOURCES.md states them (pilot districts). */
  expect?: { towns: number; jamoats: number };
}

/** Split `a (x, y), b, c` at top-level commas (and optionally ` and `). */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && text.startsWith(', ', i)) {
      items.push(current);
      current = '';
      i++;
      continue;
    }
    if (depth === 0 && text.startsWith(' and ', i)) {
      items.push(current);
      current = '';
      i += 4;
      continue;
    }
    current += ch;
  }
  items.push(current);
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

function nameAndRemark(item: string): { name: string; remark: string } {
  const m = /^(.+?)\s*(?:\((.*)\))?\.?$/.exec(item.trim());
  return { name: (m?.[1] ?? item).trim(), remark: (m?.[2] ?? '').trim() };
}

/** The bullets of the "## Gaps" section, continuation lines joined, whitespace normalised. */
function gapBullets(sources: string): string[] {
  const start = sources.indexOf('\n## Gaps');
  if (start < 0) fail('SOURCES.md: no "## Gaps" section');
  const rest = sources.slice(start + 1);
  const end = rest.indexOf('\n## ', 3);
  const section = end < 0 ? rest : rest.slice(0, end);
  const bullets: string[] = [];
  for (const line of section.split('\n')) {
    if (/^\s*\* /.test(line)) bullets.push(line.replace(/^\s*\* /, ''));
    else if (/^\s+\S/.test(line) && bullets.length > 0) bullets[bullets.length - 1] += ' ' + line.trim();
  }
  return bullets.map((b) => b.replace(/\s+/g, ' ').trim());
}

interface StatusSpec {
  statuses: Map<string, StatusEntry>;
  /** Names from SOURCES.md that add a remark to a `listed` district. */
  remarks: Map<string, string[]>;
}

function jamoatListStatuses(sourcesPath: string): StatusSpec {
  if (!existsSync(sourcesPath)) fail(`missing ${sourcesPath} (needed for the jamoat list status)`);
  const bullets = gapBullets(readFileSync(sourcesPath, 'utf8'));
  const statuses = new Map<string, StatusEntry>();
  const remarks = new Map<string, string[]>();
  const set = (name: string, entry: StatusEntry): void => {
    if (statuses.has(name)) fail(`SOURCES.md names ${name} in two jamoat-list groups`);
    statuses.set(name, entry);
  };
  const found = { none: false, partial: false, older: false, pilot: 0 };

  for (const bullet of bullets) {
    let m: RegExpExecArray | null;
    if ((m = /^\*\*No list found\*\* for: (.*)$/.exec(bullet))) {
      found.none = true;
      for (const item of splitTopLevel(m[1] ?? '')) {
        const { name, remark } = nameAndRemark(item);
        if (name === 'Khujand') {
          set(name, { status: 'not-applicable', note: `No jamoat list: ${remark || 'no jamoats expected'}` });
        } else if (name === 'Panjakent') {
          set(name, { status: 'partial', note: `No full list found: ${remark || 'one jamoat found'}` });
        } else {
          set(name, { status: 'missing', note: `No list found${remark ? `; ${remark}` : ''}` });
        }
      }
    } else if ((m = /^\*\*Partial\*\*: (.*)$/.exec(bullet))) {
      found.partial = true;
      for (const item of splitTopLevel(m[1] ?? '')) {
        const { name, remark } = nameAndRemark(item);
        set(name, { status: 'partial', note: `Partial list: ${remark || 'incomplete'}` });
      }
    } else if ((m = /^\*\*Older lists\*\*: (.+?) come only from old lists \((.*?)[;)]/.exec(bullet))) {
      found.older = true;
      for (const item of splitTopLevel(m[1] ?? '')) {
        set(nameAndRemark(item).name, {
          status: 'outdated',
          note:
            `Old list only: ${m[2] ?? 'old list'}; may predate renamings and the ~2018 mergers ` +
            'of districts into cities',
        });
      }
    } else if ((m = /^\*\*Added in the second pass\*\*: (.*?) \((source #\d+)\)/.exec(bullet))) {
      for (const item of splitTopLevel(m[1] ?? '')) {
        addRemark(remarks, nameAndRemark(item).name, `added in the second pass (${m[2] ?? ''})`);
      }
    } else if ((m = /^([^:*]+): complete list \((.*)\)\.?$/.exec(bullet))) {
      found.pilot++;
      const name = (m[1] ?? '').trim();
      const remark = m[2] ?? '';
      const towns = /(\d+) towns?/.exec(remark);
      const jamoats = /(\d+) jamoats?/.exec(remark);
      set(name, {
        status: 'complete',
        note: `Pilot district, complete list: ${remark}`,
        expect: { towns: towns ? Number(towns[1]) : 0, jamoats: jamoats ? Number(jamoats[1]) : 0 },
      });
    }
  }
  if (!found.none || !found.partial || !found.older || found.pilot === 0) {
    fail(
      'SOURCES.md "Gaps": could not find all of the "No list found", "Partial", "Older lists" and ' +
        'pilot "complete list" bullets; the format changed, please update import-reference.ts',
    );
  }
  // Conflicts on jamoat lists (SOURCES.md "Conflicts noted"), kept as short remarks.
  addRemark(remarks, 'Jaloliddin Balkhi', 'jamoat count: 6 (en.wikipedia) vs 8 (ru.wikipedia)');
  addRemark(remarks, "Mu'minobod", 'jamoat count: the sources disagree, 6 or 7');
  addRemark(remarks, 'Danghara', 'jamoat Latin names reconstructed from machine-translated mirrors; verify them');
  addRemark(remarks, 'Kuhistoni Mastchoh', '"Ivan-Tojik" read from an es-derived copy; verify it');
  addRemark(remarks, 'Rudaki', 'town "Mirzo Tursunzoda" also listed under Shahrinav: unresolved');
  addRemark(remarks, 'Shahrinav', 'town "Mirzo Tursunzoda" also listed under Rudaki: unresolved');
  return { statuses, remarks };
}

function addRemark(remarks: Map<string, string[]>, name: string, remark: string): void {
  const list = remarks.get(name) ?? [];
  list.push(remark);
  remarks.set(name, list);
}

function codePrefix(code: string | undefined): string {
  return /^(TJ-[A-Z]{2})/.exec(code ?? '')?.[1] ?? '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------
// XLSX

interface SheetSpec {
  name: string;
  title: string;
  rows: OutRow[];
}

function typedValue(header: Header, text: string, context: string): string | number | null {
  if (text === '') return null;
  if (INTEGER_HEADERS.has(header)) {
    if (/^-?\d+$/.test(text)) return Number(text);
    warn(`${context}: ${header} ${JSON.stringify(text)} is not an integer; written as text`);
    return text;
  }
  if (DECIMAL_HEADERS.has(header)) {
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    warn(`${context}: ${header} ${JSON.stringify(text)} is not a number; written as text`);
    return text;
  }
  return text;
}

async function writeWorkbook(path: string, headers: Header[], sheets: SheetSpec[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = CREATOR;
  wb.lastModifiedBy = CREATOR;
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.title = 'Administrative units of Tajikistan';

  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    });
    const n = headers.length;

    ws.mergeCells(1, 1, 1, n);
    const title = ws.getCell(1, 1);
    title.value = sheet.title;
    title.font = { bold: true, size: 13 };
    title.alignment = { vertical: 'middle', horizontal: 'left' };
    ws.getRow(1).height = 22;

    const headerRow = ws.getRow(2);
    headers.forEach((h, i) => {
      const cell = headerRow.getCell(i + 1);
      cell.value = h;
      cell.font = { bold: true };
      cell.alignment = { vertical: 'top', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    headerRow.commit();

    sheet.rows.forEach((row, r) => {
      const excelRow = ws.getRow(r + 3);
      headers.forEach((h, i) => {
        const v = typedValue(h, row[h] ?? '', `${path} sheet ${sheet.name} ${row['Code'] ?? ''}`);
        if (v === null) return;
        const cell = excelRow.getCell(i + 1);
        cell.value = v;
        if (h === 'Population') cell.numFmt = '#,##0';
        cell.alignment = { vertical: 'top' };
      });
      excelRow.commit();
    });

    headers.forEach((h, i) => {
      let width = Math.max(h.length + 2, 8);
      for (const row of sheet.rows) width = Math.max(width, (row[h] ?? '').length + 2);
      const cap = h === 'Source' || h === 'Notes' || h === 'Jamoat list note' ? 60 : 40;
      ws.getColumn(i + 1).width = Math.min(width, cap);
    });
    if (sheet.rows.length > 0) {
      ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2 + sheet.rows.length, column: n } };
    }
  }

  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, fixZipTimestamps(buffer, FIXED_DATE));
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const { reference, out } = parseArgs(process.argv.slice(2));
  const csvDir = join(out, 'csv');

  const regionsRef = readCsv(join(reference, 'regions.csv'), [
    'code', 'name_en', 'name_tg', 'name_ru', 'parent', 'admin_centre', 'population', 'population_year',
    'area_km2', 'lat', 'lon', 'wikidata', 'geonames', 'hasc', 'source', 'notes',
  ]);
  const districtsRef = readCsv(join(reference, 'districts.csv'), [
    'id', 'name_en', 'name_tg', 'name_ru', 'type', 'parent', 'admin_centre', 'population', 'population_year',
    'area_km2', 'lat', 'lon', 'centre_lat', 'centre_lon', 'wikidata', 'geonames', 'hasc', 'former_names',
    'source', 'notes',
  ]);
  const jamoatsRef = readCsv(join(reference, 'jamoats.csv'), [
    'id', 'name_en', 'name_tg', 'name_ru', 'type', 'parent', 'admin_centre', 'population', 'population_year',
    'area_km2', 'lat', 'lon', 'wikidata', 'geonames', 'source', 'notes',
  ]);

  // ----- country
  const country: OutRow = {
    Code: 'TJ',
    'Name (English)': 'Tajikistan',
    'Name (Tajik)': 'Тоҷикистон',
    'Name (Russian)': 'Таджикистан',
    Type: 'country',
    Source: 'https://en.wikipedia.org/wiki/ISO_3166-2:TJ',
  };

  // ----- regions
  const existingRegions = readExisting(join(csvDir, 'regions.csv'));
  const regionAlloc = new CodeAllocator(existingRegions);
  const regionByKey = new Map<string, { code: string; name: string }>();
  const regionRows: OutRow[] = [];
  for (const r of regionsRef) {
    const key = val(r, 'code');
    if (!/^TJ-[A-Z]{2}$/.test(key)) fail(`regions.csv: unexpected region code ${JSON.stringify(key)}`);
    if (regionByKey.has(key)) fail(`regions.csv: duplicate region ${key}`);
    if (val(r, 'parent') !== 'TJ') fail(`regions.csv: ${key} has parent ${val(r, 'parent')}, expected TJ`);
    const { code } = regionAlloc.fixed(key, key);
    regionByKey.set(key, { code, name: val(r, 'name_en') });
    regionRows.push({
      Code: code,
      'Reference key': key,
      'Name (English)': val(r, 'name_en'),
      ...namesOf(r, key),
      Type: 'region',
      'Parent code': 'TJ',
      'Parent name': 'Tajikistan',
      'Administrative centre': val(r, 'admin_centre'),
      Population: val(r, 'population'),
      'Population year': val(r, 'population_year'),
      'Area (km²)': val(r, 'area_km2'),
      Latitude: val(r, 'lat'),
      Longitude: val(r, 'lon'),
      // A region named after its own centre is a city with the status of a region (Dushanbe): its
      // Wikidata item is the city, a settlement, not the first-level unit (README, "The fifth star").
      ...(val(r, 'name_en') === val(r, 'admin_centre') ? { 'Wikidata (settlement)': val(r, 'wikidata') } : { Wikidata: val(r, 'wikidata') }),
      GeoNames: val(r, 'geonames'),
      HASC: val(r, 'hasc'),
      'ISO 3166-2': key,
      Source: rewriteSources(val(r, 'source'), `regions.csv ${key}`),
      Notes: val(r, 'notes'),
    });
  }
  for (const [regionCode] of REGION_SHEETS) {
    if (!regionByKey.has(regionCode)) fail(`regions.csv: region ${regionCode} is missing`);
  }

  // ----- districts: codes in reference order within each region
  const existingDistricts = readExisting(join(csvDir, 'districts.csv'));
  const districtAlloc = new CodeAllocator(existingDistricts);
  const districtByKey = new Map<string, { code: string; name: string; region: string; row: OutRow }>();
  const districtRows: OutRow[] = [];
  const newDistricts: string[] = [];
  const jamoatCount = new Map<string, { towns: number; jamoats: number }>();
  for (const j of jamoatsRef) {
    const c = jamoatCount.get(val(j, 'parent')) ?? { towns: 0, jamoats: 0 };
    if (val(j, 'type') === 'town') c.towns++;
    else c.jamoats++;
    jamoatCount.set(val(j, 'parent'), c);
  }
  const spec = jamoatListStatuses(join(reference, 'SOURCES.md'));

  // Every district SOURCES.md names must match exactly one reference row (by name_en).
  const byName = new Map<string, RefRow[]>();
  for (const d of districtsRef) byName.set(val(d, 'name_en'), [...(byName.get(val(d, 'name_en')) ?? []), d]);
  const unmatched = [...spec.statuses.keys(), ...spec.remarks.keys()].filter((n) => (byName.get(n)?.length ?? 0) !== 1);
  if (unmatched.length > 0) {
    for (const n of unmatched) {
      console.warn(
        `WARNING: district ${JSON.stringify(n)} named in SOURCES.md (jamoat lists) matches ` +
          `${byName.get(n)?.length ?? 0} rows of districts.csv (by name_en); expected exactly 1`,
      );
    }
    fail('district names in SOURCES.md do not match the reference; fix the spelling and re-run');
  }

  for (const d of districtsRef) {
    const key = val(d, 'id');
    const where = `districts.csv ${key}`;
    if (key === '') fail('districts.csv: a row without id');
    if (districtByKey.has(key)) fail(`${where}: duplicate id`);
    const region = regionByKey.get(val(d, 'parent'));
    if (!region) fail(`${where}: unknown parent region ${val(d, 'parent')}`);
    const type = val(d, 'type');
    if (!['district', 'city', 'city district'].includes(type)) fail(`${where}: unexpected type ${type}`);
    const { code, isNew } = districtAlloc.serial(key, region.code);
    if (isNew && existingDistricts.codes.size > 0) newDistricts.push(`${code} ${key}`);

    // Wikidata of a city is the settlement's item (SOURCES.md #13), never the unit's.
    const wd = val(d, 'wikidata');
    let wikidata = '';
    let settlement = '';
    if (wd !== '') {
      if (type === 'city') settlement = wd;
      else {
        warn(`${where}: a ${type} with a Wikidata item (${wd}); put in "Wikidata" (the item is the unit) - verify`);
        wikidata = wd;
      }
    }

    const name = val(d, 'name_en');
    const counts = jamoatCount.get(key) ?? { towns: 0, jamoats: 0 };
    const total = counts.towns + counts.jamoats;
    let entry = spec.statuses.get(name);
    if (!entry && type === 'city district') {
      entry = { status: 'not-applicable', note: 'City district of Dushanbe: no jamoat-level units' };
    }
    if (!entry) {
      if (total === 0) {
        warn(`${where}: no jamoat rows and not named in SOURCES.md "Gaps"; Jamoat list set to "missing"`);
        entry = { status: 'missing', note: 'No jamoat rows in the reference (not named in SOURCES.md "Gaps")' };
      } else {
        entry = {
          status: 'listed',
          note: `Listed: ${plural(counts.towns, 'town')} + ${plural(counts.jamoats, 'jamoat')} from the sources in Source; completeness not verified`,
        };
      }
    }
    if ((entry.status === 'missing' || entry.status === 'not-applicable') && total > 0) {
      fail(`${where}: jamoat list "${entry.status}" per SOURCES.md, but jamoats.csv has ${total} rows for it`);
    }
    if (entry.status !== 'missing' && entry.status !== 'not-applicable' && total === 0) {
      fail(`${where}: jamoat list "${entry.status}" but jamoats.csv has no rows for it`);
    }
    if (entry.expect && (entry.expect.towns !== counts.towns || entry.expect.jamoats !== counts.jamoats)) {
      fail(
        `${where}: SOURCES.md says ${plural(entry.expect.towns, 'town')} + ${plural(entry.expect.jamoats, 'jamoat')}, ` +
          `jamoats.csv has ${counts.towns} + ${counts.jamoats}`,
      );
    }
    const note = [entry.note, ...(spec.remarks.get(name) ?? [])].join('; ');

    const row: OutRow = {
      Code: code,
      'Reference key': key,
      'Name (English)': name,
      ...namesOf(d, key),
      Type: type,
      'Parent code': region.code,
      'Parent name': region.name,
      'Administrative centre': val(d, 'admin_centre'),
      'Centre latitude': val(d, 'centre_lat'),
      'Centre longitude': val(d, 'centre_lon'),
      Population: val(d, 'population'),
      'Population year': val(d, 'population_year'),
      'Area (km²)': val(d, 'area_km2'),
      Latitude: val(d, 'lat'),
      Longitude: val(d, 'lon'),
      Wikidata: wikidata,
      'Wikidata (settlement)': settlement,
      GeoNames: val(d, 'geonames'),
      HASC: val(d, 'hasc'),
      'Former names': val(d, 'former_names'),
      'Jamoat list': entry.status,
      'Jamoat list note': note,
      Source: rewriteSources(val(d, 'source'), where),
      Notes: val(d, 'notes'),
    };
    districtByKey.set(key, { code, name, region: val(d, 'parent'), row });
    districtRows.push(row);
  }

  // ----- jamoats: codes in reference order within each district
  const existingJamoats = readExisting(join(csvDir, 'jamoats.csv'));
  const jamoatAlloc = new CodeAllocator(existingJamoats);
  const jamoatRows: Array<{ region: string; row: OutRow }> = [];
  const jamoatKeys = new Set<string>();
  const newJamoats: string[] = [];
  for (const j of jamoatsRef) {
    const key = val(j, 'id');
    const where = `jamoats.csv ${key}`;
    if (key === '') fail('jamoats.csv: a row without id');
    if (jamoatKeys.has(key)) fail(`${where}: duplicate id`);
    jamoatKeys.add(key);
    const district = districtByKey.get(val(j, 'parent'));
    if (!district) fail(`${where}: unknown parent district ${val(j, 'parent')}`);
    if (val(j, 'parent_name') !== '' && val(j, 'parent_name') !== district.name) {
      warn(`${where}: parent_name ${val(j, 'parent_name')} differs from the district's name ${district.name}`);
    }
    const type = val(j, 'type');
    if (type !== 'jamoat' && type !== 'town') fail(`${where}: unexpected type ${type}`);
    const { code, isNew } = jamoatAlloc.serial(key, district.code);
    if (isNew && existingJamoats.codes.size > 0) newJamoats.push(`${code} ${key}`);

    const wd = val(j, 'wikidata');
    let wikidata = '';
    let settlement = '';
    if (wd !== '') {
      if (type === 'town') settlement = wd;
      else {
        warn(`${where}: a rural jamoat with a Wikidata item (${wd}); put in "Wikidata" (the item is the unit) - verify`);
        wikidata = wd;
      }
    }
    jamoatRows.push({
      region: district.region,
      row: {
        Code: code,
        'Reference key': key,
        'Name (English)': val(j, 'name_en'),
        ...namesOf(j, key),
        Type: type,
        'Parent code': district.code,
        'Parent name': district.name,
        'Administrative centre': val(j, 'admin_centre'),
        Population: val(j, 'population'),
        'Population year': val(j, 'population_year'),
        'Area (km²)': val(j, 'area_km2'),
        Latitude: val(j, 'lat'),
        Longitude: val(j, 'lon'),
        Wikidata: wikidata,
        'Wikidata (settlement)': settlement,
        GeoNames: val(j, 'geonames'),
        Source: rewriteSources(val(j, 'source'), where),
        Notes: val(j, 'notes'),
      },
    });
  }

  // ----- rows of earlier imports that the reference no longer has: kept, codes stay taken
  const regionOrphans = orphanRows(existingRegions, new Set(regionByKey.keys()), LEVEL_HEADERS.regions, 'csv/regions.csv');
  const districtOrphans = orphanRows(existingDistricts, new Set(districtByKey.keys()), LEVEL_HEADERS.districts, 'csv/districts.csv');
  const jamoatOrphans = orphanRows(existingJamoats, jamoatKeys, LEVEL_HEADERS.jamoats, 'csv/jamoats.csv');

  // ----- final checks: unique, ASCII codes across all levels
  const allCodes = new Map<string, string>();
  const check = (row: OutRow): void => {
    const code = row.Code ?? '';
    const key = row['Reference key'] ?? '';
    if (code === '' || !isAscii(code) || /\s/.test(code)) fail(`invalid code ${JSON.stringify(code)} for ${key}`);
    const other = allCodes.get(code);
    if (other !== undefined && other !== key) fail(`code ${code} given to both ${other} and ${key}`);
    allCodes.set(code, key);
  };
  [country, ...regionRows, ...regionOrphans, ...districtRows, ...districtOrphans].forEach(check);
  [...jamoatRows.map((j) => j.row), ...jamoatOrphans].forEach(check);

  // ----- write, unless that would lose what people added to the workbooks since
  await refuseToDropColumns(out);
  const allDistricts = [...districtRows, ...districtOrphans];
  const allJamoats = [...jamoatRows.map((j) => j.row), ...jamoatOrphans];
  // Sheet = the region the unit is in now (its parent chain), not the prefix of its (stable) code.
  const regionCodes = new Set([...regionByKey.values()].map((r) => r.code));
  const regionOfDistrict = new Map<string, string>();
  for (const d of allDistricts) {
    const parent = d['Parent code'] ?? '';
    regionOfDistrict.set(d.Code ?? '', regionCodes.has(parent) ? parent : codePrefix(d.Code));
  }
  const regionOf = (row: OutRow): string => {
    const parent = row['Parent code'] ?? '';
    if (regionCodes.has(parent)) return parent;
    return regionOfDistrict.get(parent) ?? codePrefix(row.Code);
  };

  const perRegion = (rows: OutRow[], level: string): SheetSpec[] =>
    REGION_SHEETS.map(([regionCode, sheet]) => {
      const region = regionByKey.get(regionCode);
      return {
        name: sheet,
        title: `Administrative units: ${level} of ${region?.name ?? sheet}`,
        rows: rows.filter((r) => regionOf(r) === (region?.code ?? regionCode)),
      };
    });
  const districtSheets = perRegion(allDistricts, 'district-level units');
  const jamoatSheets = perRegion(allJamoats, 'jamoat-level units');
  for (const [sheets, rows, file] of [
    [districtSheets, allDistricts, 'districts.xlsx'],
    [jamoatSheets, allJamoats, 'jamoats.xlsx'],
  ] as const) {
    const placed = sheets.reduce((n, s) => n + s.rows.length, 0);
    if (placed !== rows.length) fail(`${file}: ${rows.length - placed} row(s) have a code outside the five regions`);
  }
  writeText(join(out, 'country.csv'), toCsv(LEVEL_HEADERS.country, [country]));
  writeText(join(csvDir, 'regions.csv'), toCsv(LEVEL_HEADERS.regions, [...regionRows, ...regionOrphans]));
  writeText(join(csvDir, 'districts.csv'), toCsv(LEVEL_HEADERS.districts, allDistricts));
  writeText(join(csvDir, 'jamoats.csv'), toCsv(LEVEL_HEADERS.jamoats, allJamoats));

  await writeWorkbook(join(out, 'regions.xlsx'), LEVEL_HEADERS.regions, [
    { name: 'Regions', title: 'Administrative units: regions of Tajikistan', rows: [...regionRows, ...regionOrphans] },
  ]);
  await writeWorkbook(join(out, 'districts.xlsx'), LEVEL_HEADERS.districts, districtSheets);
  await writeWorkbook(join(out, 'jamoats.xlsx'), LEVEL_HEADERS.jamoats, jamoatSheets);

  // ----- report
  const byStatus = new Map<string, number>();
  for (const r of districtRows) byStatus.set(r['Jamoat list'] ?? '', (byStatus.get(r['Jamoat list'] ?? '') ?? 0) + 1);
  console.log(`Wrote ${out}:`);
  console.log(`  country.csv: 1 row`);
  console.log(`  regions.xlsx, csv/regions.csv: ${regionRows.length + regionOrphans.length} rows`);
  console.log(`  districts.xlsx, csv/districts.csv: ${allDistricts.length} rows`);
  console.log(`  jamoats.xlsx, csv/jamoats.csv: ${allJamoats.length} rows`);
  console.log(`  jamoat list status: ${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  if (newDistricts.length + newJamoats.length > 0) {
    console.log(`  new codes this run: ${[...newDistricts, ...newJamoats].join(', ')}`);
  }
  for (const r of districtRows.filter((row) => row['Jamoat list'] === 'complete')) {
    const children = allJamoats.filter((j) => j['Parent code'] === r.Code);
    console.log(`  pilot ${r.Code} ${r['Name (English)']}: ${children.map((j) => `${j.Code} ${j['Name (English)']}`).join(', ')}`);
  }
  if (warnings.length > 0) console.log(`  ${warnings.length} warning(s), see above`);
}

main().catch((err: unknown) => {
  if (err instanceof ImportError) console.error(`WARNING: ${err.message}\nimport-reference stopped; nothing more written.`);
  else console.error(err);
  process.exit(1);
});
