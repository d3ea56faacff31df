import N3 from 'n3';
import { formatByMediaType, type RdfFormatKey } from '../serialize/formats.js';
import { serialize } from '../serialize/serialize.js';
import { QuerySyntaxError, type LinkedDataStore } from '../store/store.js';
import { cutLinesToBytes, cutResults, cutResultsToBytes } from './cut-results.js';
import type { HtmlAnswer, JsonTerm } from './pages.js';
import type { PreparedQuery } from './prepare-query.js';
import type { Answer } from './result-types.js';

/**
 * Runs a prepared query on the store and applies the result limit (see prepare-query.ts): SELECT
 * answers are cut by counting rows, CONSTRUCT/DESCRIBE answers are bounded by their LIMIT, and the
 * probe says whether that bound cut anything. Store errors pass through (the app's error handler
 * answers them: 400, 503 with Retry-After, ...), except that a syntax error's position is made to
 * refer to the client's text.
 *
 * Then the byte cap (MAX_RESULT_BYTES): an answer larger than that is cut to whole rows (SELECT)
 * or whole triples (CONSTRUCT/DESCRIBE) that fit, and says so as the row cap does: the headers,
 * and in the body where the format has room for it: a top-level `truncated` member in SPARQL
 * JSON, a comment in SPARQL XML (CSV and TSV have neither comments nor a place for one).
 */

export interface Dataset {
  defaultGraphs?: string[];
  namedGraphs?: string[];
  /** Who asked (QueryOptions.client): passed to the store for its per-client fairness. */
  client?: string;
  /** MAX_RESULT_BYTES: the largest answer sent, in bytes of UTF-8. */
  maxBytes?: number;
  /** BASE_URI, for re-serialising a cut graph answer (its prefixes); needed with maxBytes. */
  base?: string;
}

export interface RunResult<T> {
  answer: T;
  /** Set when results were cut: how many were kept. */
  truncatedAt?: number;
  /** Set when the answer was cut to fit in this many bytes (MAX_RESULT_BYTES). */
  byteLimit?: number;
}

export async function runForAnswer(store: LinkedDataStore, q: PreparedQuery, answer: Exclude<Answer, { kind: 'html' }>, dataset: Dataset): Promise<RunResult<string>> {
  if (answer.kind === 'rdf') return capGraph(store, q, answer.storeFormat, dataset, await runGraph(store, q, answer.storeFormat, dataset));
  const format = answer.storeFormat;
  let body = await run(store, q, q.text, format, dataset);
  const result: RunResult<string> = { answer: body };
  if (q.bound !== undefined) {
    const cut = cutResults(body, format, q.bound);
    if (cut.truncated) [body, result.truncatedAt] = [cut.body, q.bound];
  }
  const max = dataset.maxBytes;
  if (max !== undefined) {
    // The marker's room is kept free, so the answer with it is still within the cap.
    const room = max - Buffer.byteLength(marker(format, { truncatedAt: Number.MAX_SAFE_INTEGER, byteLimit: max }));
    const cut = cutResultsToBytes(body, format, room);
    if (cut.truncated) {
      [body, result.byteLimit] = [cut.body, max];
      result.truncatedAt = cut.rows;
    }
  }
  result.answer = result.truncatedAt === undefined ? body : withMarker(body, format, result);
  return result;
}

/**
 * What the body says about a cut: JSON gets a top-level member (SPARQL 1.1 Query Results JSON §3
 * defines `head`, `results` and `boolean`; readers take those by name and ignore the rest), XML a
 * comment before `</sparql>`. The values are those of the headers.
 */
function marker(format: string, cut: Pick<RunResult<string>, 'truncatedAt' | 'byteLimit'>): string {
  const limit = cut.byteLimit !== undefined ? { limit: cut.byteLimit, unit: 'bytes', results: cut.truncatedAt } : { limit: cut.truncatedAt, unit: 'results' };
  if (format === 'application/sparql-results+json') return `,"truncated":${JSON.stringify(limit)}`;
  if (format === 'application/sparql-results+xml') {
    const what = cut.byteLimit !== undefined ? `cut to ${cut.truncatedAt} results to fit in ${cut.byteLimit} bytes (MAX_RESULT_BYTES)` : `cut to ${cut.truncatedAt} results (MAX_QUERY_RESULTS)`;
    return `<!-- X-SPARQL-Results-Truncated: ${what} -->\n`;
  }
  return '';
}

function withMarker(body: string, format: string, cut: Pick<RunResult<string>, 'truncatedAt' | 'byteLimit'>): string {
  // An empty body (not even the header fitted) stays empty: there is no document to mark.
  const at = format === 'application/sparql-results+json' ? body.lastIndexOf('}') : format === 'application/sparql-results+xml' ? body.lastIndexOf('</sparql>') : -1;
  return at < 0 ? body : body.slice(0, at) + marker(format, cut) + body.slice(at);
}

