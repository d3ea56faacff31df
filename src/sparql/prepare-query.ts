import N3 from 'n3';
import sparqljs from 'sparqljs';
import { QuerySyntaxError } from '../store/store.js';
import { ProtocolError } from './protocol-error.js';
import { type QueryBounds, checkQueryShape } from './query-shape.js';
import { expandWildcard } from './select-star.js';

/**
 * What the endpoint does to a client's query before the store sees it (style.md "Avoid 4": the
 * query is parsed, never sniffed). sparqljs (the SPARQL 1.1 parser Comunica uses) is the gate:
 * a query it cannot parse is a 400 here and never runs, so every query that does run has been
 * checked for updates and SERVICE and carries the result limit.
 *
 * The result limit (MAX_QUERY_RESULTS) without reading the whole answer: Oxigraph evaluates
 * lazily, so a LIMIT stops the work early, where cutting a finished answer would not.
 * - SELECT: the LIMIT is lowered (or added) to MAX+1; the route counts the rows of the answer, and
 *   if MAX+1 came back, there were more: it cuts the answer to MAX and says so in a header.
 * - CONSTRUCT and DESCRIBE: the limit counts the solutions of the WHERE clause (what LIMIT means
 *   there: each solution gives the template's triples, or one resource's description). Duplicate
 *   triples merge, so the answer itself cannot tell whether solutions were cut; a probe query
 *   (`SELECT (1 AS ?x) WHERE {…} OFFSET offset+MAX LIMIT 1`, as cheap as one more solution) does.
 * - CONSTRUCT's bound is lowered further when its template is large: to MAX_RESULT_BYTES / (128 x
 *   the template's triples). Beyond that many solutions the answer would almost surely be over
 *   the byte cap anyway, and the engine, which builds its whole answer before anything can be
 *   cut, is not asked for more: a 300-triple template with LIMIT 10000 once built 307 MB (issue
 *   #14). The answer then says it was cut to that many results, as for MAX_QUERY_RESULTS.
 * - ASK: one boolean; nothing to bound.
 * The client's own LIMIT is kept when it is within the bound; the query text is then the
 * client's own, byte for byte (after a BASE line: relative IRIs resolve against the endpoint).
 * Subqueries keep their LIMITs: only the final answer is bounded. A `SELECT *` is always
 * regenerated with its variables spelled out in the order written (select-star.ts).
 */

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE';

export interface PreparedQuery {
  form: QueryForm;
  /** What to send to the store. */
  text: string;
  /** Lines we put before the client's text (the BASE line): taken off error positions. */
  lineOffset: number;
  /** True when `text` was regenerated from the parsed query to set its LIMIT. */
  rewritten: boolean;
  /**
   * Set when the result limit applies: SELECT then has LIMIT bound+1 (cut the answer to `bound`
   * rows), CONSTRUCT/DESCRIBE have LIMIT bound and a `probe`.
   */
  bound?: number;
  /** CONSTRUCT/DESCRIBE: a SELECT that returns a row when solutions beyond the bound exist. */
  probe?: string;
}

export interface PrepareOptions {
  /**
   * The service's base IRI for relative IRIs in a query without BASE (SPARQL 1.1 Query §4.1.1.1,
   * the Protocol's update_base_uri test: "which MAY be the service endpoint"): the endpoint URL.
   */
  baseIri: string;
  maxResults: number;
  /** MAX_RESULT_BYTES: lowers a CONSTRUCT's bound by its template's size (see above). */
  maxBytes?: number;
  /**
   * MAX_QUERY_BYTES and MAX_QUERY_DEPTH, checked by a linear scan before the text reaches the
   * parser (query-shape.ts); without them only the parser's own limits apply.
   */
  bounds?: QueryBounds;
}

/** The parts of sparqljs's parsed query the limit works on (present on every query form). */
interface Modifiers {
  limit?: number;
  offset?: number;
  group?: unknown;
  having?: unknown;
  order?: unknown;
}

const { literal, namedNode, variable } = N3.DataFactory;
const XSD_INTEGER = namedNode('http://www.w3.org/2001/XMLSchema#integer');
const generator = new sparqljs.Generator();

/**
 * The bytes a CONSTRUCT's triple is assumed to take: about what one of real IRIs takes in
 * N-Triples (ours are about 100 to 150 bytes), so the bound asks for about what fits. 64 asked for
 * twice that, which the engine built whole: the 300-triple probe then peaked at 769 MB of the
 * whole process and took 3.9 s; with 128, 320 MB and 0.9 s (npm run bench -- --part hostile
 * --case huge-construct). Triples of short IRIs are cut below the byte cap, and the answer says so.
 */
const MIN_TRIPLE_BYTES = 128;

/**
 * Parses and rewrites `text` (synchronously: sparqljs is a generated LALR parser, up to 1.1 s for
 * a 64 KiB query). The server never calls this on its own thread: src/sparql/prepare-for-client.ts
 * sends it to a parse worker (parse-pool.ts), which runs this function.
 */
