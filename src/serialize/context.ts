import { STD } from '../rdf/namespaces.js';

/**
 * Our prefixes and the JSON-LD context published at `/context.jsonld` (design.md: "JSON-LD is
 * compacted with our published context ... stable short keys, language maps for labels").
 *
 * The context is a contract with harvesters: a key, once published, keeps its meaning. Add keys;
 * never rename or retarget one.
 */

/**
 * Every prefix we write, in Turtle, TriG, RDF/XML and JSON-LD alike (docs/data-model.md,
 * "Prefixes"). `lg:` and `ind:` live under BASE_URI; the rest are the standard vocabularies.
 */
export function prefixes(base: string): Record<string, string> {
  return {
    lg: `${base}def/lg#`,
    ind: `${base}def/indicator/`,
    rdf: STD.rdf,
    rdfs: STD.rdfs,
    xsd: STD.xsd,
    owl: STD.owl,
    skos: STD.skos,
    dct: STD.dct,
    dcat: STD.dcat,
    qb: STD.qb,
    prov: STD.prov,
    geo: STD.geo,
    schema: STD.schema,
    org: STD.org,
    foaf: STD.foaf,
    vcard: STD.vcard,
    spdx: STD.spdx,
    'sdmx-dimension': STD.sdmxDimension,
    'sdmx-attribute': STD.sdmxAttribute,
    'sdmx-measure': 'http://purl.org/linked-data/sdmx/2009/measure#',
    'sdmx-concept': 'http://purl.org/linked-data/sdmx/2009/concept#',
    vann: 'http://purl.org/vocab/vann/',
    cc: 'http://creativecommons.org/ns#',
    void: 'http://rdfs.org/ns/void#',
    sd: 'http://www.w3.org/ns/sparql-service-description#',
    dcatap: 'http://data.europa.eu/r5r/',
    // the quality measurements of the catalog (src/catalog/quality.ts)
    dqv: 'http://www.w3.org/ns/dqv#',
  };
}

/** A term definition: `@type: '@id'` for IRI values, a datatype for typed literals. */
type TermDefinition = string | { '@id': string; '@type'?: string; '@container'?: '@language' };

export interface JsonLdContextDocument {
  '@context': Record<string, unknown>;
}

/** Labels and texts: a language map, `{"en": "Yovon", "tg": "Ноҳияи Ёвон", "ru": "..."}`. */
const languageMaps: Record<string, string> = {
  prefLabel: 'skos:prefLabel',
  altLabel: 'skos:altLabel',
  hiddenLabel: 'skos:hiddenLabel',
  label: 'rdfs:label',
  definition: 'skos:definition',
  scopeNote: 'skos:scopeNote',
  editorialNote: 'skos:editorialNote',
  title: 'dct:title',
  description: 'dct:description',
  keyword: 'dcat:keyword',
  name: 'foaf:name',
  fn: 'vcard:fn',
};

/** Properties whose values are IRIs: `"within": "http://.../id/region/TJ-KT"`. */
const links: Record<string, string> = {
  // administrative units (docs/data-model.md, "Properties of an administrative unit")
  level: 'lg:adminLevel',
  within: 'lg:within',
  administrativeCentre: 'lg:administrativeCentre',
  hasGeometry: 'geo:hasGeometry',
  sameAs: 'owl:sameAs',
  settlementWikidata: 'lg:settlementWikidata',
  jamoatListStatus: 'lg:jamoatListStatus',
  governingBody: 'lg:governingBody',
  governs: 'lg:governs',
  source: 'dct:source',
  wasDerivedFrom: 'prov:wasDerivedFrom',
  // statistics (RDF Data Cube)
  dataSet: 'qb:dataSet',
  refArea: 'lg:refArea',
  measureType: 'qb:measureType',
  unitMeasure: 'lg:unitMeasure',
  structure: 'qb:structure',
  component: 'qb:component',
  componentProperty: 'qb:componentProperty',
  dimension: 'qb:dimension',
  measure: 'qb:measure',
  attribute: 'qb:attribute',
  componentAttachment: 'qb:componentAttachment',
  codeList: 'qb:codeList',
  concept: 'qb:concept',
  unitOfMeasure: 'lg:unitOfMeasure',
  topic: 'lg:topic',
  // SKOS
  inScheme: 'skos:inScheme',
  topConceptOf: 'skos:topConceptOf',
  hasTopConcept: 'skos:hasTopConcept',
  broader: 'skos:broader',
  narrower: 'skos:narrower',
  exactMatch: 'skos:exactMatch',
  closeMatch: 'skos:closeMatch',
  relatedMatch: 'skos:relatedMatch',
  // RDFS and OWL
  subClassOf: 'rdfs:subClassOf',
  subPropertyOf: 'rdfs:subPropertyOf',
  domain: 'rdfs:domain',
  range: 'rdfs:range',
  isDefinedBy: 'rdfs:isDefinedBy',
  seeAlso: 'rdfs:seeAlso',
  inverseOf: 'owl:inverseOf',
  // catalogue (DCAT, Dublin Core, PROV, SPDX)
  license: 'dct:license',
  creator: 'dct:creator',
  publisher: 'dct:publisher',
  spatial: 'dct:spatial',
  temporal: 'dct:temporal',
  theme: 'dcat:theme',
  language: 'dct:language',
  conformsTo: 'dct:conformsTo',
  provenance: 'dct:provenance',
  distribution: 'dcat:distribution',
  downloadURL: 'dcat:downloadURL',
  accessURL: 'dcat:accessURL',
  mediaType: 'dcat:mediaType',
  wasGeneratedBy: 'prov:wasGeneratedBy',
  wasAssociatedWith: 'prov:wasAssociatedWith',
  used: 'prov:used',
  checksum: 'spdx:checksum',
  algorithm: 'spdx:algorithm',
  // DCAT-AP catalog (/catalog): datasets, distributions, the SPARQL service, contact point
  dataset: 'dcat:dataset',
  service: 'dcat:service',
  servesDataset: 'dcat:servesDataset',
  accessService: 'dcat:accessService',
  endpointURL: 'dcat:endpointURL',
  endpointDescription: 'dcat:endpointDescription',
  format: 'dct:format',
  compressFormat: 'dcat:compressFormat',
  themeTaxonomy: 'dcat:themeTaxonomy',
  landingPage: 'dcat:landingPage',
  contactPoint: 'dcat:contactPoint',
  accessRights: 'dct:accessRights',
  availability: 'dcatap:availability',
  homepage: 'foaf:homepage',
  primaryTopic: 'foaf:primaryTopic',
  hasURL: 'vcard:hasURL',
  hasEmail: 'vcard:hasEmail',
  // VoID (/.well-known/void)
  sparqlEndpoint: 'void:sparqlEndpoint',
  dataDump: 'void:dataDump',
  vocabulary: 'void:vocabulary',
  subset: 'void:subset',
  feature: 'void:feature',
  rootResource: 'void:rootResource',
  exampleResource: 'void:exampleResource',
  classPartition: 'void:classPartition',
  class: 'void:class',
  linkPredicate: 'void:linkPredicate',
  subjectsTarget: 'void:subjectsTarget',
  objectsTarget: 'void:objectsTarget',
};

