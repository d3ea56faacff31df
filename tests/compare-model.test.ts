import { describe, expect, it } from 'vitest';
import { type UnitFigure, buildComparisons, keyFigures, perCapitaKind, roundPerCapita } from '../src/describe/compare-model.js';

/** The per-capita rule and the comparison's order, on figures made here (src/describe/compare-model.ts). */
const IND = 'http://x/def/indicator/';
const UNITS: Record<string, string> = { pupils: 'unit-persons', population: 'unit-persons', 'budget-revenue': 'unit-thousand-somoni', 'drinking-water-access': 'unit-percent' };
const opts = {
  unitOf: (ind: string) => UNITS[ind.slice(IND.length)],
  idOf: (ind: string) => ind.slice(IND.length),
  order: (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0),
};

function fig(unit: string, id: string, year: number, value: number, extra: Partial<UnitFigure> = {}): UnitFigure {
  return { unit, indicator: IND + id, year, value, lexical: String(value), obs: `obs/${unit}/${id}/${year}`, dataset: `ds/${id}`, computed: false, ...extra };
}

describe('per capita', () => {
  it('is per 1,000 inhabitants for persons, somoni per inhabitant for thousand somoni, never for a share or the population', () => {
    expect(perCapitaKind('pupils', 'unit-persons')).toBe('per1000');
    expect(perCapitaKind('budget-revenue', 'unit-thousand-somoni')).toBe('somoniPerPerson');
    expect(perCapitaKind('drinking-water-access', 'unit-percent')).toBeUndefined();
    expect(perCapitaKind('population', 'unit-persons')).toBeUndefined();
    expect(perCapitaKind('something', undefined)).toBeUndefined();
  });

  it('divides by the population of the same unit and year only, and not when two populations disagree', () => {
    const [pupils] = buildComparisons([
      fig('a', 'pupils', 2024, 500), fig('b', 'pupils', 2024, 900), fig('c', 'pupils', 2024, 700),
      fig('a', 'population', 2024, 2_000),
      fig('b', 'population', 2015, 3_000),
      fig('c', 'population', 2024, 4_000), fig('c', 'population', 2024, 4_100, { dataset: 'ds/other' }),
    ], opts).filter((c) => c.indicator === `${IND}pupils`);
    const perCapita = Object.fromEntries(pupils?.rows.map((r) => [r.unit, r.perCapita?.value]) ?? []);
    expect(perCapita).toEqual({ a: 250, b: undefined, c: undefined });
    expect(pupils?.populationYears).toEqual([2015, 2024]);
  });

  it('rounds for reading by size', () => {
    expect([roundPerCapita(0.4567), roundPerCapita(45.67), roundPerCapita(456.7)]).toEqual(['0.46', '45.7', '457']);
  });
});

describe('comparison', () => {
  it('shows the latest year, largest first, units with only older figures last; one unit is no comparison', () => {
    const out = buildComparisons([
      fig('a', 'pupils', 2023, 10), fig('a', 'pupils', 2024, 30),
      fig('b', 'pupils', 2024, 40), fig('c', 'pupils', 2023, 99), fig('d', 'pupils', 2024, 30),
      fig('a', 'budget-revenue', 2024, 1),
    ], opts);
    expect(out.map((c) => c.indicator)).toEqual([`${IND}pupils`]);
    expect(out[0]?.year).toBe(2024);
    expect(out[0]?.years).toEqual([2023, 2024]);
    expect(out[0]?.rows.map((r) => r.unit)).toEqual(['b', 'a', 'd', 'c']);
    expect(out[0]?.reported).toBe(3);
  });

  it('takes a reported figure before a computed total of the same unit and year', () => {
    const key = keyFigures([
      fig('x', 'pupils', 2024, 100, { computed: true }), fig('x', 'pupils', 2024, 90, { dataset: 'ds/given' }), fig('x', 'pupils', 2021, 5),
    ], ['population', 'pupils'], opts);
    expect(key.map((k) => [k.figure.value, k.figure.computed])).toEqual([[90, false]]);
  });
});
