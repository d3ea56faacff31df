/**
 * What a reader's report form sends, checked on the server: nothing in it is trusted, the hidden
 * `page` field least of all (a bot or a crafted form can send anything there). The answer is
 * either the report to store or, per field, why it was refused, for the form to say so.
 */
import type { ReleaseUnit } from '../releases/release-units.js';

export const TEXT_MIN = 5;
export const TEXT_MAX = 2000;
export const CONTACT_MAX = 200;

/** The form's field names. `website` is the honeypot: hidden from people, filled by form-filling bots. */
export const FIELDS = { text: 'text', contact: 'contact', page: 'page', honeypot: 'website' } as const;

export type ReportField = 'text' | 'contact' | 'page';
export type FieldProblem =
  | { field: 'text'; problem: 'missing' | 'short' | 'long'; length: number }
  | { field: 'contact'; problem: 'long'; length: number }
  | { field: 'page'; problem: 'not-unit' };

/** What the form held, as sent (trimmed), to show again beside the problems. */
export interface ReportValues {
  text: string;
  contact: string;
  page: string;
}

export type CheckedReport =
  | { ok: true; unit: ReleaseUnit; page: string; text: string; contact: string | null }
  | { ok: false; problems: FieldProblem[]; values: ReportValues; unit: ReleaseUnit | undefined };

/** One form field as a string: a repeated name (an array) counts by its first value, anything else as empty. */
export function formField(body: unknown, key: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const v = (body as Record<string, unknown>)[key];
  const first = Array.isArray(v) ? (v as unknown[])[0] : v;
  return typeof first === 'string' ? first : '';
}

/** Control characters other than tab and line feed are dropped; CR LF becomes LF (what a textarea sends). */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
}

/** Length in characters as a person counts them (code points), not UTF-16 units. */
const length = (s: string) => [...s].length;

/**
 * The page a report is about: `/doc/{level}/{code}` of a unit the live release publishes and has
 * not retired, nothing else (no other host, no `//evil.example`, no query, no other document).
 */
const UNIT_PAGE = /^\/doc\/(country|region|district|jamoat)\/(TJ(?:-[A-Z0-9]{1,3}){0,3})$/;

export function unitOfPage(page: string, units: ReadonlyMap<string, ReleaseUnit>): ReleaseUnit | undefined {
  const m = UNIT_PAGE.exec(page);
  if (!m) return undefined;
  const unit = units.get(m[2] as string);
  return unit && unit.level === m[1] && unit.retiredOn === null ? unit : undefined;
}

/** Whether the honeypot field was filled (the sender is taken for a bot). */
export function honeypotFilled(body: unknown): boolean {
  return formField(body, FIELDS.honeypot).trim() !== '';
}

export function checkReport(body: unknown, units: ReadonlyMap<string, ReleaseUnit>): CheckedReport {
  const values: ReportValues = {
    text: clean(formField(body, FIELDS.text)),
    contact: clean(formField(body, FIELDS.contact)).replace(/\s+/g, ' '),
    page: formField(body, FIELDS.page).trim(),
  };
  const problems: FieldProblem[] = [];
  const textLength = length(values.text);
  if (textLength === 0) problems.push({ field: 'text', problem: 'missing', length: 0 });
  else if (textLength < TEXT_MIN) problems.push({ field: 'text', problem: 'short', length: textLength });
  else if (textLength > TEXT_MAX) problems.push({ field: 'text', problem: 'long', length: textLength });
  const contactLength = length(values.contact);
  if (contactLength > CONTACT_MAX) problems.push({ field: 'contact', problem: 'long', length: contactLength });
  const unit = unitOfPage(values.page, units);
  if (!unit) problems.push({ field: 'page', problem: 'not-unit' });
  if (problems.length > 0 || !unit) return { ok: false, problems, values, unit };
  return { ok: true, unit, page: values.page, text: values.text, contact: values.contact === '' ? null : values.contact };
}
