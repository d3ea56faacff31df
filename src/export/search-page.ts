import { escapeHtml } from '../html/escape.js';
import { t } from '../html/i18n.js';
import type { Lang } from '../html/models.js';
import { EXPORT_STRINGS } from './strings.js';

/** The file of the offline search page in one language, at the export's root. */
export function searchFile(lang: Lang): string {
  return `search.${lang}.html`;
}

/** The script files of the offline search, at the export's root (site paths). */
export const SEARCH_SCRIPTS = { index: '/search-index.js', data: '/search-index.json', code: '/search.js' } as const;

/** A JSON text safe inside a `<script type="application/json">` element (no `</script>`, no `<!--`). */
function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The site's own search page (`/search?lang=`, no query; its links already rewritten) turned into the offline one: the same
 * form and layout, with the scripts (files of the export, script-src 'self'), the page's texts as
 * a JSON data block, a place for the results, and what to do without JavaScript.
 */
export function offlineSearchPage(page: string, lang: Lang, online: string): string {
  const s = EXPORT_STRINGS[lang];
  const site = t(lang);
  const kinds = Object.fromEntries(Object.entries(site).filter(([k]) => k.startsWith('kind_')).map(([k, v]) => [k.slice(5), v]));
  const texts = { lang, resultsFor: s.resultsFor, noResults: s.noResults, truncated: site.truncated, within: s.within, kinds };
  // The page is at the export's root, beside the scripts. Added after the links are rewritten
  // (rewrite-links.ts), as the link to the online search is: both stay as written here.
  const scripts = `<script src="${SEARCH_SCRIPTS.index.slice(1)}" defer></script>\n<script src="${SEARCH_SCRIPTS.code.slice(1)}" defer></script>\n`;
  const added = `\n<div id="offline-results"></div>
<p class="note" id="offline-noscript">${escapeHtml(s.needsScript).replace('{online}', `<a href="${escapeHtml(online)}search">${escapeHtml(online)}search</a>`)}</p>
<p class="note">${escapeHtml(s.searchIntro)}</p>
<script type="application/json" id="offline-texts">${jsonInScript(texts)}</script>`;
  const main = page.indexOf('<main id="main">');
  const formEnd = page.indexOf('</form>', main);
  if (main < 0 || formEnd < 0) throw new Error('the search page has no form in its main part: the offline search cannot be made from it');
  const at = formEnd + '</form>'.length;
  return (page.slice(0, at) + added + page.slice(at)).replace('</head>', `${scripts}</head>`);
}
