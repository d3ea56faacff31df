import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { htmlContentSecurityPolicy } from '../html/csp.js';
import { ENDONYMS, t } from '../html/i18n.js';
import { LANGS } from '../html/models.js';
import { escapeHtml } from '../html/escape.js';
import { bundleSearchScript } from './bundle-search.js';
import { crawl } from './crawl.js';
import { pageFile } from './file-layout.js';
import { addOfflineNotes } from './page-notes.js';
import { type ExportedSite, ROOT_RELATIVE, rewriteLinks } from './rewrite-links.js';
import { offlineIndex } from './search-data.js';
import { SEARCH_SCRIPTS, offlineSearchPage, searchFile } from './search-page.js';

export interface ExportOptions {
  /** The app, built on the data to export (as `npm start` builds it); asked in-process. */
  app: FastifyInstance;
  /** The folder to write into: must be empty or not exist. */
  out: string;
  /** BASE_URI of the app: the online address the copy's links to services go to. */
  base: string;
  /** Which pages to export, by site path (all by default). */
  include?: (path: string) => boolean;
  /** Requests at a time (default 4). */
  concurrency?: number;
  onProgress?: (done: number, queued: number) => void;
}

export interface ExportSummary {
  dataVersion: string;
  /** Pages, each in three languages. */
  pages: number;
  files: number;
  bytes: number;
  ms: number;
  /** Bytes by kind of file: html, rdf (the variants), download, other. */
  bytesByKind: Record<string, number>;
  /** Paths that did not answer 200 and are not in the copy, with their status. */
  skipped: Record<string, number>;
}

/** The address asked for to get the service's 404 page (no address of ours is a bare number). */
const NOT_FOUND = '/404';

/** Files every copy has besides those the pages link to. */
const FIXED_FILES = ['/context.jsonld', '/sitemap.xml', '/robots.txt', '/favicon.svg', '/favicon.ico', '/releases.atom'];

/** The page of a static export's root: the three languages' home pages, for a reader opening the folder. */
function rootIndex(): string {
  const links = LANGS.map((l) => `<li lang="${l}"><a href="${pageFile('/', l)}" hreflang="${l}">${escapeHtml(t(l).siteName)}</a> (${escapeHtml(ENDONYMS[l])})</li>`).join('\n');
  return `<!doctype html>
<html lang="tg">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>${escapeHtml(t('tg').siteName)}</title>
</head>
<body>
<ul>
${links}
</ul>
</body>
</html>
`;
}

