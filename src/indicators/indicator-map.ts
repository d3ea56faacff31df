import type { Quad } from '@rdfjs/types';
import type { Describer } from '../describe/describe.js';
import { type SafeHtml, html } from '../html/escape.js';
import { fmt } from '../html/i18n.js';
import type { Names } from '../html/names.js';
import { nameText, sampleMarker } from '../html/page-parts.js';
import { type View, own } from '../html/rdf-view.js';
import { areaFromView, areasWithinFromView, inLanguage, mapQuads } from '../maps/map-data.js';
import { renderMap } from '../maps/svg-map.js';
import type { IndicatorSlice, SliceRow } from './indicator-slice.js';
import { indicatorStrings } from './strings.js';

/**
 * The indicator page's choropleth (issue #10, maps): the latest year's figures of the
 * district-level units, reported or computed, on the map of the country: every region's outline,
 * and the districts and cities of each region where one has a figure, coloured by it (the others
 * "no data"). Drawn by src/maps/ from the boundaries the store publishes; a unit without one is a
 * point, listed as such under the map.
 */

/** What the map needs from the app: the describer (its queries are cached per data version) and the version. */
export interface MapStore {
  describer: Describer;
  base: string;
  dataVersion: string;
}

/** The latest year of the first dataset, and its district-level rows with a figure that year. */
function districtFigures(slice: IndicatorSlice): { year: number; rows: SliceRow[] } | undefined {
  const d = slice.datasets[0];
  const year = d?.years[d.years.length - 1];
  if (!d || year === undefined) return undefined;
  const rows = d.rows.filter((r) => r.level === 'district' && r.cells.has(year));
  return rows.length > 0 ? { year, rows } : undefined;
}

/**
 * The quads the map is drawn from, read beside the page's (src/maps/map-data.ts mapQuads, one query
 * per parent, kept per data version): the country's regions, and each region that has a
 * district-level figure with its districts and cities.
 */
export async function indicatorMapQuads(store: MapStore, slice: IndicatorSlice): Promise<Quad[]> {
  const figures = districtFigures(slice);
  if (!figures) return [];
  const country = `${own(store.base).id}country/TJ`;
  const regions = [...new Set(figures.rows.map((r) => r.within).filter((w): w is string => w !== undefined))];
  const parts = await Promise.all([country, ...regions].map((parent) => mapQuads(store.describer, store.base, { parent, dataVersion: store.dataVersion })));
  return parts.flat();
}

/** The map section, from a View of the page's quads and `indicatorMapQuads`; empty when nothing can be drawn. */
export function indicatorMap(v: View, slice: IndicatorSlice, names: Names, base: string): SafeHtml | undefined {
  const figures = districtFigures(slice);
  if (!figures) return undefined;
  const s = indicatorStrings(names.lang);
  const country = `${own(base).id}country/TJ`;
  const regions = [...new Set(figures.rows.map((r) => r.within).filter((w): w is string => w !== undefined))].sort();
  const areas = regions.flatMap((region) => areasWithinFromView(v, region, base)).map((a) => inLanguage(a, names.lang));
  if (areas.length === 0) return undefined;
  const outlines = areasWithinFromView(v, country, base).filter((a) => a.wkt).map((a) => inLanguage(a, names.lang));
  const values = new Map(figures.rows.map((r) => [r.unit, Number(r.cells.get(figures.year)?.value.value)] as const).filter(([, n]) => Number.isFinite(n)));
  const indicator = nameText(v, names, slice.indicator, base);
  const unit = slice.unitOfMeasure ? nameText(v, names, slice.unitOfMeasure, base) : '';
  const computed = figures.rows.some((r) => r.cells.get(figures.year)?.computed !== undefined);
  const map = renderMap(areas, {
    lang: names.lang,
    title: fmt(s.mapLabel, { indicator, year: String(figures.year) }),
    values,
    valueLabel: `${indicator}${unit ? ` (${unit})` : ''}${computed ? `, ${s.mapComputed}` : ''}`,
    context: outlines.length > 0 ? outlines : [inLanguage(areaFromView(v, country, base), names.lang)],
  });
  const sample = slice.datasets[0]?.sample ?? false;
  return html`<section aria-labelledby="map"><h2 id="map">${fmt(s.map, { year: String(figures.year) })}</h2>
${sample ? html`<p>${sampleMarker(names.lang)}</p>\n` : ''}${map}</section>`;
}
