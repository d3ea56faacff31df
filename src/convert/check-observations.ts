import type { Problem } from '../errors.js';
import type { ObservationRow } from './read-wide.js';

/** The Data Cube constraints that `checkObservations` enforces on rows instead of on the graph. */
export const CHECKED_ON_ROWS = ['ic-12.rq', 'ic-17.rq'];

const at = (r: ObservationRow) => ({ file: r.file, ...(r.sheet !== undefined ? { sheet: r.sheet } : {}), row: r.row });

/**
 * Two rules of the RDF Data Cube (§11.1) checked in linear time on the rows of one dataset, so the
 * error can name the cell:
 * - IC-12, no duplicate observations: one value per unit, indicator and year;
 * - IC-17, all measures present in a measure-dimension cube: for a unit and year, either every
 *   indicator of the dataset has a value or none has.
 */
export function checkObservations(rows: ObservationRow[]): Problem[] {
  return [...checkDuplicateObservations(rows), ...checkAllMeasures(rows)];
}

/** IC-12 alone: one value per unit, indicator and year. */
export function checkDuplicateObservations(rows: ObservationRow[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, ObservationRow>();
  for (const r of rows) {
    const key = `${r.unitCode}|${r.indicator.id}|${r.year}`;
    const first = seen.get(key);
    if (first) {
      problems.push({
        ...at(r), column: r.column, code: 'LG_ERR_DUPLICATE_OBSERVATION', value: String(r.value),
        reason: `${r.indicator.labels.en ?? r.indicator.id} ${r.year} for ${r.unitCode} is already given in ${first.file}${first.sheet ? ` › ${first.sheet}` : ''}!${first.column}${first.row}`,
      });
      continue;
    }
    seen.set(key, r);
  }
  return problems;
}

const cellKey = (r: ObservationRow, indicator: string) => `${r.file}|${r.sheet ?? ''}|${indicator}|${r.year}`;

/** The column of each indicator and year in each sheet, from the figures it holds. */
function figureColumns(rows: ObservationRow[]): Map<string, string> {
  const columns = new Map<string, string>();
  for (const r of rows) columns.set(cellKey(r, r.indicator.id), r.column);
  return columns;
}

/**
 * IC-17 alone, on rows without duplicates (an upload merged over the figures it changes: a blank
 * cell of an upload keeps the figure before, so only the merge can say whether a year is whole).
 * `indicators` are those the dataset has; by default, those the rows have.
 */
export function checkAllMeasures(rows: ObservationRow[], indicators?: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  const byUnitYear = new Map<string, ObservationRow[]>();
  const all = indicators ?? new Map<string, string>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (!indicators) all.set(r.indicator.id, r.indicator.labels.en ?? r.indicator.id);
    const key = `${r.unitCode}|${r.indicator.id}|${r.year}`;
    if (seen.has(key)) continue; // reported by checkDuplicateObservations
    seen.add(key);
    const uy = `${r.unitCode}|${r.year}`;
    const group = byUnitYear.get(uy);
    if (group) group.push(r);
    else byUnitYear.set(uy, [r]);
  }
  const columnOf = figureColumns(rows);
  for (const group of byUnitYear.values()) {
    if (group.length === all.size) continue;
    const first = group[0] as ObservationRow;
    const present = new Set(group.map((r) => r.indicator.id));
    const missingIds = [...all.keys()].filter((id) => !present.has(id));
    const missing = missingIds.map((id) => all.get(id) ?? id);
    // The cell to fill: the blank one of the first missing indicator that the sheet has a column
    // for; where the sheet has none (an upload giving one indicator), the figure given alone.
    const blank = missingIds.map((id) => columnOf.get(cellKey(first, id))).find((c) => c !== undefined);
    problems.push({
      ...at(first), column: blank ?? first.column, code: 'LG_ERR_BAD_VALUE',
      reason: `${first.unitCode} ${first.year}: ${missing.join(', ')} missing while other indicators of that year are given; give every indicator of the dataset for a unit and year, or none (RDF Data Cube IC-17)`,
    });
  }
  return problems;
}
