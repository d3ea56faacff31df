/**
 * The pages a reader sees after sending the form: the thanks (after the 303), the form again
 * with what they wrote and what to correct (400), and a refusal (429 too many from the address,
 * 503 too many today). In the site's own layout, in the reader's language, never indexed.
 */
import { type SafeHtml, html } from '../html/escape.js';
import { pickLabel } from '../html/i18n.js';
import { renderLayout } from '../html/layout.js';
import type { Labels, PageContext } from '../html/models.js';
import { type ReportValues, type FieldProblem } from './report-input.js';
import { problemText, reportFormFields } from './report-form.js';
import { rs } from './strings.js';

/** The unit a page is about, as the pages name and link it. */
export interface UnitRef {
  code: string;
  labels: Labels;
  /** Its page, `/doc/{level}/{code}`. */
  page: string;
}

const NOINDEX = html`<meta name="robots" content="noindex">`;

function unitName(ctx: PageContext, unit: UnitRef): SafeHtml {
  const p = pickLabel(unit.labels, ctx.lang);
  if (!p) return html`${unit.code}`;
  return p.fallback ? html`<span lang="${p.lang}">${p.text}</span>` : html`${p.text}`;
}

function backLink(ctx: PageContext, unit: UnitRef | undefined): SafeHtml {
  const s = rs(ctx.lang);
  if (!unit) return html`<p><a href="/">${s.backHome}</a></p>`;
  // The template's text around the name, with the name itself escaped and marked with its language.
  const [before = '', after = ''] = s.backTo.split('{name}');
  return html`<p><a href="${unit.page}">${before}${unitName(ctx, unit)}${after}</a></p>`;
}

export function renderThanksPage(ctx: PageContext, unit: UnitRef | undefined): string {
  const s = rs(ctx.lang);
  return renderLayout(ctx, {
    title: s.thanksTitle,
    head: NOINDEX,
    body: html`<h1>${s.thanksTitle}</h1>
<p role="status">${s.thanksText}</p>
${backLink(ctx, unit)}`,
  });
}

/** The form again, the problems listed first (each linked to its field) and beside their fields. */
export function renderFormAgainPage(ctx: PageContext, unit: UnitRef | undefined, values: ReportValues, problems: FieldProblem[]): string {
  const s = rs(ctx.lang);
  const [before = '', after = ''] = s.aboutPage.split('{name}');
  const fieldId = (p: FieldProblem) => (p.field === 'contact' ? 'report-contact' : 'report-text');
  return renderLayout(ctx, {
    title: s.pageTitle,
    head: NOINDEX,
    body: html`<h1>${s.pageTitle}</h1>
${unit ? html`<p>${before}<a href="${unit.page}">${unitName(ctx, unit)}</a>${after}</p>` : ''}
<div role="alert"><p><strong>${s.errorsIntro}</strong></p>
<ul>${problems.map((p) => (p.field === 'page' ? html`<li data-field="page">${problemText(s, p)}</li>` : html`<li data-field="${p.field}"><a href="#${fieldId(p)}">${problemText(s, p)}</a></li>`))}</ul></div>
${unit ? reportFormFields(ctx.lang, unit.page, { values, problems }) : backLink(ctx, undefined)}`,
  });
}

/** Too many reports (from the address, or today): what happened and when to try again. */
export function renderRefusedPage(ctx: PageContext, message: string, code: string): string {
  const s = rs(ctx.lang);
  return renderLayout(ctx, {
    title: s.refusedTitle,
    head: NOINDEX,
    body: html`<h1>${s.refusedTitle}</h1>
<p role="alert">${message}</p>
<p><small><code>${code}</code></small></p>
${backLink(ctx, undefined)}`,
  });
}

