import N3 from 'n3';
import type { NamedNode } from 'n3';

const { namedNode } = N3.DataFactory;

/** Standard vocabularies we reuse; absolute, they do not depend on BASE_URI. */
export const STD = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  dct: 'http://purl.org/dc/terms/',
  dcat: 'http://www.w3.org/ns/dcat#',
  org: 'http://www.w3.org/ns/org#',
  schema: 'http://schema.org/',
  geo: 'http://www.opengis.net/ont/geosparql#',
  qb: 'http://purl.org/linked-data/cube#',
  prov: 'http://www.w3.org/ns/prov#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  spdx: 'http://spdx.org/rdf/terms#',
  sdmxDimension: 'http://purl.org/linked-data/sdmx/2009/dimension#',
  sdmxAttribute: 'http://purl.org/linked-data/sdmx/2009/attribute#',
  sh: 'http://www.w3.org/ns/shacl#',
} as const;

export type Namespace = (local: string) => NamedNode;

export function namespace(iri: string): Namespace {
  return (local: string) => namedNode(iri + local);
}

export const rdf = namespace(STD.rdf);
export const rdfs = namespace(STD.rdfs);
export const xsd = namespace(STD.xsd);
export const owl = namespace(STD.owl);
export const skos = namespace(STD.skos);
export const dct = namespace(STD.dct);
export const dcat = namespace(STD.dcat);
export const qb = namespace(STD.qb);
export const prov = namespace(STD.prov);
export const geo = namespace(STD.geo);
export const schema = namespace(STD.schema);
export const spdx = namespace(STD.spdx);
export const foaf = namespace(STD.foaf);
export const org = namespace(STD.org);

/** The namespaces we mint, all under BASE_URI (design.md: one base for every URI). */
export interface Minted {
  base: string;
  lg: Namespace;
  ind: Namespace;
  id: Namespace;
  graph: Namespace;
  download: Namespace;
}

export function minted(base: string): Minted {
  return {
    base,
    lg: namespace(`${base}def/lg#`),
    ind: namespace(`${base}def/indicator/`),
    id: namespace(`${base}id/`),
    graph: namespace(`${base}graph/`),
    download: namespace(`${base}download/`),
  };
}
