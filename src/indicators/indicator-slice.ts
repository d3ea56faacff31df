import type { Literal } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { type View, localName, own } from '../html/rdf-view.js';

/** The levels of the hierarchy, top down: the table's groups come in this order. */
export const LEVELS = ['country', 'region', 'district', 'jamoat'] as const;
export type UnitLevel = (typeof LEVELS)[number];

/** One figure: an observation of the indicator for one unit and year. */
export interface SliceCell {
  obs: string;
  year: number;
  value: Literal;
  /** A total computed from the figures of the units below (lg:computed true): how many it sums. */
  computed?: number;
  /** Its dataset (or the totals' qb:DataSet, or the dataset that is part of) is sample data. */
  sample: boolean;
  /** lg:unitMeasure of the observation, else the indicator's lg:unitOfMeasure. */
  unitOfMeasure?: string;
}

export interface SliceRow {
  unit: string;
  code: string;
  level?: UnitLevel;
  /** The unit it is directly within (a jamoat's district, a district's region). */
  within?: string;
  cells: Map<number, SliceCell>;
}

/** The figures of one dataset (its totals' qb:DataSet folded in, as dct:isPartOf says). */
export interface SliceDataset {
  iri: string;
  /** The rows, by level (top down), then by code. */
  rows: SliceRow[];
  years: number[];
  /** Some figure of it is sample data (lg:sampleData on the dataset or its totals' qb:DataSet). */
  sample: boolean;
}

export interface IndicatorSlice {
  indicator: string;
  unitOfMeasure?: string;
  datasets: SliceDataset[];
}

const byCode = (a: SliceRow, b: SliceRow) => a.code.localeCompare(b.code, 'en', { numeric: true });
const levelRank = (l: UnitLevel | undefined) => (l === undefined ? LEVELS.length : LEVELS.indexOf(l));

/** A unit's level: its lg:adminLevel (lg:level-district), else the level in its IRI (/id/district/…). */
export function levelOf(v: View, unit: string, base: string): UnitLevel | undefined {
  const lg = own(base).lg;
  const fromConcept = v.iri(unit, `${lg}adminLevel`)?.slice(`${lg}level-`.length);
  const fromIri = unit.startsWith(own(base).id) ? unit.slice(own(base).id.length).split('/')[0] : undefined;
  return [fromConcept, fromIri].find((l): l is UnitLevel => (LEVELS as readonly string[]).includes(l ?? ''));
}

/**
 * The indicator's figures as the page shows them and the CSV lists them (the same object, so the
 * two cannot disagree): per dataset, a row per unit, a cell per year. Built from the slice's quads
 * (indicator-query.ts) beside the indicator's document. Pure.
 */
export function sliceOf(v: View, indicator: string, base: string): IndicatorSlice {
  const lg = own(base).lg;
  const qb = STD.qb;
  const indicatorUnit = v.iri(indicator, `${lg}unitOfMeasure`);
  const isSample = (ds: string) => v.isTrue(ds, `${lg}sampleData`);
  const datasets = new Map<string, { sample: boolean; rows: Map<string, SliceRow> }>();
  for (const obs of v.subjects(`${qb}measureType`, indicator)) {
    const unit = v.iri(obs, `${lg}refArea`);
    const year = Number(v.value(obs, `${lg}refPeriod`)?.slice(0, 4));
    const value = v.literals(obs, indicator)[0];
    const own = v.iri(obs, `${qb}dataSet`);
    if (!unit || !value || !own || !Number.isInteger(year)) continue;
    const parent = v.iri(own, `${STD.dct}isPartOf`);
    const ds = parent ?? own;
    const sample = isSample(own) || (parent !== undefined && isSample(parent));
    let entry = datasets.get(ds);
    if (!entry) datasets.set(ds, (entry = { sample: false, rows: new Map() }));
    entry.sample ||= sample;
    let row = entry.rows.get(unit);
    if (!row) {
      const level = levelOf(v, unit, base);
      const within = v.iri(unit, `${lg}within`);
      row = { unit, code: v.value(unit, `${lg}code`) ?? localName(unit), ...(level ? { level } : {}), ...(within ? { within } : {}), cells: new Map() };
      entry.rows.set(unit, row);
    }
    const computed = v.isTrue(obs, `${lg}computed`) ? v.iris(obs, `${STD.prov}wasDerivedFrom`).length : undefined;
    const unitOfMeasure = v.iri(obs, `${lg}unitMeasure`) ?? indicatorUnit;
    row.cells.set(year, { obs, year, value, sample, ...(computed !== undefined ? { computed } : {}), ...(unitOfMeasure ? { unitOfMeasure } : {}) });
  }
  return {
    indicator,
    ...(indicatorUnit ? { unitOfMeasure: indicatorUnit } : {}),
    datasets: [...datasets.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([iri, d]) => {
        const rows = [...d.rows.values()].sort((a, b) => levelRank(a.level) - levelRank(b.level) || byCode(a, b));
        const years = [...new Set(rows.flatMap((r) => [...r.cells.keys()]))].sort((a, b) => a - b);
        return { iri, rows, years, sample: d.sample };
      }),
  };
}

/** Every figure of the slice in the order the table shows them: dataset, level, code, year. */
export function cellsInOrder(slice: IndicatorSlice): { dataset: string; row: SliceRow; cell: SliceCell }[] {
  return slice.datasets.flatMap((d) => d.rows.flatMap((row) => d.years.flatMap((y) => {
    const cell = row.cells.get(y);
    return cell ? [{ dataset: d.iri, row, cell }] : [];
  })));
}
