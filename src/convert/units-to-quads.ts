import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import { type Minted, dct, geo, prov, rdf, rdfs, schema, skos, xsd } from '../rdf/namespaces.js';
import { expandCurie, governingBodyIri, sourceRowIri, unitIri } from '../rdf/mint-uri.js';
import { decimalLiteral } from '../rdf/literals.js';
import type { ColumnSpec, UnitsLayout } from './layout.js';
import { isRetired } from './check-units.js';
import { append } from './append.js';
import type { UnitRow } from './read-units.js';
import type { ColumnValue, SourceRef } from './row-schema.js';

const { quad, literal, namedNode } = N3.DataFactory;

/** Data rows -> quads for the units dataset. Pure: the same rows always give the same quads. */
export function unitsToQuads(units: UnitRow[], layout: UnitsLayout, ctx: { ns: Minted; graph: NamedNode }): Quad[] {
  const { ns, graph } = ctx;
  const levelOf = new Map(units.map((u) => [String(u.values.code), u.level]));
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const lg = ns.lg;

  for (const u of units) {
    if (isRetired(u)) {
      append(out, retiredUnitQuads(u, layout, { ns, graph }));
      continue;
    }
    const code = String(u.values.code);
    const s = unitIri(ns, u.level, code);
    const nameEn = String(u.values.name_en);
    add(s, rdf('type'), expandCurie(ns, String(u.values.type)));
    add(s, lg('code'), literal(code));
    add(s, lg('adminLevel'), lg(`level-${u.level}`));
    add(s, prov('wasDerivedFrom'), sourceRowIri(ns, fileName(u.file), { ...(u.sheet !== undefined ? { sheet: u.sheet } : {}), row: u.row }));

    const parent = u.values.parent_code;
    if (parent !== undefined) {
      const parentLevel = levelOf.get(String(parent));
      if (parentLevel) add(s, lg('within'), unitIri(ns, parentLevel, String(parent)));
    }

    if (u.level !== 'country') {
      const body = governingBodyIri(ns, u.level, code);
      add(s, lg('governingBody'), body);
      add(body, lg('governs'), s);
      add(body, rdf('type'), u.level === 'jamoat' ? lg('JamoatBody') : lg('Hukumat'));
      add(body, rdfs('label'), literal(u.level === 'jamoat' ? `Jamoat body of ${nameEn}` : `Hukumat of ${nameEn}`, 'en'));
      add(body, prov('wasDerivedFrom'), sourceRowIri(ns, fileName(u.file), { ...(u.sheet !== undefined ? { sheet: u.sheet } : {}), row: u.row }));
    }

    const centre = u.values.admin_centre;
    if (typeof centre === 'string') {
      const c = namedNode(`${s.value}#centre`);
      add(s, lg('administrativeCentre'), c);
      add(c, rdf('type'), schema('Place'));
      add(c, rdfs('label'), literal(centre, 'en'));
      const lat = u.values.centre_lat;
      const lon = u.values.centre_lon;
      if (typeof lat === 'number' && typeof lon === 'number') addPoint(add, c, namedNode(`${s.value}#centre-point`), lat, lon);
    }
    if (typeof u.values.lat === 'number' && typeof u.values.lon === 'number') {
      addPoint(add, s, namedNode(`${s.value}#point`), u.values.lat, u.values.lon);
    }

    for (const [key, spec] of Object.entries(layout.columns)) {
      const value = u.values[key];
      if (value === undefined || spec.predicate === undefined) continue;
      // The Type column holds the class CURIE (lg:Region, lg:City, ...): some links depend on it.
      const p = expandCurie(ns, spec.predicateByType?.[String(u.values.type)] ?? spec.predicate);
      for (const o of objectsFor(spec, value, ns)) {
        add(s, p, o);
        // rdfs:label beside skos:prefLabel, for clients that know only RDFS.
        if (spec.predicate === 'skos:prefLabel') add(s, rdfs('label'), o);
      }
    }
  }
  return out;
}

/** What a retired unit's row still says (README, "How to retire a unit"). */
const KEPT_WHEN_RETIRED = new Set(['skos:prefLabel', 'skos:changeNote', 'dct:source']);

/**
 * A unit that no longer exists keeps its IRI, described by what it was called, when it ended, what
 * replaced it, and why. It is an lg:RetiredUnit (like Wikidata's "former administrative territorial
 * entity"), with no level, parent or governing body, so no list or count of the units that exist
 * includes it, while the figures of the years it existed still have it as their area. The server
 * answers its URI with 301 to the successor, or 410 Gone.
 */
function retiredUnitQuads(u: UnitRow, layout: UnitsLayout, ctx: { ns: Minted; graph: NamedNode }): Quad[] {
  const { ns, graph } = ctx;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const code = String(u.values.code);
  const s = unitIri(ns, u.level, code);
  add(s, rdf('type'), ns.lg('RetiredUnit'));
  add(s, ns.lg('code'), literal(code));
  add(s, ns.lg('retiredOn'), literal(String(u.values.retired_on), xsd('date')));
  const successor = u.values.replaced_by;
  if (successor !== undefined) add(s, dct('isReplacedBy'), unitIri(ns, u.level, String(successor)));
  add(s, prov('wasDerivedFrom'), sourceRowIri(ns, fileName(u.file), { ...(u.sheet !== undefined ? { sheet: u.sheet } : {}), row: u.row }));
  for (const [key, spec] of Object.entries(layout.columns)) {
    const value = u.values[key];
    if (value === undefined || spec.predicate === undefined || !KEPT_WHEN_RETIRED.has(spec.predicate)) continue;
    for (const o of objectsFor(spec, value, ns)) {
      add(s, expandCurie(ns, spec.predicate), o);
      if (spec.predicate === 'skos:prefLabel') add(s, rdfs('label'), o);
    }
  }
  return out;
}

function addPoint(add: (s: NamedNode, p: NamedNode, o: Term) => void, owner: NamedNode, point: NamedNode, lat: number, lon: number): void {
  add(owner, geo('hasGeometry'), point);
  add(point, rdf('type'), geo('Geometry'));
  // WKT puts longitude first (OGC 06-103r4; GeoSPARQL's default CRS84 is lon/lat).
  add(point, geo('asWKT'), literal(`POINT(${lon} ${lat})`, geo('wktLiteral')));
}

function objectsFor(spec: ColumnSpec, value: ColumnValue, ns: Minted): Term[] {
  switch (spec.type) {
    case 'count':
      return [literal(String(value), xsd('integer'))];
    case 'decimal':
      return [decimalLiteral(Number(value))];
    case 'year':
      return [literal(String(value), xsd('gYear'))];
    case 'date-or-year':
      return [literal(String(value), xsd(/^\d{4}$/.test(String(value)) ? 'gYear' : 'date'))];
    case 'enum':
      return [expandCurie(ns, String(value))];
    case 'qid':
    case 'digits':
      return [namedNode((spec.iri ?? '{value}').replace('{value}', String(value)))];
    case 'sources':
      return (value as SourceRef[]).map((r) => ('iri' in r ? namedNode(r.iri) : literal(r.text)));
    case 'list':
      return (value as string[]).map((v) => (spec.lang ? literal(v, spec.lang) : literal(v)));
    default:
      return [spec.lang ? literal(String(value), spec.lang) : literal(String(value))];
  }
}

/** The published name of a source file: its base name (design.md: /download/{file}). */
export function fileName(path: string): string {
  return path.split('/').pop() ?? path;
}
