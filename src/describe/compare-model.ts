/**
 * The comparisons and key figures of a district, region or country profile (issue #10, "Statistics
 * at every level" and "District profiles"). Pure: figures in, grouped, sorted and per-capita
 * figures out; the page (src/html/comparison.ts, src/html/profile.ts) only renders them.
 *
 * Per-capita rule: a figure is divided by the population of the same unit in the same year
 * (indicator `population`) and multiplied by 1,000, and only then: a population of another year
 * would make a rate that no one can check against a published figure. It is never done for the
 * population itself, for a share (percent, e.g. drinking-water access) or for a unit of measure we
 * do not know how to read per inhabitant. For counts, persons and kilometres that is "per 1,000
 * inhabitants"; for money in thousand somoni the same arithmetic is "somoni per inhabitant".
 * Every such figure is ours, not an official one, and the page says so.
 */

/** One published figure of one unit (a reported figure, or a total summed by us: `computed`). */
export interface UnitFigure {
  unit: string;
  indicator: string;
  year: number;
  value: number;
  /** The literal's lexical form, shown as given (no float rounding). */
  lexical: string;
  /** The observation's IRI: every figure on the page links to it. */
  obs: string;
  /** The dataset the figure belongs to (for a computed total: the dataset its totals are part of). */
  dataset: string;
  computed: boolean;
}

/** per1000: per 1,000 inhabitants (counts, persons, km); somoniPerPerson: thousand somoni × 1,000 / inhabitants. */
export type PerCapitaKind = 'per1000' | 'somoniPerPerson';

export interface PerCapita {
  kind: PerCapitaKind;
  /** value / population × 1000, unrounded. */
  value: number;
  population: number;
  /** The population figure it was divided by. */
  populationObs: string;
}

const PER_1000_UNITS = new Set(['unit-persons', 'unit-count', 'unit-km']);

/** How an indicator is read per inhabitant, from the local names of the indicator and its unit of measure; undefined: not at all. */
export function perCapitaKind(indicator: string, unitOfMeasure: string | undefined): PerCapitaKind | undefined {
  if (indicator === 'population' || unitOfMeasure === undefined) return undefined;
  if (unitOfMeasure === 'unit-thousand-somoni') return 'somoniPerPerson';
  return PER_1000_UNITS.has(unitOfMeasure) ? 'per1000' : undefined;
}

/**
 * The populations by unit and year, from the figures of indicator `population`. Two different
 * figures for the same unit and year (two datasets disagreeing) give none: we would have to choose.
 */
export function populations(figures: readonly UnitFigure[], isPopulation: (indicator: string) => boolean): Map<string, UnitFigure> {
  const out = new Map<string, UnitFigure>();
  const ambiguous = new Set<string>();
  for (const f of figures) {
    if (!isPopulation(f.indicator)) continue;
    const k = `${f.unit}|${f.year}`;
    const had = out.get(k);
    if (had && had.value !== f.value) ambiguous.add(k);
    else if (!had || (had.computed && !f.computed)) out.set(k, f);
  }
  for (const k of ambiguous) out.delete(k);
  return out;
}

/** The figure per inhabitant, where the same unit's population of the same year is known and positive. */
export function perCapita(f: UnitFigure, kind: PerCapitaKind | undefined, pops: Map<string, UnitFigure>): PerCapita | undefined {
  if (!kind) return undefined;
  const pop = pops.get(`${f.unit}|${f.year}`);
  if (!pop || !(pop.value > 0) || pop.year !== f.year) return undefined;
  return { kind, value: (f.value / pop.value) * 1000, population: pop.value, populationObs: pop.obs };
}

export interface ComparisonRow {
  unit: string;
  /** Its figures by year. */
  years: Map<number, UnitFigure>;
  /** Per inhabitant in the comparison's year, where computable. */
  perCapita?: PerCapita;
}

export interface Comparison {
  indicator: string;
  /** The year the chart shows: the latest year with a figure of any unit below. */
  year: number;
  /** Every year with a figure of a unit below, ascending (the table's columns). */
  years: number[];
  /** Units with a figure in `year`, by value descending (ties by IRI), then those with figures of other years only. */
  rows: ComparisonRow[];
  /** How many units have a figure in `year`. */
  reported: number;
  kind?: PerCapitaKind;
  /** The years with a population figure of a unit below (to say why no per-capita figure is given). */
  populationYears: number[];
  datasets: string[];
}

