/**
 * The bodies of the officials' workflow pages, rendered from models (routes build the models;
 * nothing here reads state). The shell around them (menu, user, language switch) is
 * publish-layout.ts. Every value is escaped by the `html` tag; forms carry the CSRF token.
 */
import { type SafeHtml, html } from '../../html/escape.js';
import { fmt, pickLabel } from '../../html/i18n.js';
import type { Labels, Lang } from '../../html/models.js';
import type { ErrorCode } from '../../errors.js';
import type { AuditEntry } from '../../state/audit.js';
import type { Actor } from '../permissions.js';
import { CODE_TEXT, UNKNOWN_CODE_TEXT } from '../report-strings.js';
import type { Upload, UploadStatus } from '../uploads.js';
import { WORKFLOW_STRINGS, type WorkflowStrings } from './workflow-strings.js';

export interface DatasetChoice {
  id: string;
  title: Labels;
  sample: boolean;
}

export interface UploadListItem {
  id: number;
  createdAt: string;
  userName: string;
  area: string;
  areaName: Labels;
  dataset: string;
  datasetTitle: Labels;
  fileName: string;
  status: UploadStatus;
}

export interface ReleaseListItem {
  n: number;
  createdAt: string;
  kind: 'seed' | 'upload' | 'rollback';
  by: string;
  live: boolean;
}

export interface DashboardModel {
  actor: Actor;
  areaName: Labels | null;
  /** The units a publisher may make a template for: their area and, for a region, its districts. */
  templateAreas: { code: string; name: Labels }[];
  datasets: DatasetChoice[];
  defaultYear: number;
  uploads: UploadListItem[];
  pending: UploadListItem[];
  releases: ReleaseListItem[];
  building: number | null;
}

/** One problem of the report, in the reader's language (src/publish/report.ts). */
export interface ReportRowView {
  code: string;
  sheet?: string;
  row?: number;
  column?: string;
  header?: string;
  value?: string;
  problem: string;
  todo: string;
  /** The converter's own sentence (English), kept for whoever helps the official. */
  detail?: string;
}

export interface ChangeRowView {
  unitCode: string;
  unitName: Labels;
  indicator: Labels;
  year: number;
  old: number | null;
  new: number | null;
}

export interface UploadPageModel {
  upload: Upload;
  areaName: Labels;
  datasetTitle: Labels;
  report: ReportRowView[];
  changes: { added: ChangeRowView[]; changed: ChangeRowView[]; unchanged: number } | null;
  /** The units whose pages the upload changes, for the draft previews. */
  draftUnits: { code: string; name: Labels }[];
  canReview: boolean;
  ownUpload: boolean;
  /** A message after an action (approved, rejected). */
  flash?: string;
}

const s = (lang: Lang): WorkflowStrings => WORKFLOW_STRINGS[lang];
const label = (l: Labels, lang: Lang, fallback = ''): SafeHtml => {
  const p = pickLabel(l, lang);
  if (!p) return html`${fallback}`;
  return p.fallback ? html`<span lang="${p.lang}">${p.text}</span>` : html`${p.text}`;
};
const statusText = (st: UploadStatus, lang: Lang) => s(lang)[`status_${st}`];
const date = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const number = (n: number | null, lang: Lang) => (n === null ? '—' : n.toLocaleString(lang === 'en' ? 'en-US' : 'ru-RU'));
const csrfInput = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

