import type { Quad } from '@rdfjs/types';
import type { Describer } from '../describe/describe.js';
import { type SafeHtml, html } from '../html/escape.js';
import { fmt } from '../html/i18n.js';
import type { Lang, PageContext } from '../html/models.js';
import { View } from '../html/rdf-view.js';
import { type AreaData, areaFromView, areasWithinFromView, inLanguage, mapAreasWithin, mapQuads } from './map-data.js';
import { ms } from './strings.js';
import { renderMap } from './svg-map.js';

/**
 * The maps of the pages: the country with its regions (home and country pages), a region with its
 * districts and cities, a district or jamoat marked on its region's map. A unit page's map is drawn
 * from quads read beside its document (`unitMapQuads`, in routes/doc.ts), so the page itself stays
 * a function of its quads.
 */

/** What a page needs to fetch a map: the app's describer, BASE_URI and the data version. */
export interface MapSource {
  describer: Describer;
  base: string;
  dataVersion: string;
  documentQuads: (iri: string, load: () => Promise<Quad[]>) => Promise<Quad[]>;
}

type Kind = 'country' | 'region' | 'district' | 'jamoat';

function kindOf(iri: string, base: string): Kind | undefined {
  const m = /^id\/(country|region|district|jamoat)\//.exec(iri.startsWith(base) ? iri.slice(base.length) : '');
  return m?.[1] as Kind | undefined;
}

/** The region a district or jamoat is in, up its chain of lg:within (the document holds the chain). */
function regionOf(v: View, iri: string, base: string): string | undefined {
  let at: string | undefined = iri;
  for (let i = 0; at && i < 4; i++) {
    if (kindOf(at, base) === 'region') return at;
    at = v.iri(at, `${base}def/lg#within`);
  }
  return undefined;
}

/** The quads a unit's page map needs beside its document (none for anything but a unit). */
export async function unitMapQuads(src: MapSource, iri: string): Promise<Quad[]> {
  const kind = kindOf(iri, src.base);
  if (!kind) return [];
  if (kind === 'country' || kind === 'region') return mapQuads(src.describer, src.base, { parent: iri, dataVersion: src.dataVersion });
  const doc = new View(await src.documentQuads(iri, () => src.describer.document(iri)));
  const region = regionOf(doc, iri, src.base);
  if (!region) return [];
  return mapQuads(src.describer, src.base, { parent: region, ...(kind === 'jamoat' ? { also: iri } : {}), dataVersion: src.dataVersion });
}

/** A unit page's map section, from its View (document and `unitMapQuads`); empty when there is nothing to draw. */
export function unitMap(v: View, iri: string, ctx: PageContext): SafeHtml {
  const kind = kindOf(iri, ctx.base);
  const parent = kind === 'country' || kind === 'region' ? iri : regionOf(v, iri, ctx.base);
  if (!kind || !parent) return html``;
  const areas = areasWithinFromView(v, parent, ctx.base);
  let marked = kind === 'district' ? areaFromView(v, iri, ctx.base) : undefined;
  if (kind === 'jamoat') {
    // A jamoat is drawn at its point; most have none published, and then its district is marked.
    const own = areaFromView(v, iri, ctx.base);
    const district = v.iri(iri, `${ctx.base}def/lg#within`);
    if (own.point || own.wkt) areas.push((marked = own));
    else marked = areas.find((a) => a.iri === district);
  }
  if (areas.length === 0) return html``;
  const outline = areaFromView(v, parent, ctx.base);
  return mapSection(areas, { outline, ...(marked ? { marked } : {}), country: kind === 'country', lang: ctx.lang });
}

/** The home page's map: the country with its regions. */
export async function countryMap(src: MapSource, lang: Lang): Promise<SafeHtml> {
  const { parent, areas } = await mapAreasWithin(src.describer, src.base, `${src.base}id/country/TJ`, src.dataVersion);
  return areas.length === 0 ? html`` : mapSection(areas, { outline: parent, country: true, lang });
}

function mapSection(areas: AreaData[], opts: { outline: AreaData; marked?: AreaData; country?: boolean; lang: Lang }): SafeHtml {
  const s = ms(opts.lang);
  const parent = inLanguage(opts.outline, opts.lang);
  const marked = opts.marked ? inLanguage(opts.marked, opts.lang) : undefined;
  const title = marked
    ? fmt(s.markedTitle, { parent: parent.name, name: marked.name })
    : fmt(opts.country ? s.countryTitle : s.regionTitle, { name: parent.name });
  const map = renderMap(areas.map((a) => inLanguage(a, opts.lang)), {
    lang: opts.lang,
    title,
    ...(marked ? { highlight: marked.iri } : {}),
    ...(opts.outline.wkt ? { context: [parent] } : {}),
  });
  return html`<section aria-labelledby="map"><h2 id="map">${s.map}</h2>
${map}</section>`;
}
