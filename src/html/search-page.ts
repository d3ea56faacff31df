import { html, safeHref } from './escape.js';
import { fmt, formatNumber, t } from './i18n.js';
import { renderLayout, searchForm } from './layout.js';
import type { PageContext, SearchHit, SearchModel } from './models.js';
import { Names } from './names.js';

function kindText(kind: string, s: ReturnType<typeof t>): string {
  const key = `kind_${kind}` as keyof typeof s;
  return key in s ? s[key] : kind;
}

function hitItem(h: SearchHit, names: Names, s: ReturnType<typeof t>) {
  const within = h.within.map((w, i) => html`${i > 0 ? ', ' : ''}${names.label(w)}`);
  return html`<li><a href="${safeHref(h.docPath) ?? '#'}">${names.label(h.labels, h.code ?? h.iri)}</a> <span class="meta">${kindText(h.kind, s)}${h.code ? html` · <code>${h.code}</code>` : ''}${h.within.length > 0 ? html` · ${s.within} ${within}` : ''}</span></li>\n`;
}

/**
 * The search page: the form with the query prefilled, the hits (name, kind, code and the units
 * they lie within), a "nothing found" text, and a note that Tajik letters typed as their Russian
 * look-alikes are found too.
 */
export function renderSearchPage(model: SearchModel, ctx: PageContext): string {
  const s = t(ctx.lang);
  const names = new Names(ctx.lang);
  const q = model.q.trim();
  const results =
    q === ''
      ? html``
      : html`<p role="status">${fmt(s.resultsFor, { q, n: formatNumber(model.hits.length, ctx.lang) + (model.truncated ? '+' : '') })}</p>
${model.hits.length === 0 ? html`<p>${s.noResults}</p>` : html`<ol>\n${model.hits.map((h) => hitItem(h, names, s))}</ol>`}
${model.truncated ? html`<p class="note">${s.truncated}</p>` : ''}`;
  const body = html`<h1>${s.search}</h1>
${searchForm(ctx.lang, 'q', model.q)}
${results}
<p class="note">${s.searchHelp}</p>
<p class="note">${s.lookalike}</p>
${names.legend() ?? ''}`;
  return renderLayout(ctx, { title: q ? `${s.search}: ${q}` : s.search, body, keep: q ? { q } : {} });
}
