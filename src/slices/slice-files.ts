import ExcelJS from 'exceljs';
import type { Quad } from '@rdfjs/types';
import { csvField } from '../catalog/csv-tables.js';
import type { DownloadFile } from '../catalog/dumps.js';
import { STD } from '../rdf/namespaces.js';
import type { QuadIndex } from '../rdf/quad-index.js';
import { append } from '../convert/append.js';
import { serialize } from '../serialize/serialize.js';
import { fixZipTimestamps } from '../tools/fix-zip-timestamps.js';
import type { Slice, SliceObservation, SliceUnit } from './slice-rows.js';
import { SLICE_STRINGS } from './strings.js';
import { SLICE_FORMATS, type SliceFormatKey, sliceFileName } from './slice-formats.js';

/**
 * The three files of a slice, `{level}-{code}.csv`, `.ttl` and `.xlsx` (README, "Slices"), with
 * deterministic bytes like every download (src/catalog/dumps.ts): the catalog gives their
 * checksums, and the data version is a hash of the quads that hold those checksums. Their names and
 * formats: slice-formats.ts.
 */


/** The CSV's columns, one row per observation, in this order. */
export const OBSERVATION_COLUMNS: readonly (keyof SliceObservation)[] = [
  'unit_code', 'unit_name_tg', 'unit_name_ru', 'unit_name_en', 'level', 'parent_code', 'indicator', 'indicator_name_en',
  'year', 'value', 'unit_of_measure', 'computed', 'sample', 'observation', 'dataset',
];
const NUMERIC = new Set<string>(['year', 'value']);

/** The units sheet's columns. */
const UNIT_COLUMNS: readonly (keyof SliceUnit)[] = ['code', 'name_tg', 'name_ru', 'name_en', 'level', 'type', 'parent_code', 'population', 'population_year', 'iri'];

/** exceljs stamps the workbook with dates; a fixed one keeps the bytes the same from run to run. */
const FIXED_DATE = new Date('2026-01-01T00:00:00Z');

/** RFC 4180 with CRLF, every cell through csvField (formula neutralising), as the dataset CSVs. */
export function sliceCsv(slice: Slice): string {
  const lines = [
    OBSERVATION_COLUMNS.map((c) => csvField(c)).join(','),
    ...slice.observations.map((o) => OBSERVATION_COLUMNS.map((c) => csvField(o[c], NUMERIC.has(c))).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The triples about the slice's units (and their hash IRIs: geometry, boundary) and observations,
 * with what each observation's qb:DataSet says of itself that a reader needs alone: its type,
 * names, lg:sampleData and what it is part of. Turtle with prefixes, so it parses on its own.
 */
export async function sliceTurtle(slice: Slice, index: QuadIndex, hashSubjects: ReadonlyMap<string, string[]>, base: string): Promise<string> {
  const quads: Quad[] = [];
  for (const u of slice.units) {
    for (const s of [u.iri, ...(hashSubjects.get(u.iri) ?? [])]) append(quads, index.about(s));
  }
  for (const o of slice.observations) append(quads, index.about(o.observation));
  const kept = new Set([`${STD.rdf}type`, `${STD.rdfs}label`, `${STD.dct}title`, `${STD.dct}isPartOf`, `${base}def/lg#sampleData`]);
  for (const d of slice.dataSets) append(quads, index.about(d).filter((q) => kept.has(q.predicate.value)));
  return serialize(quads, 'ttl', { base });
}

/**
 * Two sheets, `units` and `statistics`, with the CSV's column names as headers. Where the slice
 * holds sample data the statistics sheet starts with the note SAMPLE DATA (in English, Tajik and
 * Russian), as the shipped sample spreadsheets do, and the workbook's title says it too.
 */
export async function sliceXlsx(slice: Slice): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tj-local-governance converter';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const sample = slice.observations.some((o) => o.sample === 'true');
  wb.title = `${slice.id}${sample ? ' (SAMPLE DATA - not official figures)' : ''}`;
  const s = SLICE_STRINGS.en;
  const units = wb.addWorksheet(s.sheetUnits);
  units.addRow([...UNIT_COLUMNS]);
  for (const u of slice.units) {
    units.addRow(UNIT_COLUMNS.map((c) => (c === 'population' || c === 'population_year') && u[c] !== '' ? Number(u[c]) : u[c]));
  }
  units.getRow(1).font = { bold: true };
  units.views = [{ state: 'frozen', ySplit: 1 }];
  const stats = wb.addWorksheet(s.sheetStatistics);
  if (sample) {
    for (const l of ['en', 'tg', 'ru'] as const) stats.addRow([SLICE_STRINGS[l].sheetSampleNote]).font = { bold: true };
  }
  const header = stats.addRow([...OBSERVATION_COLUMNS]);
  header.font = { bold: true };
  stats.views = [{ state: 'frozen', ySplit: header.number }];
  for (const o of slice.observations) {
    // Numbers as numbers; text cells are stored as strings (exceljs never writes them as formulas).
    stats.addRow(OBSERVATION_COLUMNS.map((c) => (NUMERIC.has(c) && o[c] !== '' && Number.isFinite(Number(o[c])) ? Number(o[c]) : o[c])));
  }
  return fixZipTimestamps(Buffer.from(await wb.xlsx.writeBuffer()), FIXED_DATE);
}

/** Subjects that are hash IRIs of another IRI (`…/id/district/X#boundary`), by that IRI. */
export function hashSubjectsOf(index: QuadIndex): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of index.subjects()) {
    const i = s.indexOf('#');
    if (i < 0) continue;
    const list = out.get(s.slice(0, i)) ?? [];
    list.push(s);
    out.set(s.slice(0, i), list);
  }
  return out;
}

/** Every slice's three files, each handed to `put` as soon as it is made (src/convert/download-sink.ts). */
export async function sliceFiles(slices: readonly Slice[], index: QuadIndex, base: string, put: (f: DownloadFile) => Promise<unknown>): Promise<void> {
  const hashes = hashSubjectsOf(index);
  for (const slice of slices) {
    const file = (key: SliceFormatKey, bytes: Buffer) => put({ name: sliceFileName(slice.id, key), bytes, format: SLICE_FORMATS[key], role: 'slice' });
    await file('csv', Buffer.from(sliceCsv(slice)));
    await file('ttl', Buffer.from(await sliceTurtle(slice, index, hashes, base)));
    await file('xlsx', await sliceXlsx(slice));
  }
}
