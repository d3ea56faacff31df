import { type SafeHtml, html, trustedHtml } from '../html/escape.js';
import { fmt } from '../html/i18n.js';
import { renderLayout } from '../html/layout.js';
import type { PageContext } from '../html/models.js';
import { EXAMPLES, exampleQuery, prefixLines, sparqlPrefixes } from './examples.js';
import { SPARQL_STRINGS } from './page-strings.js';

/**
 * The pages a browser gets from /sparql: the query editor (YASGUI, from our own origin), and the
 * answer to a query submitted without JavaScript, as a table. Both work without JavaScript: the
 * editor page is a plain form that the script replaces with YASGUI (progressive enhancement), and
 * every example is a link that runs it.
 */

/** Where the editor's files are served (src/sparql/assets.ts). */
export const ASSETS_PATH = '/sparql/assets/';

export interface EditorPageInput {
  timeoutMs: number;
  maxResults: number;
}

export function renderEditorPage(page: PageContext, input: EditorPageInput): string {
  const s = SPARQL_STRINGS[page.lang];
  const endpoint = `${page.base}sparql`;
  const prefixes = prefixLines(page.base, Object.keys(sparqlPrefixes(page.base)) as (keyof ReturnType<typeof sparqlPrefixes>)[]);
  const defaultQuery = `${prefixes}\n\nSELECT ?region ?name WHERE {\n  ?region a lg:Region ;\n          skos:prefLabel ?name .\n  FILTER(LANG(?name) = "en")\n}\nORDER BY ?name\n`;
  // Read by editor.js; `<` escaped so that no text in it can close the script element.
  const config = JSON.stringify({
    // Relative: the editor queries the origin that served it (BASE_URI may be a proxy's address).
    endpoint: '/sparql',
    assets: ASSETS_PATH,
    prefixes: `${ASSETS_PATH}prefixes.json`,
    defaultQuery,
    examples: Object.fromEntries(EXAMPLES.map((e) => [e.id, exampleQuery(e, page.base)])),
  }).replace(/</g, '\\u003c');
  const head = html`<script src="${ASSETS_PATH}yasgui.min.js" defer></script>
<script src="${ASSETS_PATH}editor.js" defer></script>
<script type="application/json" id="sparql-config">${trustedHtml(config)}</script>
`;
  const body = html`<h1>${s.title}</h1>
<p>${s.intro}</p>
<p>${s.endpoint}: <code>${endpoint}</code>. ${fmt(s.limits, { s: input.timeoutMs / 1000, n: input.maxResults })}</p>
<noscript><p class="note">${s.noscript}</p></noscript>
<div id="yasgui" hidden></div>
${queryForm(s.query, s.run, defaultQuery)}
<h2 id="examples">${s.examples}</h2>
<ul>${EXAMPLES.map((e) => {
    const q = exampleQuery(e, page.base);
    return html`<li id="example-${e.id}"><details><summary>${e.title[page.lang]}</summary><pre><code>${q}</code></pre><p><a href="/sparql?query=${encodeURIComponent(q)}">${s.runExample}</a> <button type="button" data-example="${e.id}" hidden>${s.openInEditor}</button></p></details></li>`;
  })}</ul>
<h2>${s.forPrograms}</h2>
<p>${s.programs}</p>`;
  return renderLayout(page, { title: s.title, body, head });
}

function queryForm(label: string, button: string, query: string): SafeHtml {
  return html`<form id="sparql-form" method="get" action="/sparql"><p><label for="sparql-query">${label}</label></p>
<textarea id="sparql-query" name="query" rows="16" cols="100" spellcheck="false">${query}</textarea>
<p><button type="submit">${button}</button></p></form>`;
}

/** One RDF term of a SPARQL JSON answer (Query Results JSON Format §3.2.2). */
export interface JsonTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: unknown;
  'xml:lang'?: string;
  datatype?: string;
}

export type HtmlAnswer =
  | { kind: 'table'; vars: string[]; rows: Record<string, JsonTerm | undefined>[] }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'graph'; turtle: string };

export interface ResultsPageInput {
  query: string;
  answer: HtmlAnswer;
  /** Set when the answer was cut to this many rows. */
  truncatedAt?: number;
  /** Set when the answer was cut to fit in this many bytes (MAX_RESULT_BYTES); said instead. */
  byteLimit?: number;
}

/** A byte count as people read it: "10 MB", "64 KB" (binary units, as the limit is set). */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${bytes} B`;
}

export function renderResultsPage(page: PageContext, input: ResultsPageInput): string {
  const s = SPARQL_STRINGS[page.lang];
  const { answer } = input;
  const shown = compactor(page.base);
  let result: SafeHtml;
  if (answer.kind === 'boolean') {
    result = html`<p><strong>${answer.value ? s.askTrue : s.askFalse}</strong></p>`;
  } else if (answer.kind === 'graph') {
    result = html`<p>${s.graphAnswer}</p><pre><code>${answer.turtle}</code></pre>`;
  } else if (answer.rows.length === 0) {
    result = html`<p>${s.noRows}</p>`;
  } else {
    result = html`<p>${fmt(s.rows, { n: answer.rows.length })}</p>
<div class="tw"><table><thead><tr>${answer.vars.map((v) => html`<th scope="col">?${v}</th>`)}</tr></thead>
<tbody>${answer.rows.map((row) => html`<tr>${answer.vars.map((v) => html`<td>${cell(row[v], page.base, shown)}</td>`)}</tr>\n`)}</tbody></table></div>`;
  }
  const body = html`<h1>${s.results}</h1>
${input.byteLimit !== undefined ? html`<p class="sample">${fmt(s.truncatedBytes, { size: sizeText(input.byteLimit) })}</p>` : input.truncatedAt !== undefined ? html`<p class="sample">${fmt(s.truncated, { n: input.truncatedAt })}</p>` : ''}
${result}
<h2>${s.editQuery}</h2>
${queryForm(s.query, s.run, input.query)}`;
  return renderLayout(page, { title: s.results, body });
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