/**
 * The byte cap for CONSTRUCT/DESCRIBE. N-Triples and N-Quads are cut at a line end. The other
 * formats have no such place (Turtle's `;` lists, RDF/XML's nesting), so the query is run again
 * as N-Triples (only when over the cap), cut there, and the kept triples are serialised in the
 * asked format; a format that comes out larger than N-Triples (expanded JSON-LD, RDF/XML) is cut
 * again with the room it left, a few times at most.
 */
async function capGraph(store: LinkedDataStore, q: PreparedQuery, format: string, dataset: Dataset, got: RunResult<string>): Promise<RunResult<string>> {
  const max = dataset.maxBytes;
  if (max === undefined || Buffer.byteLength(got.answer) <= max) return got;
  const cut = { byteLimit: max };
  const key = formatByMediaType(format)?.key;
  if (key === 'nt' || key === 'nq') return { ...got, ...cut, answer: cutLinesToBytes(got.answer, max) };
  if (key === undefined || key === 'html') throw new Error(`no RDF format for ${format}`);
  const base = dataset.base;
  if (base === undefined) throw new Error('a graph answer is cut only with the base its prefixes come from');
  const triples = await run(store, q, q.text, 'application/n-triples', dataset);
  let room = max;
  for (let attempt = 0; attempt < 5; attempt++) {
    const quads = new N3.Parser({ format: 'N-Triples' }).parse(cutLinesToBytes(triples, room));
    // Our RDF/XML writer refuses some predicates Oxigraph's accepts (no XML name at the end, as in
    // <urn:x:1>): then the kept triples cannot be written in that format at all, see below.
    const body = await serialize(quads, key as RdfFormatKey, { base, graph: false, jsonLdForm: 'expanded' }).catch(() => undefined);
    if (body === undefined) break;
    const size = Buffer.byteLength(body);
    if (size <= max) return { ...got, ...cut, answer: body };
    room = Math.floor((room * max) / size * 0.9);
  }
  // Still too large after shrinking five times, or not writable: an empty graph, marked as cut,
  // rather than more than the cap or an error for a query that ran.
  return { ...got, ...cut, answer: await serialize([], key as RdfFormatKey, { base, graph: false, jsonLdForm: 'expanded' }) };
}

/** The answer for the HTML page: rows from SPARQL JSON, or the graph as Turtle. */
export async function runForPage(store: LinkedDataStore, q: PreparedQuery, dataset: Dataset): Promise<RunResult<HtmlAnswer>> {
  if (q.form === 'CONSTRUCT' || q.form === 'DESCRIBE') {
    const graph = await capGraph(store, q, 'text/turtle', dataset, await runGraph(store, q, 'text/turtle', dataset));
    return { ...graph, answer: { kind: 'graph', turtle: graph.answer } };
  }
  const json = await runForAnswer(store, q, { kind: 'results', storeFormat: 'application/sparql-results+json', contentType: '' }, dataset);
  const parsed = JSON.parse(json.answer) as { boolean?: boolean; head: { vars?: string[] }; results?: { bindings: Record<string, JsonTerm>[] } };
  const answer: HtmlAnswer = typeof parsed.boolean === 'boolean'
    ? { kind: 'boolean', value: parsed.boolean }
    : { kind: 'table', vars: parsed.head.vars ?? [], rows: parsed.results?.bindings ?? [] };
  return { ...json, answer };
}

async function runGraph(store: LinkedDataStore, q: PreparedQuery, format: string, dataset: Dataset): Promise<RunResult<string>> {
  // The probe first: it is at most one row, and a client that would be cut learns it either way.
  // TSV: a header line, then one line per row; any row means solutions beyond the bound.
  const more = q.probe !== undefined && /\n./.test(await run(store, q, q.probe, 'text/tab-separated-values', dataset));
  const body = await run(store, q, q.text, format, dataset);
  return more && q.bound !== undefined ? { answer: body, truncatedAt: q.bound } : { answer: body };
}

async function run(store: LinkedDataStore, q: PreparedQuery, text: string, resultsFormat: string, dataset: Dataset): Promise<string> {
  const { defaultGraphs, namedGraphs, client } = dataset;
  try {
    return await store.query(text, { resultsFormat, ...(defaultGraphs ? { defaultGraphs } : {}), ...(namedGraphs ? { namedGraphs } : {}), ...(client !== undefined ? { client } : {}) });
  } catch (err) {
    throw err instanceof QuerySyntaxError ? clientPosition(err, q) : err;
  }
}

/**
 * Oxigraph's "error at L:C" counts the BASE line we put first; as the client wrote the query, the
 * line is one less. A query we rewrote has no such mapping: the message says which text it means.
 */
function clientPosition(err: QuerySyntaxError, q: PreparedQuery): QuerySyntaxError {
  if (q.rewritten) return new QuerySyntaxError(`${err.message} (in the query as rewritten to set its LIMIT)`, err.position);
  if (!err.position || q.lineOffset === 0) return err;
  const line = err.position.line - q.lineOffset;
  const message = err.message.replace(/^error at \d+:(\d+):/, `error at ${line}:$1:`);
  return new QuerySyntaxError(message, { line, column: err.position.column });
}