function uploadTable(items: UploadListItem[], lang: Lang, empty: string): SafeHtml {
  const t = s(lang);
  if (items.length === 0) return html`<p>${empty}</p>`;
  return html`<div class="tw"><table class="st"><thead><tr><th>${t.upload}</th><th>${t.sentAt}</th><th>${t.area}</th><th>${t.dataset}</th><th>${t.sentBy}</th><th>${t.status}</th></tr></thead><tbody>${items.map(
    (u) => html`<tr><td class="t"><a href="/publish/uploads/${u.id}">${fmt(t.uploadN, { n: u.id })}</a><br><small>${u.fileName}</small></td><td data-label="${t.sentAt}">${date(u.createdAt)}</td><td data-label="${t.area}">${label(u.areaName, lang, u.area)} <small>${u.area}</small></td><td data-label="${t.dataset}">${label(u.datasetTitle, lang, u.dataset)}</td><td data-label="${t.sentBy}">${u.userName}</td><td data-label="${t.status}">${statusText(u.status, lang)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function dashboardBody(m: DashboardModel, lang: Lang, csrf: string): SafeHtml {
  const t = s(lang);
  const parts: SafeHtml[] = [html`<h1>${t.dashboard}</h1>`];
  if (m.building !== null) parts.push(html`<p class="note">${fmt(t.building, { n: m.building })}</p>`);
  // The shipped sample datasets say "(sample data)" in their titles already: the mark is added only where the title does not.
  const datasetOptions = m.datasets.map((d) => html`<option value="${d.id}">${label(d.title, lang, d.id)}${d.sample && !(pickLabel(d.title, lang)?.text ?? '').includes(t.sampleMark) ? html` (${t.sampleMark})` : ''}</option>`);
  if (m.actor.role === 'publisher') {
    parts.push(html`<p>${t.yourArea}: <strong>${m.areaName ? label(m.areaName, lang, m.actor.area ?? '') : m.actor.area ?? ''}</strong> <code>${m.actor.area ?? ''}</code></p>
<h2>${t.templateTitle}</h2><p>${t.templateHelp}</p>
<form method="get" action="/publish/template" class="stack">
<p><label for="t-area">${t.area}</label><br><select id="t-area" name="area">${m.templateAreas.map((a) => html`<option value="${a.code}">${label(a.name, lang, a.code)} (${a.code})</option>`)}</select></p>
<p><label for="t-ds">${t.dataset}</label><br><select id="t-ds" name="dataset">${datasetOptions}</select></p>
<p><label for="t-year">${t.year}</label><br><input id="t-year" name="year" type="number" min="1991" max="2100" value="${m.defaultYear}" required></p>
<input type="hidden" name="lang" value="${lang}">
<p><button type="submit">${t.downloadTemplate}</button></p></form>
<h2>${t.uploadTitle}</h2><p>${t.uploadHelp}</p>
<form method="post" action="/publish/uploads?lang=${lang}" enctype="multipart/form-data" class="stack">${csrfInput(csrf)}
<p><label for="u-ds">${t.dataset}</label><br><select id="u-ds" name="dataset">${datasetOptions}</select></p>
<p><label for="u-file">${t.file}</label><br><input id="u-file" name="file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></p>
<p><button type="submit">${t.send}</button></p></form>
<h2>${t.yourUploads}</h2>${uploadTable(m.uploads, lang, t.noUploads)}`);
  }
  if (m.actor.role === 'reviewer') {
    parts.push(html`<h2>${t.waiting}</h2>${uploadTable(m.pending, lang, t.nothingWaiting)}<h2>${t.uploads}</h2>${uploadTable(m.uploads, lang, t.noUploads)}`);
  }
  if (m.actor.role === 'administrator') {
    parts.push(html`<h2>${t.releasesTitle}</h2><p>${t.rollbackHelp}</p><div class="tw"><table><thead><tr><th>${t.release}</th><th>${t.when}</th><th>${t.by}</th><th></th></tr></thead><tbody>${m.releases.map(
      (r) => html`<tr><td><a href="/releases/${r.n}">${r.n}</a> <small>${t[`kind_${r.kind}`]}</small>${r.live ? html` <strong>(${t.liveRelease})</strong>` : ''}</td><td>${date(r.createdAt)}</td><td>${r.by}</td><td>${r.live ? '' : html`<form method="post" action="/publish/rollback?lang=${lang}">${csrfInput(csrf)}<input type="hidden" name="to" value="${r.n}"><button type="submit">${fmt(t.rollbackTo, { n: r.n })}</button></form>`}</td></tr>`,
    )}</tbody></table></div><p><a href="/publish/audit">${t.auditTitle}</a></p><h2>${t.uploads}</h2>${uploadTable(m.uploads, lang, t.noUploads)}`);
  }
  return html`${parts}`;
}

export function uploadsBody(items: UploadListItem[], lang: Lang): SafeHtml {
  const t = s(lang);
  return html`<h1>${t.uploads}</h1>${uploadTable(items, lang, t.noUploads)}`;
}

/** A reviewer's queue: the uploads waiting for a decision, oldest first (the order they came in). */
export function reviewsBody(items: UploadListItem[], lang: Lang): SafeHtml {
  const t = s(lang);
  return html`<h1>${t.waiting}</h1>${uploadTable(items, lang, t.nothingWaiting)}`;
}

function reportTable(rows: ReportRowView[], lang: Lang): SafeHtml {
  const t = s(lang);
  return html`<h2 id="report">${t.reportTitle}</h2><p>${fmt(t.reportIntro, { n: rows.length })}</p><div class="tw"><table class="report st"><thead><tr><th>${t.colSheet}</th><th>${t.colRow}</th><th>${t.colColumn}</th><th>${t.colValue}</th><th>${t.colProblem}</th><th>${t.colTodo}</th></tr></thead><tbody>${rows.map(
    (r) => html`<tr data-code="${r.code}"><td class="i" data-label="${t.colSheet}">${r.sheet ?? ''}</td><td class="n i" data-label="${t.colRow}">${r.row ?? ''}</td><td data-label="${t.colColumn}">${r.column ?? ''}${r.header ? html`<br><small>«${r.header}»</small>` : ''}</td><td data-label="${t.colValue}">${r.value !== undefined ? html`<code>${r.value.slice(0, 200)}</code>` : ''}</td><td data-label="${t.colProblem}">${r.problem}${r.detail ? html`<br><small lang="en">${r.detail}</small>` : ''}<br><small><code>${r.code}</code></small></td><td data-label="${t.colTodo}">${r.todo}</td></tr>`,
  )}</tbody></table></div>`;
}

function changesTable(title: string, rows: ChangeRowView[], lang: Lang, showOld: boolean): SafeHtml {
  const t = s(lang);
  if (rows.length === 0) return html``;
  return html`<h3>${title} (${rows.length})</h3><div class="tw"><table class="st"><thead><tr><th>${t.unit}</th><th>${t.indicator}</th><th>${t.year}</th>${showOld ? html`<th class="n">${t.oldValue}</th>` : ''}<th class="n">${t.newValue}</th></tr></thead><tbody>${rows.map(
    (r) => html`<tr><td class="t">${label(r.unitName, lang, r.unitCode)} <small>${r.unitCode}</small></td><td>${label(r.indicator, lang)}</td><td class="i" data-label="${t.year}">${r.year}</td>${showOld ? html`<td class="n i" data-label="${t.oldValue}">${number(r.old, lang)}</td>` : ''}<td class="n i" data-label="${t.newValue}">${number(r.new, lang)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function uploadBody(m: UploadPageModel, lang: Lang, csrf: string): SafeHtml {
  const t = s(lang);
  const u = m.upload;
  const parts: SafeHtml[] = [html`<h1>${fmt(t.uploadN, { n: u.id })}</h1>`];
  if (m.flash) parts.push(html`<p class="note" role="status"><strong>${m.flash}</strong></p>`);
  parts.push(html`<dl>
<dt>${t.status}</dt><dd><strong data-status="${u.status}">${statusText(u.status, lang)}</strong>${u.releaseN !== null ? html` · <a href="/releases/${u.releaseN}">${fmt(t.publishedIn, { n: u.releaseN })}</a>` : ''}</dd>
<dt>${t.area}</dt><dd>${label(m.areaName, lang, u.area)} <code>${u.area}</code></dd>
<dt>${t.dataset}</dt><dd>${label(m.datasetTitle, lang, u.dataset)}</dd>
<dt>${t.fileName}</dt><dd>${u.fileName} <small>(${u.bytes.toLocaleString('en-US')} B, SHA-256 <code>${u.sha256.slice(0, 12)}</code>)</small></dd>
<dt>${t.sentBy}</dt><dd>${u.userName}, ${date(u.createdAt)}</dd>
${u.reviewer ? html`<dt>${t.decidedBy}</dt><dd>${u.reviewer.name}, ${date(u.decidedAt ?? '')}${u.comment ? html`<br><q>${u.comment}</q>` : ''}</dd>` : ''}
</dl>`);
  if (m.report.length > 0) parts.push(reportTable(m.report, lang));
  if (m.changes) {
    parts.push(html`<h2 id="preview">${t.previewTitle}</h2><p>${fmt(t.previewIntro, { added: m.changes.added.length, changed: m.changes.changed.length, unchanged: m.changes.unchanged })}</p>
${changesTable(t.changed, m.changes.changed, lang, true)}${changesTable(t.added, m.changes.added, lang, false)}`);
    if (m.draftUnits.length > 0 && (u.status === 'pending' || u.status === 'approved')) {
      parts.push(html`<h3>${t.draftPages}</h3><ul>${m.draftUnits.map((d) => html`<li><a href="/publish/uploads/${u.id}/draft/${d.code}" rel="nofollow">${label(d.name, lang, d.code)}</a> <small>${d.code}</small></li>`)}</ul>`);
    }
  }
  if (u.status === 'pending' && m.ownUpload) parts.push(html`<p class="note">${t.ownUpload}</p>`);
  if (m.canReview) {
    parts.push(html`<h2>${t.reviewTitle}</h2><form method="post" action="/publish/uploads/${u.id}/review?lang=${lang}">${csrfInput(csrf)}
<p><label for="r-comment">${t.comment}</label><br><textarea id="r-comment" name="comment" rows="3" maxlength="2000"></textarea></p>
<p><button type="submit" name="decision" value="approve">${t.approve}</button> <button type="submit" name="decision" value="reject">${t.reject}</button></p></form>`);
  }
  return html`${parts}`;
}

/** The banner above a draft page: the unit page as it would look with the upload's figures. */
export function draftBanner(uploadId: number, lang: Lang): SafeHtml {
  return html`<p role="alert" class="draft">${fmt(s(lang).draftBanner, { n: uploadId })} <a href="/publish/uploads/${uploadId}">${s(lang).back}</a></p>`;
}

export function auditBody(entries: AuditEntry[], lang: Lang, more: number | null): SafeHtml {
  const t = s(lang);
  return html`<h1>${t.auditTitle}</h1><div class="tw"><table><thead><tr><th>${t.when}</th><th>${t.by}</th><th>${t.auditAction}</th><th>${t.auditTarget}</th><th>${t.auditFrom}</th><th>${t.auditDetail}</th></tr></thead><tbody>${entries.map(
    (e) => html`<tr><td>${e.at.replace('T', ' ').slice(0, 19)}</td><td>${e.userName}</td><td><code>${e.action}</code></td><td>${e.target}</td><td>${e.from}</td><td><small>${JSON.stringify(e.detail).slice(0, 300)}</small></td></tr>`,
  )}</tbody></table></div>${more !== null ? html`<p><a href="/publish/audit?before=${more}">${t.older}</a></p>` : ''}`;
}

/**
 * A refusal as a page. The workflow's own codes have their sentence here; any other code (a file
 * over MAX_FILE_BYTES sent through the form, an internal error) is explained with the report's
 * text for it, what went wrong and what to do, rather than as an incomplete form.
 */
/** A refusal: what went wrong and what to do, from the one table of explanations (report-strings.ts). */
export function errorBody(code: string, lang: Lang): SafeHtml {
  const t = s(lang);
  const known = CODE_TEXT[code as ErrorCode] ?? UNKNOWN_CODE_TEXT;
  return html`<h1>${t.errorTitle}</h1><p>${known.explain[lang]}</p><p>${known.todo[lang]}</p><p><small><code>${code}</code></small></p><p><a href="/publish/">${t.back}</a></p>`;
}