export function prepareQuery(text: string, opts: PrepareOptions): PreparedQuery {
  if (opts.bounds) checkQueryShape(text, opts.bounds);
  return prepareWithin(text, opts);
}

/**
 * A query within the bounds can still be deep enough for the recursion of sparqljs's generator or
 * of our walks (bounds set high by an operator): that is the query's shape, a 400, never a 500.
 */
function prepareWithin(text: string, opts: PrepareOptions): PreparedQuery {
  try {
    return prepare(text, opts);
  } catch (err) {
    if (err instanceof RangeError) throw new ProtocolError('LG_ERR_QUERY_TOO_DEEP', 'the query is nested too deeply to be processed; write it flatter');
    throw err;
  }
}

function prepare(text: string, opts: PrepareOptions): PreparedQuery {
  const ast = parse(text, opts.baseIri);
  if (ast.type === 'update') {
    throw new ProtocolError('LG_ERR_READ_ONLY', 'this SPARQL endpoint is read-only: the request holds a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...), which is not accepted');
  }
  const service = findService(ast);
  if (service !== undefined) {
    throw new ProtocolError('LG_ERR_SERVICE_REFUSED', `SERVICE ${service} is not allowed: this endpoint never fetches other URLs on a client's behalf. Federate on the client side instead (for example with Comunica, see the README).`);
  }
  const form = ast.queryType;
  // Prologue: BASE may appear more than once and the last one wins (Query §4.1.1.1), so a query
  // with a BASE of its own keeps it.
  const withBase = (t: string) => `BASE <${opts.baseIri}>\n${t}`;
  const unchanged: PreparedQuery = { form, text: withBase(text), lineOffset: 1, rewritten: false };
  const template = ast.queryType === 'CONSTRUCT' ? (ast.template?.length ?? 0) : 0;
  const bySize = opts.maxBytes !== undefined && template > 0 ? Math.max(1, Math.floor(opts.maxBytes / (MIN_TRIPLE_BYTES * template))) : Infinity;
  const max = Math.min(opts.maxResults, bySize);
  const m = ast as Modifiers;
  const withinBound = m.limit !== undefined && m.limit <= max;
  // Regenerated text carries the parser's BASE (the client's, or ours) and absolute IRIs.
  if (form === 'SELECT') {
    const star = expandWildcard(ast);
    if (withinBound && !star) return unchanged;
    if (!withinBound) m.limit = max + 1;
    return { form, text: generator.stringify(ast), lineOffset: 0, rewritten: true, ...(withinBound ? {} : { bound: max }) };
  }
  if (form === 'ASK' || withinBound || (form === 'DESCRIBE' && ast.where === undefined)) return unchanged;
  const probe = generator.stringify({
    type: 'query',
    queryType: 'SELECT',
    ...(ast.base ? { base: ast.base } : {}),
    prefixes: ast.prefixes,
    ...(ast.from ? { from: ast.from } : {}),
    variables: [{ expression: literal('1', XSD_INTEGER), variable: variable('lg_probe') }],
    where: ast.where ?? [],
    ...(ast.values ? { values: ast.values } : {}),
    ...(m.group ? { group: m.group } : {}),
    ...(m.having ? { having: m.having } : {}),
    offset: (m.offset ?? 0) + max,
    limit: 1,
  } as sparqljs.SelectQuery);
  m.limit = max;
  return { form, text: generator.stringify(ast), lineOffset: 0, rewritten: true, bound: max, probe };
}

/** sparqljs's own error, with its position when it gives one (jison's `hash.loc`). */
interface JisonError extends Error {
  hash?: { loc?: { first_line: number; first_column: number } };
}

function parse(text: string, baseIri: string): sparqljs.SparqlQuery {
  try {
    // A new parser per query: sparqljs keeps blank-node counters and prefixes in its instance.
    return new sparqljs.Parser({ baseIRI: baseIri }).parse(text);
  } catch (err) {
    const e = err as JisonError;
    const loc = e.hash?.loc;
    if (loc) {
      const message = `error at ${loc.first_line}:${loc.first_column + 1}: ${e.message}`;
      throw new QuerySyntaxError(message, { line: loc.first_line, column: loc.first_column + 1 });
    }
    throw new QuerySyntaxError(`error: ${e instanceof Error ? e.message : String(err)}`);
  }
}

/**
 * The IRI (or variable) of the first SERVICE anywhere in the query: in nested groups, OPTIONAL,
 * UNION, MINUS, GRAPH, subqueries and FILTER (NOT) EXISTS alike. A walk over the whole parsed
 * tree, so no place where a pattern may hide is forgotten; RDF terms (termType) are leaves.
 */
export function findService(ast: sparqljs.SparqlQuery): string | undefined {
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
    } else if (node !== null && typeof node === 'object' && !('termType' in node)) {
      const n = node as { type?: unknown; name?: { termType: string; value: string } };
      if (n.type === 'service') return n.name?.termType === 'Variable' ? `?${n.name.value}` : `<${n.name?.value ?? ''}>`;
      stack.push(...Object.values(node));
    }
  }
  return undefined;
}
