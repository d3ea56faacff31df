import N3 from 'n3';
import type { NamedNode } from '@rdfjs/types';
import { type Minted } from '../rdf/namespaces.js';
import { datasetIri, publisherIri } from '../rdf/mint-uri.js';

const { namedNode } = N3.DataFactory;

/**
 * The IRIs the catalog mints, beside those of src/rdf/mint-uri.ts. Distributions and checksums
 * are hash IRIs of their dataset, so the dataset's own document (/doc/dataset/{id}) shows them.
 */

/** The catalog is a collection of metadata records, an information resource: its IRI is its page. */
export function catalogIri(ns: Minted): NamedNode {
  return namedNode(`${ns.base}catalog`);
}

/** The graph holding what describes the downloads (sizes, checksums): the one graph no dump holds. */
export function distributionsGraphIri(ns: Minted): NamedNode {
  return ns.graph('distributions');
}

export function sparqlServiceIri(ns: Minted): NamedNode {
  return ns.id('service/sparql');
}

export function sparqlEndpointIri(ns: Minted): NamedNode {
  return namedNode(`${ns.base}sparql`);
}

export function contactPointIri(ns: Minted, publisherId: string): NamedNode {
  return namedNode(`${publisherIri(ns, publisherId).value}#contact-point`);
}

/** `key` is a dump key (`ttl`, `nt.gz`, ...), `sparql`, or `source-{file name}` for an original. */
export function distributionIri(ns: Minted, dataset: string, key: string): NamedNode {
  return namedNode(`${datasetIri(ns, dataset).value}#distribution-${key.replace(/[^A-Za-z0-9._-]/g, '_')}`);
}

export function downloadIri(ns: Minted, fileName: string): NamedNode {
  return ns.download(encodeURIComponent(fileName));
}

/** A dataset's HTML page, its dcat:landingPage. */
export function landingPageIri(ns: Minted, dataset: string): NamedNode {
  return namedNode(`${ns.base}doc/dataset/${dataset}`);
}
