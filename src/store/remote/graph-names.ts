/**
 * The names the service gives graphs (and a datatype) of its own in the remote store. `urn:` names of our own, so
 * they cannot meet a graph of the data (whose graphs are under BASE_URI).
 */

/** Which release the remote store holds (its data version, its graphs): read at start, written at the switch. */
export const SERVICE_GRAPH = 'urn:x-lg-store:service';
export const SERVICE = 'urn:x-lg-store:service';
export const HAS_DATA_VERSION = 'urn:x-lg-store:dataVersion';
export const HAS_GRAPH = 'urn:x-lg-store:graph';
export const HAS_QUADS = 'urn:x-lg-store:quads';

/** A graph that never holds anything: the half of a dataset a client left out (see remote-store.ts). */
export const EMPTY_GRAPH = 'urn:x-lg-store:empty';

/**
 * Every triple of the release, whatever its graph (the default graph of design.md /sparql: the
 * union of the named graphs, and the release's quads outside any). One graph, not the list of the
 * release's graphs as default-graph-uri: Virtuoso 7.2 plans a query over several default graphs
 * badly (a document's CONSTRUCT took 8.8 s over the 9 graphs of the shipped data, 65 ms over one).
 */
export const UNION_GRAPH = 'urn:x-lg-store:union';

export const WKT_LITERAL = 'http://www.opengis.net/ont/geosparql#wktLiteral';
/**
 * The datatype a geo:wktLiteral is stored under (load-release.ts): Virtuoso would otherwise turn it
 * into a geometry with single-precision coordinates. Answers give geo:wktLiteral (normalise.ts).
 */
export const STORED_WKT = 'urn:x-lg-store:wktLiteral';

/** Where graph number `index` of a release is loaded before the switch: one name per load. */
export function stagingGraph(token: string, index: number): string {
  return `urn:x-lg-store:staging:${token}:${index}`;
}
