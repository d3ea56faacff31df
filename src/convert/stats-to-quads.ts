import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import { type Minted, prov, qb, rdf, rdfs, xsd } from '../rdf/namespaces.js';
import { datasetIri, observationIri, sourceRowIri, unitIri } from '../rdf/mint-uri.js';
import { decimalLiteral, integerLiteral } from '../rdf/literals.js';
import type { ObservationRow } from './read-wide.js';
import { fileName } from './units-to-quads.js';

const { quad, literal, namedNode } = N3.DataFactory;

/**
 * Observations -> RDF Data Cube quads in the "measure dimension" style (qb:measureType), written
 * fully normalised (every observation carries its dataset, dimensions and unit) so that the
 * integrity constraints of the Data Cube recommendation (§11) run on it as published.
 */
export function statsToQuads(rows: ObservationRow[], ctx: { ns: Minted; graph: NamedNode; dataset: string }): Quad[] {
  const { ns, graph, dataset } = ctx;
  const lg = ns.lg;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const ds = datasetIri(ns, dataset);
  const dsd = namedNode(`${ds.value}/structure`);

  add(ds, rdf('type'), qb('DataSet'));
  add(ds, qb('structure'), dsd);
  add(dsd, rdf('type'), qb('DataStructureDefinition'));
  add(dsd, rdfs('label'), literal(`Structure of the ${dataset} statistics`, 'en'));

  const indicators = [...new Map(rows.map((r) => [r.indicator.id, r.indicator])).values()].sort((a, b) => a.id.localeCompare(b.id));
  const components: { id: string; kind: 'dimension' | 'measure' | 'attribute'; property: NamedNode; attachment?: NamedNode }[] = [
    { id: 'refArea', kind: 'dimension', property: lg('refArea') },
    { id: 'refPeriod', kind: 'dimension', property: lg('refPeriod') },
    { id: 'measureType', kind: 'dimension', property: qb('measureType') },
    ...indicators.map((i) => ({ id: i.id, kind: 'measure' as const, property: namedNode(i.iri) })),
    { id: 'unitMeasure', kind: 'attribute', property: lg('unitMeasure') },
    { id: 'sampleData', kind: 'attribute', property: lg('sampleData'), attachment: qb('DataSet') },
  ];
  components.forEach((c, i) => {
    const node = namedNode(`${dsd.value}#${c.id}`);
    add(dsd, qb('component'), node);
    add(node, rdf('type'), qb('ComponentSpecification'));
    add(node, qb(c.kind), c.property);
    // Normalisation rule of §10.1: the generic qb:componentProperty beside the specific one.
    add(node, qb('componentProperty'), c.property);
    add(node, qb('order'), integerLiteral(i + 1));
    if (c.attachment) add(node, qb('componentAttachment'), c.attachment);
  });

  for (const r of rows) {
    const o = observationIri(ns, { dataset, unitCode: r.unitCode, indicator: r.indicator.id, year: r.year });
    const measure = namedNode(r.indicator.iri);
    add(o, rdf('type'), qb('Observation'));
    add(o, qb('dataSet'), ds);
    add(o, lg('refArea'), unitIri(ns, r.unitLevel, r.unitCode));
    add(o, lg('refPeriod'), literal(String(r.year), xsd('gYear')));
    add(o, qb('measureType'), measure);
    add(o, measure, r.indicator.datatype === 'integer' ? integerLiteral(r.value) : decimalLiteral(r.value));
    if (r.indicator.unit) add(o, lg('unitMeasure'), namedNode(r.indicator.unit));
    add(o, prov('wasDerivedFrom'), sourceRowIri(ns, fileName(r.file), { ...(r.sheet !== undefined ? { sheet: r.sheet } : {}), row: r.row }));
  }
  return out;
}
