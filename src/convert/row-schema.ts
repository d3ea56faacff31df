import * as z from 'zod/mini';
import type { CellValue } from './cell.js';
import type { ColumnSpec } from './layout.js';
import type { ErrorCode } from '../errors.js';
import {
  type Parsed, checkText, cleanText, foldLookAlikes, nameKey, parseCode, parseCount, parseLatitude, parseLongitude,
  parseDate, parseDateOrYear, parseNonNegativeDecimal, parseNumber, parseYear, splitList,
} from './parse-value.js';

/** A source cell entry: a URL becomes an IRI, anything else stays a citation text. */
export type SourceRef = { iri: string } | { text: string };

export type ColumnValue = string | number | string[] | SourceRef[];

/** What a units row holds once every cell has been read: column key -> value (blank cells absent). */
export type UnitRowValues = Record<string, ColumnValue | undefined>;

const CYRILLIC = /^[\p{Script=Cyrillic}\d\s.,'"«»()/\-–—‘’“”№]+$/u;

function parseByType(spec: ColumnSpec, v: CellValue): Parsed<ColumnValue> {
  const text = (): string => cleanText(v);
  // Every text-like column is bounded by its layout's maxLength (layout.ts requires it).
  const max = spec.maxLength ?? 0;
  switch (spec.type) {
    case 'text': {
      const s = checkText(v, text(), max);
      if (!s.ok) return s;
      if (spec.pattern && !new RegExp(spec.pattern).test(s.value)) return { ok: false, reason: `expected the form ${spec.pattern}` };
      return spec.name ? checkName(s.value) : s;
    }
    case 'cyrillic': {
      const s = checkText(v, text(), max);
      if (!s.ok) return s;
      if (!CYRILLIC.test(s.value)) {
        return { ok: false, reason: 'Tajik and Russian names are written in Cyrillic letters; a Latin transliteration is not the official name' };
      }
      return spec.name ? checkName(s.value) : s;
    }
    case 'list': {
      const parts = splitList(v);
      const s = checkText(v, text(), max, parts);
      return s.ok ? { ok: true, value: parts } : s;
    }
    case 'code':
      return parseCode(v);
    case 'count':
      return parseCount(v);
    case 'decimal':
      return parseNonNegativeDecimal(v);
    case 'year':
      return parseYear(v);
    case 'date':
      return parseDate(v);
    case 'date-or-year':
      return parseDateOrYear(v);
    case 'latitude':
      return parseLatitude(v);
    case 'longitude':
      return parseLongitude(v);
    case 'enum': {
      const key = nameKey(text());
      const hit = Object.entries(spec.values ?? {}).find(([k]) => nameKey(k) === key);
      return hit
        ? { ok: true, value: hit[1] }
        : { ok: false, reason: `expected one of: ${Object.keys(spec.values ?? {}).join(', ')}` };
    }
    case 'qid': {
      const s = foldLookAlikes(text()).toUpperCase();
      return /^Q[1-9]\d*$/.test(s) ? { ok: true, value: s } : { ok: false, reason: 'expected a Wikidata item id such as Q863' };
    }
    case 'digits': {
      const n = typeof v === 'number' ? parseNumber(v) : { ok: true as const, value: Number.NaN };
      const s = typeof v === 'number' && n.ok && Number.isInteger(n.value) ? String(n.value) : text();
      return /^\d+$/.test(s) ? { ok: true, value: s } : { ok: false, reason: 'expected digits only' };
    }
    case 'sources': {
      const parts = splitList(v);
      const checked = checkText(v, text(), max, parts.filter((p) => !/^https?:\/\//i.test(p)));
      if (!checked.ok) return checked;
      const refs: SourceRef[] = [];
      for (const part of parts) {
        if (/^https?:\/\//i.test(part)) {
          try {
            refs.push({ iri: new URL(part).href });
          } catch {
            return { ok: false, reason: `"${part}" looks like a URL but is not a valid one` };
          }
        } else refs.push({ text: part });
      }
      return refs.length > 0 ? { ok: true, value: refs } : { ok: false, reason: 'at least one source is required' };
    }
  }
}

/**
 * One official name, as the language writes it: two names joined with "/" ("Пархарский
 * район/Фархорский район") published three Russian labels as one; a name beginning in lower case
 * ("ноҳияи Восеъ") is not how Tajik writes a name.
 */
function checkName(name: string): Parsed<string> {
  if (name.includes('/')) {
    return { ok: false, reason: 'one name per cell: put the preferred name here and the others in the "Other names" column of the language' };
  }
  if (/^\p{Ll}/u.test(name)) return { ok: false, reason: 'a name begins with a capital letter' };
  return { ok: true, value: name };
}

function isBlankValue(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && cleanText(v) === '');
}

/**
 * The zod schema of one row of a units layout, built from the layout's column declarations, so
 * that adding a column to the layout file adds its validation too. Issues carry the column key in
 * their path; the caller turns that into a spreadsheet column letter.
 */
export function rowSchema(columns: Record<string, ColumnSpec>): z.ZodMiniType<UnitRowValues, Record<string, CellValue>> {
  const shape: Record<string, z.ZodMiniType<ColumnValue | undefined, CellValue>> = {};
  for (const [key, spec] of Object.entries(columns)) {
    shape[key] = z.pipe(z.custom<CellValue>(), z.transform((v: CellValue, ctx): ColumnValue | undefined => {
      if (v === undefined || isBlankValue(v)) {
        if (spec.required) ctx.issues.push({ code: 'custom', message: `"${spec.headers[0]}" is required`, input: v });
        return undefined;
      }
      const parsed = parseByType(spec, v);
      if (!parsed.ok) {
        ctx.issues.push({ code: 'custom', message: parsed.reason, input: v, ...(parsed.code ? { params: { lgCode: parsed.code } } : {}) });
        return z.NEVER;
      }
      return parsed.value;
    }));
  }
  return z.object(shape) as unknown as z.ZodMiniType<UnitRowValues, Record<string, CellValue>>;
}

/** The error code of a row-schema issue: a text bound or a formula-like text has its own. */
export function issueCode(issue: object): ErrorCode {
  const code = 'params' in issue ? (issue.params as Record<string, unknown> | undefined)?.lgCode : undefined;
  return code === 'LG_ERR_TEXT_TOO_LONG' || code === 'LG_ERR_FORMULA_TEXT' ? code : 'LG_ERR_BAD_VALUE';
}
