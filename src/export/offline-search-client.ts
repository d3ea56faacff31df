/**
 * The script of the offline copy's search page (search.{lang}.html), bundled into search.js at
 * export time. No inline script (the pages' Content-Security-Policy has script-src 'self'): the
 * index comes from search-index.js (a script, because browsers refuse fetch() of file:// URLs),
 * the page's texts from a JSON data block. Results are built with DOM nodes and textContent only:
 * a name is never parsed as HTML.
 */
import type { Labels, Lang } from '../html/models.js';
import { prepare, searchOffline } from './offline-search.js';
import type { OfflineIndex } from './search-data.js';

interface PageTexts {
  lang: Lang;
  resultsFor: string;
  noResults: string;
  truncated: string;
  within: string;
  kinds: Record<string, string>;
}

declare global {
  interface Window {
    LG_OFFLINE_SEARCH?: OfflineIndex;
  }
}

const FALLBACK: Record<Lang, Lang[]> = { tg: ['tg', 'ru', 'en'], ru: ['ru', 'tg', 'en'], en: ['en', 'tg', 'ru'] };

/** The name in the page's language, or the next one marked with its language (as the pages mark it). */
function label(labels: Labels, lang: Lang, orElse: string): string {
  for (const l of FALLBACK[lang]) {
    const text = labels[l];
    if (text !== undefined) return l === lang ? text : `${text} [${l.toUpperCase()}]`;
  }
  return orElse;
}

function el(tag: string, text?: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function run(): void {
  const out = document.getElementById('offline-results');
  const data = document.getElementById('offline-texts');
  const index = window.LG_OFFLINE_SEARCH;
  if (!out || !data || !index) return;
  const texts = JSON.parse(data.textContent ?? '{}') as PageTexts;
  document.getElementById('offline-noscript')?.remove();
  const q = (new URLSearchParams(window.location.search).get('q') ?? '').slice(0, 200);
  const input = document.getElementById('q') as HTMLInputElement | null;
  if (input) input.value = q;
  if (q.trim() === '') return;
  const { hits, truncated } = searchOffline(prepare(index), q);
  const status = el('p', texts.resultsFor.replace('{q}', q).replace('{n}', `${hits.length}${truncated ? '+' : ''}`));
  status.setAttribute('role', 'status');
  out.append(status);
  if (hits.length === 0) {
    out.append(el('p', texts.noResults));
    return;
  }
  const list = el('ol');
  for (const h of hits) {
    const li = el('li');
    const a = el('a', label(h.n, texts.lang, h.c ?? h.p)) as HTMLAnchorElement;
    a.href = `${h.p}.${texts.lang}.html`;
    const within = (h.w ?? []).map((w) => label(w, texts.lang, '')).filter((s) => s !== '');
    const meta = [texts.kinds[h.k] ?? h.k, ...(h.c ? [h.c] : []), ...(within.length > 0 ? [`${texts.within} ${within.join(', ')}`] : [])].join(' · ');
    li.append(a, ' ', el('span', meta, 'meta'));
    list.append(li);
  }
  out.append(list);
  if (truncated) out.append(el('p', texts.truncated, 'note'));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
