import N3 from 'n3';
import { escapeHtml } from '../html/escape.js';
import { formatByMediaType, type RdfFormatKey } from '../serialize/formats.js';
import type { AnswerShape } from '../store/store.js';
import { type ResultsFormat, cutLinesToBytes, cutResults, cutResultsToBytes } from './cut-results.js';

/**
 * A SPARQL client's answer, made in the store's worker thread (store-worker.ts) from the engine's
 * serialised result: the result limit (MAX_QUERY_RESULTS) and the byte cap (MAX_RESULT_BYTES)
 * applied, the truncation marked, a cut graph re-serialised, a results page's table rendered. The
 * server's thread gets only what it sends: a 300 MB CONSTRUCT answer once crossed to it whole,
 * was measured and cut there, and froze /health for seconds (issue #14).
 *
 * SELECT answers are cut by counting rows (cut-results.ts); CONSTRUCT/DESCRIBE answers are
 * bounded by their LIMIT, and the probe says whether that bound cut anything. Then the byte cap:
 * an answer larger than that is cut to whole rows (SELECT) or whole triples (CONSTRUCT/DESCRIBE)
 * that fit, and says so as the row cap does: in the headers, and in the body where the format has
 * room for it: a top-level `truncated` member in SPARQL JSON, a comment in SPARQL XML (CSV and
 * TSV have neither comments nor a place for one).
 */

/**
 * Runs a query on the engine and returns its answer serialised as `resultsFormat`. The embedded
 * store answers synchronously (a string: no promise is made per run); the remote store
 * (src/store/remote/) answers with a promise, and with a PartialText when it read only the beginning
 * of a longer answer.
 */
export type RunText = (sparql: string, resultsFormat: string) => string | PartialText | Promise<string | PartialText>;

/**
 * Only the beginning of a longer answer, read up to a cap: still a complete document in its format
 * (whole rows, whole triples), but never to be sent as the whole answer; it is marked as cut for
 * MAX_RESULT_BYTES even where it fits in the cap.
 */
export interface PartialText {
  partial: string;
}

/** The text of a run, and whether it is only a beginning. */
async function text(run: RunText, sparql: string, format: string): Promise<{ body: string; partial: boolean }> {
  const got = run(sparql, format);
  const out = typeof got === 'string' || !('then' in got) ? got : await got;
  return typeof out === 'string' ? { body: out, partial: false } : { body: out.partial, partial: true };
}

export interface Shaped {
  body: string;
  truncatedAt?: number;
  byteLimit?: number;
}

const JSON_RESULTS = 'application/sparql-results+json';

export async function shapeAnswer(run: RunText, sparql: string, shape: AnswerShape): Promise<Shaped> {
  switch (shape.kind) {
    case 'results': {
      const format = shape.format as ResultsFormat;
      const marked = markerRoom(format, shape.maxBytes);
      const cut = cutSelect(await text(run, sparql, format), format, shape.rowBound, shape.maxBytes - marked);
      // The cut answer is reported with the cap it was cut for, the marker's room included.
      if (cut.byteLimit !== undefined) cut.byteLimit = shape.maxBytes;
      return cut.truncatedAt === undefined ? cut : { ...cut, body: withMarker(cut.body, format, cut) };
    }
    case 'graph':
      return graph(run, sparql, shape.format, shape, Buffer.byteLength);
    case 'page':
      return page(run, sparql, shape);
  }
}

/**
 * The result limit, then the byte cap, on a serialised SELECT/ASK answer; no marker. `rowBound`
 * is set when the query asked for rowBound + 1 rows (prepare-query.ts).
 */
function cutSelect(got: { body: string; partial: boolean }, format: ResultsFormat, rowBound: number | undefined, maxBytes: number): Shaped {
  const result: Shaped = { body: got.body };
  if (rowBound !== undefined) {
    const cut = cutResults(result.body, format, rowBound);
    if (cut.truncated) [result.body, result.truncatedAt] = [cut.body, rowBound];
  }
  const cut = cutResultsToBytes(result.body, format, maxBytes);
  if (cut.truncated) [result.body, result.byteLimit, result.truncatedAt] = [cut.body, maxBytes, cut.rows];
  // A beginning that fits: cut all the same, at the rows it holds.
  else if (got.partial && result.truncatedAt === undefined) [result.byteLimit, result.truncatedAt] = [maxBytes, cutResults(result.body, format, Number.MAX_SAFE_INTEGER - 1).rows];
  return result;
}

