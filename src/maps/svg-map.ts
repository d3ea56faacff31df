import { inlineStyle } from '../html/csp.js';
import { type SafeHtml, html, safeHref, trustedHtml } from '../html/escape.js';
import { fmt, formatNumber } from '../html/i18n.js';
import type { Lang } from '../html/models.js';
import { ms } from './strings.js';
import { type Lonlat, type PolygonRings, parseWktPolygons } from './wkt.js';

/** One thing drawn on a map: a unit with its boundary (WKT), else its point. */
export interface MapArea { iri: string; href: string; name: string; code?: string; wkt?: string; point?: { lat: number; lon: number } }

export interface MapOptions {
  lang: Lang;
  /** The map's accessible name, shown above it. */
  title: string;
  /** The iri of the area (or point) to mark. */
  highlight?: string;
  /** Choropleth: a value per area iri. */
  values?: ReadonlyMap<string, number>;
  /** What the values are (the legend's heading). */
  valueLabel?: string;
  /** Drawn under the areas, not linked: e.g. the region's outline under its districts. */
  context?: readonly MapArea[];
}

/** viewBox width; coordinates are whole units of it (a unit is about a pixel at the widest). */
const W = 600;
const MAX_H = 640;
const PAD = 8;
/** Colour-blind-safe sequential classes (ColorBrewer YlGnBu, 5 classes), light to dark. */
const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;
/** Names are written on the map only when it has this few areas (and not on a phone, where they would be too small to read). */
const MAX_LABELS = 8;

/**
 * The map's stylesheet, inside the SVG so a map needs nothing from the page that shows it
 * (allowed by its hash like the pages' own, src/html/csp.ts). Strokes keep their width at any
 * size (non-scaling-stroke); the SVG is as wide as its column, up to 36rem, so a phone at 360 px
 * shows it whole.
 */
const CSS = `.lgmap{margin:1rem 0}.lgmap svg{width:100%;height:auto;max-width:36rem}
.lgmap path,.lgmap circle{vector-effect:non-scaling-stroke}
.lgmap .a{fill:#dfe6ee;stroke:#fff;stroke-width:1}
.lgmap a:hover .a,.lgmap a:focus .a{fill:#b7c9dc}
.lgmap .ctx{fill:#f4f4f4;stroke:#888;stroke-width:1.5}
.lgmap .a.hl{fill:#0b5cad}
.lgmap .hlc{stroke:#111;stroke-width:3}
.lgmap circle{fill:#fff;stroke:#0b5cad;stroke-width:2}
.lgmap circle.hl{fill:#d9480f;stroke:#111}
.lgmap text{font-size:16px;fill:#1b1b1b;stroke:#fff;stroke-width:3px;paint-order:stroke;pointer-events:none}
@media(max-width:30rem){.lgmap text{display:none}}
${PALETTE.map((c, i) => `.lgmap .c${i}{fill:${c}}.lgmap .sw.c${i}{background:${c}}`).join('')}
.lgmap .a.nd{fill:#d4d4d4}.lgmap .sw.nd{background:#d4d4d4}.lgmap .sw.hl{background:#0b5cad}.lgmap .sw.hlo{border:2px solid #111}
.lgmap ul{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.lgmap .sw{display:inline-block;width:.9em;height:.9em;border:1px solid #777;vertical-align:-.1em;margin-right:.3em}
.lgmap figcaption{font-weight:600}.lgmap .cr{font-size:.9rem;color:#555}`;
const STYLE = inlineStyle(CSS);

interface Drawn { area: MapArea; polygons?: PolygonRings[]; point?: Lonlat }

/**
 * A map as inline SVG, rendered on the server: no tiles, no script, no request to anyone. Areas
 * are links with their name as <title>; a unit without a boundary is drawn as a point and listed
 * in words under the map, one with neither is listed as not on it. With `values`, the areas are
 * coloured in up to 5 quantile classes with a legend (and a "no data" class). The projection is
 * equirectangular with longitudes scaled by the cosine of the middle latitude: at Tajikistan's
 * size it keeps shapes true to the eye, and it needs no library.
 */
