/**
 * The officials' page of readers' error reports (/publish/reports): the open ones, newest first,
 * each with its unit linked, what the reader wrote, their contact and the date, and a button to
 * mark it handled (a POST form with the session's CSRF token). Everything a reader wrote is
 * escaped by the `html` tag: a report is text, whatever markup it holds.
 */
import { type SafeHtml, html } from '../html/escape.js';
import { fmt, pickLabel } from '../html/i18n.js';
import type { Labels, Lang } from '../html/models.js';
import type { ErrorReport } from './report-store.js';
import { rs } from './strings.js';

export interface ReportsPageModel {
  reports: ErrorReport[];
  /** Names of the units the reports are about, by code. */
  unitNames: ReadonlyMap<string, Labels>;
  /** A publisher's area (only its reports are listed), or null. */
  area: string | null;
  /** The report just marked handled, to say so. */
  closed?: number;
}

const date = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function name(labels: Labels | undefined, lang: Lang, fallback: string): SafeHtml {
  const p = labels ? pickLabel(labels, lang) : undefined;
  if (!p) return html`${fallback}`;
  return p.fallback ? html`<span lang="${p.lang}">${p.text}</span>` : html`${p.text}`;
}

/** The reader's text with its line breaks kept (each line escaped). */
function written(text: string): SafeHtml {
  return html`${text.split('\n').map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}`;
}

export function reportsBody(m: ReportsPageModel, lang: Lang, csrf: string): SafeHtml {
  const s = rs(lang);
  const rows = m.reports.map(
    (r) => html`<tr data-report="${r.id}"><td class="t">${s.colReport} ${r.id}</td><td data-label="${s.colReceived}">${date(r.createdAt)}</td><td data-label="${s.colUnit}"><a href="${r.page}">${name(m.unitNames.get(r.unitCode), lang, r.unitCode)}</a> <small>${r.unitCode}</small></td><td data-label="${s.colText}" class="report-text">${written(r.text)}</td><td data-label="${s.colContact}">${r.contact ?? html`<small>${s.noContact}</small>`}</td><td><form method="post" action="/publish/reports/${r.id}/close?lang=${lang}"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">${s.markHandled}</button></form></td></tr>`,
  );
  return html`<h1>${s.reportsTitle}</h1>
${m.closed !== undefined ? html`<p class="ok" role="status">${fmt(s.closedFlash, { n: m.closed })}</p>` : ''}
<p>${s.reportsIntro}</p>
${m.area !== null ? html`<p>${fmt(s.reportsOwnArea, { area: m.area })}</p>` : ''}
${m.reports.length === 0 ? html`<p>${s.noReports}</p>` : html`<div class="tw"><table class="st"><thead><tr><th>${s.colReport}</th><th>${s.colReceived}</th><th>${s.colUnit}</th><th>${s.colText}</th><th>${s.colContact}</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`}`;
}
