import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LANGS, type Lang } from '../html/models.js';
import { pageFile, plainFile } from './file-layout.js';

/**
 * The crawl of a static export: the app itself, asked in-process (app.inject), page by page, so the
 * copy holds exactly what the server answers. A page is asked for in each language (`?lang=`);
 * the RDF variants it offers (its `<link rel="alternate">`) and the files it links to (downloads,
 * a release's files) are asked for as they are found; so are the pages it links to that the
 * sitemap does not list. What does not answer 200 (a retired unit's 301 or 410) is left out, and
 * links to it go to the online service.
 */
export interface CrawlOptions {
  app: FastifyInstance;
  out: string;
  /** The pages to start from (site paths). */
  pages: string[];
  /** Files to copy besides those the pages link to. */
  files: string[];
  /** Which pages to export (all by default); a test exports a part of the site. */
  include: (path: string) => boolean;
  concurrency: number;
  onProgress?: (done: number, queued: number) => void;
}

export interface Crawled {
  pages: Set<string>;
  files: Set<string>;
  /** Each written file's size, by its path in the export. */
  sizes: Map<string, number>;
  /** Paths asked for that did not answer 200, with the status. */
  skipped: Map<string, number>;
}

/** Paths a page may link to that are pages of their own (negotiated, one file per language). */
const PAGE_PREFIXES = ['/doc/', '/def/', '/graph/', '/releases/'];
const PAGE_PATHS = new Set(['/', '/coverage', '/use-data', '/catalog', '/.well-known/void', '/releases']);
/**
 * Files a page may link to: the downloads and a release's changeset. A release's own dumps
 * (`/releases/{n}/download/`) are left to the online service: the live release's are the same
 * bytes as `/download/`, and every earlier release's would multiply the copy's size.
 */
const FILE_PATTERN = /^\/(download\/[^/]+|releases\/\d+\/changes\/[^/]+)$/;
/** A path whose last segment has an extension is a variant or a file, never a page (no code of ours has a dot). */
const HAS_EXTENSION = /\.[A-Za-z0-9]+$/;

/** The local targets of a page's links and of its alternates, as site paths without query and fragment. */
function linksOf(page: string): { alternates: string[]; links: string[] } {
  const alternates = [...page.matchAll(/<link rel="alternate" type="[^"]*" href="(\/[^"?#]*)"/g)].map((m) => m[1]!);
  const links = [...page.matchAll(/ href="(\/[^"?#]*)/g)].map((m) => m[1]!);
  return { alternates, links };
}

export async function crawl(opts: CrawlOptions): Promise<Crawled> {
  const { app, out } = opts;
  const result: Crawled = { pages: new Set(), files: new Set(), sizes: new Map(), skipped: new Map() };
  const seen = new Set<string>();
  const queue: { kind: 'page' | 'file'; path: string }[] = [];
  const enqueue = (kind: 'page' | 'file', path: string) => {
    const key = `${kind}:${path}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push({ kind, path });
  };
  for (const p of opts.pages) if (opts.include(p)) enqueue('page', p);
  for (const f of opts.files) enqueue('file', f);

  const write = async (file: string, body: Buffer | string) => {
    const at = join(out, file);
    await mkdir(dirname(at), { recursive: true });
    await writeFile(at, body);
    result.sizes.set(file, Buffer.byteLength(body));
  };

  async function exportPage(path: string): Promise<void> {
    const bodies: [Lang, string][] = [];
    for (const lang of LANGS) {
      const r = await app.inject({ method: 'GET', url: `${path}?lang=${lang}`, headers: { accept: 'text/html' } });
      if (r.statusCode !== 200 || !String(r.headers['content-type']).startsWith('text/html')) {
        result.skipped.set(path, r.statusCode);
        return;
      }
      bodies.push([lang, r.body]);
    }
    for (const [lang, body] of bodies) await write(pageFile(path, lang), body);
    result.pages.add(path);
    const { alternates, links } = linksOf(bodies[0]![1]);
    // The fixed HTML variant (`.html`) is the page's files already, by language.
    for (const a of alternates) if (a !== path && !a.endsWith('.html')) enqueue('file', a);
    for (const l of links) {
      if (FILE_PATTERN.test(l)) enqueue('file', l);
      else if ((PAGE_PATHS.has(l) || PAGE_PREFIXES.some((p) => l.startsWith(p))) && !HAS_EXTENSION.test(l) && opts.include(l)) enqueue('page', l);
    }
  }

  async function exportFile(path: string): Promise<void> {
    // No Accept-Encoding: the file as it is (the identity body).
    const r = await app.inject({ method: 'GET', url: path });
    if (r.statusCode !== 200) {
      result.skipped.set(path, r.statusCode);
      return;
    }
    await write(plainFile(path), r.rawPayload);
    result.files.add(path);
  }

  // A few requests at a time: the store answers in its worker threads while this thread renders.
  // A worker with nothing queued waits while others run: a page in flight may queue more.
  let done = 0;
  let inFlight = 0;
  const worker = async () => {
    for (;;) {
      const next = queue.shift();
      if (!next) {
        if (inFlight === 0) return;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      inFlight++;
      try {
        await (next.kind === 'page' ? exportPage(next.path) : exportFile(next.path));
      } finally {
        inFlight--;
      }
      opts.onProgress?.(++done, done + queue.length);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return result;
}