export interface CompareOptions {
  /** Indicator IRI -> local name of its unit of measure (e.g. unit-persons). */
  unitOf: (indicator: string) => string | undefined;
  /** Indicator IRI -> its local name (population, pupils, ...). */
  idOf: (indicator: string) => string;
  /** The order of indicators on the page. */
  order: (a: string, b: string) => number;
  /** Fewer units with figures than this and there is nothing to compare (default 2). */
  minUnits?: number;
}

/**
 * One comparison per indicator of the units below: the latest year with figures, the units sorted
 * by their figure that year (largest first), all years for the table, per-capita figures.
 */
export function buildComparisons(figures: readonly UnitFigure[], opts: CompareOptions): Comparison[] {
  const isPopulation = (ind: string) => opts.idOf(ind) === 'population';
  const pops = populations(figures, isPopulation);
  const populationYears = [...new Set([...pops.values()].map((p) => p.year))].sort((a, b) => a - b);
  const byIndicator = new Map<string, UnitFigure[]>();
  for (const f of figures) {
    const list = byIndicator.get(f.indicator) ?? [];
    list.push(f);
    byIndicator.set(f.indicator, list);
  }
  const out: Comparison[] = [];
  for (const indicator of [...byIndicator.keys()].sort(opts.order)) {
    const list = byIndicator.get(indicator) ?? [];
    const units = new Map<string, Map<number, UnitFigure>>();
    for (const f of list) {
      const years = units.get(f.unit) ?? new Map<number, UnitFigure>();
      // Two datasets with the same unit, indicator and year: the reported figure before a total.
      const had = years.get(f.year);
      if (!had || (had.computed && !f.computed)) years.set(f.year, f);
      units.set(f.unit, years);
    }
    if (units.size < (opts.minUnits ?? 2)) continue;
    const years = [...new Set(list.map((f) => f.year))].sort((a, b) => a - b);
    const year = years[years.length - 1] as number;
    const kind = perCapitaKind(opts.idOf(indicator), opts.unitOf(indicator));
    const rows: ComparisonRow[] = [...units].map(([unit, ys]) => {
      const f = ys.get(year);
      const pc = f ? perCapita(f, kind, pops) : undefined;
      return { unit, years: ys, ...(pc ? { perCapita: pc } : {}) };
    });
    rows.sort((a, b) => {
      const va = a.years.get(year)?.value;
      const vb = b.years.get(year)?.value;
      if (va !== undefined && vb !== undefined && va !== vb) return vb - va;
      if ((va === undefined) !== (vb === undefined)) return va === undefined ? 1 : -1;
      return a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0;
    });
    out.push({
      indicator, year, years, rows,
      reported: rows.filter((r) => r.years.has(year)).length,
      ...(kind ? { kind } : {}),
      populationYears,
      datasets: [...new Set(list.map((f) => f.dataset))].sort(),
    });
  }
  return out;
}

export interface KeyFigure {
  figure: UnitFigure;
  perCapita?: PerCapita;
}

/**
 * The unit's own latest figure of each key indicator (in the order given), with its per-capita
 * figure where the unit's population of that year is known. An indicator the unit has no figure
 * of is left out.
 */
export function keyFigures(own: readonly UnitFigure[], keys: readonly string[], opts: Pick<CompareOptions, 'unitOf' | 'idOf'>): KeyFigure[] {
  const pops = populations(own, (ind) => opts.idOf(ind) === 'population');
  const out: KeyFigure[] = [];
  for (const key of keys) {
    const latest = own
      .filter((f) => opts.idOf(f.indicator) === key)
      .sort((a, b) => b.year - a.year || Number(a.computed) - Number(b.computed))[0];
    if (!latest) continue;
    const pc = perCapita(latest, perCapitaKind(key, opts.unitOf(latest.indicator)), pops);
    out.push({ figure: latest, ...(pc ? { perCapita: pc } : {}) });
  }
  return out;
}

/** A per-capita figure rounded for reading: 2 decimals under 10, 1 under 100, none above. */
export function roundPerCapita(x: number): string {
  const digits = Math.abs(x) < 10 ? 2 : Math.abs(x) < 100 ? 1 : 0;
  return x.toFixed(digits);
}
