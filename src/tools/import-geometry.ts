/**
 * Import the boundaries of the shared reference (`../shared/reference/geometry/boundaries.geojson`,
 * Who's On First Mesoshapes, CC0) into `data/geometry/boundaries.json`, simplified for maps.
 *
 *   npm run import-geometry -- [--reference FILE] [--units DIR] [--out FILE]
 *
 * Each feature names the reference row it draws (`properties.reference_ids`); that row's unit is
 * found by the `Reference key` column of `data/units/csv/{regions,districts}.csv`, which
 * import-reference wrote. A feature whose ids name no unit, or more than one, is reported and left
 * out: never matched by name or by place.
 *
 * Simplified with topojson (topojson-server builds a topology, so a border two units share is one
 * arc; topojson-simplify removes points by Visvalingam's effective area on that arc, so both
 * neighbours keep the same border and no gap or overlap opens between them). A hand-written
 * Douglas-Peucker per polygon would move each side of a border differently. The reference is about
 * 1.4 MB; the output a few tens of KB, the regions alone under 10 KB.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { topology } from 'topojson-server';
import { presimplify, simplify } from 'topojson-simplify';
import { feature } from 'topojson-client';
import type { GeometryCollection, Objects, Topology } from 'topojson-specification';
import { PROJECT_ROOT } from '../project.js';

/** The Who's On First repository and the commit the reference was taken at (SOURCES.md, row 7). */
export const WOF_REPO = 'https://github.com/whosonfirst-data/whosonfirst-data-admin-tj';
export const WOF_COMMIT = '2f44379f3dbcec41293ae033d15f55535d5da054';
export const WOF_CREDIT = "Data from Who's On First";
export const CC0 = 'https://creativecommons.org/publicdomain/zero/1.0/';

/**
 * Smallest triangle area (square degrees) a point must span to stay. 0.002 keeps the shape of a
 * district drawn 600 px wide (a point is about 0.007° there) and leaves the 5 regions about 8 KB.
 */
export const MIN_WEIGHT = 0.002;
/** Coordinates to 3 decimals: about 100 m, well under a pixel of any map we draw. */
export const DECIMALS = 3;

type Area = Polygon | MultiPolygon;

export interface BoundaryProperties {
  /** Our unit's code, e.g. TJ-SU or TJ-SU-07. */
  code: string;
  level: 'region' | 'district';
  wofId: number;
  wofName: string;
  /** The Who's On First record at the reference's commit. */
  source: string;
}

export interface BoundaryFile extends FeatureCollection<Area, BoundaryProperties> {
  credit: string;
  license: string;
  /** How the shapes were made from the reference (for a reader of the file). */
  derivation: string;
  /** Reference features that named no unit of ours (or several): reported, not guessed. */
  unmatched: { referenceIds: string[]; wofId: number; wofName: string; reason: string }[];
}

interface ReferenceProps {
  reference_ids: string[];
  level: string;
  wof_id: number;
  wof_name: string;
  wof_path: string;
}

/** A unit of ours a reference row became: its code and level. */
export interface UnitRef { code: string; level: 'region' | 'district' }

