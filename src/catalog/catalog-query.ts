import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { sparqlIri } from '../rdf/sparql-escape.js';

/**
 * The SPARQL CONSTRUCT that gathers the catalog document (/catalog) from the store: the catalog
 * graph and the distributions graph whole, and of each dcat:Dataset its own triples, those of its
 * hash IRIs (period, provenance statement), its conversion activity with the files it used, and
 * the names of the units it covers (a dataset a slice was selected from, src/slices/, is described as
 * a dataset, not as a used file). Nothing of the data itself (units, observations) comes along:
 * a harvester gets metadata only.
 *
 * One thing is added: each dct:spatial value is said to be a dct:Location, the range DCMI gives
 * dct:spatial (an RDFS entailment, not a new fact; DCAT-AP checks it as a class). The units
 * themselves keep only their own classes in the data.
 *
 * One thing is left out on purpose: dct:source. DCAT-AP 3 gives it the range dcat:Dataset ("a
 * related dataset from which the described dataset is derived"), while ours names web pages and,
 * for sample data, a sentence; the same URLs are in the catalog as prov:wasDerivedFrom, and the
 * provenance statement says the rest.
 */
export function catalogQuery(base: string): string {
  const catalog = sparqlIri(`${base}graph/catalog`);
  const distributions = sparqlIri(`${base}graph/distributions`);
  return `PREFIX rdf: <${STD.rdf}>
PREFIX skos: <${STD.skos}>
PREFIX dct: <${STD.dct}>
PREFIX dcat: <${STD.dcat}>
PREFIX prov: <${STD.prov}>
PREFIX spdx: <${STD.spdx}>
CONSTRUCT { ?s ?p ?o . ?location a dct:Location } WHERE {
  {
    GRAPH ${catalog} { ?s ?p ?o }
  } UNION {
    GRAPH ${distributions} { ?s ?p ?o }
  } UNION {
    ?s a dcat:Dataset ; ?p ?o . FILTER(?p != dct:source)
  } UNION {
    ?ds a dcat:Dataset ; ?x ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?ds), "#"))) ?s ?p ?o .
  } UNION {
    { ?ds a dcat:Dataset } UNION { ?ds a dcat:Catalog } ?ds dct:spatial ?location .
  } UNION {
    ?ds a dcat:Dataset ; dct:spatial ?s . ?s ?p ?o . FILTER(?p IN (rdf:type, skos:prefLabel))
  } UNION {
    ?ds a dcat:Dataset ; prov:wasGeneratedBy ?s . ?s ?p ?o .
  } UNION {
    # the files a conversion used; a dataset used (by a district's slice) is described above
    ?ds a dcat:Dataset ; prov:wasGeneratedBy/prov:used ?s . FILTER NOT EXISTS { ?s a dcat:Dataset } ?s ?p ?o .
  } UNION {
    ?ds a dcat:Dataset ; prov:wasGeneratedBy/prov:used/spdx:checksum ?s . ?s ?p ?o .
  }
}`;
}

const XSD_INTEGER = `${STD.xsd}integer`;

/**
 * The datatypes DCAT gives some properties, for values that come back from the store as
 * xsd:integer: Oxigraph (0.5.11) keeps literals of the XSD numeric types by value, so a
 * `"130905"^^xsd:nonNegativeInteger` is answered as `"130905"^^xsd:integer` (same number, other
 * datatype), and DCAT-AP checks `dcat:byteSize` for xsd:nonNegativeInteger (DCAT 3 §6.8.9).
 */
const DCAT_DATATYPES: Readonly<Record<string, string>> = {
  [`${STD.dcat}byteSize`]: `${STD.xsd}nonNegativeInteger`,
};

export function restoreDatatypes<Q extends Quad>(quads: readonly Q[], make: (q: Q, datatype: string) => Q): Q[] {
  return quads.map((q) => {
    const datatype = DCAT_DATATYPES[q.predicate.value];
    return datatype && q.object.termType === 'Literal' && q.object.datatype.value === XSD_INTEGER ? make(q, datatype) : q;
  });
}
