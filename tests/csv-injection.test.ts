import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, inject, it } from 'vitest';
import { type Table, csvField, toCsv } from '../src/catalog/csv-tables.js';

/**
 * Issue #14.3 (the download side): names such as `=HYPERLINK(…)`, `+1+cmd|' /C calc'!A0` and
 * `@SUM(…)` were published as written in /download/units.csv, where a spreadsheet program runs
 * them. Every CSV download neutralises such a cell (OWASP: a leading single quote, the field
 * quoted); negative figures in numeric columns stay numbers.
 */

const HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", '@SUM(1+1)*cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1', '=1,2'];

function table(rows: Record<string, string>[]): Table {
  return {
    aboutUrl: '{+uri}', primaryKey: ['code'], virtual: [], rows,
    columns: [
      { name: 'code', datatype: 'string', description: '' },
      { name: 'name_en', datatype: 'string', description: '' },
      { name: 'population', datatype: 'integer', description: '' },
      { name: 'value', datatype: 'decimal', description: '' },
    ],
  };
}

describe('CSV downloads never carry a formula', () => {
  it('a cell starting with = + - @ tab or CR is prefixed with a quote and quoted', () => {
    for (const v of HOSTILE) {
      const out = csvField(v);
      expect(out.startsWith(`"'`), v).toBe(true);
      // Read back as a CSV reader does: the value with the quote before it, nothing lost.
      expect((parse(`${out}\r\n`, { relax_quotes: false }) as string[][])[0]?.[0]).toBe(`'${v}`);
    }
  });

  it('ordinary text and numbers are written as before', () => {
    expect(csvField('Norin')).toBe('Norin');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('')).toBe('');
    // A plain number in a numeric column keeps its sign; in a text column "-3" is text, and quoted.
    expect(csvField('-3', true)).toBe('-3');
    expect(csvField('-12.5', true)).toBe('-12.5');
    expect(csvField('-3')).toBe(`"'-3"`);
    // In a numeric column something that is not a plain number is neutralised all the same.
    expect(csvField('-2+3+cmd', true)).toBe(`"'-2+3+cmd"`);
    expect(csvField('=1+1', true)).toBe(`"'=1+1"`);
  });

  it('toCsv: hostile names neutralised, negative figures intact, every row parses back', () => {
    const rows = HOSTILE.map((name, i) => ({ code: `TJ-${i}`, name_en: name, population: String(-i), value: i % 2 ? `-${i}.5` : `${i}` }));
    const csv = toCsv(table(rows));
    const back = parse(csv, { columns: true }) as Record<string, string>[];
    expect(back).toHaveLength(HOSTILE.length);
    back.forEach((r, i) => {
      expect(r.name_en).toBe(`'${HOSTILE[i]}`);
      expect(r.population).toBe(String(-i));
      expect(r.value).toBe(i % 2 ? `-${i}.5` : `${i}`);
    });
    // No line of the file starts a field with a formula character outside quotes.
    for (const line of csv.split('\r\n')) expect(line).not.toMatch(/(^|,)[=+@\t]/);
  });

  it('the shipped build\'s CSV downloads are unchanged by it (no name there starts a formula)', async () => {
    const dir = join(inject('buildDir'), 'download');
    for (const name of ['units.csv', 'education.csv']) {
      const text = await readFile(join(dir, name), 'utf8');
      expect(text, name).not.toContain(`"'`);
      expect((parse(text, { columns: true }) as unknown[]).length, name).toBeGreaterThan(0);
    }
  });
});
