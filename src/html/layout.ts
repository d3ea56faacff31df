import { inlineStyle } from './csp.js';
import { type Interpolation, type SafeHtml, html } from './escape.js';
import { ENDONYMS, t } from './i18n.js';
import { LANGS, type Lang, type PageContext } from './models.js';

/**
 * The page shell: one inline stylesheet (no external CSS, fonts, scripts or images; the one link
 * is the site icon, src/routes/favicon.ts), the alternates as <link rel="alternate">, the three
 * languages with hreflang, a header with the site name, menu, search form and language switch,
 * and a footer with the data version, the licence and the machine-readable variants. Pages stay
 * readable with CSS off, and no wider than a phone's screen (360 px): long URLs and URIs break
 * where they would overflow (break-word, which leaves a table's columns their words), a unit code
 * in a table does not; a table wider than the screen scrolls inside its box
 * (.tw), with a shadow at the edge that has more (background-attachment: local, no script).
 * A statistics table (class "cards": indicators by year) is read as cards on a phone instead: one
 * block per indicator, each figure beside its year (the cell's data-label), so no year hides
 * behind a sideways scroll. (Block display can take the table semantics from some screen readers
 * on narrow screens; the headers stay in the markup, and each figure carries its year.)
 * The other wide tables (class "sg": units by year, unit lists, coverage) keep their header row on a
 * phone and put each row's name on a line of its own above its other cells. Those share the table's
 * columns (CSS grid, each row a subgrid): by year, as many columns of at least 4.5rem as fit (four
 * at 360 px), 6.5rem where a figure is longer ("wf", stacked-table.ts); "c2", "c3": two or three
 * columns as wide as their content, the middle one of three taking what is left. So each figure
 * stands under its header with no label repeated per cell, and the pages stay as light as before.
 * "lw": the last cell (notes, a list of units) takes a line of its own too; "sr": a first <td>
 * does not (only a row header does). Without subgrid (older browsers) each row makes its own
 * columns of 4.5rem: still no sideways scroll.
 */
