import { html, safeHref } from './escape.js';
import { t } from './i18n.js';
import { renderLayout, searchForm } from './layout.js';
import type { ErrorPageModel, PageContext } from './models.js';
import { Names } from './names.js';

/**
 * Error pages that help: 404 offers the search, the nearest existing units up the hierarchy and
 * the home page; 406 lists the media types that are available; 410 links the successor if any.
 */
export function renderErrorPage(model: ErrorPageModel, ctx: PageContext): string {
  const s = t(ctx.lang);
  const names = new Names(ctx.lang);
  const heading = { 404: s.e404, 406: s.e406, 410: s.e410, 500: s.e500 }[model.status] ?? s.e500;
  const text = { 404: s.e404text, 406: s.e406text, 410: s.e410text, 500: s.e500text }[model.status] ?? s.e500text;
  const successor = model.successor ? safeHref(model.successor) : undefined;
  const up = model.upHierarchy ?? [];
  const retired = model.retired;
  const body = html`<h1>${heading} <small>(${model.status})</small></h1>
${retired ? html`<p><strong>${names.label(retired.labels, retired.code)}</strong> (<code>${retired.code}</code>). ${s.retiredText}</p>
<dl><dt>${s.retiredOn}</dt><dd><time datetime="${retired.on}">${retired.on}</time></dd>${retired.note ? html`<dt>${s.retiredWhy}</dt><dd>${retired.note}</dd>` : ''}</dl>
` : html`<p>${text}</p>
`}${model.status === 406 && model.alternatives ? html`<ul>${model.alternatives.map((a) => html`<li><code>${a}</code></li>`)}</ul>\n` : ''}${
    model.status === 410 && model.successor
      ? html`<p>${s.successor}: ${successor ? html`<a href="${successor}">${model.successor}</a>` : model.successor}</p>\n`
      : ''
  }${model.message && !retired ? html`<p class="note">${s.details}: <span lang="en">${model.message}</span></p>\n` : ''}${
    model.status === 404 ? searchForm(ctx.lang, 'q') : ''
  }
${up.length > 0 ? html`<h2>${s.upHierarchy}</h2><ul>${up.map((u) => html`<li><a href="${safeHref(u.docPath) ?? '#'}">${names.label(u.labels, u.docPath)}</a></li>`)}</ul>\n` : ''}<p><a href="/">${s.backHome}</a></p>
${names.legend() ?? ''}`;
  return renderLayout(ctx, { title: heading, body });
}
