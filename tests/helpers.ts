import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import N3 from 'n3';
import { convert, type ConvertOutput } from '../src/convert/convert.js';
import { ProblemsError, type Problem } from '../src/errors.js';
import { PROJECT_ROOT } from '../src/project.js';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';

export const BASE = 'http://localhost:3000/';
/** The configuration's default limits (MAX_FILE_BYTES ... MAX_SHEET_CELLS). */
export const LIMITS = fileLimits(loadConfig({}));
export const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures');
export const SHARED = join(PROJECT_ROOT, '..', 'shared');

export interface SheetSpec {
  name: string;
  rows: (string | number | null | { formula: string; result?: number } | Date)[][];
  merges?: string[];
}

export async function writeXlsx(path: string, sheets: SheetSpec[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const row of s.rows) ws.addRow(row.map((v) => (v === null ? undefined : v)));
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  await wb.xlsx.writeFile(path);
}

/** The wide layout as officials fill it: title, indicator header merged over its years, years, rows, total. */
export function wideSheet(name: string, body: (string | number | null | { formula: string })[][], opts: { header?: string; years?: number[] } = {}): SheetSpec {
  const years = opts.years ?? [2022, 2023];
  const last = String.fromCharCode(66 + years.length);
  return {
    name,
    rows: [
      ['Education indicators, Testobod district (test)'],
      ['Code', 'Jamoat', opts.header ?? 'Pupils in general education schools (persons)', ...years.slice(1).map(() => null)],
      [null, null, ...years],
      ...body,
      [],
      [null, 'Total', ...years.map(() => null)],
    ],
    merges: [`A1:${last}1`, 'A2:A3', 'B2:B3', ...(years.length > 1 ? [`C2:${last}2`] : [])],
  };
}

/**
 * A data directory in a temp folder: the real layouts, the small units fixtures (CSV), an
 * education workbook, and a manifest naming them. `files` overrides or adds files by path.
 */
export async function makeDataDir(opts: { files?: Record<string, string | Buffer>; education?: SheetSpec[] } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-data-'));
  await cp(join(PROJECT_ROOT, 'data', 'layouts'), join(dir, 'layouts'), { recursive: true });
  await cp(join(FIXTURES, 'units'), join(dir, 'units'), { recursive: true });
  await mkdir(join(dir, 'statistics'));
  const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'data', 'datasets.json'), 'utf8')) as {
    datasets: { id: string; files: { path: string; level?: string }[] }[];
  };
  const units = manifest.datasets.find((d) => d.id === 'units');
  const education = manifest.datasets.find((d) => d.id === 'education');
  if (!units || !education) throw new Error('the shipped manifest lost its units or education dataset');
  units.files = ['country', 'regions', 'districts', 'jamoats'].map((name, i) => ({
    path: `units/${name}.csv`,
    level: (['country', 'region', 'district', 'jamoat'] as const)[i],
  }));
  education.files = [{ path: 'statistics/education.xlsx' }];
  manifest.datasets = [units, education];
  await writeFile(join(dir, 'datasets.json'), JSON.stringify(manifest, null, 2));
  await writeXlsx(join(dir, 'statistics', 'education.xlsx'), opts.education ?? [
    wideSheet('Testobod', [
      ['TJ-SU-01-01', 'Alpha', 310, '1 020'],
      ['TJ-SU-01-02', 'Beta ', 450, 470],
    ]),
  ]);
  for (const [path, content] of Object.entries(opts.files ?? {})) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Runs the converter and returns its problems (empty when it succeeded). */
export async function problemsOf(dataDir: string, limits = LIMITS): Promise<Problem[]> {
  try {
    await convert({ dataDir, base: BASE, limits });
    return [];
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
}

export async function convertDir(dataDir: string): Promise<ConvertOutput> {
  return convert({ dataDir, base: BASE, limits: LIMITS });
}

export function storeOf(nquads: string): N3.Store {
  return new N3.Store(new N3.Parser({ format: 'N-Quads' }).parse(nquads));
}

/** Runs one of our TypeScript scripts as `npm run …` does (tsx), and returns its exit code and output. */
export async function runScript(path: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, path), ...args], { cwd: PROJECT_ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Every file under `dir`, by relative path, as base64: to compare a folder before and after. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) files[relative(dir, join(e.parentPath, e.name))] = (await readFile(join(e.parentPath, e.name))).toString('base64');
  }
  return files;
}
