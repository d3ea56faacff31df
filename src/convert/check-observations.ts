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
  const problems: Problem[] = [];
  const seen = new Map<string, ObservationRow>();
  const byUnitYear = new Map<string, ObservationRow[]>();
  const indicators = new Map<string, string>();
  for (const r of rows) {
    indicators.set(r.indicator.id, r.indicator.labels.en ?? r.indicator.id);
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
    const uy = `${r.unitCode}|${r.year}`;
    byUnitYear.set(uy, [...(byUnitYear.get(uy) ?? []), r]);
  }
  for (const group of byUnitYear.values()) {
    if (group.length === indicators.size) continue;
    const first = group[0] as ObservationRow;
    const present = new Set(group.map((r) => r.indicator.id));
    const missing = [...indicators].filter(([id]) => !present.has(id)).map(([, label]) => label);
    problems.push({
      ...at(first), code: 'LG_ERR_BAD_VALUE',
      reason: `${first.unitCode} ${first.year}: ${missing.join(', ')} missing while other indicators of that year are given; give every indicator of the dataset for a unit and year, or none (RDF Data Cube IC-17)`,
    });
  }
  return problems;
}
