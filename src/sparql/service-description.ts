import type { Quad } from '@rdfjs/types';
import N3 from 'n3';
import { STD } from '../rdf/namespaces.js';

/**
 * The SPARQL 1.1 Service Description of the endpoint (https://www.w3.org/TR/sparql11-service-description/),
 * served at the endpoint itself to a GET without a query that asks for RDF (SD §2, "Accessing a
 * Service Description"). It says what the endpoint is (sd:endpoint), what it speaks (SPARQL 1.1
 * Query only: no update), which result formats it returns (the W3C format IRIs of
 * https://www.w3.org/ns/formats/), and its default dataset: the default graph is the union of the
 * named graphs (sd:UnionDefaultGraph), described further by the VoID description, and each named
 * graph is listed with its size.
 *
 * The endpoint also answers Graph Store Protocol reads (`?graph=IRI`, `?default`). The SD
 * vocabulary has no term for that (SD §3.4 lists five features and lets others be defined by
 * extension), so it is a feature of our own, `…/id/service/sparql#graph-store-read`, an sd:Feature
 * with a label and a link to the recommendation, and the service dct:conformsTo both protocols.
 *
 * IRIs, not blank nodes (as everywhere in our data): the service is `/id/service/sparql`, the
 * same IRI the DCAT catalog gives the SPARQL data service (src/catalog/catalog-iris.ts); the
 * default graph is the VoID description's root dataset (`/.well-known/void#dataset`); each named
 * graph is its own graph IRI, as in the VoID description.
 */

const SD = 'http://www.w3.org/ns/sparql-service-description#';
const VOID = 'http://rdfs.org/ns/void#';
const FORMATS = 'http://www.w3.org/ns/formats/';

/** sd:resultFormat values: one W3C format IRI per media type we answer with (src/sparql/result-types.ts). */
export const RESULT_FORMAT_IRIS = [
  'SPARQL_Results_JSON', 'SPARQL_Results_XML', 'SPARQL_Results_CSV', 'SPARQL_Results_TSV',
  'Turtle', 'JSON-LD', 'N-Triples', 'RDF_XML', 'N-Quads', 'TriG',
].map((f) => `${FORMATS}${f}`);

const SPARQL_PROTOCOL = 'https://www.w3.org/TR/sparql11-protocol/';
const GRAPH_STORE_PROTOCOL = 'https://www.w3.org/TR/sparql11-http-rdf-update/';
/** Our sd:Feature for Graph Store Protocol reads on this endpoint. */
export const GSP_READ = (base: string): string => `${base}id/service/sparql#graph-store-read`;

export interface ServiceDescriptionInput {
  /** BASE_URI. */
  base: string;
  /** Quads per named graph IRI (the store's info()). */
  graphs: Record<string, number>;
}

const { namedNode, literal, quad } = N3.DataFactory;
const XSD_INTEGER = namedNode(`${STD.xsd}integer`);

export function serviceDescription(input: ServiceDescriptionInput): Quad[] {
  const { base } = input;
  const out: Quad[] = [];
  const add = (s: string, p: string, o: N3.NamedNode | N3.Literal) => out.push(quad(namedNode(s), namedNode(p), o));
  const iri = (v: string) => namedNode(v);
  const count = (n: number) => literal(String(n), XSD_INTEGER);
  const type = `${STD.rdf}type`;

  const service = `${base}id/service/sparql`;
  const dataset = `${base}sparql#dataset`;
  const voidDoc = `${base}.well-known/void`;
  const defaultGraph = `${voidDoc}#dataset`;

  add(service, type, iri(`${SD}Service`));
  add(service, `${STD.rdfs}label`, literal('SPARQL endpoint of the local-governance Linked Open Data', 'en'));
  add(service, `${SD}endpoint`, iri(`${base}sparql`));
  add(service, `${SD}supportedLanguage`, iri(`${SD}SPARQL11Query`));
  for (const f of RESULT_FORMAT_IRIS) add(service, `${SD}resultFormat`, iri(f));
  add(service, `${SD}feature`, iri(`${SD}UnionDefaultGraph`));
  add(service, `${SD}feature`, iri(GSP_READ(base)));
  add(service, `${STD.dct}conformsTo`, iri(SPARQL_PROTOCOL));
  add(service, `${STD.dct}conformsTo`, iri(GRAPH_STORE_PROTOCOL));
  add(GSP_READ(base), type, iri(`${SD}Feature`));
  add(GSP_READ(base), `${STD.rdfs}label`, literal('SPARQL 1.1 Graph Store HTTP Protocol, read only: GET or HEAD the endpoint with graph=IRI (a named graph) or default (the union of the named graphs)', 'en'));
  add(GSP_READ(base), `${STD.rdfs}seeAlso`, iri(GRAPH_STORE_PROTOCOL));
  add(service, `${SD}defaultEntailmentRegime`, iri('http://www.w3.org/ns/entailment/Simple'));
  add(service, `${SD}defaultDataset`, iri(dataset));

  add(dataset, type, iri(`${SD}Dataset`));
  add(dataset, `${SD}defaultGraph`, iri(defaultGraph));
  add(defaultGraph, type, iri(`${SD}Graph`));
  add(defaultGraph, type, iri(`${VOID}Dataset`));
  add(defaultGraph, `${STD.rdfs}comment`, literal('The default graph: the union of all the named graphs.', 'en'));
  // Its size is in the VoID description: the union counts a triple held by two graphs once.
  add(defaultGraph, `${STD.rdfs}seeAlso`, iri(voidDoc));

  for (const [graph, triples] of Object.entries(input.graphs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    add(dataset, `${SD}namedGraph`, iri(graph));
    add(graph, type, iri(`${SD}NamedGraph`));
    add(graph, `${SD}name`, iri(graph));
    add(graph, `${VOID}triples`, count(triples));
  }
  return out;
}
