import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import type { Manifest } from '../convert/layout.js';
import { datasetIri, graphIri } from '../rdf/mint-uri.js';
import { type Minted, STD, dct, namespace, qb, rdf, xsd } from '../rdf/namespaces.js';
import type { QuadIndex } from '../rdf/quad-index.js';
import { languageConcept } from './controlled-vocabularies.js';

/**
 * Quality figures of each dataset (W3C Data Quality Vocabulary, as DCAT-AP uses it: the dataset
 * `dqv:hasQualityMeasurement` each `dqv:QualityMeasurement`), computed at conversion time from the
 * quads just made. Pure: quads in (an index of them, src/rdf/quad-index.ts), quads out; the
 * metrics are defined in vocab/lg.ttl.
 *
 * - completeness, per year: units with at least one figure / units expected, where expected are
 *   the units of the level(s) the dataset's figures are of that existed that year (lg:validFrom,
 *   lg:retiredOn: the rule the converter admits figures by, aggregate.ts `existedIn`);
 * - names in tg, ru, en; links to Wikidata, to GeoNames: shares of the dataset's units (for a
 *   statistics dataset, the units with figures);
 * - freshness: days from the end of the latest figure's year to the build's date, which is the
 *   release's date or else the newest dct:modified of the manifest, never the clock: the same input
 *   gives the same quads (and data version);
 * - conformance: true, with what was checked. A dataset that fails the SHACL shapes or the Data
 *   Cube constraints stops the conversion (convert.ts), so a published one has passed them.
 *
 * Shares are decimals rounded to 4 places (tests/hxl-quality.test.ts recomputes them with SPARQL).
 */

const { quad, literal, namedNode } = N3.DataFactory;
const dqv = namespace('http://www.w3.org/ns/dqv#');
const LANGS = ['tg', 'ru', 'en'] as const;
const WIKIDATA = 'http://www.wikidata.org/entity/';
const GEONAMES = /^https?:\/\/sws\.geonames\.org\/\d+\/?$/;
const GEONAMES_LINKS = [`${STD.owl}sameAs`, `${STD.skos}exactMatch`, `${STD.skos}closeMatch`];
const DAY_MS = 86_400_000;

export interface QualityContext {
  ns: Minted;
  manifest: Manifest;
  /** The graph the measurements go in (the catalog's). */
  graph: NamedNode;
  /** YYYY-MM-DD: the date freshness is measured at. */
  buildDate: string;
  /** What the conversion checked every dataset with. */
  checked: { shapes: number; cubeConstraints: number };
}