/** The bytes the marker of a cut answer may take: kept free, so the answer with it is within the cap. */
function markerRoom(format: string, maxBytes: number): number {
  return Buffer.byteLength(marker(format, { truncatedAt: Number.MAX_SAFE_INTEGER, byteLimit: maxBytes }));
}

/**
 * What the body says about a cut: JSON gets a top-level member (SPARQL 1.1 Query Results JSON §3
 * defines `head`, `results` and `boolean`; readers take those by name and ignore the rest), XML a
 * comment before `</sparql>`. The values are those of the headers.
 */
function marker(format: string, cut: Pick<Shaped, 'truncatedAt' | 'byteLimit'>): string {
  const limit = cut.byteLimit !== undefined ? { limit: cut.byteLimit, unit: 'bytes', results: cut.truncatedAt } : { limit: cut.truncatedAt, unit: 'results' };
  if (format === JSON_RESULTS) return `,"truncated":${JSON.stringify(limit)}`;
  if (format === 'application/sparql-results+xml') {
    const what = cut.byteLimit !== undefined ? `cut to ${cut.truncatedAt} results to fit in ${cut.byteLimit} bytes (MAX_RESULT_BYTES)` : `cut to ${cut.truncatedAt} results (MAX_QUERY_RESULTS)`;
    return `<!-- X-SPARQL-Results-Truncated: ${what} -->\n`;
  }
  return '';
}

function withMarker(body: string, format: string, cut: Pick<Shaped, 'truncatedAt' | 'byteLimit'>): string {
  // An empty body (not even the header fitted) stays empty: there is no document to mark.
  const at = format === JSON_RESULTS ? body.lastIndexOf('}') : format === 'application/sparql-results+xml' ? body.lastIndexOf('</sparql>') : -1;
  return at < 0 ? body : body.slice(0, at) + marker(format, cut) + body.slice(at);
}

/**
 * A CONSTRUCT/DESCRIBE answer within `maxBytes` as `size` measures it (the bytes sent, or the
 * bytes once escaped into a page). N-Triples and N-Quads are cut at a line end. The other formats
 * have no such place (Turtle's `;` lists, RDF/XML's nesting), so the query is run again as
 * N-Triples (only when over the cap), cut there, and the kept triples are serialised in the asked
 * format (Turtle and TriG are not run again: their beginning is read); a format that comes out larger than N-Triples (expanded JSON-LD, RDF/XML) is cut again
 * with the room it left, a few times at most.
 */
