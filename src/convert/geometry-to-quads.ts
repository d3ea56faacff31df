import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Problem } from '../errors.js';
import { type Minted, dct, geo, rdf } from '../rdf/namespaces.js';
import { unitIri } from '../rdf/mint-uri.js';
import type { Level } from './layout.js';

const { quad, literal, namedNode } = N3.DataFactory;

/**
 * The boundaries `npm run import-geometry` writes (src/tools/import-geometry.ts): a GeoJSON
 * FeatureCollection whose features carry our unit's code and the Who's On First record they come
 * from, with the credit and licence of the whole. Optional: a data directory without it publishes
 * points only.
 */
export const BOUNDARY_FILE = 'geometry/boundaries.json';

export interface BoundaryFeature {
  properties: { code: string; source: string };
  geometry: Polygon | MultiPolygon;
}
export interface Boundaries {
  credit: string;
  license: string;
  features: BoundaryFeature[];
}

/** The file with its checksum (it is an input of the build, named in the dataset's provenance), or undefined. */
export async function readBoundaries(dataDir: string): Promise<{ boundaries: Boundaries; bytes: number; sha256: string } | undefined> {
  let text: Buffer;
  try {
    text = await readFile(join(dataDir, BOUNDARY_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return { boundaries: JSON.parse(text.toString('utf8')) as Boundaries, bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') };
}

/**
 * Each boundary as a GeoSPARQL geometry beside the unit's point: `<unit> geo:hasGeometry
 * <unit#boundary>`, a geo:Geometry with a (MULTI)POLYGON WKT literal, its Who's On First record
 * (dct:source), licence and credit. A code that names no unit that exists is a problem, as in a
 * spreadsheet. Pure: the same file and units always give the same quads.
 */
export function boundariesToQuads(b: Boundaries, ctx: { ns: Minted; graph: NamedNode; levels: ReadonlyMap<string, Level> }): { quads: Quad[]; problems: Problem[] } {
  const quads: Quad[] = [];
  const problems: Problem[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => quads.push(quad(s, p, o as Quad['object'], ctx.graph));
  for (const f of b.features) {
    const code = f.properties.code;
    const level = ctx.levels.get(code);
    if (!level) {
      problems.push({ code: 'LG_ERR_UNKNOWN_CODE', file: BOUNDARY_FILE, value: code, reason: `the boundary of ${code} names no unit that exists in data/units (run npm run import-geometry again after import-reference)` });
      continue;
    }
    const unit = unitIri(ctx.ns, level, code);
    const g = namedNode(`${unit.value}#boundary`);
    add(unit, geo('hasGeometry'), g);
    add(g, rdf('type'), geo('Geometry'));
    add(g, geo('asWKT'), literal(toWkt(f.geometry), geo('wktLiteral')));
    add(g, dct('source'), namedNode(f.properties.source));
    add(g, dct('license'), namedNode(b.license));
    add(g, dct('bibliographicCitation'), literal(b.credit, 'en'));
  }
  return { quads, problems };
}

/** GeoJSON polygon -> WKT (OGC 06-103r4 §7.2.3; lon lat, as GeoSPARQL's default CRS84). */
export function toWkt(g: Polygon | MultiPolygon): string {
  const ring = (r: Position[]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(',')})`;
  const polygon = (rings: Position[][]) => `(${rings.map(ring).join(',')})`;
  return g.type === 'Polygon' ? `POLYGON${polygon(g.coordinates)}` : `MULTIPOLYGON(${g.coordinates.map(polygon).join(',')})`;
}
