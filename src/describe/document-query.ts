import { STD } from '../rdf/namespaces.js';
import { sparqlIri, sparqlString } from '../rdf/sparql-escape.js';

/**
 * The SPARQL CONSTRUCT that gathers what a document about `iri` holds (issue #3): the resource's
 * own triples and those of its hash IRIs (points, centres, DSD components); the labels, types and
 * codes of everything it links to, so a client can show names without another request; its chain
 * of containing units (breadcrumbs); what links to it (a district's jamoats, a unit's governing
 * body); and, for a unit, its statistics with period, unit of measure and dataset.
 */
export function documentQuery(iri: string, base: string): string {
  const r = sparqlIri(iri);
  const hash = sparqlString(`${iri}#`);
  const lg = `${base}def/lg#`;
  const summary = `rdf:type, skos:prefLabel, rdfs:label, lg:code, lg:adminLevel, skos:notation, dct:title, lg:sampleData, lg:unitOfMeasure, lg:within`;
  return `PREFIX rdf: <${STD.rdf}>
PREFIX rdfs: <${STD.rdfs}>
PREFIX skos: <${STD.skos}>
PREFIX dct: <${STD.dct}>
PREFIX qb: <${STD.qb}>
PREFIX prov: <${STD.prov}>
PREFIX lg: <${lg}>
CONSTRUCT { ?s ?p ?o } WHERE {
  {
    ${r} ?p ?o . BIND(${r} AS ?s)
  } UNION {
    # hash IRIs of the resource, one or two links away (#point, #centre, #centre-point, #period)
    ${r} ?x ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${hash})) ?s ?p ?o .
  } UNION {
    ${r} ?x ?h . FILTER(isIRI(?h) && STRSTARTS(STR(?h), ${hash})) ?h ?y ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${hash})) ?s ?p ?o .
  } UNION {
    # DSD components are hash IRIs of the structure, not of the dataset
    ${r} qb:component ?s . ?s ?p ?o .
  } UNION {
    # names of what the resource links to
    ${r} ?x ?s . FILTER(isIRI(?s)) ?s ?p ?o . FILTER(?p IN (${summary}))
  } UNION {
    # the chain of containing units, for breadcrumbs (also of the unit an organisation governs or a figure is about)
    ${r} (lg:within|lg:governs|lg:refArea)/lg:within* ?s . ?s ?p ?o . FILTER(?p IN (${summary}))
  } UNION {
    # what links to it: a district's jamoats, a unit's governing body
    ?s ?x ${r} . FILTER(?x NOT IN (lg:refArea, qb:dataSet, qb:measureType, prov:wasDerivedFrom)) ?s ?p ?o .
    FILTER(?p = ?x || ?p IN (${summary}, lg:population, lg:populationYear, lg:jamoatListStatus))
  } UNION {
    # a unit's statistics: every observation of it, with what a reader needs to read the figure
    ?s lg:refArea ${r} ; ?p ?o .
  } UNION {
    ?obs lg:refArea ${r} ; ?x ?s . FILTER(isIRI(?s)) ?s ?p ?o . FILTER(?p IN (${summary}, dct:isPartOf))
  } UNION {
    # computed totals: the dataset their qb:DataSet is part of (its title and sample flag)
    ?obs lg:refArea ${r} ; qb:dataSet/dct:isPartOf ?s . ?s ?p ?o . FILTER(?p IN (${summary}))
  }
}`;
}

/**
 * The figures of the units directly below `iri` (a district's jamoats, a region's district-level
 * units with their own figures or computed totals, the country's regions): enough to count who
 * reported each indicator and year ("n of m units reported", src/html/statistics.ts) and to compare
 * them (the value, whether we computed it; src/describe/compare-model.ts), with the indicators'
 * and datasets' names. For the HTML page only: the figures are the units' own documents.
 */
export function figuresBelowQuery(iri: string, base: string): string {
  const r = sparqlIri(iri);
  return `PREFIX qb: <${STD.qb}>
PREFIX dct: <${STD.dct}>
PREFIX lg: <${base}def/lg#>
CONSTRUCT { ?obs qb:dataSet ?ds ; qb:measureType ?ind ; lg:refPeriod ?year ; lg:refArea ?u ; ?ind ?value ; lg:computed ?computed . ?s ?p ?o } WHERE {
  {
    ?u lg:within ${r} .
    ?obs lg:refArea ?u ; qb:dataSet ?ds ; qb:measureType ?ind ; lg:refPeriod ?year ; ?ind ?value .
    OPTIONAL { ?obs lg:computed ?computed }
  } UNION {
    # the datasets and indicators, and the indicators' units of measure (their names head a comparison)
    { SELECT DISTINCT ?s WHERE { ?u lg:within ${r} . ?obs lg:refArea ?u ; (qb:dataSet|qb:measureType|qb:dataSet/dct:isPartOf|qb:measureType/lg:unitOfMeasure) ?s } }
    ?s ?p ?o . FILTER(?p IN (<${STD.rdf}type>, <${STD.skos}prefLabel>, <${STD.rdfs}label>, <${STD.skos}notation>, dct:title, dct:isPartOf, lg:sampleData, lg:unitOfMeasure))
  }
}`;
}
