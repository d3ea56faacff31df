import { inlineStyle } from '../html/csp.js';
import { type SafeHtml, html } from '../html/escape.js';
import { renderLayout } from '../html/layout.js';
import type { PageContext } from '../html/models.js';
import { RECIPES, type Recipe, khatlonQuery, recipeCode } from './recipes.js';
import { RECIPE_STRINGS } from './strings.js';
import { FRAGMENTS_PATH } from '../fragments/path.js';

/**
 * Code blocks scroll sideways in their own box: a line of code is not wrapped (it would no longer
 * read as the program), and the page stays as wide as a phone's screen (tests/phone-width.test.ts).
 */
const CSS = `pre{overflow-x:auto;background:#f6f8fa;border:1px solid #ddd;padding:.5rem .7rem;font-size:.9rem;line-height:1.4}
pre code{overflow-wrap:normal}
.tested{border-left:4px solid #0b5cad;padding-left:.7rem}`;
const STYLE = inlineStyle(CSS);

/** `text` with its `{file}` shown as code. */
function withFile(text: string, file: string): SafeHtml {
  const [before = '', after = ''] = text.split('{file}');
  return html`${before}<code>${file}</code>${after}`;
}

/** A program as the page shows it: the id names the block, the class its language (for the test and for highlighters). */
function codeBlock(id: string, language: string, code: string): SafeHtml {
  return html`<pre id="${id}"><code class="language-${language}">${code}</code></pre>`;
}

function recipeSection(page: PageContext, recipe: Recipe): SafeHtml {
  const s = RECIPE_STRINGS[page.lang];
  const r = s.recipes[recipe.id];
  const code = recipeCode(recipe.template, { site: page.base, base: page.base });
  const run = recipe.file && recipe.command
    ? html`<p>${withFile(s.saveAs, recipe.file)}</p>\n${codeBlock(`run-${recipe.id}`, 'sh', recipe.command)}`
    : '';
  const extra = recipe.id === 'spreadsheet'
    ? html`<p>${s.inBrowser} <a href="/download/units.csv">units.csv</a> · <a href="/download/education.xlsx">education.xlsx</a></p>
<p>${s.openSpreadsheet}</p>`
    : '';
  return html`<section id="recipe-${recipe.id}" aria-labelledby="h-${recipe.id}">
<h2 id="h-${recipe.id}">${r.title}</h2>
<p>${r.intro}</p>
${recipe.file ? '' : html`<p>${s.typeThese}</p>\n`}${codeBlock(`code-${recipe.id}`, recipe.language, code)}
${run}
<h3>${s.expectHeading}</h3>
<p>${r.expect}</p>
${extra}
</section>
`;
}

/**
 * "Use this data" (issue #10, data literacy): the recipes of src/recipes/recipes.ts, each a
 * complete program with this server's address (BASE_URI) in it, explained in the page's
 * language; a link that runs the R recipe's query in the SPARQL editor; the licence and the
 * sample-data warning. Everything it shows as code is run by tests/recipes.test.ts.
 */
export function renderUseDataPage(page: PageContext): string {
  const s = RECIPE_STRINGS[page.lang];
  const body = html`<h1>${s.title}</h1>
<p>${s.intro}</p>
<p class="tested">${s.tested}</p>
<p>${s.licence}</p>
<p class="sample">${s.sample}</p>
<nav aria-labelledby="contents"><h2 id="contents">${s.contents}</h2>
<ul>
${RECIPES.map((r) => html`<li><a href="#recipe-${r.id}">${s.recipes[r.id].title}</a></li>\n`)}<li><a href="#editor">${s.editorTitle}</a></li>
</ul></nav>
${RECIPES.map((r) => recipeSection(page, r))}<section id="editor" aria-labelledby="h-editor">
<h2 id="h-editor">${s.editorTitle}</h2>
<p>${s.editorText}</p>
<p><a id="editor-link" href="/sparql?query=${encodeURIComponent(khatlonQuery(page.base))}">${s.editorLink}</a></p>
</section>
<section aria-labelledby="h-more"><h2 id="h-more">${s.more}</h2>
<p>${s.moreText}</p>
<ul><li><a href="/sparql#examples">${s.sparqlLink}</a></li><li><a href="/catalog">${s.catalogLink}</a></li><li><a href="/context.jsonld">${s.contextLink}</a></li><li><a href="${FRAGMENTS_PATH}">${s.fragmentsLink}</a></li></ul>
</section>`;
  return renderLayout(page, { title: s.title, body, head: STYLE });
}
