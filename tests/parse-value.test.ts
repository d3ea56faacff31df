import { describe, expect, it } from 'vitest';
import { parseCode, parseCount, parseDate, parseNumber, parseYear } from '../src/convert/parse-value.js';

describe('parseNumber: numbers as officials type them', () => {
  it.each([
    [1234, 1234],
    ['1234', 1234],
    ['12 345', 12345],
    ['12\u00A0345', 12345], // Excel's no-break space
    ['1\u202F234\u202F567', 1234567], // narrow no-break space
    ['1234,5', 1234.5],
    ['1 234,5', 1234.5],
    ['1234.5', 1234.5],
    ['  42 ', 42],
    ['\u22125', -5],
  ])('%j -> %d', (input, expected) => {
    expect(parseNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['1,234', /ambiguous/],
    ['12 34', /groups of three/],
    ['about 1500', /^expected a number$/],
    ['1.234.567', /^expected a number$/],
    ['', /empty/],
  ])('%j is refused: %s', (input, reason) => {
    const r = parseNumber(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('a count is a whole non-negative number', () => {
    expect(parseCount('12 000')).toEqual({ ok: true, value: 12000 });
    expect(parseCount(-1)).toEqual({ ok: false, reason: 'a count cannot be negative' });
    expect(parseCount('2,5')).toEqual({ ok: false, reason: 'expected a whole number' });
  });
});

describe('parseYear: years, Excel dates and serial numbers', () => {
  it.each([
    [2015, 2015],
    ['2015', 2015],
    [new Date(Date.UTC(2015, 0, 1)), 2015],
    [42005, 2015], // Excel serial day number of 2015-01-01
    ['01.01.2015', 2015],
    ['2015-01-01', 2015],
    ['2015 г.', 2015],
  ])('%j -> %d', (input, expected) => {
    expect(parseYear(input)).toEqual({ ok: true, value: expected });
  });

  it.each([['15'], ['next year'], [1850], [null]])('%j is refused', (input) => {
    expect(parseYear(input).ok).toBe(false);
  });
});

describe('parseCode: ASCII codes, Cyrillic look-alikes folded', () => {
  it.each([
    ['TJ-SU-07', 'TJ-SU-07'],
    [' tj-su-07 ', 'TJ-SU-07'],
    ['ТJ-SU-07', 'TJ-SU-07'], // Cyrillic Т
    ['TJ-КТ-05-02', 'TJ-KT-05-02'], // Cyrillic К and Т
    ['TJ–KT–05', 'TJ-KT-05'], // en dashes
  ])('%j -> %s', (input, expected) => {
    expect(parseCode(input)).toEqual({ ok: true, value: expected });
  });

  it.each([['TJ-ЖЖ'], ['TJ-S'], ['TJ-SU-7'], [''], ['TJ-SU-07-03-01']])('%j is refused', (input) => {
    expect(parseCode(input).ok).toBe(false);
  });
});

describe('parseDate: the day a unit was retired', () => {
  it.each([
    ['2025-01-01', '2025-01-01'],
    ['01.07.2024', '2024-07-01'],
    ['1/7/2024', '2024-07-01'], // day first, as in Tajikistan and Russia
    [new Date(Date.UTC(2024, 6, 1)), '2024-07-01'], // a date cell
    [45474, '2024-07-01'], // Excel's serial day number
    ['29.02.2024', '2024-02-29'],
  ])('%j -> %s', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['31.02.2024', '29.02.2023', '2024-13-01', '2024', 'July 2024', '', 1899])('refuses %j', (input) => {
    expect(parseDate(input).ok).toBe(false);
  });
});
