/**
 * The releases as an Atom 1.0 feed (RFC 4287), so that aggregators and data portals learn of each
 * new publication: one entry per complete release, newest first.
 */
import { STRINGS, fmt } from '../html/i18n.js';
import type { Lang } from '../html/models.js';
import type { Release } from './release-store.js';
import { kindText, releaseStrings, summaryText, whoText } from './strings.js';

/** For the lead to put in a page's head (the catalog): aggregators find the feed from there. */
export const releasesFeedLink = '<link rel="alternate" type="application/atom+xml" href="/releases.atom">';

export interface ReleasesFeedModel {
  /** Complete releases, newest first. */
  releases: readonly Release[];
  /** BASE_URI, ending in "/": ids and links are absolute (RFC 4287 §4.2.7 allows relative ones, but readers differ). */
  base: string;
  lang: Lang;
  /** atom:updated of the feed when there is no release yet (RFC 4287 §4.1.1 requires one). */
  emptyUpdated: string;
}

/** The most recent entries only: a feed is polled often and a reader wants what is new. */
export const FEED_ENTRIES = 100;

/**
 * Text for XML 1.0 content and attribute values: the five markup characters as entities, and the
 * characters XML 1.0 forbids (§2.2: C0 controls but tab, LF and CR; lone surrogates; U+FFFE/FFFF)
 * dropped, since no escape can carry them and a single one makes the whole feed unreadable.
 */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** RFC 3339 date-time (RFC 4287 §3.3) from what the store recorded. */
function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

export function renderReleasesFeed(model: ReleasesFeedModel): string {
  const { base, lang } = model;
  const s = releaseStrings(lang);
  const x = xmlText;
  const self = `${base}releases.atom${lang === 'tg' ? '' : `?lang=${lang}`}`;
  const shown = model.releases.slice(0, FEED_ENTRIES);
  const newest = shown[0];
  const updated = newest ? dateTime(newest.finishedAt ?? newest.createdAt) : dateTime(model.emptyUpdated);
  const entries = shown.map((r) => {
    const page = `${base}releases/${r.n}`;
    const when = dateTime(r.finishedAt ?? r.createdAt);
    const summary = fmt(s.feedEntry, { kind: kindText(r, lang), who: whoText(r, lang), summary: summaryText(r.summary, lang) });
    return `<entry>
<id>${x(page)}</id>
<title>${x(`${fmt(s.releaseN, { n: r.n })}: ${kindText(r, lang)}`)}</title>
<updated>${when}</updated>
<published>${when}</published>
<author><name>${x(whoText(r, lang))}</name></author>
<link rel="alternate" type="text/html" href="${x(`${page}?lang=${lang}`)}"/>
<link rel="related" type="text/csv" href="${x(`${page}/changes/observations.csv`)}"/>
<summary type="text">${x(summary)}</summary>
</entry>
`;
  });
  const site = STRINGS[lang].siteName;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">
<id>${x(`${base}releases`)}</id>
<title>${x(fmt(s.feedTitle, { site }))}</title>
<subtitle>${x(s.releasesIntro)}</subtitle>
<updated>${updated}</updated>
<author><name>${x(site)}</name><uri>${x(base)}</uri></author>
<link rel="self" type="application/atom+xml" href="${x(self)}"/>
<link rel="alternate" type="text/html" href="${x(`${base}releases?lang=${lang}`)}"/>
${entries.join('')}</feed>
`;
}