export function qualityQuads(index: QuadIndex, ctx: QualityContext): Quad[] {
  const { ns, graph } = ctx;
  const lg = `${ns.base}def/lg#`;
  const objects = (s: string, p: string) => index.objects(s, p);
  const one = (s: string, p: string) => index.one(s, p);
  const out: Quad[] = [];

  for (const spec of ctx.manifest.datasets) {
    const ds = datasetIri(ns, spec.id);
    const measure = (key: string, metric: string, value: Term, extra: [NamedNode, Term][] = []) => {
      const m = namedNode(`${ds.value}#quality-${key}`);
      const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
      add(ds, dqv('hasQualityMeasurement'), m);
      add(m, rdf('type'), dqv('QualityMeasurement'));
      add(m, dqv('computedOn'), ds);
      add(m, dqv('isMeasurementOf'), namedNode(`${lg}${metric}`));
      add(m, dqv('value'), value);
      for (const [p, o] of extra) add(m, p, o);
    };

    let units: string[];
    let latestYear: number | undefined;
    if (spec.kind === 'units') {
      units = index.subjectsOf(`${lg}adminLevel`, undefined, graphIri(ns, spec.id).value);
      latestYear = max(units.map((u) => Number(one(u, `${lg}populationYear`) ?? NaN)));
    } else {
      const observations = index.subjectsOf(qb('dataSet').value, ds.value);
      const byYear = new Map<number, Set<string>>();
      for (const o of observations) {
        const year = Number(one(o, `${lg}refPeriod`));
        const area = one(o, `${lg}refArea`);
        if (!area || !Number.isInteger(year)) continue;
        byYear.set(year, (byYear.get(year) ?? new Set()).add(area));
      }
      units = [...new Set([...byYear.values()].flatMap((s) => [...s]))];
      latestYear = max([...byYear.keys()]);
      const levels = new Set(units.map((u) => one(u, `${lg}adminLevel`)).filter((l): l is string => l !== undefined));
      const ofLevels = [...levels].flatMap((l) => index.subjectsOf(`${lg}adminLevel`, l));
      for (const [year, reporting] of [...byYear].sort((a, b) => a[0] - b[0])) {
        const expected = new Set(ofLevels.filter((u) => existedIn(one(u, `${lg}validFrom`), one(u, `${lg}retiredOn`), year)));
        if (expected.size === 0) continue;
        const reported = [...reporting].filter((u) => expected.has(u)).length;
        measure(`completeness-${year}`, 'completenessMetric', share(reported, expected.size), [[namedNode(`${lg}refPeriod`), literal(String(year), xsd('gYear'))]]);
      }
    }

    if (units.length > 0) {
      for (const l of LANGS) {
        const named = units.filter((u) => objects(u, `${STD.skos}prefLabel`).some((o) => o.termType === 'Literal' && o.language === l)).length;
        measure(`names-${l}`, 'nameCoverageMetric', share(named, units.length), [[dct('language'), namedNode(languageConcept(l).iri)]]);
      }
      const wikidata = units.filter((u) => objects(u, `${STD.owl}sameAs`).some((o) => o.value.startsWith(WIKIDATA))).length;
      measure('wikidata', 'wikidataLinkMetric', share(wikidata, units.length));
      const geonames = units.filter((u) => GEONAMES_LINKS.some((p) => objects(u, p).some((o) => GEONAMES.test(o.value)))).length;
      measure('geonames', 'geonamesLinkMetric', share(geonames, units.length));
    }
    if (latestYear !== undefined) {
      const days = Math.round((Date.parse(`${ctx.buildDate}T00:00:00Z`) - Date.parse(`${latestYear}-12-31T00:00:00Z`)) / DAY_MS);
      measure('freshness', 'freshnessMetric', literal(String(days), xsd('integer')), [[dct('date'), literal(ctx.buildDate, xsd('date'))]]);
    }
    const checks = conformanceNote(spec.kind === 'statistics', ctx.checked);
    measure('conformance', 'conformanceMetric', literal('true', xsd('boolean')), LANGS.map((l) => [dct('description'), literal(checks[l], l)]));
  }
  return out;
}

/** The latest build date the manifest allows: a release's date, else the newest dataset's dct:modified. */
export function buildDateOf(manifest: Manifest, release?: { date: string }): string {
  return release?.date ?? manifest.datasets.map((d) => d.modified).sort().at(-1) ?? '1970-01-01';
}

/**
 * Rounded to 4 places and written in the canonical form (no trailing zeros: "0.078", "1", "0"),
 * which is how the store gives a decimal back: the dumps and /sparql?graph= then hold the same
 * literal (tests/sparql-graph-store.test.ts compares them).
 */
function share(n: number, of: number): Term {
  return literal(String(Number((n / of).toFixed(4))), xsd('decimal'));
}

function max(values: number[]): number | undefined {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? Math.max(...finite) : undefined;
}

/** aggregate.ts `existedIn`, on the published literals: retired before the year began, or valid only from a later year, is out. */
function existedIn(validFrom: string | undefined, retiredOn: string | undefined, year: number): boolean {
  if (retiredOn !== undefined && `${year}-01-01` >= retiredOn) return false;
  if (validFrom !== undefined && Number(validFrom.slice(0, 4)) > year) return false;
  return true;
}

function conformanceNote(cube: boolean, c: QualityContext['checked']): Record<(typeof LANGS)[number], string> {
  return {
    tg: `Санҷида шуд ҳангоми табдил: ${c.shapes} шакли SHACL (/def/lg-shapes)${cube ? ` ва ${c.cubeConstraints} маҳдудияти бутунии RDF Data Cube (IC-1 … IC-21)` : ''}.`,
    ru: `Проверено при преобразовании: ${c.shapes} форм SHACL (/def/lg-shapes)${cube ? ` и ${c.cubeConstraints} ограничений целостности RDF Data Cube (IC-1 … IC-21)` : ''}.`,
    en: `Checked at conversion: ${c.shapes} SHACL shapes (/def/lg-shapes)${cube ? ` and ${c.cubeConstraints} RDF Data Cube integrity constraints (IC-1 … IC-21)` : ''}.`,
  };
}
