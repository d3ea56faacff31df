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
 * every example is a link that runs it. Everything a reader sees is in the page's language: the
 * interface text (page-strings.ts), the examples' titles and the `#` comments inside their queries
 * (examples.ts); the queries themselves are the same in every language.
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
  // The regions' names in the page's language (every region has all three).
  const defaultQuery = `${prefixes}\n\nSELECT ?region ?name WHERE {\n  ?region a lg:Region ;\n          skos:prefLabel ?name .\n  FILTER(LANG(?name) = "${page.lang}")\n}\nORDER BY ?name\n`;
  // Read by editor.js; `<` escaped so that no text in it can close the script element.
  const config = JSON.stringify({
    // Relative: the editor queries the origin that served it (BASE_URI may be a proxy's address).
    endpoint: '/sparql',
    assets: ASSETS_PATH,
    prefixes: `${ASSETS_PATH}prefixes.json`,
    defaultQuery,
    examples: Object.fromEntries(EXAMPLES.map((e) => [e.id, exampleQuery(e, page.base, page.lang)])),
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
    const q = exampleQuery(e, page.base, page.lang);
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

export interface ResultsPageInput {
  query: string;
  /** Set when the answer was cut to this many rows. */
  truncatedAt?: number;
  /** Set when the answer was cut to fit in this many bytes (MAX_RESULT_BYTES); said instead. */
  byteLimit?: number;
}

/** Where the results go: its first occurrence is ours, since the query the page repeats comes after it. */
const RESULTS_SLOT = '\u0000results\u0000';

/** A byte count as people read it: "10 MB", "64 KB" (binary units, as the limit is set). */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${bytes} B`;
}

/**
 * The results page around its results part, which the store's worker renders within the room
 * this page leaves (results-html.ts): the text before that part and after it. The notice of a cut
 * is in `before`; a page rendered with `byteLimit` set is the longest, so its size bounds the room.
 */
export function renderResultsPage(page: PageContext, input: ResultsPageInput): { before: string; after: string } {
  const s = SPARQL_STRINGS[page.lang];
  const body = html`<h1>${s.results}</h1>
${input.byteLimit !== undefined ? html`<p class="sample">${fmt(s.truncatedBytes, { size: sizeText(input.byteLimit) })}</p>` : input.truncatedAt !== undefined ? html`<p class="sample">${fmt(s.truncated, { n: input.truncatedAt })}</p>` : ''}
${trustedHtml(RESULTS_SLOT)}
<h2>${s.editQuery}</h2>
${queryForm(s.query, s.run, input.query)}`;
  const whole = renderLayout(page, { title: s.results, body });
  const at = whole.indexOf(RESULTS_SLOT);
  return { before: whole.slice(0, at), after: whole.slice(at + RESULTS_SLOT.length) };
}