export function renderMap(areas: readonly MapArea[], opts: MapOptions): SafeHtml {
  const s = ms(opts.lang);
  const drawn = areas.map(toDrawn);
  const context = (opts.context ?? []).map(toDrawn).filter((d) => d.polygons);
  const onMap = drawn.filter((d) => d.polygons || d.point);
  if (onMap.length === 0 && context.length === 0) return html``;

  const project = projection([...context, ...onMap]);
  const classes = opts.values ? quantileClasses(opts.values, areas.map((a) => a.iri)) : undefined;
  const classOf = (iri: string) => {
    if (!classes || !opts.values) return '';
    const v = opts.values.get(iri);
    return v === undefined ? ' nd' : ` c${classes.classOf(v)}`;
  };
  const isHl = (d: Drawn) => d.area.iri === opts.highlight;
  const label = (d: Drawn) => d.area.code ? `${d.area.name} (${d.area.code})` : d.area.name;
  const valueText = (iri: string) => {
    const v = opts.values?.get(iri);
    return v === undefined ? (opts.values ? `: ${s.noData}` : '') : `: ${formatNumber(v, opts.lang)}`;
  };

  const polygons = onMap.filter((d) => d.polygons).sort((a, b) => Number(isHl(a)) - Number(isHl(b)));
  const points = onMap.filter((d) => !d.polygons).sort((a, b) => Number(isHl(a)) - Number(isHl(b)));
  const shapes = [
    ...context.map((d) => html`<path class="ctx" d="${pathOf(d.polygons!, project.xy)}"/>`),
    ...polygons.map((d) => {
      const cls = `a${classOf(d.area.iri)}${isHl(d) ? (classes ? ' hlc' : ' hl') : ''}`;
      return link(d, html`<title>${label(d)}${valueText(d.area.iri)}</title><path class="${cls}" fill-rule="evenodd" d="${pathOf(d.polygons!, project.xy)}"/>`, isHl(d));
    }),
    ...points.map((d) => {
      const [x, y] = project.xy(d.point!);
      return link(d, html`<title>${label(d)}${valueText(d.area.iri)}</title><circle${isHl(d) ? html` class="hl"` : ''} cx="${x}" cy="${y}" r="${isHl(d) ? 8 : 5}"/>`, isHl(d));
    }),
  ];
  const labels = polygons.length <= MAX_LABELS && points.length === 0
    ? polygons.map((d) => {
      const [x, y] = project.xy(labelPoint(d.polygons!));
      return html`<text x="${x}" y="${y}" text-anchor="middle">${d.area.name}</text>`;
    })
    : [];

  const asPoints = drawn.filter((d) => !d.polygons && d.point);
  const nowhere = drawn.filter((d) => !d.polygons && !d.point);
  const names = (list: Drawn[]) => list.map((d, i) => html`${i > 0 ? ', ' : ''}${anchor(d.area, label(d))}`);
  const marked = drawn.find(isHl);
  const legend = [
    ...(classes ? classes.ranges.map((r, i) => html`<li><span class="sw c${i}"></span>${formatNumber(r.from, opts.lang)}${r.to !== r.from ? html` – ${formatNumber(r.to, opts.lang)}` : ''}</li>`) : []),
    ...(classes && areas.some((a) => !opts.values?.has(a.iri)) ? [html`<li><span class="sw nd"></span>${s.noData}</li>`] : []),
    ...(marked ? [html`<li><span class="sw ${classes ? 'hlo' : 'hl'}"></span>${fmt(s.marked, { name: label(marked) })}</li>`] : []),
  ];

  return html`<figure class="lgmap"><figcaption>${opts.title}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${project.height}" width="${W}" height="${project.height}" role="group"><title>${opts.title}</title>${STYLE}${shapes}${labels}</svg>
${legend.length > 0 ? html`${classes && opts.valueLabel ? html`<p>${opts.valueLabel}</p>` : ''}<ul>${legend}</ul>\n` : ''}${asPoints.length > 0 ? html`<p>${s.shownAsPoints} ${names(asPoints)}</p>\n` : ''}${nowhere.length > 0 ? html`<p>${s.notOnMap} ${names(nowhere)}</p>\n` : ''}<p class="cr">${s.credit} (<a href="https://whosonfirst.org/">whosonfirst.org</a>, CC0). ${s.approximate}</p></figure>`;
}

function toDrawn(area: MapArea): Drawn {
  const polygons = area.wkt ? parseWktPolygons(area.wkt) : undefined;
  if (polygons && polygons.length > 0) return { area, polygons };
  return area.point ? { area, point: [area.point.lon, area.point.lat] } : { area };
}

function anchor(area: MapArea, text: string): SafeHtml {
  const href = safeHref(area.href);
  return href ? html`<a href="${href}">${text}</a>` : html`${text}`;
}

function link(d: Drawn, inner: SafeHtml, current: boolean): SafeHtml {
  const href = safeHref(d.area.href);
  if (!href) return html`<g>${inner}</g>`;
  return html`<a href="${href}"${current ? trustedHtml(' aria-current="true"') : ''}>${inner}</a>`;
}

