/**
 * The report form at the end of every unit page, and the same form shown again with what the
 * reader wrote when the server refused it. A plain HTML form: it works without JavaScript and
 * posts to our own /report (the pages' policy allows forms to 'self' only). The unit pages are
 * cached per data version, so the form holds nothing per request (no token): the server's checks,
 * the honeypot and the limits (public-routes.ts) are what stands between it and a flood.
 *
 * The honeypot is an ordinary-looking text field, moved off screen by the layout's `vh` class,
 * hidden from screen readers (aria-hidden), out of the tab order and without autocomplete, so a
 * person never fills it and a browser never fills it for them; a bot filling every field does.
 */
import { type SafeHtml, html } from '../html/escape.js';
import { fmt } from '../html/i18n.js';
import type { Lang } from '../html/models.js';
import { CONTACT_MAX, FIELDS, type FieldProblem, type ReportField, type ReportValues, TEXT_MAX, TEXT_MIN } from './report-input.js';
import { type ReportStrings, rs } from './strings.js';

/** Where the form posts; the page language rides in the query so the answer is in it too. */
export const REPORT_PATH = '/report';

const ID = { text: 'report-text', contact: 'report-contact', honeypot: 'report-website' } as const;

/** The sentence for one refused field, naming the field and why. */
export function problemText(s: ReportStrings, p: FieldProblem): string {
  const vars = { min: TEXT_MIN, max: p.field === 'contact' ? CONTACT_MAX : TEXT_MAX, n: 'length' in p ? p.length : 0 };
  if (p.field === 'page') return s.err_page_not_unit;
  if (p.field === 'contact') return fmt(s.err_contact_long, vars);
  return fmt(p.problem === 'missing' ? s.err_text_missing : p.problem === 'short' ? s.err_text_short : s.err_text_long, vars);
}

export interface FormState {
  values?: ReportValues;
  problems?: FieldProblem[];
}

/** The form (without a heading) for the unit page whose path is `page` (`/doc/jamoat/TJ-KT-06-06`). */
export function reportFormFields(lang: Lang, page: string, state: FormState = {}): SafeHtml {
  const s = rs(lang);
  const problem = (f: ReportField) => state.problems?.find((p) => p.field === f);
  const invalid = (f: ReportField) => (problem(f) ? html` aria-invalid="true"` : '');
  const errorLine = (f: ReportField, id: string) => {
    const p = problem(f);
    return p ? html`<br><strong class="report-error" id="${id}-error">${problemText(s, p)}</strong>` : '';
  };
  const describedBy = (f: ReportField, id: string) => `${id}-hint${problem(f) ? ` ${id}-error` : ''}`;
  return html`<form method="post" action="${REPORT_PATH}?lang=${lang}" class="report-form">
<input type="hidden" name="${FIELDS.page}" value="${page}">
<p><label for="${ID.text}">${s.textLabel}</label><br>
<textarea id="${ID.text}" name="${FIELDS.text}" rows="5" cols="34" minlength="${TEXT_MIN}" maxlength="${TEXT_MAX}" required aria-describedby="${describedBy('text', ID.text)}"${invalid('text')}>${state.values?.text ?? ''}</textarea><br>
<small id="${ID.text}-hint">${fmt(s.textHint, { min: TEXT_MIN, max: TEXT_MAX })}</small>${errorLine('text', ID.text)}</p>
<p><label for="${ID.contact}">${s.contactLabel}</label><br>
<input type="text" id="${ID.contact}" name="${FIELDS.contact}" maxlength="${CONTACT_MAX}" autocomplete="email" aria-describedby="${describedBy('contact', ID.contact)}"${invalid('contact')} value="${state.values?.contact ?? ''}"><br>
<small id="${ID.contact}-hint">${fmt(s.contactHint, { max: CONTACT_MAX })}</small>${errorLine('contact', ID.contact)}</p>
<div class="vh" aria-hidden="true"><label for="${ID.honeypot}">${s.honeypotLabel}</label> <input type="text" id="${ID.honeypot}" name="${FIELDS.honeypot}" tabindex="-1" autocomplete="off" value=""></div>
<p><button type="submit">${s.send}</button></p>
</form>`;
}

/** The section at the end of a unit page. */
export function reportSection(lang: Lang, page: string): SafeHtml {
  const s = rs(lang);
  return html`<section aria-labelledby="report"><h2 id="report">${s.formTitle}</h2>
<p>${s.formIntro}</p>
${reportFormFields(lang, page)}
</section>`;
}
