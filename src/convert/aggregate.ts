import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import { dct, type Minted, prov, rdfs, xsd } from '../rdf/namespaces.js';
import { datasetIri, observationIri } from '../rdf/mint-uri.js';
import type { Indicator } from './indicators.js';
import type { Level } from './layout.js';
import { append } from './append.js';
import { decimalLiteral } from '../rdf/literals.js';
import { cubeStructure, observationCore } from './stats-to-quads.js';

const { quad, literal, namedNode } = N3.DataFactory;

/**
 * Totals of districts, regions and the country (issue #10, "Statistics at every level"), computed
 * from the published figures of one statistics dataset, never invented:
 * - only for an indicator the vocabulary marks `lg:aggregation lg:sum` (counts, lengths, money);
 *   a share or a rate is never summed;
 * - only where every unit below that existed in the year has a figure for that indicator and year
 *   (a district: its jamoats and towns; a region: its district-level units, each by its own figure
 *   or its computed total; the country: its regions). One unit missing and there is no total: a
 *   partial sum would read as the whole;
 * - not where the unit's own figure is given (a district row in a sheet): that figure stands, and
 *   a second one for the same unit, indicator and year would be a duplicate (Data Cube IC-12).
 */

/** What the aggregation needs to know of a unit; retired units too (they may have figures of earlier years). */
export interface AggregationUnit {
  level: Level;
  parent?: string;
  /** "YYYY-MM-DD": it has no figures for a year that began on or after this day (read-wide.ts's rule). */
  retiredOn?: string;
  /** lg:validFrom, a day or a year: it did not exist in a year before this one. */
  validFrom?: string;
}

/** A figure the totals are made from: a dataset's row, or a total computed one level down. */
export interface Figure {
  unitCode: string;
  unitLevel: Level;
  indicator: Indicator;
  year: number;
  value: number;
}

export interface Total extends Figure {
  /** The figures summed, one per unit below, sorted by code; `computed` for a total from the level down. */
  parts: (Figure & { computed: boolean })[];
}

/** Levels in the order their totals are made: a region's total may use its districts' computed totals. */
const ABOVE: { level: Level; below: Level }[] = [
  { level: 'district', below: 'jamoat' },
  { level: 'region', below: 'district' },
  { level: 'country', below: 'region' },
];

/** Whether a unit existed during (part of) `year`: the same rule that admits its figures (read-wide.ts). */
export function existedIn(u: AggregationUnit, year: number): boolean {
  if (u.retiredOn !== undefined && `${year}-01-01` >= u.retiredOn) return false;
  if (u.validFrom !== undefined && Number(u.validFrom.slice(0, 4)) > year) return false;
  return true;
}

const key = (code: string, indicator: string, year: number) => `${code}|${indicator}|${year}`;
const byCode = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The totals of one dataset's figures. Pure: rows and units in, totals out, in a stable order
 * (level, code, indicator, year).
 */
export function aggregate(figures: Figure[], units: Map<string, AggregationUnit>): Total[] {
  const known = new Map<string, Figure & { computed: boolean }>();
  for (const f of figures) known.set(key(f.unitCode, f.indicator.id, f.year), { ...f, computed: false });
  const indicators = [...new Map(figures.filter((f) => f.indicator.additive).map((f) => [f.indicator.id, f.indicator])).values()]
    .sort((a, b) => a.id.localeCompare(b.id));
  const years = [...new Set(figures.map((f) => f.year))].sort((a, b) => a - b);
  const children = new Map<string, string[]>();
  for (const [code, u] of units) {
    if (u.parent === undefined) continue;
    const list = children.get(u.parent) ?? [];
    list.push(code);
    children.set(u.parent, list);
  }
  const totals: Total[] = [];
  for (const { level, below } of ABOVE) {
    const above = [...units].filter(([, u]) => u.level === level).map(([code]) => code).sort(byCode);
    for (const code of above) {
      const unit = units.get(code) as AggregationUnit;
      const kids = (children.get(code) ?? []).filter((c) => units.get(c)?.level === below).sort(byCode);
      for (const year of years) {
        if (!existedIn(unit, year)) continue;
        const present = kids.filter((c) => existedIn(units.get(c) as AggregationUnit, year));
        // A city with no jamoats has nothing below it to sum: its figures are its own or none.
        if (present.length === 0) continue;
        for (const indicator of indicators) {
          if (known.has(key(code, indicator.id, year))) continue;
          const parts = present.map((c) => known.get(key(c, indicator.id, year)));
          if (parts.some((p) => p === undefined)) continue;
          const summed = parts as (Figure & { computed: boolean })[];
          const total: Total = { unitCode: code, unitLevel: level, indicator, year, value: sum(summed.map((p) => p.value), indicator), parts: summed };
          totals.push(total);
          known.set(key(code, indicator.id, year), { ...total, computed: true });
        }
      }
    }
  }
  return totals;
}

