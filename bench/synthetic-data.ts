/**
 * Builds, in a directory of the caller's choosing (a temp dir: nothing here is ever shipped), a
 * synthetic data set `factor` times the size of the whole country:
 * - units: the shipped CSVs of data/units (country.csv, csv/{regions,districts,jamoats}.csv), every
 *   region with its districts and jamoats replicated `factor` times under fresh codes (TJ-AA, TJ-AB, ...;
 *   districts and jamoats keep their serials), names suffixed " 1" .. " {factor}", other columns kept;
 * - statistics: the five topics (population + the four sample topics) in the wide XLSX layout for
 *   EVERY jamoat-level unit, one sheet per region, values from a seeded PRNG;
 * - datasets.json (the shipped manifest with the units files pointed at the CSVs) and layouts/.
 * With `split` > 1 each statistics dataset is cut into `split` datasets (`education-1`, ... with
 * `statistics/education-1.xlsx`, ...), each holding a contiguous run of the regions: a workaround for
 * converters that cannot take one big dataset (see run.ts).
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { mulberry32 } from '../src/tools/mulberry32.js';

export interface SyntheticSummary {
  units: Record<'country' | 'region' | 'district' | 'jamoat', number>;
  /** Data rows written to the statistics workbooks (one per jamoat per topic). */
  statisticsRows: number;
  /** Figures (cells) in those rows: one observation each. */
  figures: number;
}

interface Table {
  header: string[];
  rows: string[][];
}

interface Indicator {
  id: string;
  label: string;
  unit: string;
  kind: 'integer' | 'decimal' | 'percent';
}

interface Topic {
  id: string;
  years: number[];
  indicators: Indicator[];
}

const SAMPLE_YEARS = [2021, 2022, 2023, 2024];
const int = (id: string, label: string, unit: string): Indicator => ({ id, label, unit, kind: 'integer' });
const dec = (id: string, label: string, unit: string): Indicator => ({ id, label, unit, kind: 'decimal' });

/** Ids, labels and units as in docs/data-model.md ("Indicators"). */
const TOPICS: Topic[] = [
  { id: 'population', years: [2015], indicators: [int('population', 'Population', 'persons')] },
  {
    id: 'education', years: SAMPLE_YEARS,
    indicators: [
      int('general-schools', 'General education schools', 'count'),
      int('pupils', 'Pupils in general education schools', 'persons'),
      int('teachers', 'Teachers in general education schools', 'persons'),
    ],
  },
  {
    id: 'health', years: SAMPLE_YEARS,
    indicators: [int('health-facilities', 'Health facilities', 'count'), int('doctors', 'Doctors', 'persons'), int('hospital-beds', 'Hospital beds', 'count')],
  },
  {
    id: 'infrastructure', years: SAMPLE_YEARS,
    indicators: [
      { id: 'drinking-water-access', label: 'Households with access to safe drinking water', unit: '%', kind: 'percent' },
      dec('paved-road-length', 'Length of paved local roads', 'km'),
    ],
  },
  {
    id: 'budget', years: SAMPLE_YEARS,
    indicators: [dec('budget-revenue', 'Local budget revenue', 'thousand somoni'), dec('budget-expenditure', 'Local budget expenditure', 'thousand somoni')],
  },
];