/** Reference key -> our unit, from the CSV copies of the units workbooks. */
export function codesByReferenceKey(unitsDir: string): Map<string, UnitRef> {
  const out = new Map<string, UnitRef>();
  for (const level of ['region', 'district'] as const) {
    const rows = parse(readFileSync(join(unitsDir, 'csv', `${level}s.csv`), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    for (const r of rows) if (r['Reference key'] && r.Code) out.set(r['Reference key'], { code: r.Code, level });
  }
  return out;
}

/** The reference's features matched to our units and simplified together (pure). */
export function importBoundaries(reference: FeatureCollection<Area, ReferenceProps>, units: ReadonlyMap<string, UnitRef>): BoundaryFile {
  const unmatched: BoundaryFile['unmatched'] = [];
  const matched: Feature<Area, BoundaryProperties>[] = [];
  const seen = new Map<string, number>();
  for (const f of reference.features) {
    const p = f.properties;
    const found = [...new Set(p.reference_ids.map((id) => units.get(id)).filter((u): u is UnitRef => u !== undefined))];
    const level = p.level === 'region' ? 'region' : p.level === 'district' ? 'district' : undefined;
    const miss = (reason: string) => unmatched.push({ referenceIds: p.reference_ids, wofId: p.wof_id, wofName: p.wof_name, reason });
    if (!level) { miss(`level ${JSON.stringify(p.level)} is neither region nor district`); continue; }
    if (found.length === 0) { miss('no unit has this reference key'); continue; }
    if (found.length > 1) { miss(`the ids name ${found.length} units (${found.map((u) => u.code).join(', ')})`); continue; }
    const { code, level: unitLevel } = found[0] as UnitRef;
    if (unitLevel !== level) { miss(`a ${level} boundary, but ${code} is a ${unitLevel}`); continue; }
    if (seen.has(code)) { miss(`${code} already has the boundary of Who's On First ${seen.get(code)}`); continue; }
    seen.set(code, p.wof_id);
    matched.push({
      type: 'Feature',
      properties: { code, level, wofId: p.wof_id, wofName: p.wof_name, source: `${WOF_REPO}/blob/${WOF_COMMIT}/${p.wof_path}` },
      geometry: f.geometry,
    });
  }
  matched.sort((a, b) => a.properties.code.localeCompare(b.properties.code));

  // One topology for regions and districts: a region's border is its districts' outer borders.
  const collection: FeatureCollection = { type: 'FeatureCollection', features: matched };
  const topo = presimplify(topology({ units: collection }, 1e5) as unknown as Topology<Objects<BoundaryProperties>>);
  const simple = simplify(topo, MIN_WEIGHT);
  const out = feature(simple, simple.objects.units as GeometryCollection<BoundaryProperties>) as FeatureCollection<Area, BoundaryProperties>;
  const features = out.features.map((f) => ({ type: 'Feature' as const, properties: f.properties, geometry: rounded(f.geometry) }));
  return {
    type: 'FeatureCollection',
    credit: WOF_CREDIT,
    license: CC0,
    derivation: `Who's On First Mesoshapes (${WOF_REPO} at ${WOF_COMMIT}), via ../shared/reference/geometry/boundaries.geojson; simplified with topojson-simplify (minimum weight ${MIN_WEIGHT} square degrees, borders shared), coordinates to ${DECIMALS} decimals. Approximate; no legal weight.`,
    unmatched,
    features,
  };
}

/** Coordinates to DECIMALS places, without the rings that rounding left with under 4 points. */
function rounded(g: Area): Area {
  const k = 10 ** DECIMALS;
  const ring = (r: Position[]) => {
    const pts = r.map(([x, y]) => [Math.round((x as number) * k) / k, Math.round((y as number) * k) / k]);
    return pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1]![0] || p[1] !== pts[i - 1]![1]);
  };
  const polygon = (rings: Position[][]) => rings.map(ring).filter((r) => r.length >= 4);
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: polygon(g.coordinates) };
  const parts = g.coordinates.map(polygon).filter((p) => p.length > 0);
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts };
}

/** One feature per line: small diffs when the reference changes. */
export function formatBoundaryFile(file: BoundaryFile): string {
  const { features, ...head } = file;
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "features": [\n${features.map((f) => `    ${JSON.stringify(f)}`).join(',\n')}\n  ]\n}\n`;
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return resolve(i >= 0 && args[i + 1] ? args[i + 1]! : fallback);
  };
  const reference = opt('--reference', join(PROJECT_ROOT, '..', 'shared', 'reference', 'geometry', 'boundaries.geojson'));
  const unitsDir = opt('--units', join(PROJECT_ROOT, 'data', 'units'));
  const out = opt('--out', join(PROJECT_ROOT, 'data', 'geometry', 'boundaries.json'));
  const file = importBoundaries(JSON.parse(readFileSync(reference, 'utf8')) as FeatureCollection<Area, ReferenceProps>, codesByReferenceKey(unitsDir));
  const text = formatBoundaryFile(file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const regions = file.features.filter((f) => f.properties.level === 'region');
  console.log(`Wrote ${out}: ${file.features.length} boundaries (${regions.length} regions, ${file.features.length - regions.length} district-level), ${text.length} bytes`);
  for (const u of file.unmatched) console.log(`  NOT MATCHED: Who's On First ${u.wofId} ${u.wofName} (${u.referenceIds.join(', ')}): ${u.reason}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
