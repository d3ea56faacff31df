import { type SafeHtml, html } from '../html/escape.js';
import type { PageContext } from '../html/models.js';
import { SLICE_KEYS, sliceFileName } from './slice-formats.js';
import { type SliceLevel, sliceId } from './slice-rows.js';
import { SLICE_STRINGS } from './strings.js';

/** The level and code of a unit that has a slice (a region or a district-level unit), from its IRI. */
export function sliceOfUnit(iri: string, base: string): { level: SliceLevel; code: string } | undefined {
  const m = /^id\/(district|region)\/([A-Za-z0-9-]+)$/.exec(iri.startsWith(base) ? iri.slice(base.length) : '');
  return m ? { level: m[1] as SliceLevel, code: m[2] as string } : undefined;
}

/** The path of a slice file, for links. */
export function slicePath(level: SliceLevel, code: string, key: (typeof SLICE_KEYS)[number]): string {
  return `/download/${sliceFileName(sliceId(level, code), key)}`;
}

/**
 * "Download all data of this district: CSV · Turtle · XLSX" on a district's or region's page (the
 * files: src/slices/slice-files.ts). Nothing on other pages.
 */
export function sliceLinks(iri: string, ctx: PageContext): SafeHtml {
  const unit = sliceOfUnit(iri, ctx.base);
  if (!unit) return html``;
  const s = SLICE_STRINGS[ctx.lang];
  const label = { csv: s.csv, ttl: s.turtle, xlsx: s.xlsx };
  const links = SLICE_KEYS.map((k, i) => html`${i > 0 ? ' · ' : ''}<a href="${slicePath(unit.level, unit.code, k)}" download>${label[k]}</a>`);
  return html`<section aria-labelledby="all-data"><h2 id="all-data">${unit.level === 'district' ? s.downloadDistrict : s.downloadRegion}</h2>
<p>${links}</p>
<p class="meta">${s.downloadNote}</p></section>`;
}
