import { QuerySyntaxError, type LinkedDataStore } from '../store/store.js';
import { cutResults } from './cut-results.js';
import type { HtmlAnswer, JsonTerm } from './pages.js';
import type { PreparedQuery } from './prepare-query.js';
import type { Answer } from './result-types.js';

/**
 * Runs a prepared query on the store and applies the result limit (see prepare-query.ts): SELECT
 * answers are cut by counting rows, CONSTRUCT/DESCRIBE answers are bounded by their LIMIT, and the
 * probe says whether that bound cut anything. Store errors pass through (the app's error handler
 * answers them: 400, 503 with Retry-After, ...), except that a syntax error's position is made to
 * refer to the client's text.
 */

export interface Dataset {
  defaultGraphs?: string[];
  namedGraphs?: string[];
  /** Who asked (QueryOptions.client): passed to the store for its per-client fairness. */
  client?: string;
}

export interface RunResult<T> {
  answer: T;
  /** Set when results were cut: how many were kept. */
  truncatedAt?: number;
}

export async function runForAnswer(store: LinkedDataStore, q: PreparedQuery, answer: Exclude<Answer, { kind: 'html' }>, dataset: Dataset): Promise<RunResult<string>> {
  if (answer.kind === 'rdf') return runGraph(store, q, answer.storeFormat, dataset);
  const body = await run(store, q, q.text, answer.storeFormat, dataset);
  if (q.bound === undefined) return { answer: body };
  const cut = cutResults(body, answer.storeFormat, q.bound);
  return cut.truncated ? { answer: cut.body, truncatedAt: q.bound } : { answer: body };
}

/** The answer for the HTML page: rows from SPARQL JSON, or the graph as Turtle. */
export async function runForPage(store: LinkedDataStore, q: PreparedQuery, dataset: Dataset): Promise<RunResult<HtmlAnswer>> {
  if (q.form === 'CONSTRUCT' || q.form === 'DESCRIBE') {
    const graph = await runGraph(store, q, 'text/turtle', dataset);
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
  try {
    return await store.query(text, { resultsFormat, ...dataset });
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
