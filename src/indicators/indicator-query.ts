import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { sparqlIri } from '../rdf/sparql-escape.js';
import type { LinkedDataStore } from '../store/store.js';

/**
 * The slice of one indicator (issue #10, the indicator page): every observation of it in every
 * unit and year, reported or computed, with what a reader needs to read each figure: the unit's
 * names, code, level and containing unit; the dataset (the one a totals' qb:DataSet is part of too)
 * with its title, sample flag, publisher, update frequency if published, date of change and
 * provenance statement; the names of the units of measure and levels. The indicator's own triples
 * are the document's (src/describe/document-query.ts); this is what the HTML page and the CSV
 * slice read beside them, never part of the RDF variants of /def/indicator/{id}.
 */
export function indicatorSliceQuery(indicatorIri: string, base: string): string {
  const ind = sparqlIri(indicatorIri);
  const labels = 'skos:prefLabel, rdfs:label';
  return `PREFIX rdf: <${STD.rdf}>
PREFIX rdfs: <${STD.rdfs}>
PREFIX skos: <${STD.skos}>
PREFIX dct: <${STD.dct}>
PREFIX qb: <${STD.qb}>
PREFIX prov: <${STD.prov}>
PREFIX foaf: <${STD.foaf}>
PREFIX lg: <${base}def/lg#>
CONSTRUCT { ?s ?p ?o } WHERE {
  {
    # the figures: value, area, year, dataset, whether computed (and from what), unit of measure
    ?s qb:measureType ${ind} ; ?p ?o .
    FILTER(?p IN (rdf:type, qb:dataSet, qb:measureType, lg:refArea, lg:refPeriod, lg:unitMeasure, lg:computed, prov:wasDerivedFrom, ${ind}))
  } UNION {
    # the units reported on and those they are within: names in every language, code, level, kind
    { SELECT DISTINCT ?s WHERE { ?obs qb:measureType ${ind} ; lg:refArea/lg:within? ?s } }
    ?s ?p ?o . FILTER(?p IN (rdf:type, ${labels}, lg:code, lg:adminLevel, lg:within))
  } UNION {
    # the levels and units of measure, by name
    { SELECT DISTINCT ?s WHERE { { ?obs qb:measureType ${ind} ; lg:refArea/lg:adminLevel ?s } UNION { ?obs qb:measureType ${ind} ; lg:unitMeasure ?s } } }
    ?s ?p ?o . FILTER(?p IN (${labels}, skos:notation))
  } UNION {
    # the datasets (a totals' qb:DataSet and the dataset it is part of)
    { SELECT DISTINCT ?s WHERE { ?obs qb:measureType ${ind} ; qb:dataSet/dct:isPartOf? ?s } }
    ?s ?p ?o . FILTER(?p IN (rdf:type, dct:title, rdfs:label, dct:isPartOf, lg:sampleData, dct:publisher, dct:accrualPeriodicity, dct:modified, dct:identifier, dct:provenance, skos:editorialNote))
  } UNION {
    # who publishes them, their provenance statements and update frequencies, by name
    { SELECT DISTINCT ?s WHERE { ?obs qb:measureType ${ind} ; qb:dataSet/dct:isPartOf?/(dct:publisher|dct:provenance|dct:accrualPeriodicity) ?s } }
    ?s ?p ?o . FILTER(?p IN (${labels}, foaf:name))
  }
}`;
}

/** The slice's quads (N-Triples from the store, parsed): the HTML page's and the CSV's input. */
export async function indicatorSlice(store: LinkedDataStore, base: string, indicatorIri: string): Promise<Quad[]> {
  const nt = await store.query(indicatorSliceQuery(indicatorIri, base), { resultsFormat: 'application/n-triples' });
  return new N3.Parser({ format: 'N-Triples' }).parse(nt);
}