/**
 * The sum as the figures' own decimals write it: 12.3 + 4.5 + 0.1 is 16.9, not 16.900000000000002.
 * Each figure is scaled to an integer of the largest number of decimals any of them has.
 */
export function sum(values: number[], indicator: Pick<Indicator, 'datatype' | 'id'>): number {
  const decimals = Math.max(0, ...values.map((v) => /\.(\d+)$/.exec(decimalLiteral(v).value)?.[1]?.length ?? 0));
  const scale = 10 ** decimals;
  let n = 0;
  for (const v of values) n += Math.round(v * scale);
  if (!Number.isSafeInteger(n)) throw new Error(`the total of ${indicator.id} is too large to add exactly (${n})`);
  return indicator.datatype === 'integer' ? n : n / scale;
}

/** The totals' qb:DataSet: `{dataset}/totals`, beside `{dataset}/structure` (docs/data-model.md). */
export function totalsDataSetIri(ns: Minted, dataset: string): NamedNode {
  return namedNode(`${datasetIri(ns, dataset).value}/totals`);
}

/**
 * The totals as Data Cube observations. They are a qb:DataSet of their own, part of the dataset
 * (dct:isPartOf): in the dataset's own cube, IC-17 (every measure of a unit and year, or none)
 * would forbid a district's road length beside no drinking-water figure, since a share has no
 * total. URIs are minted as every observation's (id/observation/{dataset}/{code}/{indicator}/{year});
 * each is `lg:computed true` and `prov:wasDerivedFrom` every observation it sums. The sample flag is
 * the dataset's: a sum of sample figures is sample data.
 */
export function totalsToQuads(totals: Total[], ctx: { ns: Minted; graph: NamedNode; dataset: string; sample: boolean }): Quad[] {
  if (totals.length === 0) return [];
  const { ns, graph, dataset } = ctx;
  const lg = ns.lg;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const source = datasetIri(ns, dataset);
  const ds = totalsDataSetIri(ns, dataset);
  const indicators = [...new Map(totals.map((t) => [t.indicator.id, t.indicator])).values()];
  append(out, cubeStructure({ ns, graph, ds, dsd: namedNode(`${ds.value}/structure`), label: `Structure of the computed totals of the ${dataset} statistics`, indicators }));
  add(ds, rdfs('label'), literal(`Totals of the ${dataset} statistics for districts, regions and the country, computed by summing the figures of their units`, 'en'));
  add(ds, dct('isPartOf'), source);
  add(ds, prov('wasDerivedFrom'), source);
  add(ds, prov('wasGeneratedBy'), namedNode(`${source.value}/conversion`));
  add(ds, lg('sampleData'), literal(String(ctx.sample), xsd('boolean')));
  for (const t of totals) {
    const o = observationIri(ns, { dataset, unitCode: t.unitCode, indicator: t.indicator.id, year: t.year });
    append(out, observationCore(o, t, { ns, graph, ds }));
    add(o, lg('computed'), literal('true', xsd('boolean')));
    for (const p of t.parts) add(o, prov('wasDerivedFrom'), observationIri(ns, { dataset, unitCode: p.unitCode, indicator: p.indicator.id, year: p.year }));
  }
  return out;
}
