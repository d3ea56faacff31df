/**
 * Upload validation benchmark: `npm run bench -- --part upload [--runs N]`, or alone:
 * `npx tsx bench/upload.ts [--runs N] [--factor N]`.
 *
 * The case it measures is the common one: a district statistics officer uploads one district's
 * education workbook (Yovon, every jamoat, the three education indicators for 2021-2024, made with
 * the template generator and filled in). It is validated (src/publish/validate-upload.ts: file
 * checks, rows, names, area, duplicates, SHACL and Data Cube on its observations) against
 * - the shipped units (the whole country), and
 * - a synthetic country --factor (default 10) times as large (bench/synthetic-data.ts, units only),
 *   with the template made for the first copy of Yovon,
 * printing the one-off cost of an UploadValidator (shapes, vocabulary, units' indexes) and the
 * median, min and max of --runs (default 7) validations after one warm-up. The target is under 2 s
 * per upload; the figures show it does not grow with the size of the country.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';
import type { Level } from '../src/convert/layout.js';
import { type DatasetSpec, loadManifest, loadUnitsLayout } from '../src/convert/layout.js';
import { readSheets } from '../src/convert/read-sheet.js';
import { type UnitRow, readUnitRows } from '../src/convert/read-units.js';
import { PROJECT_ROOT } from '../src/project.js';
import { makeTemplate } from '../src/publish/template.js';
import { UploadValidator, loadUploadChecks } from '../src/publish/validate-upload.js';
import { type ReleaseUnit, releaseUnitsOf } from '../src/releases/release-units.js';
import { makeSyntheticData } from './synthetic-data.js';

const YEARS = [2021, 2022, 2023, 2024];

/** The units of a data directory as a build's units.json holds them, read with the converter's own readers. */
async function unitsOf(dataDir: string): Promise<ReleaseUnit[]> {
  const manifest = await loadManifest(dataDir);
  const rows: UnitRow[] = [];
  for (const spec of manifest.datasets.filter((d) => d.kind === 'units')) {
    const layout = await loadUnitsLayout(dataDir, spec.layout);
    for (const f of spec.files) {
      for (const sheet of await readSheets(join(dataDir, f.path), f.path, fileLimits(loadConfig({})))) {
        const read = readUnitRows(sheet, layout, f.level as Level);
        if (read.problems.length > 0) throw new Error(`${f.path}: ${read.problems.length} problem(s), first: ${read.problems[0]?.reason ?? ''}`);
        rows.push(...read.rows);
      }
    }
  }
  return releaseUnitsOf(rows);
}

/** One district's template, every cell filled with a plausible figure, as an official would send it. */
async function filledWorkbook(units: ReleaseUnit[], area: string, education: DatasetSpec, indicators: Awaited<ReturnType<typeof loadUploadChecks>>['indicators']): Promise<{ bytes: Buffer; figures: number }> {
  const template = await makeTemplate({ units, area, year: YEARS[0] ?? 2021, years: YEARS, dataset: education, indicators, lang: 'tg' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(template).buffer); // a copy as a plain ArrayBuffer, the type exceljs declares
  let figures = 0;
  for (const ws of wb.worksheets) {
    for (let r = 4; typeof ws.getCell(r, 1).value === 'string'; r++) {
      for (let c = 3; c < 3 + 3 * YEARS.length; c++) {
        ws.getCell(r, c).value = 10 + ((r * 31 + c * 17) % 900);
        figures++;
      }
    }
  }
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), figures };
}

interface Measured {
  units: string;
  unitCount: number;
  area: string;
  figures: number;
  createMs: number;
  runsMs: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function measure(label: string, units: ReleaseUnit[], area: string, runs: number): Promise<Measured> {
  const config = loadConfig(process.env);
  const limits = fileLimits(config);
  const manifest = await loadManifest(join(PROJECT_ROOT, 'data'));
  const education = manifest.datasets.find((d) => d.id === 'education');
  if (!education) throw new Error('the shipped manifest has no education dataset');
  const t0 = performance.now();
  const checks = await loadUploadChecks({ base: config.BASE_URI });
  const validator = await UploadValidator.create({ base: config.BASE_URI, manifest, units, limits, checks });
  const createMs = performance.now() - t0;
  const { bytes, figures } = await filledWorkbook(units, area, education, checks.indicators);
  const input = { bytes, fileName: 'education-upload.xlsx', dataset: 'education', area };
  const runsMs: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const result = await validator.validate(input);
    const ms = performance.now() - t;
    if (result.problems.length > 0 || result.rows.length !== figures) {
      throw new Error(`${label}: the filled template gave ${result.rows.length} of ${figures} figures and ${result.problems.length} problem(s), first: ${result.problems[0]?.reason ?? ''}`);
    }
    if (i > 0) runsMs.push(ms); // run 0 warms up the JIT and the area's name index
    else console.log(`  ${label}: first validation (cold) ${ms.toFixed(0)} ms`);
  }
  return { units: label, unitCount: units.length, area, figures, createMs, runsMs };
}

export async function uploadBench(opts: { runs: number; factor: number }): Promise<Measured[]> {
  console.log(`\nupload validation: one district's education workbook (Yovon, ${YEARS.length} years), ${opts.runs} run(s) after a warm-up`);
  const results = [await measure('shipped units', await unitsOf(join(PROJECT_ROOT, 'data')), 'TJ-KT-06', opts.runs)];
  const tmp = await mkdtemp(join(tmpdir(), 'lg-bench-upload-'));
  try {
    const t = performance.now();
    await makeSyntheticData(join(PROJECT_ROOT, 'data'), tmp, { factor: opts.factor, split: 1, statistics: false });
    const units = await unitsOf(tmp);
    console.log(`  synthetic ${opts.factor}x units generated and read in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const yovon = units.find((u) => u.level === 'district' && u.labels.en === 'Yovon 1');
    if (!yovon) throw new Error('the synthetic units have no "Yovon 1"');
    results.push(await measure(`synthetic ${opts.factor}x units`, units, yovon.code, opts.runs));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  console.table(results.map((r) => ({
    units: `${r.units} (${r.unitCount})`,
    area: r.area,
    figures: r.figures,
    'validator ms (once)': r.createMs.toFixed(0),
    'median ms': median(r.runsMs).toFixed(0),
    'min ms': Math.min(...r.runsMs).toFixed(0),
    'max ms': Math.max(...r.runsMs).toFixed(0),
  })));
  const worst = Math.max(...results.map((r) => median(r.runsMs)));
  console.log(`target: under 2000 ms per upload; worst median ${worst.toFixed(0)} ms${worst < 2000 ? '' : ' (OVER THE TARGET)'}`);
  return results;
}

/** `--runs N` and `--factor N`, positive integers. */
function numberArg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive whole number`);
  return n;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  uploadBench({ runs: numberArg(argv, 'runs', 7), factor: numberArg(argv, 'factor', 10) }).catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
  });
}
