import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import type { Indicator } from './indicators.js';

/**
 * SHACL shapes generated from the indicators of the vocabulary: SHACL Core cannot say "the value
 * of the measure named by qb:measureType has that measure's rdfs:range", so each indicator gets
 * its own shape. Generated, not written by hand, so that adding an indicator stays a vocabulary
 * edit. "Exactly one measure value per observation" needs no shape of its own: qb:measureType is
 * exactly one (statistics.ttl), each value must match it (here), and Data Cube IC-14/15 require
 * the value it names. (An sh:xone over every indicator did the same and was most of the
 * conversion time: rdf-validate-shacl builds a full result for each failing alternative.)
 */
export function indicatorShapes(indicators: Indicator[], base: string): Quad[] {
  const esc = (s: string) => s.replace(/["\\]/g, '\\$&');
  const shapes = indicators.map((i) => {
    const label = esc(i.labels.en ?? i.id);
    const max = i.max !== undefined ? `sh:maxInclusive ${i.max} ;` : '';
    return `
<def/lg-shapes#Observation-${i.id}> a sh:NodeShape ;
  rdfs:label "Observation of ${label}"@en ;
  sh:targetSubjectsOf <${i.iri}> ;
  sh:property [
    sh:path <${i.iri}> ; sh:maxCount 1 ; sh:datatype xsd:${i.datatype} ; sh:minInclusive 0 ; ${max}
    sh:message "The value of ${label} must be one non-negative xsd:${i.datatype}${i.max !== undefined ? ` of at most ${i.max}` : ''}."@en
  ] , [
    sh:path qb:measureType ; sh:hasValue <${i.iri}> ;
    sh:message "An observation with a value of ${label} must have that indicator as its qb:measureType."@en
  ]${i.unit ? ` , [
    sh:path lg:unitMeasure ; sh:hasValue <${i.unit}> ;
    sh:message "An observation of ${label} must have the indicator's unit as lg:unitMeasure."@en
  ]` : ''} .`;
  });
  const turtle = `
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix lg: <def/lg#> .
${shapes.join('\n')}
`;
  return new N3.Parser({ baseIRI: base, format: 'text/turtle' }).parse(turtle);
}
