/** Longitude, latitude. */
export type Lonlat = [number, number];
/** Rings of one polygon: the outer ring first, then holes. */
export type PolygonRings = Lonlat[][];

/**
 * The polygons of a WKT POLYGON or MULTIPOLYGON (OGC 06-103r4 §7.2.3; lon lat, as GeoSPARQL's
 * default CRS84), or undefined for anything else (a POINT, a malformed literal). What we publish
 * (src/convert/geometry-to-quads.ts) has no Z or M values and no EMPTY parts.
 */
export function parseWktPolygons(wkt: string): PolygonRings[] | undefined {
  const m = /^\s*(MULTIPOLYGON|POLYGON)\s*(\(.*\))\s*$/is.exec(wkt);
  if (!m) return undefined;
  const body = m[2] as string;
  // Turn the nesting into JSON arrays: "((1 2,3 4))" -> [[[1,2],[3,4]]].
  const json = body
    .replace(/(-?[\d.]+(?:e-?\d+)?)\s+(-?[\d.]+(?:e-?\d+)?)/gi, '[$1,$2]')
    .replace(/\(/g, '[')
    .replace(/\)/g, ']');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const polygons = (m[1] as string).toUpperCase() === 'POLYGON' ? [parsed] : parsed;
  return isPolygons(polygons) ? polygons : undefined;
}

function isPolygons(v: unknown): v is PolygonRings[] {
  return Array.isArray(v) && v.every((p) => Array.isArray(p) && p.every((r) => Array.isArray(r) && r.every(
    (pt) => Array.isArray(pt) && pt.length === 2 && pt.every((n) => typeof n === 'number' && Number.isFinite(n)),
  )));
}
