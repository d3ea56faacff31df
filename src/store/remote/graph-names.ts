/**
 * The names the service gives graphs (and a datatype) of its own in the remote store. `urn:` names of our own, so
 * they cannot meet a graph of the data (whose graphs are under BASE_URI).
 *
 * Every load of a release has graph names of its own (LoadNames): its graphs are never written
 * again once loaded, so a switch is one small update of the service graph's pointer, and an
 * instance still serving the previous release keeps reading the previous load's graphs, untouched.
 */

/** Which loads the store holds and which one is current: read at start, written at a switch. */
export const SERVICE_GRAPH = 'urn:x-lg-store:service';
export const SERVICE = 'urn:x-lg-store:service';
/** The service's pointer: the load instances starting now serve (load-release.ts switches it). */
export const CURRENT = 'urn:x-lg-store:current';
/** The load current before it: kept, as instances that have not followed yet still read it. */
export const PREVIOUS = 'urn:x-lg-store:previous';
/** A load's record: its data version, its public graph names, when it began; its quad count once whole. */
export const HAS_DATA_VERSION = 'urn:x-lg-store:dataVersion';
export const HAS_GRAPH = 'urn:x-lg-store:graph';
export const HAS_QUADS = 'urn:x-lg-store:quads';
export const STARTED_AT = 'urn:x-lg-store:startedAt';

/** A graph that never holds anything: the half of a dataset a client left out (see remote-store.ts). */
export const EMPTY_GRAPH = 'urn:x-lg-store:empty';

const LOAD_PREFIX = 'urn:x-lg-store:load:';

/**
 * Whether an IRI of the service graph names a load. The loader before per-load names wrote its
 * record on the service itself (`<urn:x-lg-store:service> <…dataVersion> "v"`): that is no load.
 */
export function isLoad(iri: string): boolean {
  return iri.startsWith(LOAD_PREFIX);
}

/**
 * The store's names for the graphs of one load. `graph(g)` keeps the public name g at its end (and
 * so the order of graph names among themselves); `union` holds every triple of the release, whatever
 * its graph (the default graph of design.md /sparql: the union of the named graphs, and the
 * release's quads outside any). One graph, not the list of the release's graphs as
 * default-graph-uri: Virtuoso 7.2 plans a query over several default graphs badly (a document's
 * CONSTRUCT took 8.8 s over the 9 graphs of the shipped data, 65 ms over one).
 */
export class LoadNames {
  readonly union: string;
  private readonly graphPrefix: string;

  /** `load`: the load's own IRI, the subject of its record in the service graph. */
  constructor(readonly load: string) {
    this.union = `${load}:union`;
    this.graphPrefix = `${load}:g:`;
  }

  static fromToken(token: string): LoadNames {
    return new LoadNames(`${LOAD_PREFIX}${token}`);
  }

  graph(publicName: string): string {
    return `${this.graphPrefix}${publicName}`;
  }

  /**
   * Whether an answer's text may name one of this load's graphs: most answers (every document's)
   * name none, and need no renaming back. Sound for SPARQL JSON and N-Triples, whose escapes never
   * touch the prefix (`urn:x-lg-store:load:`, a hex token, `:g:`: ASCII, no slash).
   */
  mayBeIn(text: string): boolean {
    return text.includes(this.graphPrefix);
  }

  /** The public name of one of this load's graphs; undefined for any other IRI. */
  publicOf(stored: string): string | undefined {
    return stored.startsWith(this.graphPrefix) ? stored.slice(this.graphPrefix.length) : undefined;
  }
}

export const WKT_LITERAL = 'http://www.opengis.net/ont/geosparql#wktLiteral';
/**
 * The datatype a geo:wktLiteral is stored under (load-release.ts): Virtuoso would otherwise turn it
 * into a geometry with single-precision coordinates. Answers give geo:wktLiteral (normalise.ts).
 */
export const STORED_WKT = 'urn:x-lg-store:wktLiteral';
