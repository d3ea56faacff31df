import { csvField } from '../catalog/csv-tables.js';
import type { Labels } from '../html/models.js';
import { type View, localName } from '../html/rdf-view.js';
import { STD } from '../rdf/namespaces.js';
import { type IndicatorSlice, cellsInOrder } from './indicator-slice.js';

/**
 * The columns of an indicator's CSV slice, in order. Names are in all three languages, each empty
 * where the data has no name in it (never transliterated); `status` is `computed` for a total this
 * service summed (lg:computed true) and `reported` for a figure as the dataset publishes it.
 */
export const INDICATOR_CSV_COLUMNS = [
  'unit_code', 'unit_name_tg', 'unit_name_ru', 'unit_name_en', 'level', 'year', 'value', 'unit_of_measure', 'status', 'observation', 'dataset', 'sample',
] as const;

const NUMERIC = new Set<string>(['year', 'value']);

/**
 * Exactly the figures the indicator page's table shows (the same slice, src/indicators/
 * indicator-slice.ts, in the same order), as RFC 4180 CSV with CRLF line ends, each cell made safe
 * to open in a spreadsheet the way the datasets' CSVs are (csvField: a cell that would start a
 * formula is quoted with a leading apostrophe; a plain number in a numeric column stays a number).
 */
export function indicatorCsv(v: View, slice: IndicatorSlice): string {
  const lines = [INDICATOR_CSV_COLUMNS.join(',')];
  for (const { dataset, row, cell } of cellsInOrder(slice)) {
    const labels: Labels = v.labels(row.unit);
    const measure = cell.unitOfMeasure;
    const record: Record<(typeof INDICATOR_CSV_COLUMNS)[number], string> = {
      unit_code: row.code,
      unit_name_tg: labels.tg ?? '',
      unit_name_ru: labels.ru ?? '',
      unit_name_en: labels.en ?? '',
      level: row.level ?? '',
      year: String(cell.year),
      value: cell.value.value,
      unit_of_measure: measure ? (v.value(measure, `${STD.skos}notation`) ?? localName(measure)) : '',
      status: cell.computed !== undefined ? 'computed' : 'reported',
      observation: cell.obs,
      dataset,
      sample: String(cell.sample),
    };
    lines.push(INDICATOR_CSV_COLUMNS.map((c) => csvField(record[c], NUMERIC.has(c))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
