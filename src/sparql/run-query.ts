import { QuerySyntaxError, type AnswerShape, type BoundedAnswer, type LinkedDataStore } from '../store/store.js';
import type { Lang } from '../html/models.js';
import type { PreparedQuery } from './prepare-query.js';
import type { Answer } from './result-types.js';

/**
 * Runs a prepared query for a SPARQL client. The store bounds and shapes the answer where it is
 * produced (src/sparql/shape-answer.ts, in the store's worker): the result limit (see
 * prepare-query.ts), the byte cap (MAX_RESULT_BYTES) with its marker, a results page's table. So
 * this thread only passes on bytes within the cap. Store errors pass through (the app's error
 * handler answers them: 400, 503 with Retry-After, ...), except that a syntax error's position is
 * made to refer to the client's text.
 */

export interface Dataset {
  defaultGraphs?: string[];
  namedGraphs?: string[];
  /** Who asked (QueryOptions.client): passed to the store for its per-client fairness. */
  client?: string;
  /** QueryOptions.arrivedAt: the time limit counts from the request's arrival, the parse included. */
  arrivedAt?: number;
  /** MAX_RESULT_BYTES: the largest answer sent, in bytes of UTF-8. */
  maxBytes: number;
  /** BASE_URI: a cut graph answer's prefixes, a page's links. */
  base: string;
}

export type RunResult = BoundedAnswer;

export async function runForAnswer(store: LinkedDataStore, q: PreparedQuery, answer: Exclude<Answer, { kind: 'html' }>, dataset: Dataset): Promise<RunResult> {
  const shape: AnswerShape = answer.kind === 'rdf'
    ? { kind: 'graph', format: answer.storeFormat, maxBytes: dataset.maxBytes, base: dataset.base, ...graphBound(q) }
    : { kind: 'results', format: answer.storeFormat, maxBytes: dataset.maxBytes, ...(q.bound !== undefined ? { rowBound: q.bound } : {}) };
  return run(store, q, shape, dataset);
}

/**
 * The results part of the HTML page (a table, the ASK answer, the graph as Turtle), within
 * `room`: what the page around it leaves of MAX_RESULT_BYTES.
 */
export async function runForPage(store: LinkedDataStore, q: PreparedQuery, dataset: Dataset, page: { lang: Lang; room: number }): Promise<RunResult> {
  const graph = q.form === 'CONSTRUCT' || q.form === 'DESCRIBE';
  const bound = graph ? graphBound(q) : q.bound !== undefined ? { rowBound: q.bound } : {};
  return run(store, q, { kind: 'page', form: q.form, maxBytes: dataset.maxBytes, room: page.room, base: dataset.base, lang: page.lang, ...bound }, dataset);
}

function graphBound(q: PreparedQuery): { bound?: number; probe?: string } {
  return { ...(q.bound !== undefined ? { bound: q.bound } : {}), ...(q.probe !== undefined ? { probe: q.probe } : {}) };
}

async function run(store: LinkedDataStore, q: PreparedQuery, shape: AnswerShape, dataset: Dataset): Promise<RunResult> {
  const { defaultGraphs, namedGraphs, client, arrivedAt } = dataset;
  try {
    // resultsFormat is the shape's concern; the store takes it from there.
    return await store.answer(q.text, { resultsFormat: 'format' in shape ? shape.format : 'application/sparql-results+json', ...(defaultGraphs ? { defaultGraphs } : {}), ...(namedGraphs ? { namedGraphs } : {}), ...(client !== undefined ? { client } : {}), ...(arrivedAt !== undefined ? { arrivedAt } : {}) }, shape);
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
