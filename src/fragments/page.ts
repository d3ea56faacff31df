import type { Literal, NamedNode, Quad } from '@rdfjs/types';
import { inlineStyle } from '../html/csp.js';
import { type SafeHtml, html } from '../html/escape.js';
import { fmt, formatNumber } from '../html/i18n.js';
import { renderLayout } from '../html/layout.js';
import type { PageContext } from '../html/models.js';
import { prefixes } from '../serialize/context.js';
import { canonicalOrder } from '../serialize/serialize.js';
import { type FragmentPage, lastPage } from './controls.js';
import { type TriplePattern, explicitForm } from './pattern.js';
import { PAGE_SIZE } from './read-fragment.js';
import { FRAGMENT_STRINGS } from './strings.js';
import { FRAGMENTS_PATH } from './path.js';

const SPEC = 'https://linkeddatafragments.org/specification/triple-pattern-fragments/';

/**
 * The form's fields stack on a phone and sit in a row on a wide screen; the triples' table scrolls
 * in its own box (.tw) if a term will not break, so the page stays 360 px wide.
 */
const CSS = `.tpf label{display:block;font-weight:600;margin-top:.4rem}
.tpf input{width:100%;max-width:40rem;box-sizing:border-box;font-family:monospace}
.tpf button{margin-top:.6rem}
.pager{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
.tpf-t td{font-family:monospace;font-size:.9rem;overflow-wrap:anywhere}`;
const STYLE = inlineStyle(CSS);

export interface FragmentView extends FragmentPage {
  triples: Quad[];
  /** Whether any dataset in the store is marked lg:sampleData true. */
  hasSampleData: boolean;
}

/** The query string that selects this pattern (and page) on our own page, in the page's language. */
function selfQuery(p: TriplePattern, extra: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const k of ['subject', 'predicate', 'object'] as const) {
    const t = p[k];
    if (t) params.set(k, explicitForm(t));
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return `${FRAGMENTS_PATH}?${params.toString()}`;
}

/** An IRI with one of our prefixes where one fits (`skos:prefLabel`), else whole. */
function shortIri(iri: string, table: [string, string][]): string {
  for (const [prefix, ns] of table) {
    const local = iri.slice(ns.length);
    if (iri.startsWith(ns) && /^[A-Za-z0-9_-]*$/.test(local)) return `${prefix}:${local}`;
  }
  return iri;
}

export function renderFragmentPage(page: PageContext, view: FragmentView): string {
  const s = FRAGMENT_STRINGS[page.lang];
  // Longest namespace first, so `lg:` wins over a shorter one that also fits.
  const table = Object.entries(prefixes(page.base)).sort((a, b) => b[1].length - a[1].length);
  const p = view.pattern;
  const value = (t: NamedNode | Literal | undefined) => (t ? (t.termType === 'NamedNode' ? shortIri(t.value, table) : explicitForm(t)) : '');
  const link = (position: 'subject' | 'predicate' | 'object', t: Quad['subject'] | Quad['predicate'] | Quad['object']): SafeHtml => {
    if (t.termType !== 'NamedNode' && t.termType !== 'Literal') return html`${t.value}`;
    const text = t.termType === 'NamedNode' ? shortIri(t.value, table) : explicitForm(t);
    return html`<a href="${selfQuery({ [position]: t }, { lang: page.lang })}">${text}</a>`;
  };
  const pages = lastPage(view.total);
  const go = (n: number) => selfQuery(p, { page: String(n), lang: page.lang });
  const pager = html`<p class="pager">${view.page > 1 ? html`<a href="${go(1)}" rel="first">${s.first}</a><a href="${go(Math.min(view.page - 1, pages))}" rel="prev">${s.previous}</a>` : ''}${view.page < pages ? html`<a href="${go(view.page + 1)}" rel="next">${s.next}</a>` : ''}</p>`;
  const rows = canonicalOrder(view.triples, false).map((q) => html`<tr><td>${link('subject', q.subject)}</td><td>${link('predicate', q.predicate)}</td><td>${link('object', q.object)}</td></tr>\n`);
  const body = html`<h1>${s.title}</h1>
<p>${fmt(s.intro, { size: PAGE_SIZE })} <a href="${SPEC}" hreflang="en">${s.spec}</a></p>
<p class="note"><code>${fmt(s.useWith, { url: `${page.base}fragments` })}</code></p>
${view.hasSampleData ? html`<p class="sample">${s.sample}</p>\n` : ''}<form class="tpf" action="${FRAGMENTS_PATH}" method="get" aria-labelledby="tpf-h">
<h2 id="tpf-h">${s.formHeading}</h2>
<input type="hidden" name="lang" value="${page.lang}">
<label for="tpf-s">${s.subject}</label><input id="tpf-s" name="subject" value="${value(p.subject)}" placeholder="?s">
<label for="tpf-p">${s.predicate}</label><input id="tpf-p" name="predicate" value="${value(p.predicate)}" placeholder="?p">
<label for="tpf-o">${s.object}</label><input id="tpf-o" name="object" value="${value(p.object)}" placeholder="?o">
<p class="note">${s.hint}</p>
<button type="submit">${s.submit}</button>
</form>
<h2>${fmt(s.count, { n: formatNumber(view.total, page.lang) })}</h2>
${view.total === 0 ? html`<p>${s.none}</p>` : html`<p>${fmt(s.pageOf, { page: formatNumber(view.page, page.lang), pages: formatNumber(pages, page.lang) })}</p>
${pager}
<div class="tw"><table class="tpf-t">
<caption>${s.caption}</caption>
<thead><tr><th scope="col">${s.subject}</th><th scope="col">${s.predicate}</th><th scope="col">${s.object}</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>
${pager}`}`;
  const keep: Record<string, string> = {};
  for (const k of ['subject', 'predicate', 'object'] as const) {
    const t = p[k];
    if (t) keep[k] = explicitForm(t);
  }
  if (view.page > 1) keep.page = String(view.page);
  return renderLayout(page, { title: s.title, body, head: STYLE, keep });
}