function kindOf(file: string): string {
  if (file.endsWith('.html')) return 'html';
  if (file.startsWith('download/') || /^releases\/\d+\/(download|changes)\//.test(file)) return 'download';
  if (/\.(ttl|jsonld|nt|rdf|nq|trig)$/.test(file)) return 'rdf';
  return 'other';
}

/**
 * `npm run export-static`: the whole site as files (issue #13), for a USB stick (relative links,
 * no server) and for any static web server (deploy/nginx/static-export.conf adds the 303s and
 * content negotiation). The app is crawled in-process (crawl.ts); then each page's links are made
 * relative to its file (rewrite-links.ts), it is marked as an offline copy (page-notes.ts), and
 * the search becomes a page of its own that searches a small index in the browser.
 */
export async function exportSite(opts: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const { app, out, base } = opts;
  await mkdir(out, { recursive: true });
  if ((await readdir(out)).length > 0) throw new Error(`${out} is not empty: the export writes into an empty folder only (nothing of yours is overwritten)`);
  const health = await app.inject({ method: 'GET', url: '/health' });
  const dataVersion = (health.json() as { dataVersion: string }).dataVersion;
  const sitemap = await app.inject({ method: 'GET', url: '/sitemap.xml' });
  if (sitemap.statusCode !== 200) throw new Error(`the app's sitemap answers ${sitemap.statusCode}: nothing to export`);
  const listed = [...sitemap.body.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((u) => u.startsWith(base)).map((u) => `/${u.slice(base.length)}`);
  const include = opts.include ?? (() => true);
  const crawled = await crawl({
    app,
    out,
    pages: ['/', ...listed, '/releases'],
    files: FIXED_FILES,
    include: (p) => p === '/' || include(p),
    concurrency: opts.concurrency ?? 4,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });

  // The offline search: the index (as JSON, and as a script for file://, where fetch() is refused), the script, a page per language.
  const index = await offlineIndex(app, { base, dataVersion, pages: crawled.pages });
  const indexJson = JSON.stringify(index);
  const extra = new Map<string, string>([
    [SEARCH_SCRIPTS.data.slice(1), indexJson],
    [SEARCH_SCRIPTS.index.slice(1), `window.LG_OFFLINE_SEARCH=${indexJson};\n`],
    [SEARCH_SCRIPTS.code.slice(1), await bundleSearchScript()],
    ['index.html', rootIndex()],
  ]);
  for (const path of Object.values(SEARCH_SCRIPTS)) crawled.files.add(path);
  const site: ExportedSite = { base, pages: crawled.pages, files: crawled.files, searchFile };
  const date = new Date().toISOString().slice(0, 10);
  const notes = { online: base, dataVersion, date, policy: htmlContentSecurityPolicy() };
  for (const lang of LANGS) {
    const r = await app.inject({ method: 'GET', url: `/search?lang=${lang}`, headers: { accept: 'text/html' } });
    const file = searchFile(lang);
    extra.set(file, offlineSearchPage(addOfflineNotes(rewriteLinks(r.body, file, lang, site), { ...notes, lang }), lang, base));
  }
  // The page for an address the copy does not have, for a web server to send with its 404
  // (deploy/nginx/static-export.conf): the service's own, at any depth, so its links go from the root.
  const notFoundSite: ExportedSite = { ...site, pages: new Set([...site.pages, NOT_FOUND]) };
  for (const lang of LANGS) {
    const r = await app.inject({ method: 'GET', url: `${NOT_FOUND}?lang=${lang}`, headers: { accept: 'text/html' } });
    if (r.statusCode !== 404) throw new Error(`${NOT_FOUND} answers ${r.statusCode}, not 404: its page cannot be the copy's page for what it does not have`);
    // Its details name the address asked for, which here is only the probe.
    const page = r.body.replace(new RegExp(`<p class="note">[^\n]*${NOT_FOUND}[^\n]*</p>\n`), '');
    extra.set(pageFile(NOT_FOUND, lang), addOfflineNotes(rewriteLinks(page, ROOT_RELATIVE, lang, notFoundSite), { ...notes, lang }));
  }
  for (const [file, body] of extra) {
    await writeFile(join(out, file), body);
    crawled.sizes.set(file, Buffer.byteLength(body));
  }

  // Every page's links, now that what the copy holds is known.
  for (const path of crawled.pages) {
    for (const lang of LANGS) {
      const file = pageFile(path, lang);
      const page = await readFile(join(out, file), 'utf8');
      const done = addOfflineNotes(rewriteLinks(page, file, lang, site), { ...notes, lang });
      await writeFile(join(out, file), done);
      crawled.sizes.set(file, Buffer.byteLength(done));
    }
  }

  const bytesByKind: Record<string, number> = { html: 0, rdf: 0, download: 0, other: 0 };
  let bytes = 0;
  for (const [file, size] of crawled.sizes) {
    bytes += size;
    bytesByKind[kindOf(file)] = (bytesByKind[kindOf(file)] ?? 0) + size;
  }
  const summary: ExportSummary = {
    dataVersion,
    pages: crawled.pages.size,
    files: crawled.sizes.size + 1,
    bytes,
    ms: Math.round(performance.now() - started),
    bytesByKind,
    skipped: Object.fromEntries(crawled.skipped),
  };
  await writeFile(join(out, 'export-info.json'), `${JSON.stringify({ base, exportedAt: new Date().toISOString(), ...summary }, null, 2)}\n`);
  return summary;
}
