import type { ErrorCode } from '../errors.js';
import type { CellValue } from './cell.js';

/**
 * Pure parsers for cell values as officials really type them. Each returns either a value or a
 * reason; a value is returned only when its reading is certain (DEVELOPERS.md: whatever the
 * converter cannot read with certainty it rejects).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; code?: ErrorCode };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Spaces a keyboard or Excel puts in numbers: space, no-break space, thin and narrow spaces. */
const SPACES = /[\u0020\u00A0\u2007\u2009\u202F]/g;
const HAS_SPACE = /[\u0020\u00A0\u2007\u2009\u202F]/;

/** Trim, turn any run of whitespace (incl. no-break spaces) into one space, NFC-normalise. */
export function cleanText(v: CellValue): string {
  if (v === null) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return s.normalize('NFC').replace(/[\s\u00A0\u2007\u2009\u202F]+/g, ' ').trim();
}

/**
 * Cyrillic letters that look like Latin ones, as people type codes on Russian keyboards. Codes are
 * ASCII only (design.md), so such a letter in a code can only be a look-alike.
 */
const LOOK_ALIKES: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y',
  Ј: 'J', Ѕ: 'S', І: 'I', Ү: 'Y',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
};

export function foldLookAlikes(s: string): string {
  let out = '';
  for (const ch of s) out += LOOK_ALIKES[ch] ?? ch;
  return out;
}

/**
 * A unit code: `TJ`, `TJ-SU`, `TJ-SU-07` or `TJ-SU-07-03`. Cyrillic look-alikes and dash variants
 * are folded; anything else that is not ASCII is refused rather than guessed.
 */
export function parseCode(v: CellValue): Parsed<string> {
  if (typeof v !== 'string' && typeof v !== 'number') return fail('expected a code such as TJ-SU-07');
  const s = foldLookAlikes(cleanText(v)).toUpperCase().replace(/\s*-\s*/g, '-');
  if (s === '') return fail('the code is empty');
  if (/[^\x20-\x7E]/.test(s)) return fail('a code has only Latin letters, digits and "-"');
  if (!/^TJ(-[A-Z]{2}(-\d{2}(-\d{2})?)?)?$/.test(s)) {
    return fail('expected a code of the form TJ, TJ-XX, TJ-XX-NN or TJ-XX-NN-NN');
  }
  return ok(s);
}

/**
 * A number as typed in Tajik, Russian or English spreadsheets: "12 345", "12 345,6", "1234.5",
 * "1234,5", or a numeric cell. A single comma followed by exactly three digits ("1,234") could be a
 * thousands separator or a decimal comma, so it is refused as ambiguous.
 */
export function parseNumber(v: CellValue): Parsed<number> {
  if (typeof v === 'number') return Number.isFinite(v) ? ok(v) : fail('not a finite number');
  if (typeof v !== 'string') return fail('expected a number');
  let s = v.normalize('NFC').trim().replace(/^[\u2212\u2013]/, '-');
  if (s === '') return fail('expected a number, the cell is empty');
  if (!/^-?[\d\u0020\u00A0\u2007\u2009\u202F.,]+$/.test(s)) return fail('expected a number');
  const grouped = /^-?\d{1,3}([\u0020\u00A0\u2007\u2009\u202F]\d{3})+([.,]\d+)?$/.test(s);
  if (grouped) s = s.replace(SPACES, '');
  else if (HAS_SPACE.test(s)) return fail('expected a number; spaces are allowed only between groups of three digits');
  if (/^-?\d+,\d+$/.test(s)) {
    if (!grouped && /^-?\d{1,3},\d{3}$/.test(s)) {
      return fail('ambiguous: the comma may separate thousands or decimals; write 1234 or 1,2345 or 1 234,5');
    }
    s = s.replace(',', '.');
  }
  if (!/^-?\d+(\.\d+)?$/.test(s)) return fail('expected a number');
  return ok(Number(s));
}

export function parseCount(v: CellValue): Parsed<number> {
  const n = parseNumber(v);
  if (!n.ok) return n;
  if (n.value < 0) return fail('a count cannot be negative');
  if (!Number.isInteger(n.value)) return fail('expected a whole number');
  if (!Number.isSafeInteger(n.value)) return fail('the number is too large');
  return n;
}

export function parseNonNegativeDecimal(v: CellValue): Parsed<number> {
  const n = parseNumber(v);
  if (!n.ok) return n;
  if (n.value < 0) return fail('the value cannot be negative');
  return n;
}

/** Days from Excel's epoch (1899-12-30, which absorbs the 1900 leap-year bug) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25569;

/** An Excel serial day number as its day (42005 -> 2015-01-01); a number that cannot be one (a year, a fraction) gives undefined. */
function fromExcelSerial(v: number): Date | undefined {
  return Number.isInteger(v) && v > 2100 && v < 80000 ? new Date((v - EXCEL_EPOCH_OFFSET) * 86_400_000) : undefined;
}

/**
 * A reference year: 2015, "2015", a date cell (Excel stores 01.01.2015 as a date), an Excel serial
 * day number (42005 = 2015-01-01), or a date typed as text "01.01.2015" / "2015-01-01".
 */
