import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import { type Minted, prov, qb, rdf, rdfs, xsd } from '../rdf/namespaces.js';
import { datasetIri, observationIri, sourceRowIri, unitIri } from '../rdf/mint-uri.js';
import { decimalLiteral, integerLiteral } from '../rdf/literals.js';
import type { ObservationRow } from './read-wide.js';
import { fileName } from './units-to-quads.js';
import type { Indicator } from './indicators.js';
import type { Level } from './layout.js';
import { append } from './append.js';

const { quad, literal, namedNode } = N3.DataFactory;

/**
 * Observations -> RDF Data Cube quads in the "measure dimension" style (qb:measureType), written
 * fully normalised (every observation carries its dataset, dimensions and unit) so that the
 * integrity constraints of the Data Cube recommendation (§11) run on it as published.
 */
export function statsToQuads(rows: ObservationRow[], ctx: { ns: Minted; graph: NamedNode; dataset: string }): Quad[] {
  const { ns, graph, dataset } = ctx;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const ds = datasetIri(ns, dataset);
  const dsd = namedNode(`${ds.value}/structure`);

  const indicators = [...new Map(rows.map((r) => [r.indicator.id, r.indicator])).values()];
  append(out, cubeStructure({ ns, graph, ds, dsd, label: `Structure of the ${dataset} statistics`, indicators }));

  for (const r of rows) {
    const o = observationIri(ns, { dataset, unitCode: r.unitCode, indicator: r.indicator.id, year: r.year });
    append(out, observationCore(o, r, { ns, graph, ds }));
    add(o, prov('wasDerivedFrom'), sourceRowIri(ns, fileName(r.file), { ...(r.sheet !== undefined ? { sheet: r.sheet } : {}), row: r.row }));
  }
  return out;
}

/**
 * A data structure definition in the measure-dimension style: area, period and measure type as
 * dimensions, one measure per indicator, the unit of measure and the dataset's sample flag as
 * attributes. Shared by a dataset's figures and its totals (aggregate.ts), which are two qb:DataSets.
 */
export function cubeStructure(c: { ns: Minted; graph: NamedNode; ds: NamedNode; dsd: NamedNode; label: string; indicators: Indicator[] }): Quad[] {
  const { ns, graph, ds, dsd } = c;
  const lg = ns.lg;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  add(ds, rdf('type'), qb('DataSet'));
  add(ds, qb('structure'), dsd);
  add(dsd, rdf('type'), qb('DataStructureDefinition'));
  add(dsd, rdfs('label'), literal(c.label, 'en'));
  const indicators = [...c.indicators].sort((a, b) => a.id.localeCompare(b.id));
  const components: { id: string; kind: 'dimension' | 'measure' | 'attribute'; property: NamedNode; attachment?: NamedNode }[] = [
    { id: 'refArea', kind: 'dimension', property: lg('refArea') },
    { id: 'refPeriod', kind: 'dimension', property: lg('refPeriod') },
    { id: 'measureType', kind: 'dimension', property: qb('measureType') },
    ...indicators.map((i) => ({ id: i.id, kind: 'measure' as const, property: namedNode(i.iri) })),
    { id: 'unitMeasure', kind: 'attribute', property: lg('unitMeasure') },
    { id: 'sampleData', kind: 'attribute', property: lg('sampleData'), attachment: qb('DataSet') },
  ];
  components.forEach((comp, i) => {
    const node = namedNode(`${dsd.value}#${comp.id}`);
    add(dsd, qb('component'), node);
    add(node, rdf('type'), qb('ComponentSpecification'));
    add(node, qb(comp.kind), comp.property);
    // Normalisation rule of §10.1: the generic qb:componentProperty beside the specific one.
    add(node, qb('componentProperty'), comp.property);
    add(node, qb('order'), integerLiteral(i + 1));
    if (comp.attachment) add(node, qb('componentAttachment'), comp.attachment);
  });
  return out;
}

/** What every observation says: its dataset, its three dimensions, its value and unit (not its provenance). */
export function observationCore(
  o: NamedNode,
  r: { unitCode: string; unitLevel: Level; indicator: Indicator; year: number; value: number },
  c: { ns: Minted; graph: NamedNode; ds: NamedNode },
): Quad[] {
  const lg = c.ns.lg;
  const measure = namedNode(r.indicator.iri);
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, obj: Term) => out.push(quad(s, p, obj as Quad['object'], c.graph));
  add(o, rdf('type'), qb('Observation'));
  add(o, qb('dataSet'), c.ds);
  add(o, lg('refArea'), unitIri(c.ns, r.unitLevel, r.unitCode));
  add(o, lg('refPeriod'), literal(String(r.year), xsd('gYear')));
  add(o, qb('measureType'), measure);
  add(o, measure, r.indicator.datatype === 'integer' ? integerLiteral(r.value) : decimalLiteral(r.value));
  if (r.indicator.unit) add(o, lg('unitMeasure'), namedNode(r.indicator.unit));
  return out;
}
