import type { Lang } from '../html/models.js';
import { isLang } from '../html/i18n.js';
import { pageFile, plainFile, relativeHref } from './file-layout.js';

/** What the export holds: the pages (one file per language) and the files, by their site path. */
export interface ExportedSite {
  /** The site's base (BASE_URI): absolute links to it are links inside the export too. */
  base: string;
  pages: ReadonlySet<string>;
  files: ReadonlySet<string>;
  /** The client-side search page, by language (search.{lang}.html). */
  searchFile: (lang: Lang) => string;
}

/** Decodes what our escaping writes into an attribute value (src/html/escape.ts), and nothing else. */
function unescapeAttr(v: string): string {
  return v.replace(/&(amp|quot|#39|lt|gt);/g, (_m, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e] ?? '');
}

function escapeAttr(v: string): string {
  return v.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}

/**
 * Where one link of the page in the file `from` (language `lang`; ROOT_RELATIVE for a page served
 * at any depth) goes in the export: the file
 * of an exported page (in the language the link names with `?lang=`, else the page's own), of an
 * exported file, the document of a thing for its `/id/` IRI, the offline search page for
 * `/search` (its `?q=` kept: the script there reads it); anything else of the site (the SPARQL
 * endpoint, fragments, the CKAN API, the officials' area) cannot work from files and goes to the
 * online address. `undefined`: not a link to this site, left as it is.
 */
export function exportedHref(href: string, from: string, lang: Lang, site: ExportedSite): string | undefined {
  const to = exportedTarget(href, lang, site);
  if (to === undefined) return undefined;
  if (to.online) return to.href;
  // A page served at any depth (nginx's 404 page) links from the root; every other page relatively, for file://.
  return (from === ROOT_RELATIVE ? `/${encodeURI(to.file)}` : relativeHref(from, to.file)) + to.rest;
}

/** Pass as `from` for links from the server's root (`/doc/...`) instead of relative ones. */
export const ROOT_RELATIVE = '';

/** Where a link goes: a file of the copy (and what follows it: ?q=, #fragment), or an online address. */
function exportedTarget(href: string, lang: Lang, site: ExportedSite): { online: false; file: string; rest: string } | { online: true; href: string } | undefined {
  let local: string;
  if (href.startsWith(site.base)) local = `/${href.slice(site.base.length)}`;
  else if (href.startsWith('/') && !href.startsWith('//')) local = href;
  else return undefined;
  const hashAt = local.indexOf('#');
  const hash = hashAt >= 0 ? local.slice(hashAt) : '';
  const rest = hashAt >= 0 ? local.slice(0, hashAt) : local;
  const queryAt = rest.indexOf('?');
  const path = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  const query = new URLSearchParams(queryAt >= 0 ? rest.slice(queryAt + 1) : '');
  const asked = query.get('lang') ?? undefined;
  const pageLang = isLang(asked) ? asked : lang;
  const page = (p: string) => ({ online: false as const, file: pageFile(p, pageLang), rest: hash });
  if (site.pages.has(path)) return page(path);
  if (path.endsWith('.html') && site.pages.has(path.slice(0, -5))) return page(path.slice(0, -5));
  if (site.files.has(path)) return { online: false, file: plainFile(path), rest: hash };
  if (path.startsWith('/id/') && site.pages.has(`/doc/${path.slice(4)}`)) return page(`/doc/${path.slice(4)}`);
  if (path === '/search') {
    const q = query.get('q');
    return { online: false, file: site.searchFile(pageLang), rest: (q ? `?q=${encodeURIComponent(q)}` : '') + hash };
  }
  return { online: true, href: site.base + local.slice(1) };
}

/**
 * Every link of a page (href, src, action) made to work in the export (exportedHref). Runs on our
 * own escaped output, where an attribute value is always in double quotes and holds none.
 */
export function rewriteLinks(page: string, from: string, lang: Lang, site: ExportedSite): string {
  return page.replace(/ (href|src|action)="([^"]*)"/g, (all, attr: string, value: string) => {
    const to = exportedHref(unescapeAttr(value), from, lang, site);
    return to === undefined ? all : ` ${attr}="${escapeAttr(to)}"`;
  });
}