const CSS = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff}
header,main,footer{max-width:62rem;margin:auto;padding:.5rem 1rem}
header{border-bottom:3px solid #0b5cad}
a{color:#0b5cad}
.site{font-weight:700;font-size:1.1rem;text-decoration:none}
nav ul,.bc ol{list-style:none;margin:.3rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.bc li+li::before{content:"›";margin-right:.5rem;color:#666}
[aria-current]{font-weight:700;color:inherit}
form{margin:.4rem 0}
input{font:inherit;padding:.25rem .4rem;width:13rem;max-width:60%}
button{font:inherit;padding:.25rem .7rem}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
a.vh:focus{position:static;width:auto;height:auto;clip:auto}
h1{font-size:1.6rem;line-height:1.25;margin:.6rem 0 .2rem}
h2{font-size:1.25rem;margin:1.4rem 0 .4rem}
h3{font-size:1.05rem;margin:1rem 0 .3rem}
.tw{overflow-x:auto;background:linear-gradient(90deg,#fff 30%,#fff0) 0 0/2.5rem 100% no-repeat local,linear-gradient(90deg,#fff0,#fff 70%) 100% 0/2.5rem 100% no-repeat local,linear-gradient(90deg,#0003,#0000) 0 0/.7rem 100% no-repeat scroll,linear-gradient(270deg,#0003,#0000) 100% 0/.7rem 100% no-repeat scroll}
a,code{overflow-wrap:break-word}
td>code{white-space:nowrap}
table{border-collapse:collapse;margin:.3rem 0}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top;hyphens:auto}
thead th{border-bottom:2px solid #999}
.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.sample{display:inline-block;background:#fff3cd;color:#5c4400;border:1px solid #d9b64e;padding:0 .4rem;font-weight:700}
.fb{color:#8a4b00;font-weight:400}
.note,.meta,footer{color:#555}
dt{font-weight:600}
dd{margin:0 0 .5rem}
footer{border-top:1px solid #ddd;font-size:.9rem;margin-top:2rem}
svg{display:block}
#sparql-query{width:100%;font-family:monospace}
.draft{background:#fff3cd;border:2px solid #d9b64e;padding:.5rem;font-weight:700}
@media(min-width:48rem){dl{display:grid;grid-template-columns:15rem 1fr;gap:0 1rem}dd{margin:0 0 .3rem}}
@media(max-width:30rem){table.cards,table.cards tbody,table.cards tr,table.cards th,table.cards td{display:block}
table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.cards tr{border-bottom:2px solid #999;padding:.4rem 0}
table.cards th[scope=row],table.cards td{border:0;padding:.1rem 0;text-align:left}
table.cards td[data-label]{display:flex;justify-content:flex-end;gap:.3rem}
table.cards td[data-label]::before{content:attr(data-label);color:#555;font-weight:400;margin-right:auto}
table.cards td:empty{display:none}
table.sg{display:grid;grid-template-columns:repeat(auto-fill,minmax(4.5rem,1fr))}
table.sg.wf{grid-template-columns:repeat(auto-fill,minmax(6.5rem,1fr))}
table.sg.c2{grid-template-columns:auto auto}table.sg.c3{grid-template-columns:auto 1fr auto}
table.sg thead,table.sg tbody,table.sg tr{display:grid;grid-column:1/-1;grid-template-columns:repeat(auto-fill,minmax(4.5rem,1fr));grid-template-columns:subgrid}
table.sg tr{border-bottom:1px solid #ddd}
table.sg thead tr{border-bottom:2px solid #999}
table.sg thead th{font-size:.875rem}
table.sg th,table.sg td{border:0;padding:.1rem .25rem}
table.sg th.n,table.sg.c3 td.n{white-space:normal}table.sg code{font-size:.9em}
table.sg tr>:first-child,table.sg.lw tr>:last-child{grid-column:1/-1}
table.sg.sr tr>td:first-child{grid-column:auto}}`;
/** Allowed by its hash in the pages' Content-Security-Policy (src/html/csp.ts). */
const STYLE = inlineStyle(CSS);

export interface LayoutOptions {
  title: string;
  body: Interpolation;
  /** Extra head content, e.g. the JSON-LD script. */
  head?: SafeHtml;
  /** Query parameters to keep on the language switch links (e.g. the search query). */
  keep?: Record<string, string>;
}

const NAV: { path: string; key: 'home' | 'search' | 'coverage' | 'sparql' | 'useData' | 'catalog' | 'vocabulary' | 'releases' }[] = [
  { path: '/', key: 'home' },
  { path: '/search', key: 'search' },
  { path: '/coverage', key: 'coverage' },
  { path: '/sparql', key: 'sparql' },
  { path: '/use-data', key: 'useData' },
  { path: '/catalog', key: 'catalog' },
  { path: '/def/lg', key: 'vocabulary' },
  { path: '/releases', key: 'releases' },
];

/**
 * The request's path made safe to link to on our own site. A path that starts with two slashes,
 * or a slash and a backslash (`//evil.example/x`, `/\evil.example/x`, which browsers read as `//`),
 * is a network-path reference: echoed into an href it leads off-site (issue #14.9). Leading
 * slashes and backslashes collapse into one; a scheme and host before the path, and the query and
 * fragment, are dropped: the result is always a path of this site.
 */
export function localPath(path: string): string {
  const bare = (path.split(/[?#]/, 1)[0] ?? '')
    // The absolute form of a request target (`GET http://evil.example/x HTTP/1.1`), which Node passes on as the URL.
    .replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\\]*/, '');
  return `/${bare.replace(/^[/\\\s]+/, '')}`;
}

/** The page's own path in another language (also its hreflang alternates): built from the local path only. */
export function langHref(ctx: PageContext, lang: Lang, keep: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...keep, lang });
  return `${localPath(ctx.path)}?${params.toString()}`;
}

/**
 * The hreflang alternates of the head, absolute as search engines require (they ignore relative
 * ones), built from BASE_URI and the local path only. Without a language it is the x-default: the
 * page that chooses by Accept-Language.
 */
export function absoluteLangHref(ctx: PageContext, lang: Lang | undefined, keep: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...keep, ...(lang ? { lang } : {}) }).toString();
  return `${ctx.base}${localPath(ctx.path).slice(1)}${params ? `?${params}` : ''}`;
}

export function searchForm(lang: Lang, id: string, q = ''): SafeHtml {
  const s = t(lang);
  return html`<form action="/search" method="get" role="search"><input type="hidden" name="lang" value="${lang}"><label for="${id}" class="vh">${s.searchLabel}</label><input type="search" id="${id}" name="q" value="${q}" placeholder="${s.searchLabel}"> <button type="submit">${s.searchButton}</button></form>`;
}

export function renderLayout(ctx: PageContext, opts: LayoutOptions): string {
  const s = t(ctx.lang);
  const others = LANGS;
  const page = html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${opts.title} · ${s.siteName}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
${ctx.alternates.map((a) => html`<link rel="alternate" type="${a.type}" href="${a.href}" title="${a.name}">\n`)}${others.map(
    (l) => html`<link rel="alternate" hreflang="${l}" href="${absoluteLangHref(ctx, l, opts.keep)}">\n`,
  )}<link rel="alternate" hreflang="x-default" href="${absoluteLangHref(ctx, undefined, opts.keep)}">
<link rel="alternate" type="application/atom+xml" href="/releases.atom" title="${s.releasesFeed}">
${STYLE}
${opts.head ?? ''}</head>
<body>
<a class="vh" href="#main">${s.skip}</a>
<header>
<a class="site" href="/">${s.siteName}</a>
<nav aria-label="${s.navLabel}"><ul>${NAV.map(
    (n) => html`<li><a href="${n.path}"${ctx.path === n.path ? html` aria-current="page"` : ''}>${s[n.key]}</a></li>`,
  )}</ul></nav>
${ctx.path === '/search' ? '' : html`${searchForm(ctx.lang, 'hq')}\n`}<nav aria-label="${s.language}"><ul>${LANGS.map((l) =>
    l === ctx.lang
      ? html`<li><a href="${langHref(ctx, l, opts.keep)}" hreflang="${l}" lang="${l}" aria-current="true">${ENDONYMS[l]}</a></li>`
      : html`<li><a href="${langHref(ctx, l, opts.keep)}" hreflang="${l}" lang="${l}">${ENDONYMS[l]}</a></li>`,
  )}</ul></nav>
</header>
<main id="main">
${opts.body}
</main>
<footer>
${ctx.alternates.length > 0 ? html`<p>${s.pageAs}: ${ctx.alternates.map((a, i) => html`${i > 0 ? ' · ' : ''}<a href="${a.href}" type="${a.type}">${a.name}</a>`)}</p>\n` : ''}<p>${s.dataVersion}: <code>${ctx.dataVersion}</code> · ${s.licence}: <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> · <a href="/sparql">SPARQL</a> · <a href="/catalog">${s.catalog}</a></p>
</footer>
</body>
</html>
`;
  return page.html;
}

/**
 * An internal link: its path and query, then its fragment. In our escaped output a `#` is also part
 * of a numeric character reference (`&#39;` for the `'` that encodeURIComponent leaves in a SPARQL
 * example's link), which is not a fragment: the path takes `&#…;` whole, so `lang=` goes after the
 * query, not inside the reference (which cut the query at "figure's").
 */
const HREF = / href="(\/(?:[^"#&]|&#x?[0-9A-Fa-f]+;|&)*)(#[^"]*)?"/g;

/**
 * Internal links carry the page's language, so a reader who chose Tajik with the switch stays in
 * Tajik while browsing (the language comes from ?lang= first, design.md). Links to RDF variants,
 * files, the site icon and links that already name a language are left alone. Runs on our own escaped output, where an
 * attribute value cannot contain a double quote. Applied by the routes to every page they send.
 */
export function keepLanguage(page: string, lang: Lang): string {
  return page.replace(HREF, (all, path: string, hash: string | undefined) => {
    if (/[?&;]lang=/.test(path) || /\.(ttl|jsonld|nt|rdf|nq|trig|csv|json|xml|gz|xlsx|txt|svg|ico)$/.test(path)) return all;
    return ` href="${path}${path.includes('?') ? '&amp;' : '?'}lang=${lang}${hash ?? ''}"`;
  });
}
