/**
 * sitemap.xml (sitemaps.org protocol 0.9): one <url><loc> per page. A sitemap holds at most
 * 50,000 URLs and 50 MB; we publish a few thousand, so one file does. Locations are absolute and
 * XML-escaped (the protocol requires entity-escaping of & ' " < >).
 */

export const SITEMAP_MAX_URLS = 50_000;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', "'": '&apos;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

export function sitemapXml(urls: readonly string[]): string {
  if (urls.length > SITEMAP_MAX_URLS) throw new Error(`a sitemap holds at most ${SITEMAP_MAX_URLS} URLs, got ${urls.length}: split it with a sitemap index`);
  const loc = (u: string) => u.replace(/[&'"<>]/g, (c) => XML_ESCAPES[c] ?? c);
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `<url><loc>${loc(u)}</loc></url>`).join('\n')}
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
