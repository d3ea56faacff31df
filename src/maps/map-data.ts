import N3 from 'n3';
import type { Describer } from '../describe/describe.js';
import { pickLabel } from '../html/i18n.js';
import type { Labels, Lang } from '../html/models.js';
import { View, hrefFor, parseWktPoint } from '../html/rdf-view.js';
import { STD } from '../rdf/namespaces.js';
import { sparqlIri } from '../rdf/sparql-escape.js';
import type { MapArea } from './svg-map.js';
import { parseWktPolygons } from './wkt.js';

/**
 * The SPARQL SELECT that gathers what a map of `parent` draws, in one query: the units directly
 * within it and the parent itself (its outline goes under them), and `also` if given (a jamoat
 * marked on its region's map), each with its code, names and every geometry's WKT (a boundary
 * where Who's On First has one, the point otherwise), and its administrative centre's point (a city
 * with no point of its own is drawn at its centre). Names and geometries are separate branches, so
 * a boundary comes once, not once per name.
 */
export function mapQuery(base: string, parent: string, also?: string): string {
  const p = sparqlIri(parent);
  return `PREFIX lg: <${base}def/lg#>
PREFIX geo: <${STD.geo}>
PREFIX skos: <${STD.skos}>
SELECT ?u ?in ?code ?label ?c ?g ?wkt WHERE {
  { ?u lg:within ${p} . BIND(${p} AS ?in) } UNION { BIND(${p} AS ?u) }${also ? ` UNION { BIND(${sparqlIri(also)} AS ?u) }` : ''}
  ?u lg:code ?code .
  { ?u skos:prefLabel ?label } UNION { ?u geo:hasGeometry ?g . ?g geo:asWKT ?wkt }
  UNION { ?u lg:administrativeCentre ?c . ?c geo:hasGeometry ?g . ?g geo:asWKT ?wkt }
}`;
}

/**
 * What `mapQuery` found, as quads (lg:within, lg:code, skos:prefLabel, geo:hasGeometry,
 * geo:asWKT): for a page that reads them beside its document (a unit's page, where
 * src/maps/unit-map.ts draws them). Kept per data version for each parent: every district and
 * jamoat of a region draws the same region.
 */
export function mapQuads(describer: Describer, base: string, opts: { parent: string; also?: string; dataVersion: string }): Promise<N3.Quad[]> {
  const key = `${opts.parent} ${opts.also ?? ''}`;
  return cached(describer, opts.dataVersion, key, async () => {
    const { namedNode, literal, quad } = N3.DataFactory;
    const lg = `${base}def/lg#`;
    const out: N3.Quad[] = [];
    for (const r of await describer.select(mapQuery(base, opts.parent, opts.also))) {
      if (!r.u || !r.code) continue;
      const u = namedNode(r.u.value);
      out.push(quad(u, namedNode(`${lg}code`), literal(r.code.value)));
      if (r.in) out.push(quad(u, namedNode(`${lg}within`), namedNode(r.in.value)));
      if (r.label) out.push(quad(u, namedNode(`${STD.skos}prefLabel`), literal(r.label.value, r.label.lang)));
      if (r.g && r.wkt) {
        const owner = r.c ? namedNode(r.c.value) : u;
        if (r.c) out.push(quad(u, namedNode(`${lg}administrativeCentre`), owner));
        out.push(quad(owner, namedNode(`${STD.geo}hasGeometry`), namedNode(r.g.value)));
        out.push(quad(namedNode(r.g.value), namedNode(`${STD.geo}asWKT`), literal(r.wkt.value, namedNode(`${STD.geo}wktLiteral`))));
      }
    }
    return out;
  });
}

/** A unit as a map draws it, before the page's language picks its name. */
export interface AreaData { iri: string; href: string; code?: string; labels: Labels; wkt?: string; point?: { lat: number; lon: number } }

/** What a View of `mapQuery`'s quads (and any others) says about `iri` for a map. */
export function areaFromView(v: View, iri: string, base: string): AreaData {
  const lg = `${base}def/lg#`;
  const wktsOf = (s: string) => v.iris(s, `${STD.geo}hasGeometry`).flatMap((g) => v.literals(g, `${STD.geo}asWKT`).map((l) => l.value));
  const wkts = wktsOf(iri);
  const wkt = wkts.find((w) => parseWktPolygons(w) !== undefined);
  // Its own point, else its administrative centre's.
  const centres = v.iris(iri, `${lg}administrativeCentre`).flatMap(wktsOf);
  const point = [...wkts, ...centres].map(parseWktPoint).find((p) => p !== undefined);
  const code = v.value(iri, `${lg}code`);
  return {
    iri, href: hrefFor(iri, base) ?? iri, labels: v.labels(iri),
    ...(code ? { code } : {}), ...(wkt ? { wkt } : {}), ...(point ? { point } : {}),
  };
}

/** The units directly within `parent` in a View, sorted by code. */
export function areasWithinFromView(v: View, parent: string, base: string): AreaData[] {
  return v.subjects(`${base}def/lg#within`, parent).map((u) => areaFromView(v, u, base)).sort((a, b) => (a.code ?? a.iri).localeCompare(b.code ?? b.iri));
}

/**
 * The areas to draw for a map of `parent` (its units, with their boundary or point) and the
 * parent's own outline, from the store in one query: for pages that do not read a unit's document
 * (the home page, an indicator's choropleth).
 */
export async function mapAreasWithin(describer: Describer, base: string, parentIri: string, dataVersion = ''): Promise<{ parent: AreaData; areas: AreaData[] }> {
  const v = new View(await mapQuads(describer, base, { parent: parentIri, dataVersion }));
  return { parent: areaFromView(v, parentIri, base), areas: areasWithinFromView(v, parentIri, base) };
}

/** An area with its name in the page's language (the first there is, in tg, ru, en order, if not). */
export function inLanguage(a: AreaData, lang: Lang): MapArea {
  const { labels, ...rest } = a;
  // A name in another language keeps its marker in the text ("Levakant [EN]"): SVG text and the
  // lists under the map carry no markup.
  const p = pickLabel(labels, lang);
  return { ...rest, name: p ? (p.fallback ? `${p.text} [${p.lang.toUpperCase()}]` : p.text) : a.code ?? a.iri };
}

/** Per describer (one per app), the map quads of the current data version: a few dozen parents at most. */
const caches = new WeakMap<Describer, { version: string; entries: Map<string, Promise<N3.Quad[]>> }>();

function cached(describer: Describer, version: string, key: string, make: () => Promise<N3.Quad[]>): Promise<N3.Quad[]> {
  let c = caches.get(describer);
  if (!c || c.version !== version) caches.set(describer, (c = { version, entries: new Map() }));
  let p = c.entries.get(key);
  if (!p) {
    p = make();
    const entries = c.entries;
    // A failure is not kept: the next page tries again.
    p.catch(() => entries.delete(key));
    entries.set(key, p);
    if (entries.size > 512) entries.delete(entries.keys().next().value as string);
  }
  return p;
}
