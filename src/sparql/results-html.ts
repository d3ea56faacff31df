import { type SafeHtml, escapeHtml, html } from '../html/escape.js';
import { fmt } from '../html/i18n.js';
import type { Lang } from '../html/models.js';
import { sparqlPrefixes } from './examples.js';
import { SPARQL_STRINGS } from './page-strings.js';

/**
 * The results part of the page a browser gets for a query (pages.ts holds the page around it):
 * a table, the ASK answer, or the graph as Turtle. Rendered in the store's worker thread
 * (shape-answer.ts), within the bytes the page around it leaves of MAX_RESULT_BYTES, so a large
 * answer is neither rendered on the server's thread nor sent beyond the cap.
 */

/** One RDF term of a SPARQL JSON answer (Query Results JSON Format §3.2.2). */
export interface JsonTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: unknown;
  'xml:lang'?: string;
  datatype?: string;
}

/** A SPARQL JSON answer as parsed: rows, or a boolean. */
export interface JsonAnswer {
  boolean?: boolean;
  head: { vars?: string[] };
  results?: { bindings: Record<string, JsonTerm | undefined>[] };
}

export interface RenderOptions {
  lang: Lang;
  /** BASE_URI: our own IRIs become links to their pages on this server. */
  base: string;
  /** The most bytes (UTF-8) the fragment may take; rows that do not fit are left out. */
  room: number;
  /** Applied to each piece before it is measured (the page's language kept in its links). */
  finish(fragment: string): string;
}

export interface RenderedAnswer {
  html: string;
  /** Rows in the table. */
  rows: number;
  /** True when rows were left out for room. */
  cut: boolean;
}

/** A table of whole rows, as many as fit in `room`, or the ASK answer. */
export function renderAnswerHtml(answer: JsonAnswer, o: RenderOptions): RenderedAnswer {
  const s = SPARQL_STRINGS[o.lang];
  if (typeof answer.boolean === 'boolean') return { html: o.finish(html`<p><strong>${answer.boolean ? s.askTrue : s.askFalse}</strong></p>`.html), rows: 0, cut: false };
  const vars = answer.head.vars ?? [];
  const rows = answer.results?.bindings ?? [];
  if (rows.length === 0) return { html: o.finish(html`<p>${s.noRows}</p>`.html), rows: 0, cut: false };
  const shown = compactor(o.base);
  const head = (n: number) => o.finish(html`<p>${fmt(s.rows, { n })}</p>
<div class="tw"><table><thead><tr>${vars.map((v) => html`<th scope="col">?${v}</th>`)}</tr></thead>
<tbody>`.html);
  const tail = '</tbody></table></div>';
  // The count in the heading is written once the rows are known; its room is that of the largest.
  let used = Buffer.byteLength(head(rows.length)) + tail.length;
  const parts: string[] = [];
  for (const row of rows) {
    const line = o.finish(html`<tr>${vars.map((v) => html`<td>${cell(row[v], o.base, shown)}</td>`)}</tr>\n`.html);
    used += Buffer.byteLength(line);
    if (used > o.room) break;
    parts.push(line);
  }
  const cut = parts.length < rows.length;
  return { html: head(parts.length) + parts.join('') + tail, rows: parts.length, cut };
}

/** The graph answer: the Turtle, escaped, under its heading. */
export function graphHtml(turtle: string, lang: Lang): string {
  return `<p>${escapeHtml(SPARQL_STRINGS[lang].graphAnswer)}</p><pre><code>${escapeHtml(turtle)}</code></pre>`;
}

/** IRIs shown with our prefixes where one fits (`lg:Jamoat`), else in full. */
function compactor(base: string): (iri: string) => string {
  const prefixes = Object.entries(sparqlPrefixes(base)).sort(([, a], [, b]) => b.length - a.length);
  return (iri) => {
    for (const [name, ns] of prefixes) {
      const local = iri.slice(ns.length);
      if (iri.startsWith(ns) && /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(local) && !local.endsWith('.')) return `${name}:${local}`;
    }
    return iri;
  };
}

function cell(term: JsonTerm | undefined, base: string, shown: (iri: string) => string): SafeHtml | string {
  if (!term) return '';
  const value = String(term.value);
  if (term.type === 'uri') {
    // Our own IRIs resolve on this server: link them root-relative, so the page works on any host.
    const href = value.startsWith(base) ? `/${value.slice(base.length)}` : /^https?:\/\//.test(value) ? value : undefined;
    return href ? html`<a href="${href}">${shown(value)}</a>` : shown(value);
  }
  if (term.type === 'bnode') return `_:${value}`;
  if (term.type === 'triple') return JSON.stringify(term.value);
  if (term['xml:lang']) return html`${value} <small>@${term['xml:lang']}</small>`;
  const numeric = term.datatype !== undefined && /#(integer|decimal|double|float|int|long|nonNegativeInteger)$/.test(term.datatype);
  if (numeric) return html`<span class="n">${value}</span>`;
  return term.datatype && !term.datatype.endsWith('#string') ? html`${value} <small>^^${shown(term.datatype)}</small>` : value;
}
