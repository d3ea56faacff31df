/**
 * Builds the wide statistics workbooks in data/statistics/ (layout `wide-statistics`, see docs/data-model.md).
 *
 * - population.xlsx: the SOURCED 2015 jamoat populations of ../shared/reference/jamoats.csv.
 * - education.xlsx, health.xlsx, infrastructure.xlsx, budget.xlsx: SAMPLE DATA (2021-2024), not official
 *   figures, generated with a seeded PRNG (mulberry32) and scaled from each jamoat's 2015 population, so that
 *   every run gives the same numbers.
 *
 * The jamoat-level codes are read from data/units/csv/jamoats.csv (joined to the reference on `Reference key`).
 *
 * Usage: npm run make-sample-stats [-- --units=path/to/jamoats.csv]   (the option is for development only)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { fixZipTimestamps } from './fix-zip-timestamps.js';
import { mulberry32 } from './mulberry32.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REFERENCE_JAMOATS = resolve(ROOT, '..', 'shared', 'reference', 'jamoats.csv');
const DEFAULT_UNITS_JAMOATS = join(ROOT, 'data', 'units', 'csv', 'jamoats.csv');
const OUT_DIR = join(ROOT, 'data', 'statistics');

/** Fixed timestamp for workbook properties and zip entries, so that reruns give identical files. */
const FIXED_DATE = new Date('2026-11-23T00:00:00Z');
const CREATOR = 'Local Development Committee';

const SAMPLE_YEARS = [2021, 2022, 2023, 2024] as const;
const POPULATION_YEAR = 2015;

/** The pilot districts: reference district id -> sheet name. */
/** The pilot districts: reference district id -> sheet name, and where the reference took the 2015 figures from
 * (the `source` of the reference rows: the list article for Bobojon Ghafurov, the district pages for the others). */
const PILOTS: ReadonlyArray<{ refId: string; sheet: string; populationSource: string }> = [
  { refId: 'TJ-SU.bobojon-ghafurov', sheet: 'Bobojon Ghafurov', populationSource: 'en.wikipedia "Jamoats of Tajikistan"' },
  { refId: 'TJ-KT.yovon', sheet: 'Yovon', populationSource: 'en.wikipedia district pages' },
  { refId: 'TJ-RA.tojikobod', sheet: 'Tojikobod', populationSource: 'en.wikipedia district pages' },
];

// ---------------------------------------------------------------------------------------------------------------
// Indicators (ids/labels/units as in docs/data-model.md, "Indicators")

type TopicId = 'population' | 'education' | 'health' | 'infrastructure' | 'budget';

interface Indicator {
  id: string;
  label: string;
  /** The unit as written in the header cell, in parentheses after the label. */
  unit: string;
  decimal: boolean;
  /** Whether the totals row carries the column sum (false: the totals cell stays empty). */
  additive: boolean;
}

interface Topic {
  id: TopicId;
  title: (district: string, populationSource: string) => string;
  indicators: Indicator[];
  years: readonly number[];
  sample: boolean;
  /** Fixed PRNG seed of the topic (sample topics only). */
  seed: number;
}

const int = (id: string, label: string, unit: string): Indicator => ({ id, label, unit, decimal: false, additive: true });
const dec = (id: string, label: string, unit: string, additive = true): Indicator => ({
  id,
  label,
  unit,
  decimal: true,
  additive,
});

const SAMPLE_NOTE = 'SAMPLE DATA - not official figures';
const sampleTitle = (what: string) => (district: string) =>
  `${SAMPLE_NOTE}. ${what} by jamoat, ${district} district, ${SAMPLE_YEARS[0]}-${SAMPLE_YEARS[SAMPLE_YEARS.length - 1]}`;

