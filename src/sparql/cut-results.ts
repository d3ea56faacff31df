/**
 * Counts the rows of a serialised SELECT answer and cuts it to `max` rows, without parsing it
 * into objects: the answer is at most MAX_QUERY_RESULTS + 1 rows (prepare-query.ts), but turning
 * 10,000 rows into objects and back would cost the event loop more than the query itself. Each
 * counter relies only on what the format's grammar guarantees, not on how Oxigraph spaces things:
 *
 * - TSV (SPARQL 1.1 Query Results CSV and TSV §3): one line per row after the header line; a
 *   newline inside a literal is written `\n` (Turtle escapes), so every LF ends a row.
 * - CSV (same, §2, RFC 4180): rows end with CRLF; a field holding a line break is quoted, so
 *   record ends are counted outside quotes (a doubled quote `""` toggles twice: no change).
 * - XML (Query Results XML Format §2.3): one `<result>` element per row; text and attribute values
 *   escape `<`, so the tag cannot occur inside a value.
 * - JSON (Query Results JSON Format §3.2): the objects of the `bindings` array, counted by brace
 *   depth outside strings (JSON strings escape `"` and `\`, so the scan always knows whether it is
 *   inside one).
 */

export type ResultsFormat = 'application/sparql-results+json' | 'application/sparql-results+xml' | 'text/csv' | 'text/tab-separated-values';

export interface CutResult {
  body: string;
  /** Rows in the answer as received, counted up to `max + 1` (all that is needed to decide). */
  rows: number;
  /** Whether rows were removed. */
  truncated: boolean;
}

export function cutResults(body: string, format: ResultsFormat, max: number): CutResult {
  const ends = format === 'application/sparql-results+json' ? jsonRowEnds(body, max + 1) : format === 'application/sparql-results+xml' ? xmlRowStarts(body, max + 1) : lineEnds(body, format === 'text/csv', max + 2);
  // CSV/TSV list the header line's end first.
  const rows = format === 'text/csv' || format === 'text/tab-separated-values' ? Math.max(ends.length - 1, 0) : ends.length;
  if (rows <= max) return { body, rows, truncated: false };
  switch (format) {
    case 'text/csv':
    case 'text/tab-separated-values':
      return { body: body.slice(0, ends[max]), rows, truncated: true };
    case 'application/sparql-results+xml': {
      // `</results></sparql>` closes the document again.
      return { body: body.slice(0, ends[max]) + body.slice(body.lastIndexOf('</results>')), rows, truncated: true };
    }
    case 'application/sparql-results+json': {
      // The array and the two objects around it: `]}}` (whatever whitespace the writer used).
      const tail = body.slice(body.lastIndexOf(']'));
      return { body: body.slice(0, ends[max - 1]) + tail, rows, truncated: true };
    }
  }
}

/** Offsets just past each of the first `limit` line ends (CRLF for CSV, LF for TSV). */
function lineEnds(body: string, csv: boolean, limit: number): number[] {
  const out: number[] = [];
  if (!csv || !body.includes('"')) {
    const nl = csv ? '\r\n' : '\n';
    for (let i = body.indexOf(nl); i >= 0 && out.length < limit; i = body.indexOf(nl, i + nl.length)) out.push(i + nl.length);
    return out;
  }
  let quoted = false;
  for (let i = 0; i < body.length && out.length < limit; i++) {
    const c = body.charCodeAt(i);
    if (c === 34 /* " */) quoted = !quoted;
    else if (!quoted && c === 13 /* \r */ && body.charCodeAt(i + 1) === 10) out.push(++i + 1);
  }
  return out;
}

/** Offsets of the first `limit` `<result>` start tags (or `<result/>`, an empty solution). */
function xmlRowStarts(body: string, limit: number): number[] {
  const out: number[] = [];
  const tag = /<result\/?>/g;
  for (let m = tag.exec(body); m && out.length < limit; m = tag.exec(body)) out.push(m.index);
  return out;
}

/** Offsets just past each of the first `limit` objects of the `bindings` array. */
function jsonRowEnds(body: string, limit: number): number[] {
  const out: number[] = [];
  const key = body.indexOf('"bindings"');
  if (key < 0) return out; // an ASK answer
  let depth = 0;
  let inString = false;
  for (let i = body.indexOf('[', key) + 1; i > 0 && i < body.length && out.length < limit; i++) {
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */ && --depth === 0) out.push(i + 1);
    else if (c === 93 /* ] */ && depth === 0) break;
  }
  return out;
}

/**
 * Cuts a serialised SELECT answer to the whole rows that fit in `maxBytes` of UTF-8 (MAX_RESULT_BYTES:
 * a REPLACE-inflated query could otherwise send 72 MB in a few rows), keeping the document valid
 * as cutResults does. `rows` is the number of rows kept. Only the first `maxBytes` characters are
 * scanned: a UTF-8 prefix is never shorter in bytes than in characters, so no row ending later can
 * fit; among the rows that end there, the longest prefix that fits is found by bisection.
 */
export function cutResultsToBytes(body: string, format: ResultsFormat, maxBytes: number): CutResult {
  if (Buffer.byteLength(body) <= maxBytes) return { body, rows: -1, truncated: false };
  const scan = body.slice(0, maxBytes);
  let prefixes: string[];
  let tail = '';
  switch (format) {
    case 'text/csv':
    case 'text/tab-separated-values': {
      // The header line, then one more line per row kept: without a whole header nothing is valid.
      const ends = lineEnds(scan, format === 'text/csv', Infinity);
      prefixes = ends.map((end) => scan.slice(0, end));
      break;
    }
    case 'application/sparql-results+xml': {
      const starts = xmlRowStarts(scan, Infinity);
      tail = body.slice(body.lastIndexOf('</results>'));
      const open = body.indexOf('<results>');
      // Row k's prefix ends where row k+1 starts; zero rows keep `<results>` itself.
      prefixes = [body.slice(0, open + '<results>'.length), ...starts.slice(1).map((s) => scan.slice(0, s))];
      break;
    }
    case 'application/sparql-results+json': {
      const ends = jsonRowEnds(scan, Infinity);
      tail = body.slice(body.lastIndexOf(']'));
      const open = body.indexOf('[', body.indexOf('"bindings"'));
      prefixes = [body.slice(0, open + 1), ...ends.map((e) => scan.slice(0, e))];
      break;
    }
  }
  const room = maxBytes - Buffer.byteLength(tail);
  let lo = -1; // the longest prefix known to fit (-1: none)
  let hi = prefixes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (Buffer.byteLength(prefixes[mid]!) <= room) lo = mid;
    else hi = mid;
  }
  // Not even the header fits: an empty body says nothing false, and the headers say it was cut.
  if (lo < 0) return { body: '', rows: 0, truncated: true };
  // Prefix k holds k rows in every format (CSV/TSV: the header line and k lines).
  return { body: prefixes[lo]! + tail, rows: lo, truncated: true };
}

/** Cuts N-Triples or N-Quads to the whole lines that fit in `maxBytes` of UTF-8. */
export function cutLinesToBytes(body: string, maxBytes: number): string {
  const bytes = Buffer.from(body.slice(0, maxBytes), 'utf8');
  if (bytes.length <= maxBytes && body.length <= maxBytes) return body;
  // LF is one byte that never occurs inside a multi-byte sequence, so cutting there keeps UTF-8 whole.
  return bytes.subarray(0, bytes.lastIndexOf(0x0a, maxBytes - 1) + 1).toString('utf8');
}