/** Lon/lat -> whole viewBox units: x = lon·cos(φ₀), y = −lat, fit into W × (at most) MAX_H. */
function projection(items: Drawn[]): { xy: (p: Lonlat) => [number, number]; height: number } {
  let [minLon, maxLon, minLat, maxLat] = [Infinity, -Infinity, Infinity, -Infinity];
  const see = ([lon, lat]: Lonlat) => {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  };
  for (const d of items) {
    if (d.point) see(d.point);
    for (const p of d.polygons ?? []) for (const pt of p[0] ?? []) see(pt);
  }
  // A lone point, or points in a line, still get a box around them.
  const grow = (lo: number, hi: number) => (hi - lo < 0.05 ? [lo - 0.05, hi + 0.05] : [lo, hi]);
  [minLon, maxLon] = grow(minLon, maxLon) as [number, number];
  [minLat, maxLat] = grow(minLat, maxLat) as [number, number];
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const dx = (maxLon - minLon) * k;
  const dy = maxLat - minLat;
  const scale = Math.min((W - 2 * PAD) / dx, (MAX_H - 2 * PAD) / dy);
  const offsetX = (W - dx * scale) / 2;
  const height = Math.ceil(dy * scale + 2 * PAD);
  return {
    xy: ([lon, lat]) => [Math.round(offsetX + (lon - minLon) * k * scale), Math.round(PAD + (maxLat - lat) * scale)],
    height,
  };
}

/**
 * An SVG path: each ring an absolute move, then relative lines in whole units ("l3-2 4 5"),
 * points that round onto the one before dropped, rings left with under 3 points dropped.
 */
function pathOf(polygons: PolygonRings[], xy: (p: Lonlat) => [number, number]): string {
  let d = '';
  for (const rings of polygons) {
    for (const ring of rings) {
      const pts: [number, number][] = [];
      for (const p of ring) {
        const q = xy(p);
        const last = pts[pts.length - 1];
        if (!last || last[0] !== q[0] || last[1] !== q[1]) pts.push(q);
      }
      if (pts.length > 1 && pts[0]![0] === pts[pts.length - 1]![0] && pts[0]![1] === pts[pts.length - 1]![1]) pts.pop();
      if (pts.length < 3) continue;
      let part = `M${pts[0]![0]} ${pts[0]![1]}l`;
      for (let i = 1; i < pts.length; i++) {
        const [x, y] = pts[i]!;
        const [px, py] = pts[i - 1]!;
        part += `${i > 1 && x - px >= 0 ? ' ' : ''}${x - px}${y - py >= 0 ? ' ' : ''}${y - py}`;
      }
      d += `${part}z`;
    }
  }
  return d;
}

/** Where a polygon's name goes: the centroid of its largest outer ring (by the shoelace formula). */
function labelPoint(polygons: PolygonRings[]): Lonlat {
  let best: { area: number; c: Lonlat } = { area: -1, c: polygons[0]?.[0]?.[0] ?? [0, 0] };
  for (const rings of polygons) {
    const ring = rings[0] ?? [];
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i]!;
      const [x1, y1] = ring[i + 1]!;
      const f = x0 * y1 - x1 * y0;
      a += f;
      cx += (x0 + x1) * f;
      cy += (y0 + y1) * f;
    }
    if (a !== 0 && Math.abs(a) > best.area) best = { area: Math.abs(a), c: [cx / (3 * a), cy / (3 * a)] };
  }
  return best.c;
}

/**
 * Up to 5 classes holding about as many areas each (quantiles of the values of the areas drawn),
 * fewer when there are fewer distinct values. Each class's range is its smallest and largest value.
 */
export function quantileClasses(values: ReadonlyMap<string, number>, iris: readonly string[]): { ranges: { from: number; to: number }[]; classOf: (v: number) => number } {
  const sorted = iris.map((i) => values.get(i)).filter((v): v is number => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  const distinct = [...new Set(sorted)];
  const n = Math.min(PALETTE.length, distinct.length);
  const uppers: number[] = [];
  for (let c = 1; c <= n; c++) {
    const upper = sorted[Math.min(sorted.length - 1, Math.ceil((c * sorted.length) / n) - 1)]!;
    if (uppers[uppers.length - 1] !== upper) uppers.push(upper);
  }
  const classOf = (v: number) => {
    const i = uppers.findIndex((u) => v <= u);
    return i < 0 ? uppers.length - 1 : i;
  };
  const ranges = uppers.map((to, i) => ({ from: sorted.find((v) => classOf(v) === i) ?? to, to }));
  return { ranges, classOf };
}
