import type { Quad, Term } from '@rdfjs/types';

/**
 * Data Cube IC-12 (no two observations of a data set with the same dimension values) and IC-17
 * (in a measure-dimension cube, every measure at each point) in linear time, by hashing each
 * observation's dimension values instead of comparing every pair of observations as the SPARQL of
 * §11.1 does. The computed totals have no sheet rows to check these rules on (check-observations.ts
 * does it for the figures); on their graphs the SPARQL took 157 s and 290 s for the synthetic 1x set
 * (bench/synthetic-data.ts), and grows with the square of the totals.
 *
 * The answers are exact wherever every subject of a qb:dataSet has exactly one, every such data set
 * one qb:structure, every observation one value per dimension of that structure and at most one
 * qb:measureType: there "all dimension values equal" is "same key". Where that does not hold (a
 * graph the shapes reject anyway) it answers undefined and the caller runs the SPARQL
 * (validate-cube.ts). Dimension values are compared as RDF terms (the converter writes canonical
 * forms).
 *
 * IC-17 here is the rule as §11.1 states it. Its SPARQL compares the alias ?count in HAVING, which
 * SPARQL 1.1 binds only after HAVING (§18.2.4.1), so a conformant engine such as Oxigraph never
 * answers true to it (tests/validate-per-graph.test.ts shows both on a broken graph).
 */

const QB = 'http://purl.org/linked-data/cube#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DATA_SET = `${QB}dataSet`;
const STRUCTURE = `${QB}structure`;
const COMPONENT = `${QB}component`;
const COMPONENT_PROPERTY = `${QB}componentProperty`;
const MEASURE_TYPE = `${QB}measureType`;
const DIMENSION_PROPERTY = `${QB}DimensionProperty`;
const MEASURE_PROPERTY = `${QB}MeasureProperty`;

export const PAIR_CHECKS = ['ic-12.rq', 'ic-17.rq'];

/** Term identity as a string: the kind, the value, and a literal's language or datatype. */
function termKey(t: Term): string {
  if (t.termType === 'Literal') return `"${t.value}"@${t.language}^^${t.datatype.value}`;
  return `${t.termType === 'BlankNode' ? '_:' : '<'}${t.value}`;
}

type Multi = Map<string, string[]>;
const push = (m: Multi, k: string, v: string) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

/** Whether IC-12 and IC-17 are violated; undefined where the key comparison would not be exact. */
export function pairAnswers(quads: readonly Quad[]): { ic12: boolean; ic17: boolean } | undefined {
  // Pass 1: the structures, and which observations belong to which data set.
  const dataSetOf: Multi = new Map();
  const structureOf: Multi = new Map();
  const componentsOf: Multi = new Map();
  const propertiesOf: Multi = new Map();
  const measureTypeOf: Multi = new Map();
  const dimensionTyped = new Set<string>();
  const measureTyped = new Set<string>();
  for (const q of quads) {
    const p = q.predicate.value;
    const s = termKey(q.subject);
    if (p === DATA_SET) push(dataSetOf, s, termKey(q.object));
    else if (p === STRUCTURE) push(structureOf, s, termKey(q.object));
    else if (p === COMPONENT) push(componentsOf, s, termKey(q.object));
    else if (p === COMPONENT_PROPERTY) push(propertiesOf, s, termKey(q.object));
    else if (p === MEASURE_TYPE) push(measureTypeOf, s, termKey(q.object));
    else if (p === RDF_TYPE && q.object.value === DIMENSION_PROPERTY && q.object.termType === 'NamedNode') dimensionTyped.add(s);
    else if (p === RDF_TYPE && q.object.value === MEASURE_PROPERTY && q.object.termType === 'NamedNode') measureTyped.add(s);
  }
  // Per structure: its dimensions (sorted, distinct), and its measures counted as the SPARQL's
  // COUNT(?m) over the path qb:component/qb:componentProperty does (with repeats).
  const dsdInfo = new Map<string, { dims: string[]; measures: number }>();
  const infoOf = (dsd: string) => {
    let info = dsdInfo.get(dsd);
    if (!info) {
      const props = (componentsOf.get(dsd) ?? []).flatMap((c) => propertiesOf.get(c) ?? []);
      info = {
        dims: [...new Set(props.filter((p) => dimensionTyped.has(p)))].sort(),
        measures: props.filter((p) => measureTyped.has(p)).length,
      };
      dsdInfo.set(dsd, info);
    }
    return info;
  };
  const obsDsd = new Map<string, { dataset: string; dsd: string }>();
  for (const [obs, sets] of dataSetOf) {
    if (sets.length !== 1) return undefined;
    const dataset = sets[0] as string;
    const structures = structureOf.get(dataset) ?? [];
    if (structures.length !== 1) return undefined;
    obsDsd.set(obs, { dataset, dsd: structures[0] as string });
  }
  // Pass 2: each observation's value of each dimension of its structure.
  const allDims = new Set<string>();
  for (const { dsd } of obsDsd.values()) for (const d of infoOf(dsd).dims) allDims.add(d);
  const values = new Map<string, Multi>();
  for (const q of quads) {
    const p = `<${q.predicate.value}`;
    if (!allDims.has(p)) continue;
    const s = termKey(q.subject);
    if (!obsDsd.has(s)) continue;
    let own = values.get(s);
    if (!own) values.set(s, (own = new Map()));
    push(own, p, termKey(q.object));
  }
  const ic12Keys = new Set<string>();
  const ic17Count = new Map<string, number>();
  const ic17Obs: { key: string; measures: number }[] = [];
  let ic12 = false;
  for (const [obs, { dataset, dsd }] of obsDsd) {
    const info = infoOf(dsd);
    const own = values.get(obs);
    const vals: string[] = [];
    for (const d of info.dims) {
      const v = own?.get(d) ?? [];
      if (v.length !== 1) return undefined;
      vals.push(v[0] as string);
    }
    const types = measureTypeOf.get(obs) ?? [];
    if (types.length > 1) return undefined;
    // IC-12: all dimensions equal; a structure without dimensions gives the SPARQL no row to compare.
    if (info.dims.length > 0) {
      const key = `${dataset}\u0000${vals.join('\u0000')}`;
      if (ic12Keys.has(key)) ic12 = true;
      ic12Keys.add(key);
    }
    // IC-17: observations with a measure type, at the same point (every dimension but qb:measureType).
    if (types.length === 1) {
      const key = `${dataset}\u0000${info.dims.map((d, i) => (d === `<${MEASURE_TYPE}` ? '' : vals[i])).join('\u0000')}`;
      ic17Count.set(key, (ic17Count.get(key) ?? 0) + 1);
      // The SPARQL counts measures per structure with GROUP BY: a structure without one has no row.
      if (info.measures > 0) ic17Obs.push({ key, measures: info.measures });
    }
  }
  const ic17 = ic17Obs.some((o) => ic17Count.get(o.key) !== o.measures);
  return { ic12, ic17 };
}
