import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import type { Manifest } from '../convert/layout.js';
import { datasetIri, publisherIri, unitIri } from '../rdf/mint-uri.js';
import { type Minted, STD, dcat, dct, foaf, namespace, rdf, rdfs, skos, xsd } from '../rdf/namespaces.js';
import { catalogIri, contactPointIri, landingPageIri, sparqlEndpointIri, sparqlServiceIri } from './catalog-iris.js';
import {
  ATTRIBUTION, COUNTRY_TJK, type ConceptFact, DATA_THEME_SCHEME, NATIONAL_AUTHORITY, PUBLIC_ACCESS, SPDX_SHA256, STABLE,
  fileTypeConcept, languageConcept, themeConcept,
} from './controlled-vocabularies.js';
import { usedFileTypes, usedMediaTypes } from './distributions.js';

const { quad, literal, namedNode } = N3.DataFactory;
const vcard = namespace(STD.vcard);
const LANGS = ['tg', 'ru', 'en'] as const;
const SPARQL_PROTOCOL = 'https://www.w3.org/TR/sparql11-protocol/';

const SERVICE_TITLE = { tg: 'Нуқтаи дастрасии SPARQL', ru: 'Точка доступа SPARQL', en: 'SPARQL endpoint' };
const SERVICE_DESCRIPTION = {
  tg: 'Дархостҳои SPARQL 1.1 (танҳо хондан) ба ҳамаи маҷмӯаҳои маълумот; графи пешфарз иттиҳоди ҳамаи графҳои номдор аст.',
  ru: 'Запросы SPARQL 1.1 (только чтение) ко всем наборам данных; граф по умолчанию — объединение всех именованных графов.',
  en: 'Read-only SPARQL 1.1 queries over every dataset; the default graph is the union of all named graphs.',
};

export interface CatalogContext {
  ns: Minted;
  manifest: Manifest;
  graph: NamedNode;
}

/**
 * The static part of the catalog, in `/graph/catalog` beside the publisher and the converter:
 * the dcat:Catalog with its datasets and SPARQL service, the publisher as a DCAT-AP agent, the
 * contact point, and what the controlled vocabularies say about the values we use (see
 * controlled-vocabularies.ts). Nothing here depends on the dumps, so it can be inside them.
 */
