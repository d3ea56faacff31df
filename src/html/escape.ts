/**
 * Escaping for the HTML pages. Every value interpolated with the `html` tag is escaped unless it
 * is already a SafeHtml (built by `html` itself, or marked with `trustedHtml` by code that knows
 * what it is doing). Attribute values are always written in double quotes; escapeHtml escapes both
 * quote characters anyway, so a value is safe in text and in any quoted attribute.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A string of HTML that is safe to emit as is. */
export class SafeHtml {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  toString(): string {
    return this.html;
  }
}

/** What may be interpolated: strings and numbers are escaped, SafeHtml passes, arrays are joined, null/undefined/false vanish. */
export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: html`<p>${text}</p>` escapes `text`; nested html`` values pass through. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks a string as already-safe HTML. Only for markup the code itself produced, never for data. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins values with a separator (escaped unless SafeHtml). */
export function join(items: readonly Interpolation[], separator: Interpolation = ''): SafeHtml {
  const sep = render(separator);
  return new SafeHtml(items.map(render).filter((s) => s !== '').join(sep));
}

/**
 * JSON text that can sit inside <script type="application/ld+json"> without ending the element
 * or opening a comment: <, > and & become \u003c, \u003e, \u0026 (still the same JSON), and the
 * line separators U+2028/2029 are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function jsonLdScript(value: unknown): SafeHtml {
  return new SafeHtml(`<script type="application/ld+json">${jsonForScript(value)}</script>`);
}

/**
 * A URL fit for href: root-relative paths, fragments, queries and http(s) URLs. Anything else
 * (javascript:, data:, protocol-relative //host) gives undefined, and callers show text instead.
 */
export function safeHref(url: string): string | undefined {
  if (/^\/(?!\/)/.test(url) || url.startsWith('#') || url.startsWith('?')) return url;
  if (/^https?:\/\/[^\s]+$/i.test(url)) return url;
  return undefined;
}
