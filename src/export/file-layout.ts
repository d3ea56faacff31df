import { posix } from 'node:path';
import type { Lang } from '../html/models.js';

/**
 * Where each address of the site lives in a static export, so that the files serve themselves from
 * a USB stick (file://) and from any static web server (issue #13):
 *
 * - a page, which the server negotiates (`/doc/jamoat/TJ-KT-06-06`, `/catalog`, `/`), becomes one
 *   HTML file per language beside the address: `doc/jamoat/TJ-KT-06-06.tg.html`, `.ru.html`,
 *   `.en.html` (`index.tg.html` for the home);
 * - a fixed variant or a file (`/doc/jamoat/TJ-KT-06-06.ttl`, `/download/all.nq.gz`,
 *   `/context.jsonld`) keeps its own path: its extension names its media type, which is what a
 *   static server goes by.
 *
 * A file never collides with a directory: a page's files add an extension to its last segment,
 * and no address of ours has a segment that ends in `.tg.html`.
 */

/** The page's file in one language, relative to the export's root. */
export function pageFile(path: string, lang: Lang): string {
  return path === '/' ? `index.${lang}.html` : `${path.slice(1)}.${lang}.html`;
}

/** A fixed variant or a file: its own path, relative to the export's root. */
export function plainFile(path: string): string {
  return path.slice(1);
}

/** The link from the file `from` to the file `to` (both relative to the root), for an href. */
export function relativeHref(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  // Percent-encode what a URL reference cannot hold as it is; our paths are ASCII already.
  return encodeURI(rel);
}
