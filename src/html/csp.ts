import { createHash } from 'node:crypto';
import { type SafeHtml, trustedHtml } from './escape.js';

/**
 * The Content-Security-Policy of our pages (issue #14.14). No page loads anything from another
 * origin and no page runs inline script (the SPARQL editor's scripts are files of ours,
 * /sparql/assets/; the JSON and JSON-LD blocks are data, which script-src does not govern), so
 * the policy is strict: 'self' for everything, no inline script, no framing.
 *
 * The pages' stylesheets are inline (`<style>`, one request per page: the layout's, the release
 * pages', the officials' area's). Each is a constant of the code, allowed by its SHA-256 (CSP
 * Level 2 hash sources), never by 'unsafe-inline': a style element that is not one of ours (an
 * injection, were escaping ever to fail) does not apply. Style attributes are not used at all
 * (they would need 'unsafe-hashes'); YASGUI sets styles through the CSSOM, which CSP allows, and
 * inserts one constant style element of its own (its table's column resizer), allowed by its
 * hash too (src/sparql/assets.ts reads it from the bundle we serve).
 */

const styleHashes = new Set<string>();
let htmlPolicy: string | undefined;

/** Allows a style element whose text is exactly `css` (ours, or one a script of ours inserts). */
export function allowInlineStyle(css: string): void {
  const hash = `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
  if (styleHashes.has(hash)) return;
  styleHashes.add(hash);
  htmlPolicy = undefined;
}

const laterStyles: (() => Iterable<string>)[] = [];

/**
 * Allows the style elements `source` lists, asked for when the policy is first sent rather than
 * now: a source that reads a file (YASGUI's bundle, src/sparql/assets.ts) costs start-up nothing.
 */
export function allowInlineStylesLater(source: () => Iterable<string>): void {
  laterStyles.push(source);
  htmlPolicy = undefined;
}

/** A `<style>` element for the head of a page, its CSS allowed by hash in the policy. */
export function inlineStyle(css: string): SafeHtml {
  allowInlineStyle(css);
  return trustedHtml(`<style>${css}</style>`);
}

/** The policy sent with every HTML response. */
export function htmlContentSecurityPolicy(): string {
  // Each is dropped once it has been read: one that fails (a missing file) fails every page, not just the first.
  while (laterStyles.length > 0) {
    for (const css of laterStyles[0]!()) allowInlineStyle(css);
    laterStyles.shift();
  }
  htmlPolicy ??= [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' ${[...styleHashes].join(' ')}`,
    // YASGUI's stylesheet and CodeMirror draw a few icons as data: URIs.
    "img-src 'self' data:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // Framing refused (clickjacking of the officials' login and forms); X-Frame-Options is its older spelling.
    "frame-ancestors 'none'",
  ].join('; ');
  return htmlPolicy;
}

/**
 * The policy of every other response (RDF, JSON, CSV, files, errors as JSON): nothing may load or
 * run if a browser is made to render it, and it may not be framed.
 */
export const OTHER_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