async function graph(run: RunText, sparql: string, format: string, shape: { maxBytes: number; base: string; bound?: number; probe?: string }, size: (text: string) => number): Promise<Shaped> {
  // The probe first: it is at most one row, and a client that would be cut learns it either way.
  // TSV: a header line, then one line per row; any row means solutions beyond the bound.
  const more = shape.probe !== undefined && /\n./.test((await text(run, shape.probe, 'text/tab-separated-values')).body);
  const limited: Pick<Shaped, 'truncatedAt'> = more && shape.bound !== undefined ? { truncatedAt: shape.bound } : {};
  const max = shape.maxBytes;
  const key = formatByMediaType(format)?.key;
  if (key === undefined || key === 'html') throw new Error(`no RDF format for ${format}`);
  const first = await text(run, sparql, format);
  let body: string | undefined = first.body;
  if (size(body) <= max && !first.partial) return { body, ...limited };
  const cut = { ...limited, byteLimit: max };
  if ((key === 'nt' || key === 'nq') && size === Buffer.byteLength) return { ...cut, body: cutLinesToBytes(body, max) };
  // The triples of the first `room` units of a text, and how many units that took: the next
  // room is scaled from what was used, not from a room larger than the whole text.
  type Kept = (room: number) => Promise<{ quads: N3.Quad[]; used: number }>;
  const fromNTriples = async (): Promise<Kept> => {
    body = undefined; // not needed any more: the N-Triples run below may be as large
    const triples = (await text(run, sparql, 'application/n-triples')).body;
    return async (room) => {
      const cut = cutLinesToBytes(triples, room);
      return { quads: new N3.Parser({ format: 'N-Triples' }).parse(cut), used: Buffer.byteLength(cut) };
    };
  };
  let kept: Kept;
  if (key === 'ttl' || key === 'trig') {
    // Turtle and TriG are read from their beginning instead of running the query again: the
    // parser gives a triple only once its `.`, `;` or `,` is read, so a prefix gives whole triples.
    const text = body;
    kept = async (room) => {
      const prefix = text.slice(0, room);
      return { quads: await leadingQuads(prefix, key === 'ttl' ? 'Turtle' : 'TriG'), used: prefix.length };
    };
  } else {
    kept = await fromNTriples();
  }
  // Loaded only when a cut graph must be written again (jsonld is large).
  const { serialize } = await import('../serialize/serialize.js');
  const options = { base: shape.base, graph: false, jsonLdForm: 'expanded' } as const;
  let room = max;
  for (let attempt = 0; attempt < 5; attempt++) {
    let got = await kept(room);
    // Turtle groups a subject's triples first; when its first triple alone is over the cap, the
    // N-Triples order may still begin with triples that fit.
    if (got.quads.length === 0 && body !== undefined) got = await (kept = await fromNTriples())(room);
    const { quads, used } = got;
    // Our RDF/XML writer refuses some predicates Oxigraph's accepts (no XML name at the end, as in
    // <urn:x:1>): then the kept triples cannot be written in that format at all, see below.
    const written = await serialize(quads, key as RdfFormatKey, options).catch(() => undefined);
    if (written === undefined) break;
    const bytes = size(written);
    if (bytes <= max) return { ...cut, body: written };
    room = Math.floor(((used * max) / bytes) * 0.9);
  }
  // Still too large after shrinking five times, or not writable: an empty graph, marked as cut,
  // rather than more than the cap or an error for a query that ran.
  return { ...cut, body: await serialize([], key as RdfFormatKey, options) };
}

/** The complete triples at the start of a Turtle or TriG text (its end may be cut anywhere). */
function leadingQuads(text: string, format: 'Turtle' | 'TriG'): Promise<N3.Quad[]> {
  return new Promise((resolve) => {
    const quads: N3.Quad[] = [];
    // The parser stops at the first error, which the cut end is: what came before stands.
    new N3.Parser({ format }).parse(text, (error, quad) => {
      if (error || !quad) resolve(quads);
      else quads.push(quad);
    });
  });
}

/**
 * The results part of the HTML page, within `shape.room` bytes (what the page around it leaves of
 * MAX_RESULT_BYTES): a table of whole rows, a yes/no, or the graph as Turtle. A cut is reported
 * with the page's cap, `shape.maxBytes`, as the headers say it.
 */
async function page(run: RunText, sparql: string, shape: Extract<AnswerShape, { kind: 'page' }>): Promise<Shaped> {
  const { renderAnswerHtml, graphHtml } = await import('./results-html.js');
  const { keepLanguage } = await import('../html/layout.js');
  const ours = (fragment: string) => keepLanguage(fragment, shape.lang);
  if (shape.form === 'CONSTRUCT' || shape.form === 'DESCRIBE') {
    // The Turtle is measured as the page will hold it: escaped, inside its paragraph and <pre>.
    const frame = Buffer.byteLength(graphHtml('', shape.lang));
    const turtle = await graph(run, sparql, 'text/turtle', { ...shape, maxBytes: shape.room - frame }, (text) => Buffer.byteLength(escapeHtml(text)));
    return { ...turtle, ...(turtle.byteLimit !== undefined ? { byteLimit: shape.maxBytes } : {}), body: graphHtml(turtle.body, shape.lang) };
  }
  // The JSON is cut to the page's cap before it is parsed (the table takes no more than that).
  const json = cutSelect(await text(run, sparql, JSON_RESULTS), JSON_RESULTS, shape.rowBound, shape.maxBytes);
  const parsed = JSON.parse(json.body || '{"head":{}}') as Parameters<typeof renderAnswerHtml>[0];
  const rendered = renderAnswerHtml(parsed, { lang: shape.lang, base: shape.base, room: shape.room, finish: ours });
  const result: Shaped = { body: rendered.html };
  if (json.truncatedAt !== undefined) result.truncatedAt = json.truncatedAt;
  if (json.byteLimit !== undefined || rendered.cut) [result.byteLimit, result.truncatedAt] = [shape.maxBytes, rendered.rows];
  return result;
}