/** Typed literals: the key fixes the datatype, so the value is a bare string (`"population": "234600"`). */
const typed: Record<string, [string, string]> = {
  population: ['lg:population', 'xsd:integer'],
  populationYear: ['lg:populationYear', 'xsd:gYear'],
  area: ['lg:area', 'xsd:decimal'],
  asWKT: ['geo:asWKT', 'geo:wktLiteral'],
  refPeriod: ['lg:refPeriod', 'xsd:gYear'],
  sampleData: ['lg:sampleData', 'xsd:boolean'],
  order: ['qb:order', 'xsd:integer'],
  issued: ['dct:issued', 'xsd:date'],
  modified: ['dct:modified', 'xsd:date'],
  startDate: ['dcat:startDate', 'xsd:date'],
  endDate: ['dcat:endDate', 'xsd:date'],
  byteSize: ['dcat:byteSize', 'xsd:nonNegativeInteger'],
  checksumValue: ['spdx:checksumValue', 'xsd:hexBinary'],
  triples: ['void:triples', 'xsd:integer'],
  entities: ['void:entities', 'xsd:integer'],
  classes: ['void:classes', 'xsd:integer'],
  properties: ['void:properties', 'xsd:integer'],
  distinctSubjects: ['void:distinctSubjects', 'xsd:integer'],
  distinctObjects: ['void:distinctObjects', 'xsd:integer'],
};

/** Plain literals (codes and notations): `"code": "TJ-KT-06"`. */
const plain: Record<string, string> = {
  code: 'lg:code',
  hasc: 'lg:hasc',
  'iso3166-2': 'lg:iso3166-2',
  notation: 'skos:notation',
  identifier: 'dct:identifier',
  uriSpace: 'void:uriSpace',
};

/**
 * The context document served at `/context.jsonld`, for a given BASE_URI.
 *
 * Compaction with it is lossless: a value that does not fit a key's definition (a plain literal
 * of `dct:source`, whose key expects an IRI; a label with a datatype; a population that is not an
 * xsd:integer) is not forced into the key but kept under its compact IRI (`"dct:source": "..."`),
 * with its datatype or language. tests/serialize.test.ts proves it on our own data.
 *
 * Integers are JSON numbers (`"population": 234600`; jsonld.ts, `integersAsNumbers`): the key's
 * `@type` xsd:integer applies to a number as to a string, so the definitions did not change and a
 * document written before, with strings, still reads as the same triples. Decimals stay strings
 * (`"area": "900"`): a JSON number would not read back as the same literal (JSON-LD 1.1 §8.6).
 */
export function jsonLdContext(base: string): JsonLdContextDocument {
  const context: Record<string, TermDefinition | number> = {
    '@version': 1.1,
    ...prefixes(base),
    id: '@id',
    type: '@type',
  };
  for (const [key, id] of Object.entries(languageMaps)) context[key] = { '@id': id, '@container': '@language' };
  for (const [key, id] of Object.entries(links)) context[key] = { '@id': id, '@type': '@id' };
  for (const [key, [id, datatype]] of Object.entries(typed)) context[key] = { '@id': id, '@type': datatype };
  for (const [key, id] of Object.entries(plain)) context[key] = id;
  return { '@context': context };
}

/** Where the context is published: every JSON-LD document we serve refers to it by this URL. */
export function contextUrl(base: string): string {
  return `${base}context.jsonld`;
}
