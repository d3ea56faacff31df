import { STD, type Minted } from '../rdf/namespaces.js';
import type { QuadIndex } from '../rdf/quad-index.js';

/**
 * What one slice holds, read from the published quads (so a slice says what the RDF says, nothing
 * else): a district-level unit or a region, every unit within it at any depth (lg:within), and
 * every observation about any of them, from every statistics dataset, the computed totals among
 * them (lg:computed true). Pure: the build's quads (an index of them) in, rows out; the files are made from these by
 * slice-files.ts.
 */

export type SliceLevel = 'district' | 'region';

export interface SliceUnit {
  iri: string;
  code: string;
  level: string;
  type: string;
  name_tg: string;
  name_ru: string;
  name_en: string;
  parent_code: string;
  population: string;
  population_year: string;
}

export interface SliceObservation {
  unit_code: string;
  unit_name_tg: string;
  unit_name_ru: string;
  unit_name_en: string;
  level: string;
  parent_code: string;
  indicator: string;
  indicator_name_en: string;
  year: string;
  value: string;
  unit_of_measure: string;
  /** `true` for a total this service summed (lg:computed), `false` for a reported figure. */
  computed: string;
  /** `true` where the observation's data set is lg:sampleData true. */
  sample: string;
  observation: string;
  dataset: string;
}

export interface Slice {
  /** `district-{code}` or `region-{code}`: the file names' stem and the catalog dataset's id. */
  id: string;
  level: SliceLevel;
  /** The unit the slice is about, first in `units`. */
  unit: SliceUnit;
  units: SliceUnit[];
  observations: SliceObservation[];
  /** The qb:DataSets the observations belong to (a dataset, or its computed totals). */
  dataSets: string[];
  /** The catalog datasets the figures come from (the totals' own data sets are part of these). */
  sources: string[];
}

const after = (iri: string, prefix: string) => (iri.startsWith(prefix) ? iri.slice(prefix.length) : '');
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sliceId(level: SliceLevel, code: string): string {
  return `${level}-${code}`;
}

/** One slice per region and per district-level unit, in code order. */
export function makeSlices(index: QuadIndex, ns: Minted): Slice[] {
  const lg = `${ns.base}def/lg#`;
  const one = (s: string, p: string) => index.one(s, p) ?? '';
  const label = (s: string, lang: string) => index.objects(s, `${STD.skos}prefLabel`).find((o) => o.termType === 'Literal' && o.language === lang)?.value ?? '';
  const children = new Map<string, string[]>();
  for (const q of index.withPredicate(`${lg}within`)) {
    const list = children.get(q.object.value) ?? [];
    if (!list.includes(q.subject.value)) list.push(q.subject.value);
    children.set(q.object.value, list);
  }
  const unitOf = new Map<string, SliceUnit>();
  const unit = (iri: string): SliceUnit => {
    let u = unitOf.get(iri);
    if (!u) {
      const parent = one(iri, `${lg}within`);
      u = {
        iri,
        code: one(iri, `${lg}code`),
        level: after(one(iri, `${lg}adminLevel`), `${lg}level-`),
        type: index.objects(iri, `${STD.rdf}type`).map((t) => after(t.value, lg)).find((t) => t !== '') ?? '',
        name_tg: label(iri, 'tg'),
        name_ru: label(iri, 'ru'),
        name_en: label(iri, 'en'),
        parent_code: parent ? one(parent, `${lg}code`) : '',
        population: one(iri, `${lg}population`),
        population_year: one(iri, `${lg}populationYear`),
      };
      unitOf.set(iri, u);
    }
    return u;
  };
  const observation = `${STD.qb}Observation`;
  const isObservation = (o: string) => index.about(o).some((q) => q.predicate.value === `${STD.rdf}type` && q.object.termType === 'NamedNode' && q.object.value === observation);
  // The observations about each unit, grouped in one pass over lg:refArea (not one pass per unit).
  const about = new Map<string, Set<string>>();
  for (const q of index.withPredicate(`${lg}refArea`)) {
    if (q.object.termType !== 'NamedNode') continue;
    const set = about.get(q.object.value) ?? new Set<string>();
    set.add(q.subject.value);
    about.set(q.object.value, set);
  }
  const figuresOf = (u: SliceUnit): SliceObservation[] =>
    [...(about.get(u.iri) ?? [])]
      .filter(isObservation)
      .map((o) => {
        const indicator = one(o, `${STD.qb}measureType`);
        const dataSet = one(o, `${STD.qb}dataSet`);
        return {
          unit_code: u.code,
          unit_name_tg: u.name_tg,
          unit_name_ru: u.name_ru,
          unit_name_en: u.name_en,
          level: u.level,
          parent_code: u.parent_code,
          indicator: after(indicator, `${ns.base}def/indicator/`),
          indicator_name_en: label(indicator, 'en'),
          year: one(o, `${lg}refPeriod`),
          value: one(o, indicator),
          unit_of_measure: after(one(o, `${lg}unitMeasure`), `${lg}unit-`),
          computed: one(o, `${lg}computed`) === 'true' ? 'true' : 'false',
          sample: one(dataSet, `${lg}sampleData`) === 'true' ? 'true' : 'false',
          observation: o,
          dataset: dataSet,
        };
      });

  const slices: Slice[] = [];
  for (const level of ['region', 'district'] as const) {
    const roots = index.subjectsOf(`${lg}adminLevel`, `${lg}level-${level}`).map(unit);
    roots.sort((a, b) => byString(a.code, b.code));
    for (const root of roots) {
      // Depth first, children in code order: the unit, then each unit within it and what is within that.
      const units: SliceUnit[] = [];
      const seen = new Set<string>();
      const visit = (iri: string) => {
        if (seen.has(iri)) return;
        seen.add(iri);
        units.push(unit(iri));
        for (const c of [...(children.get(iri) ?? [])].sort((a, b) => byString(unit(a).code, unit(b).code))) visit(c);
      };
      visit(root.iri);
      const observations = units.flatMap(figuresOf);
      observations.sort((a, b) => byString(a.unit_code, b.unit_code) || byString(a.indicator, b.indicator) || byString(a.year, b.year) || byString(a.observation, b.observation));
      const dataSets = [...new Set(observations.map((o) => o.dataset))].sort(byString);
      // A totals data set is dct:isPartOf its dataset (src/convert/aggregate.ts).
      const sources = [...new Set(dataSets.map((d) => one(d, `${STD.dct}isPartOf`) || d))].sort(byString);
      slices.push({ id: sliceId(level, root.code), level, unit: root, units, observations, dataSets, sources });
    }
  }
  return slices;
}
