/**
 * sitemap.xml (sitemaps.org protocol 0.9): one <url> per page with its <lastmod> (W3C date) and, as
 * Google's sitemap extension for localized pages has it, an <xhtml:link rel="alternate"> per
 * language (`?lang=tg|ru|en`) plus `x-default` (the URL itself, which follows Accept-Language). A
 * sitemap holds at most 50,000 URLs and 50 MB; we publish a few thousand, so one file does.
 * Locations are absolute and XML-escaped (the protocol requires entity-escaping of & ' " < >).
 */

export const SITEMAP_MAX_URLS = 50_000;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', "'": '&apos;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

export interface SitemapEntry {
  loc: string;
  /** YYYY-MM-DD: when what the page shows last changed (the newest dct:modified behind it). */
  lastmod?: string;
}

export function sitemapXml(entries: readonly SitemapEntry[], langs: readonly string[] = []): string {
  if (entries.length > SITEMAP_MAX_URLS) throw new Error(`a sitemap holds at most ${SITEMAP_MAX_URLS} URLs, got ${entries.length}: split it with a sitemap index`);
  const esc = (u: string) => u.replace(/[&'"<>]/g, (c) => XML_ESCAPES[c] ?? c);
  const alternates = (loc: string) => langs.length === 0 ? '' : [
    ...langs.map((l) => `<xhtml:link rel="alternate" hreflang="${l}" href="${esc(`${loc}?lang=${l}`)}"/>`),
    `<xhtml:link rel="alternate" hreflang="x-default" href="${esc(loc)}"/>`,
  ].join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${entries.map((e) => `<url><loc>${esc(e.loc)}</loc>${e.lastmod && /^\d{4}-\d{2}-\d{2}$/.test(e.lastmod) ? `<lastmod>${e.lastmod}</lastmod>` : ''}${alternates(e.loc)}</url>`).join('\n')}
</urlset>
`;
}

/** robots.txt (RFC 9309): everything may be crawled but the query services; the sitemap, absolute. */
export function robotsTxt(base: string): string {
  return `# Every page and download may be crawled. The SPARQL endpoint and the search answer queries,
# an endless URL space: crawl the pages the sitemap lists instead. The officials' area is private.
User-agent: *
Disallow: /sparql
Disallow: /search
Disallow: /publish/

Sitemap: ${base}sitemap.xml
`;
}