export function parseYear(v: CellValue): Parsed<number> {
  let year: number | undefined;
  if (v instanceof Date) year = v.getUTCFullYear();
  else if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 1900 && v <= 2100) year = v;
    else year = fromExcelSerial(v)?.getUTCFullYear();
  } else if (typeof v === 'string') {
    const s = cleanText(v);
    const m =
      /^(\d{4})$/.exec(s) ??
      /^\d{1,2}[./]\d{1,2}[./](\d{4})$/.exec(s) ??
      /^(\d{4})-\d{2}-\d{2}$/.exec(s) ??
      /^(\d{4})\s*(?:г\.?|сол|year)$/i.exec(s);
    if (m?.[1]) year = Number(m[1]);
  }
  if (year === undefined || year < 1900 || year > 2100) return fail('expected a year such as 2023');
  return ok(year);
}

/**
 * A calendar day as xsd:date text (2025-01-01): a date cell, an Excel serial day number, or text
 * "2025-01-01" / "01.01.2025" / "1/1/2025" (day first, as in Tajikistan and Russia).
 */
export function parseDate(v: CellValue): Parsed<string> {
  let y: number | undefined;
  let m: number | undefined;
  let d: number | undefined;
  if (v instanceof Date) [y, m, d] = [v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate()];
  else if (typeof v === 'number') {
    const date = fromExcelSerial(v);
    if (date) [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else if (typeof v === 'string') {
    const s = cleanText(v);
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    const dayFirst = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(s);
    if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    else if (dayFirst) [y, m, d] = [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])];
  }
  if (y === undefined || m === undefined || d === undefined) return fail('expected a date such as 2025-01-01 or 01.01.2025');
  const date = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC rolls 31.02 over into March: a day that does not exist is refused, not moved.
  if (y < 1900 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return fail('no such day; expected a date such as 2025-01-01');
  return ok(date.toISOString().slice(0, 10));
}

/** A day (as parseDate reads it) or a year alone: "1957-01-31", "31.01.1957" or "1996". */
export function parseDateOrYear(v: CellValue): Parsed<string> {
  const s = typeof v === 'number' && Number.isInteger(v) && v >= 1000 && v <= 9999 ? String(v) : typeof v === 'string' ? cleanText(v) : '';
  if (/^\d{4}$/.test(s)) {
    const y = Number(s);
    return y >= 1800 && y <= 2100 ? ok(s) : fail('expected a year between 1800 and 2100, or a date such as 1957-01-31');
  }
  const d = parseDate(v);
  return d.ok ? d : fail('expected a date such as 1957-01-31 or 31.01.1957, or a year such as 1996');
}

export function parseLatitude(v: CellValue): Parsed<number> {
  const n = parseNumber(v);
  if (!n.ok) return n;
  return n.value >= -90 && n.value <= 90 ? n : fail('a latitude is between -90 and 90');
}

export function parseLongitude(v: CellValue): Parsed<number> {
  const n = parseNumber(v);
  if (!n.ok) return n;
  return n.value >= -180 && n.value <= 180 ? n : fail('a longitude is between -180 and 180');
}

/** Split a `; `-separated list cell, dropping empty parts. */
export function splitList(v: CellValue): string[] {
  return cleanText(v)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Comparison key for names: case-, space- and look-alike-insensitive (Tajik ҳ/х etc. kept apart). */
export function nameKey(s: string): string {
  return cleanText(s).toLowerCase().replace(/[\u2010-\u2015\u2212]/g, '-');
}

/** A long value as a problem quotes it: its start, so a report never carries 100,000 characters. */
export function shortened(text: string): string {
  return text.length > 60 ? `${text.slice(0, 50)}…` : text;
}

/**
 * What spreadsheet programs take for the start of a formula when a downloaded CSV is opened
 * (OWASP, "CSV injection"): = + - @, and a tab or carriage return before them.
 */
const FORMULA_START = /^[=+\-@]/;
const RAW_FORMULA_START = /^[\t\r]/;

/**
 * Text of a text column (a name, a note, a source): at most `maxLength` characters once cleaned,
 * and not starting as a formula. `raw` is the cell as typed (a leading tab or CR is cleaned away
 * below, but marks text pasted to look like a formula); each of `parts` (a list's entries) is
 * checked too.
 */
export function checkText(raw: CellValue, text: string, maxLength: number, parts: string[] = [text]): Parsed<string> {
  if (text.length > maxLength) {
    return { ok: false, code: 'LG_ERR_TEXT_TOO_LONG', reason: `the text has ${text.length} characters; this column allows at most ${maxLength}` };
  }
  const formula = typeof raw === 'string' && RAW_FORMULA_START.test(raw) ? raw[0] === '\t' ? 'a tab' : 'a carriage return' : parts.find((p) => FORMULA_START.test(p))?.[0];
  if (formula !== undefined) {
    return { ok: false, code: 'LG_ERR_FORMULA_TEXT', reason: `the text starts with ${formula.length === 1 ? `"${formula}"` : formula}, which spreadsheet programs run as a formula; a name or note never starts so` };
  }
  return ok(text);
}
