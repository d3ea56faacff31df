import { ProtocolError } from './protocol-error.js';

/**
 * Reads a SPARQL 1.1 Protocol request (https://www.w3.org/TR/sparql11-protocol/) into the query
 * and its dataset, as a pure function of what came over the wire; the route does the I/O. Every
 * refusal here happens before a query is parsed or run, and is decided from the request itself,
 * not from what a parser makes of the text (an update never parses as a query, but the client
 * deserves "read-only", not "expected CONSTRUCT").
 */

export interface RawRequest {
  /** GET, HEAD or POST: the route answers other methods with 405 before calling this. */
  method: string;
  /** The URL's query string without the `?` (decoded here, so repeated keys stay visible). */
  search: string;
  contentType: string | undefined;
  /** The raw body of a POST; undefined for GET and HEAD. */
  body: Buffer | undefined;
}

export type ProtocolRequest =
  /** No protocol parameter at all: `/sparql` itself (query editor or Service Description). */
  | { kind: 'none' }
  | {
      kind: 'query';
      query: string;
      /** §2.1.4: given only when the request names a dataset; then the other list may be empty. */
      defaultGraphs?: string[];
      namedGraphs?: string[];
    }
  /**
   * A Graph Store Protocol read (SPARQL 1.1 Graph Store HTTP Protocol §4.2, indirect graph
   * identification): `?graph=IRI` names one graph, `?default` the default graph.
   */
  | { kind: 'graph'; graph: { iri: string } | 'default' };

const FORM = 'application/x-www-form-urlencoded';
const DIRECT = 'application/sparql-query';
const UPDATE = 'application/sparql-update';
/** §2.2 update parameters: any of them makes the request an update operation. */
const UPDATE_PARAMS = ['update', 'using-graph-uri', 'using-named-graph-uri'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseProtocolRequest(req: RawRequest): ProtocolRequest {
  const url = new URLSearchParams(req.search);
  // Graph Store Protocol: GET and HEAD read a graph (§5.2, §5.3). A POST on a graph adds to it
  // (§5.5; PUT, DELETE and PATCH get 405 from the route), which a read-only service refuses. Its
  // body is RDF, so this is decided before the body is read as a SPARQL request.
  if (GRAPH_PARAMS.some((p) => url.has(p))) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new ProtocolError('LG_ERR_READ_ONLY', 'the Graph Store Protocol is offered read-only here: GET or HEAD a graph (graph=IRI or default); nothing can be written');
    return graphRequest(url);
  }
  let query: string[] = url.getAll('query');
  let params = url;

  if (req.method === 'POST') {
    const { type, charset } = mediaType(req.contentType);
    if (type === UPDATE) throw readOnly(); // §2.2.2, update via POST directly
    if (type === FORM) {
      // §2.1.2: the parameters are in the body. The W3C tests also put default-graph-uri in the
      // URL of a form POST, so both count; a query given in both places is two queries.
      params = new URLSearchParams([...url, ...new URLSearchParams(decode(req.body))]);
      query = params.getAll('query');
    } else if (type === DIRECT) {
      // §2.1.3: the body is the query, in UTF-8; the dataset parameters are in the URL.
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        throw new ProtocolError('LG_ERR_UNSUPPORTED_MEDIA_TYPE', `a query sent as ${DIRECT} must be UTF-8, not ${charset}`);
      }
      query = [...query, decode(req.body)];
    } else {
      throw new ProtocolError(
        'LG_ERR_UNSUPPORTED_MEDIA_TYPE',
        type === undefined
          ? `a POST to the SPARQL endpoint needs a Content-Type: ${FORM} (query=...) or ${DIRECT} (the query itself)`
          : `a POST to the SPARQL endpoint must be ${FORM} or ${DIRECT}, not ${type}`,
      );
    }
  }

  // §2.2: update via GET is not an operation of the protocol at all, and via a form (§2.2.1) it is
  // one we refuse; either way the client learns that the endpoint is read-only.
  if (UPDATE_PARAMS.some((p) => params.has(p))) throw readOnly();

  const defaultGraphs = params.getAll('default-graph-uri');
  const namedGraphs = params.getAll('named-graph-uri');
  if (query.length === 0) {
    if (req.method !== 'POST' && defaultGraphs.length === 0 && namedGraphs.length === 0) return { kind: 'none' };
    throw new ProtocolError('LG_ERR_QUERY_MISSING', 'the request has no query: send query=... (GET or form POST) or the query itself as application/sparql-query');
  }
  // §2.1: "exactly one" query string per request.
  if (query.length > 1) throw new ProtocolError('LG_ERR_QUERY_MISSING', `the request has ${query.length} queries; send exactly one`);
  const text = query[0] as string;
  if (text.trim() === '') throw new ProtocolError('LG_ERR_QUERY_MISSING', 'the query is empty');
  // A prologue alone (a query cut after its PREFIX lines, or an editor's template with the query
  // deleted) is no query: the parser would report an error about the query we rewrite it into.
  if (PROLOGUE_ONLY.test(text)) throw new ProtocolError('LG_ERR_QUERY_MISSING', 'the query has only PREFIX or BASE declarations and comments: no SELECT, ASK, CONSTRUCT or DESCRIBE');
  const dataset = defaultGraphs.length > 0 || namedGraphs.length > 0 ? { defaultGraphs, namedGraphs } : {};
  return { kind: 'query', query: text, ...dataset };
}