async function readTable(path: string): Promise<Table> {
  const records = parse(await readFile(path), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const [header, ...rows] = records;
  if (!header) throw new Error(`${path}: no header row`);
  return { header, rows };
}

const csvField = (v: string): string => (/[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const toCsv = (t: Table): string => [t.header, ...t.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

function columnIndex(t: Table, name: string, file: string): number {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`${file}: no column "${name}"`);
  return i;
}

/** TJ-AA, TJ-AB, ... TJ-AZ, TJ-BA, ...: `^TJ-[A-Z]{2}$` for up to 676 regions. */
function regionCode(i: number): string {
  const L = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (i >= 26 * 26) throw new Error('too many regions for two-letter codes');
  return `TJ-${L[Math.floor(i / 26)] ?? ''}${L[i % 26] ?? ''}`;
}

interface Copied {
  table: Table;
  /** old code -> new code, per copy */
  codeMap: Map<string, string>[];
  nameOf: Map<string, string>;
}

/**
 * One level's rows, replicated: code from `newCode`, parent code from the level above, names
 * (English, Tajik, Russian) suffixed with the copy number, reference key made unique.
 */
function replicate(t: Table, file: string, factor: number, parent: Copied | undefined, newCode: (old: string, k: number, parentCode: string) => string): Copied {
  const c = (name: string) => columnIndex(t, name, file);
  const [cCode, cRef, cParent] = [c('Code'), c('Reference key'), c('Parent code')];
  const nameCols = ['Name (English)', 'Name (Tajik)', 'Name (Russian)'].map(c);
  const cNameEn = c('Name (English)');
  const cParentName = t.header.indexOf('Parent name');
  const cIso = t.header.indexOf('ISO 3166-2');
  const out: Copied = { table: { header: t.header, rows: [] }, codeMap: [], nameOf: new Map() };
  for (let k = 0; k < factor; k++) {
    const map = new Map<string, string>();
    out.codeMap.push(map);
    for (const row of t.rows) {
      const old = row[cCode] ?? '';
      if (old === '') continue;
      const r = [...row];
      const oldParent = row[cParent] ?? '';
      const parentCode = parent ? parent.codeMap[k]?.get(oldParent) : oldParent;
      if (parentCode === undefined) throw new Error(`${file}: ${old}: parent ${oldParent} unknown`);
      const code = newCode(old, k, parentCode);
      map.set(old, code);
      r[cCode] = code;
      r[cParent] = parentCode;
      if (r[cRef]) r[cRef] = `${r[cRef]}~${k + 1}`;
      for (const i of nameCols) if (r[i]) r[i] = `${r[i]} ${k + 1}`;
      if (cParentName >= 0 && parent) r[cParentName] = parent.nameOf.get(parentCode) ?? '';
      if (cIso >= 0 && r[cIso]) r[cIso] = code;
      out.nameOf.set(code, r[cNameEn] ?? '');
      out.table.rows.push(r);
    }
  }
  return out;
}

const serial = (code: string): string => code.slice(code.lastIndexOf('-'));

interface Jamoat {
  code: string;
  name: string;
  population: number | undefined;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** One row of figures: indicator id -> year -> value. */
function figures(topic: Topic, base: number, rnd: () => number): Map<string, Map<number, number>> {
  const u = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const out = new Map<string, Map<number, number>>();
  for (const ind of topic.indicators) {
    const byYear = new Map<number, number>();
    let level = ind.kind === 'percent' ? u(30, 90) : base * u(0.0005, 0.3);
    for (const y of topic.years) {
      if (ind.id === 'population') level = base;
      else if (ind.kind === 'percent') level = Math.min(100, Math.max(0, level + u(-1, 3)));
      else level *= u(0.97, 1.08);
      byYear.set(y, ind.kind === 'integer' ? Math.max(0, Math.round(level)) : round1(level));
    }
    out.set(ind.id, byYear);
  }
  return out;
}

function addSheet(wb: ExcelJS.Workbook, name: string, topic: Topic, jamoats: Jamoat[], rnd: () => number): number {
  const ws = wb.addWorksheet(name);
  const nYears = topic.years.length;
  const lastCol = 2 + topic.indicators.length * nYears;
  ws.getCell(1, 1).value = `SAMPLE DATA (synthetic benchmark) - ${topic.id} by jamoat, ${name}`;
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getCell(2, 1).value = 'Code';
  ws.getCell(2, 2).value = 'Jamoat';
  topic.indicators.forEach((ind, ii) => {
    const first = 3 + ii * nYears;
    ws.getCell(2, first).value = `${ind.label} (${ind.unit})`;
    if (nYears > 1) ws.mergeCells(2, first, 2, first + nYears - 1);
    topic.years.forEach((y, yi) => { ws.getCell(3, first + yi).value = y; });
  });
  const sums = new Map<number, number>();
  let n = 0;
  for (const j of jamoats) {
    const row = ws.getRow(4 + n);
    const values: (string | number)[] = [j.code, j.name];
    const f = figures(topic, j.population ?? Math.round(3000 + rnd() * 37000), rnd);
    for (const ind of topic.indicators) for (const y of topic.years) values.push(f.get(ind.id)?.get(y) ?? 0);
    row.values = values;
    values.forEach((v, c) => { if (c >= 2 && typeof v === 'number') sums.set(c, (sums.get(c) ?? 0) + v); });
    n++;
  }
  const total: (string | number | null)[] = [null, 'Total'];
  topic.indicators.forEach((ind, ii) => {
    // A share does not add up: its total cell stays empty, as in the shipped workbooks.
    for (let yi = 0; yi < nYears; yi++) total.push(ind.kind === 'percent' ? null : round1(sums.get(2 + ii * nYears + yi) ?? 0));
  });
  ws.getRow(4 + n + 1).values = total; // a blank row, then the totals
  return n;
}

export interface SyntheticOptions {
  factor: number;
  /** Statistics datasets per topic (1: one per topic, as shipped). */
  split: number;
  seed?: number;
  /** false: the units only, no statistics workbooks (bench/upload.ts needs the country's units, not its figures). */
  statistics?: boolean;
}

export async function makeSyntheticData(dataDir: string, outDir: string, { factor, split, seed = 0x5eed_2026, statistics = true }: SyntheticOptions): Promise<SyntheticSummary> {
  const files = {
    country: join(dataDir, 'units', 'country.csv'),
    region: join(dataDir, 'units', 'csv', 'regions.csv'),
    district: join(dataDir, 'units', 'csv', 'districts.csv'),
    jamoat: join(dataDir, 'units', 'csv', 'jamoats.csv'),
  };
  const country = await readTable(files.country);
  const regionsIn = await readTable(files.region);
  let next = 0;
  const regions = replicate(regionsIn, files.region, factor, undefined, () => regionCode(next++));
  const districts = replicate(await readTable(files.district), files.district, factor, regions, (old, _k, p) => `${p}${serial(old)}`);
  const jamoats = replicate(await readTable(files.jamoat), files.jamoat, factor, districts, (old, _k, p) => `${p}${serial(old)}`);

  await mkdir(join(outDir, 'units'), { recursive: true });
  await mkdir(join(outDir, 'statistics'), { recursive: true });
  await writeFile(join(outDir, 'units', 'country.csv'), toCsv(country));
  await writeFile(join(outDir, 'units', 'regions.csv'), toCsv(regions.table));
  await writeFile(join(outDir, 'units', 'districts.csv'), toCsv(districts.table));
  await writeFile(join(outDir, 'units', 'jamoats.csv'), toCsv(jamoats.table));
  await cp(join(dataDir, 'layouts'), join(outDir, 'layouts'), { recursive: true });

  // Jamoats grouped by region (sheet), in code order.
  const t = jamoats.table;
  const [cCode, cName, cParent, cPop] = ['Code', 'Name (English)', 'Parent code', 'Population'].map((h) => columnIndex(t, h, files.jamoat));
  const byRegion = new Map<string, Jamoat[]>();
  for (const r of t.rows) {
    const code = r[cCode as number] ?? '';
    const region = code.slice(0, 5);
    const pop = Number(r[cPop as number] ?? '');
    const j: Jamoat = { code, name: r[cName as number] ?? '', population: Number.isInteger(pop) && pop > 0 ? pop : undefined };
    if ((r[cParent as number] ?? '').slice(0, 5) !== region) throw new Error(`${code}: parent code is not in its region`);
    const list = byRegion.get(region);
    if (list) list.push(j);
    else byRegion.set(region, [j]);
  }
  let statisticsRows = 0;
  let figuresCount = 0;
  const regionCodes = [...byRegion.keys()].sort();
  const part = Math.ceil(regionCodes.length / split);
  for (const [ti, topic] of statistics ? TOPICS.entries() : []) {
    const rnd = mulberry32(seed + ti * 0x9e3779b9);
    for (let p = 0; p < split; p++) {
      const wb = new ExcelJS.Workbook();
      wb.creator = 'bench/synthetic-data.ts';
      for (const region of regionCodes.slice(p * part, (p + 1) * part)) {
        const list = (byRegion.get(region) ?? []).sort((a, b) => a.code.localeCompare(b.code));
        const rows = addSheet(wb, `${region} ${regions.nameOf.get(region) ?? ''}`.slice(0, 31), topic, list, rnd);
        statisticsRows += rows;
        figuresCount += rows * topic.indicators.length * topic.years.length;
      }
      await wb.xlsx.writeFile(join(outDir, 'statistics', `${split > 1 ? `${topic.id}-${p + 1}` : topic.id}.xlsx`));
    }
  }

  // The shipped manifest, with the units files pointed at the CSVs written above.
  type Spec = { id: string; kind: string; topic?: string; files: { path: string; level?: string }[] };
  const manifest = JSON.parse(await readFile(join(dataDir, 'datasets.json'), 'utf8')) as { datasets: Spec[] };
  const topicIds = new Set(TOPICS.map((t) => t.id));
  manifest.datasets = manifest.datasets.flatMap((d): Spec[] => {
    if (d.kind === 'units') {
      const files = (['country', 'region', 'district', 'jamoat'] as const).map((level) => ({
        path: `units/${level === 'country' ? 'country' : `${level}s`}.csv`, level,
      }));
      return [{ ...d, files }];
    }
    if (!topicIds.has(d.topic ?? '')) throw new Error(`datasets.json: no generator for the statistics of "${d.id}"`);
    if (split === 1) return [{ ...d, files: [{ path: `statistics/${d.topic ?? ''}.xlsx` }] }];
    return Array.from({ length: split }, (_, p) => ({ ...d, id: `${d.id}-${p + 1}`, files: [{ path: `statistics/${d.topic ?? ''}-${p + 1}.xlsx` }] }));
  });
  await writeFile(join(outDir, 'datasets.json'), JSON.stringify(manifest, null, 2));
  return {
    units: { country: country.rows.length, region: regions.table.rows.length, district: districts.table.rows.length, jamoat: t.rows.length },
    statisticsRows,
    figures: figuresCount,
  };
}