export function catalogQuads(ctx: CatalogContext): Quad[] {
  const { ns, manifest, graph } = ctx;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const catalog = catalogIri(ns);
  const publisher = publisherIri(ns, manifest.publisher.id);
  const license = namedNode(manifest.license);
  const home = namedNode(ns.base);
  const title = manifest.catalog?.title ?? { tg: manifest.publisher.name.tg, ru: manifest.publisher.name.ru, en: manifest.publisher.name.en };

  add(catalog, rdf('type'), dcat('Catalog'));
  for (const l of LANGS) {
    add(catalog, dct('title'), literal(title[l], l));
    if (manifest.catalog) add(catalog, dct('description'), literal(manifest.catalog.description[l], l));
    add(catalog, dct('language'), namedNode(languageConcept(l).iri));
  }
  add(catalog, dct('publisher'), publisher);
  add(catalog, dct('license'), license);
  add(catalog, foaf('homepage'), home);
  // DCAT-AP checks the classes of these values (foaf:Document, dct:Standard, ...): each is typed
  // here, and labelled, so that no resource is only a type (RDF/XML writers stumble on those).
  add(home, rdf('type'), foaf('Document'));
  for (const l of LANGS) add(home, rdfs('label'), literal(title[l], l));
  add(catalog, dcat('themeTaxonomy'), namedNode(DATA_THEME_SCHEME));
  add(catalog, dct('spatial'), unitIri(ns, 'country', 'TJ'));
  add(catalog, dct('spatial'), namedNode(COUNTRY_TJK.iri));
  const dates = manifest.datasets.map((d) => [d.issued, d.modified] as const);
  add(catalog, dct('issued'), literal(dates.map((d) => d[0]).sort()[0] ?? '', xsd('date')));
  add(catalog, dct('modified'), literal(dates.map((d) => d[1]).sort().at(-1) ?? '', xsd('date')));
  for (const d of manifest.datasets) {
    add(catalog, dcat('dataset'), datasetIri(ns, d.id));
    add(landingPageIri(ns, d.id), rdf('type'), foaf('Document'));
    for (const l of LANGS) add(landingPageIri(ns, d.id), rdfs('label'), literal(d.title[l], l));
  }

  // The publisher, as DCAT-AP wants an agent: a foaf:Agent with a name (sharedMetadata gives it) and a type.
  add(publisher, rdf('type'), foaf('Agent'));
  add(publisher, dct('type'), namedNode(NATIONAL_AUTHORITY.iri));

  if (manifest.contactPoint) {
    const cp = contactPointIri(ns, manifest.publisher.id);
    add(catalog, dcat('contactPoint'), cp);
    add(cp, rdf('type'), vcard('Kind'));
    add(cp, rdf('type'), vcard('Organization'));
    for (const l of LANGS) add(cp, vcard('fn'), literal(manifest.contactPoint.name[l], l));
    if (manifest.contactPoint.url) add(cp, vcard('hasURL'), namedNode(new URL(manifest.contactPoint.url, ns.base).href));
    if (manifest.contactPoint.email) add(cp, vcard('hasEmail'), namedNode(`mailto:${manifest.contactPoint.email}`));
  }

  const service = sparqlServiceIri(ns);
  add(catalog, dcat('service'), service);
  add(service, rdf('type'), dcat('DataService'));
  for (const l of LANGS) {
    add(service, dct('title'), literal(SERVICE_TITLE[l], l));
    add(service, dct('description'), literal(SERVICE_DESCRIPTION[l], l));
  }
  add(service, dcat('endpointURL'), sparqlEndpointIri(ns));
  // DCAT-AP's range for the endpoint URL is rdfs:Resource, checked as a class: say so.
  add(sparqlEndpointIri(ns), rdf('type'), rdfs('Resource'));
  add(sparqlEndpointIri(ns), rdfs('label'), literal('SPARQL 1.1 Protocol endpoint', 'en'));
  // A GET on the endpoint with an RDF Accept header gives its SPARQL 1.1 Service Description.
  add(service, dcat('endpointDescription'), sparqlEndpointIri(ns));
  add(service, dct('conformsTo'), namedNode(SPARQL_PROTOCOL));
  add(namedNode(SPARQL_PROTOCOL), rdf('type'), dct('Standard'));
  add(namedNode(SPARQL_PROTOCOL), rdfs('label'), literal('SPARQL 1.1 Protocol', 'en'));
  for (const d of manifest.datasets) add(service, dcat('servesDataset'), datasetIri(ns, d.id));
  add(service, dcat('theme'), namedNode(themeConcept('GOVE').iri));
  for (const l of LANGS) add(service, dcat('keyword'), literal('SPARQL', l));
  add(service, dct('publisher'), publisher);
  add(service, dct('license'), license);
  add(service, dct('accessRights'), namedNode(PUBLIC_ACCESS.iri));
  if (manifest.contactPoint) add(service, dcat('contactPoint'), contactPointIri(ns, manifest.publisher.id));

  // The ranges DCAT-AP checks with sh:class: say what each value is.
  add(license, rdf('type'), dct('LicenseDocument'));
  add(license, dct('type'), namedNode(ATTRIBUTION.iri));
  add(namedNode(`${ns.base}def/lg`), rdf('type'), dct('Standard'));
  // The SHACL shapes every dataset is checked with (dct:conformsTo of each dataset).
  const shapes = namedNode(`${ns.base}def/lg-shapes`);
  add(shapes, rdf('type'), dct('Standard'));
  add(shapes, dct('title'), literal('SHACL shapes of the local-governance Linked Data service', 'en'));
  add(shapes, dct('conformsTo'), namedNode('http://www.w3.org/ns/shacl#'));
  add(namedNode(SPDX_SHA256), rdf('type'), namedNode('http://spdx.org/rdf/terms#ChecksumAlgorithm'));
  add(namedNode(SPDX_SHA256), rdfs('label'), literal('SHA-256', 'en'));
  // (Our units as dct:Location: the catalog document says it, as the range of dct:spatial; see catalog-query.ts.)
  for (const t of usedMediaTypes()) {
    add(namedNode(t), rdf('type'), dct('MediaType'));
    add(namedNode(t), rdfs('label'), literal(t.slice(t.indexOf('media-types/') + 'media-types/'.length)));
  }

  const concepts: [ConceptFact, NamedNode[]][] = [
    ...[...new Set(['GOVE', ...manifest.datasets.flatMap((d) => d.themes)])].map((t) => [themeConcept(t), []] as [ConceptFact, NamedNode[]]),
    ...LANGS.map((l) => [languageConcept(l), [dct('LinguisticSystem')]] as [ConceptFact, NamedNode[]]),
    ...usedFileTypes().map((f) => [fileTypeConcept(f), [dct('MediaTypeOrExtent')]] as [ConceptFact, NamedNode[]]),
    [PUBLIC_ACCESS, [dct('RightsStatement')]],
    [STABLE, []],
    [COUNTRY_TJK, [dct('Location')]],
    [NATIONAL_AUTHORITY, []],
    [ATTRIBUTION, []],
  ];
  for (const [c, classes] of concepts) {
    const iri = namedNode(c.iri);
    add(iri, rdf('type'), skos('Concept'));
    for (const cls of classes) add(iri, rdf('type'), cls);
    add(iri, skos('prefLabel'), literal(c.label, 'en'));
    add(iri, skos('inScheme'), namedNode(c.scheme));
    add(namedNode(c.scheme), rdf('type'), skos('ConceptScheme'));
    add(namedNode(c.scheme), dct('title'), literal(c.schemeTitle, 'en'));
  }
  return out;
}