/**
 * Whitespace, comments, `BASE <iri>` and `PREFIX name: <iri>` only (SPARQL 1.1 §19.8, Prologue).
 * Linear: a comment runs to its line end, whitespace is one character per step, so no input can
 * make the alternatives backtrack against each other.
 */
const PROLOGUE_ONLY = /^(?:\s|#[^\r\n]*(?:\r?\n|$)|BASE\s*<[^>\s]*>|PREFIX\s+[^\s:]*:\s*<[^>\s]*>)*$/i;

/** The Graph Store Protocol's parameters (§4.2): a request with either is a graph operation. */
const GRAPH_PARAMS = ['graph', 'default'];
/**
 * An absolute IRI (RFC 3987 §2.2: a scheme, then `:`), made only of characters a SPARQL IRIREF
 * may hold (SPARQL 1.1 Query §19.8), so that it can be written into a query as `<iri>`.
 */
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\u0000-\u0020<>"{}|^`\\]*$/;

/**
 * `?graph=IRI` or `?default`, exactly one of them, and nothing of the query operation beside it:
 * a request that is both a query and a graph read, or names two graphs, is ambiguous (400), and
 * so is a graph name that is not an absolute IRI (GSP §4.2 identifies a graph by its IRI).
 */
function graphRequest(url: URLSearchParams): ProtocolRequest {
  const graphs = url.getAll('graph');
  const bad = (why: string) => new ProtocolError('LG_ERR_GRAPH_REQUEST', why);
  if (url.has('query') || url.has('default-graph-uri') || url.has('named-graph-uri')) {
    throw bad('a request is either a SPARQL query (query=, with default-graph-uri or named-graph-uri) or a Graph Store Protocol read (graph= or default), not both');
  }
  if (url.has('default')) {
    if (graphs.length > 0) throw bad('name one graph: graph=IRI or default, not both');
    return { kind: 'graph', graph: 'default' };
  }
  if (graphs.length > 1) throw bad(`the request names ${graphs.length} graphs; name exactly one (graph=IRI) or the default graph (default)`);
  const iri = graphs[0] as string;
  if (!ABSOLUTE_IRI.test(iri)) throw bad(`graph= must be an absolute IRI without spaces or <>"{}|^\`\\ (percent-encoded in the URL), got ${JSON.stringify(iri.slice(0, 200))}`);
  return { kind: 'graph', graph: { iri } };
}

function readOnly(): ProtocolError {
  return new ProtocolError('LG_ERR_READ_ONLY', 'this SPARQL endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is not accepted');
}

/** `application/sparql-query; charset=UTF-8` -> type and charset, lower-cased (RFC 9110 §8.3.1). */
export function mediaType(header: string | undefined): { type?: string; charset?: string } {
  if (header === undefined || header.trim() === '') return {};
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  return { ...(type ? { type } : {}), ...(charset ? { charset } : {}) };
}

function decode(body: Buffer | undefined): string {
  if (body === undefined || body.length === 0) return '';
  try {
    return utf8.decode(body);
  } catch {
    throw new ProtocolError('LG_ERR_UNSUPPORTED_MEDIA_TYPE', 'the request body is not valid UTF-8');
  }
}