const TOPICS: Topic[] = [
  {
    id: 'population',
    title: (district, source) =>
      `Population of jamoats, 1 January 2015 (source: ${source} citing UNDP / TajStat) - ${district} district`,
    indicators: [int('population', 'Population', 'persons')],
    years: [POPULATION_YEAR],
    sample: false,
    seed: 0,
  },
  {
    id: 'education',
    title: sampleTitle('General education'),
    indicators: [
      int('general-schools', 'General education schools', 'count'),
      int('pupils', 'Pupils in general education schools', 'persons'),
      int('teachers', 'Teachers in general education schools', 'persons'),
    ],
    years: SAMPLE_YEARS,
    sample: true,
    seed: 0x0ed0_2021,
  },
  {
    id: 'health',
    title: sampleTitle('Health care'),
    indicators: [
      int('health-facilities', 'Health facilities', 'count'),
      int('doctors', 'Doctors', 'persons'),
      int('hospital-beds', 'Hospital beds', 'count'),
    ],
    years: SAMPLE_YEARS,
    sample: true,
    seed: 0x4ea1_2021,
  },
  {
    id: 'infrastructure',
    title: sampleTitle('Infrastructure'),
    indicators: [
      dec('drinking-water-access', 'Households with access to safe drinking water', '%', false),
      dec('paved-road-length', 'Length of paved local roads', 'km'),
    ],
    years: SAMPLE_YEARS,
    sample: true,
    seed: 0x1afa_2021,
  },
  {
    id: 'budget',
    title: sampleTitle('Local budget'),
    indicators: [
      dec('budget-revenue', 'Local budget revenue', 'thousand somoni'),
      dec('budget-expenditure', 'Local budget expenditure', 'thousand somoni'),
    ],
    years: SAMPLE_YEARS,
    sample: true,
    seed: 0xb0d6_2021,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Deliberate quirks (what a real official's sheet looks like; every value stays unambiguous)

interface TextQuirk {
  topic: TopicId;
  sheet: string;
  indicator: string;
  year: number;
  /** 0-based data row; if that value does not suit the quirk, the next suitable row is used. */
  row: number;
  kind: 'thousands-space' | 'comma-decimal';
}

const TEXT_QUIRKS: TextQuirk[] = [
  { topic: 'education', sheet: 'Bobojon Ghafurov', indicator: 'pupils', year: 2022, row: 4, kind: 'thousands-space' },
  { topic: 'education', sheet: 'Yovon', indicator: 'pupils', year: 2023, row: 2, kind: 'thousands-space' },
  { topic: 'education', sheet: 'Tojikobod', indicator: 'pupils', year: 2021, row: 0, kind: 'thousands-space' },
  { topic: 'budget', sheet: 'Bobojon Ghafurov', indicator: 'budget-revenue', year: 2023, row: 2, kind: 'comma-decimal' },
  { topic: 'budget', sheet: 'Yovon', indicator: 'budget-expenditure', year: 2021, row: 4, kind: 'comma-decimal' },
  { topic: 'budget', sheet: 'Tojikobod', indicator: 'budget-revenue', year: 2024, row: 1, kind: 'comma-decimal' },
];

/** Jamoat names written with a trailing space (0-based data row). */
const TRAILING_SPACE_NAMES: ReadonlyArray<{ topic: TopicId; sheet: string; row: number }> = [
  { topic: 'education', sheet: 'Yovon', row: 3 },
  { topic: 'health', sheet: 'Bobojon Ghafurov', row: 6 },
];

// ---------------------------------------------------------------------------------------------------------------
// Input

interface RefJamoat {
  id: string;
  parent: string;
  population: number | undefined;
}

interface Unit {
  code: string;
  refKey: string;
  name: string;
  parentCode: string;
  population2015: number | undefined;
}

function readCsv(path: string): string[][] {
  return parse(readFileSync(path), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
}

function readReference(): Map<string, RefJamoat> {
  const rows = readCsv(REFERENCE_JAMOATS);
  const header = rows[0] ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${REFERENCE_JAMOATS}: no column "${name}"`);
    return i;
  };
  const [cId, cParent, cPop, cYear] = [col('id'), col('parent'), col('population'), col('population_year')];
  const out = new Map<string, RefJamoat>();
  for (const r of rows.slice(1)) {
    const id = (r[cId] ?? '').trim();
    if (!id) continue;
    const popText = (r[cPop] ?? '').trim();
    const year = (r[cYear] ?? '').trim();
    let population: number | undefined;
    if (popText && year === String(POPULATION_YEAR)) {
      if (!/^\d+$/.test(popText)) throw new Error(`${REFERENCE_JAMOATS}: ${id}: population "${popText}" is not an integer`);
      population = Number(popText);
    }
    out.set(id, { id, parent: (r[cParent] ?? '').trim(), population });
  }
  return out;
}

function readUnits(path: string, reference: Map<string, RefJamoat>): Unit[] {
  const rows = readCsv(path);
  const hi = rows.findIndex((r) => r.some((c) => c.trim() === 'Code') && r.some((c) => c.trim() === 'Reference key'));
  if (hi < 0) throw new Error(`${path}: no header row with "Code" and "Reference key"`);
  const header = (rows[hi] ?? []).map((c) => c.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column "${name}"`);
    return i;
  };
  const [cCode, cRef, cName, cParent] = [col('Code'), col('Reference key'), col('Name (English)'), col('Parent code')];
  const units: Unit[] = [];
  for (const r of rows.slice(hi + 1)) {
    const code = (r[cCode] ?? '').trim();
    if (!code) continue;
    const refKey = (r[cRef] ?? '').trim();
    units.push({
      code,
      refKey,
      name: (r[cName] ?? '').trim(),
      parentCode: (r[cParent] ?? '').trim(),
      population2015: refKey ? reference.get(refKey)?.population : undefined,
    });
  }
  return units;
}

const compareCodes = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

interface District {
  sheet: string;
  populationSource: string;
  code: string;
  units: Unit[];
}

/** The jamoat-level units of each pilot district, in code order. */
function pilotDistricts(units: Unit[], reference: Map<string, RefJamoat>): District[] {
  return PILOTS.map(({ refId, sheet, populationSource }) => {
    const viaRef = units.filter((u) => reference.get(u.refKey)?.parent === refId);
    const codes = [...new Set(viaRef.map((u) => u.parentCode))];
    if (codes.length !== 1 || !codes[0]) {
      throw new Error(`pilot ${refId}: expected one parent code among its jamoats, found ${JSON.stringify(codes)}`);
    }
    const code = codes[0];
    // Units of the district without a (known) reference key still get a row (with empty cells).
    const members = units.filter((u) => u.parentCode === code);
    const stray = viaRef.filter((u) => !members.includes(u));
    if (stray.length) throw new Error(`pilot ${refId}: inconsistent parent codes`);
    members.sort((a, b) => compareCodes(a.code, b.code));
    for (const u of members) {
      if (u.population2015 === undefined) console.warn(`warning: ${u.code} ${u.name}: no ${POPULATION_YEAR} population`);
    }
    return { sheet, populationSource, code, units: members };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Sample values

/** FNV-1a, to give every jamoat its own stream (adding a jamoat does not change the others' numbers). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** indicator id -> year -> value */
type Values = Map<string, Map<number, number>>;

function sampleValues(topic: Topic, unit: Unit): Values {
  const values: Values = new Map(topic.indicators.map((i) => [i.id, new Map<number, number>()]));
  const p2015 = unit.population2015;
  if (p2015 === undefined) return values;
  const set = (id: string, year: number, v: number) => values.get(id)?.set(year, v);

  const rnd = mulberry32(topic.seed ^ fnv1a(unit.refKey || unit.code));
  const u = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
  // Population growth of the jamoat since 2015 (Tajikistan: about 2 % a year).
  const growth = u(1.015, 1.028);
  const pop = (year: number): number => p2015 * growth ** (year - POPULATION_YEAR);
  const first = SAMPLE_YEARS[0];

  switch (topic.id) {
    case 'population':
      set('population', POPULATION_YEAR, p2015);
      break;
    case 'education': {
      let schools = Math.max(1, Math.round((pop(first) / 2500) * u(0.85, 1.15)));
      const pupilShare = u(0.18, 0.22);
      const pupilsPerTeacher = u(16.5, 19.5);
      for (const y of SAMPLE_YEARS) {
        if (y > first && rnd() < 0.15) schools += 1;
        const pupils = Math.round(pop(y) * pupilShare * u(0.985, 1.015));
        set('general-schools', y, schools);
        set('pupils', y, pupils);
        set('teachers', y, Math.max(1, Math.round((pupils / pupilsPerTeacher) * u(0.97, 1.03))));
      }
      break;
    }
    case 'health': {
      let facilities = Math.max(1, Math.round((pop(first) / 4000) * u(0.8, 1.2)));
      const doctorRate = u(0.85, 1.15) / 1200;
      const bedRate = u(0.85, 1.15) / 300;
      for (const y of SAMPLE_YEARS) {
        if (y > first && rnd() < 0.1) facilities += 1;
        set('health-facilities', y, facilities);
        set('doctors', y, Math.max(1, Math.round(pop(y) * doctorRate * u(0.96, 1.04))));
        set('hospital-beds', y, Math.max(0, Math.round(pop(y) * bedRate * u(0.97, 1.03))));
      }
      break;
    }
    case 'infrastructure': {
      let water = u(40, 88);
      let roads = Math.min(55, Math.max(5, (p2015 / 1000) * u(0.7, 1.2)));
      for (const y of SAMPLE_YEARS) {
        if (y > first) {
          water = Math.min(95, water + u(0.3, 2.5));
          roads = Math.min(60, roads + u(0, 1.2));
        }
        set('drinking-water-access', y, round1(water));
        set('paved-road-length', y, round1(roads));
      }
      break;
    }
    case 'budget': {
      let perPerson = u(0.25, 0.45); // thousand somoni per inhabitant
      for (const y of SAMPLE_YEARS) {
        if (y > first) perPerson *= u(1.05, 1.1);
        const revenue = round1(pop(y) * perPerson);
        set('budget-revenue', y, revenue);
        set('budget-expenditure', y, round1(revenue * u(0.95, 1.03)));
      }
      break;
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------------------
// Workbook

const thin: Partial<ExcelJS.Border> = { style: 'thin' };
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

const withThousandsSpace = (v: number): string => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const withCommaDecimal = (v: number): string => v.toFixed(1).replace('.', ',');

interface QuirkReport {
  file: string;
  sheet: string;
  cell: string;
  text: string;
  kind: string;
}

function buildSheet(wb: ExcelJS.Workbook, topic: Topic, district: District, quirks: QuirkReport[]): void {
  const ws = wb.addWorksheet(district.sheet, { views: [{ state: 'frozen', xSplit: 2, ySplit: 3 }] });
  const file = `${topic.id}.xlsx`;
  const nYears = topic.years.length;
  const lastCol = 2 + topic.indicators.length * nYears;
  const colOf = (ii: number, yi: number): number => 3 + ii * nYears + yi;

  ws.getColumn(1).width = 14;
  ws.getColumn(2).width = 22;
  for (let c = 3; c <= lastCol; c++) ws.getColumn(c).width = topic.id === 'population' ? 16 : 11;

  // Row 1: title
  const title = ws.getCell(1, 1);
  title.value = topic.title(district.sheet, district.populationSource);
  title.font = { bold: true, size: 12 };
  title.alignment = { horizontal: 'left', vertical: 'middle' };
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getRow(1).height = 22;

  // Rows 2-3: headers
  const header = (row: number, col: number, value: string | number) => {
    const cell = ws.getCell(row, col);
    cell.value = value;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
  };
  header(2, 1, 'Code');
  header(2, 2, 'Jamoat');
  header(3, 1, '');
  header(3, 2, '');
  ws.mergeCells(2, 1, 3, 1);
  ws.mergeCells(2, 2, 3, 2);
  topic.indicators.forEach((ind, ii) => {
    header(2, colOf(ii, 0), `${ind.label} (${ind.unit})`);
    for (let yi = 1; yi < nYears; yi++) header(2, colOf(ii, yi), '');
    if (nYears > 1) ws.mergeCells(2, colOf(ii, 0), 2, colOf(ii, nYears - 1));
    topic.years.forEach((y, yi) => header(3, colOf(ii, yi), y));
  });
  ws.getRow(2).height = 45;

  // Data rows
  const sums = topic.indicators.map(() => topic.years.map(() => ({ sum: 0, n: 0 })));
  district.units.forEach((unit, ri) => {
    const row = 4 + ri;
    const values = sampleValues(topic, unit);
    const codeCell = ws.getCell(row, 1);
    codeCell.value = unit.code;
    const trailing = TRAILING_SPACE_NAMES.some((t) => t.topic === topic.id && t.sheet === district.sheet && t.row === ri);
    ws.getCell(row, 2).value = trailing ? `${unit.name} ` : unit.name;
    if (trailing) quirks.push({ file, sheet: district.sheet, cell: `B${row}`, text: `${unit.name} `, kind: 'trailing space' });
    topic.indicators.forEach((ind, ii) => {
      topic.years.forEach((y, yi) => {
        const cell = ws.getCell(row, colOf(ii, yi));
        cell.border = BORDER;
        const v = values.get(ind.id)?.get(y);
        if (v === undefined) return;
        const acc = sums[ii]?.[yi];
        if (acc) {
          acc.sum += v;
          acc.n += 1;
        }
        cell.value = v;
        cell.numFmt = ind.decimal ? '0.0' : '#,##0';
      });
    });
    for (let c = 1; c <= 2; c++) ws.getCell(row, c).border = BORDER;
  });

  // Text-number quirks
  for (const q of TEXT_QUIRKS.filter((t) => t.topic === topic.id && t.sheet === district.sheet)) {
    const ii = topic.indicators.findIndex((i) => i.id === q.indicator);
    const yi = topic.years.indexOf(q.year);
    if (ii < 0 || yi < 0) throw new Error(`bad quirk ${JSON.stringify(q)}`);
    let done = false;
    for (let k = 0; k < district.units.length && !done; k++) {
      const ri = (q.row + k) % district.units.length;
      const cell = ws.getCell(4 + ri, colOf(ii, yi));
      const v = cell.value;
      if (typeof v !== 'number') continue;
      if (q.kind === 'thousands-space' && (v < 1000 || !Number.isInteger(v))) continue;
      const text = q.kind === 'thousands-space' ? withThousandsSpace(v) : withCommaDecimal(v);
      cell.value = text;
      cell.numFmt = '@';
      cell.alignment = { horizontal: 'right' };
      quirks.push({ file, sheet: district.sheet, cell: cell.address, text, kind: q.kind });
      done = true;
    }
    if (!done) throw new Error(`no cell suits quirk ${JSON.stringify(q)}`);
  }

  // Empty row, then totals
  const totalRow = 4 + district.units.length + 1;
  ws.getCell(totalRow, 2).value = 'Total';
  topic.indicators.forEach((ind, ii) => {
    topic.years.forEach((_y, yi) => {
      const cell = ws.getCell(totalRow, colOf(ii, yi));
      const acc = sums[ii]?.[yi];
      if (ind.additive && acc && acc.n > 0) {
        cell.value = ind.decimal ? round1(acc.sum) : acc.sum;
        cell.numFmt = ind.decimal ? '0.0' : '#,##0';
      }
    });
  });
  for (let c = 1; c <= lastCol; c++) {
    const cell = ws.getCell(totalRow, c);
    cell.font = { bold: true };
    cell.border = BORDER;
  }
}

async function writeTopic(topic: Topic, districts: District[], quirks: QuirkReport[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  wb.creator = CREATOR;
  wb.lastModifiedBy = CREATOR;
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.title = topic.sample ? `${topic.id} (${SAMPLE_NOTE})` : 'Population of jamoats, 1 January 2015';
  for (const d of districts) buildSheet(wb, topic, d, quirks);
  const out = join(OUT_DIR, `${topic.id}.xlsx`);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  writeFileSync(out, fixZipTimestamps(buf, FIXED_DATE));
  return out;
}

async function main(): Promise<void> {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--units='));
  const unitsPath = arg ? resolve(arg.slice('--units='.length)) : DEFAULT_UNITS_JAMOATS;
  if (!existsSync(unitsPath)) {
    throw new Error(`${unitsPath} does not exist: create the jamoat units (with their codes) first`);
  }
  const reference = readReference();
  const units = readUnits(unitsPath, reference);
  const districts = pilotDistricts(units, reference);
  mkdirSync(OUT_DIR, { recursive: true });
  const quirks: QuirkReport[] = [];
  for (const topic of TOPICS) {
    const out = await writeTopic(topic, districts, quirks);
    console.log(`wrote ${out}`);
  }
  console.log(`units: ${unitsPath}`);
  for (const d of districts) console.log(`  ${d.sheet}: ${d.code}, ${d.units.length} jamoat-level units`);
  console.log('deliberate quirks:');
  for (const q of quirks) console.log(`  ${q.file} [${q.sheet}] ${q.cell}: ${JSON.stringify(q.text)} (${q.kind})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
