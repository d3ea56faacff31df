import { ProtocolError } from './protocol-error.js';

/**
 * The bounds a query must keep before it is parsed (issue #11, "a big or deeply nested query
 * freezes the whole server": a 1 MB query took sparqljs 5.8 s, 2,500 nested groups 8.6 s, and the
 * parser then ran on the server's own thread). Parsing is now done in parse workers
 * (parse-pool.ts), and these bounds keep each parse within about a second, so a few workers
 * serve everyone. This scan is one linear pass over the text on the server's thread, far cheaper
 * than parsing, so a query beyond the bounds costs the server almost nothing:
 * - its size in UTF-8 bytes (MAX_QUERY_BYTES): 413 LG_ERR_QUERY_TOO_LARGE;
 * - its nesting of `{`, `(` and `[` (MAX_QUERY_DEPTH): 400 LG_ERR_QUERY_TOO_DEEP. Brackets inside
 *   strings, IRIs and comments are text, not nesting, and are skipped as SPARQL's grammar does.
 * Unbalanced brackets are left to the parser, which says where.
 */
export interface QueryBounds {
  maxBytes: number;
  maxDepth: number;
}

export function checkQueryShape(text: string, bounds: QueryBounds): void {
  // Characters first: a string longer than the bound in UTF-16 units is longer in bytes too.
  const bytes = text.length > bounds.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > bounds.maxBytes) {
    throw new ProtocolError('LG_ERR_QUERY_TOO_LARGE', `the query is ${bytes} bytes; this endpoint accepts at most ${bounds.maxBytes} (MAX_QUERY_BYTES). Run a large query on the downloadable dump instead, or split it (for example long VALUES lists into several queries)`);
  }
  const depth = nestingDepth(text, bounds.maxDepth);
  if (depth > bounds.maxDepth) {
    throw new ProtocolError('LG_ERR_QUERY_TOO_DEEP', `the query nests groups, brackets or parentheses more than ${bounds.maxDepth} deep (MAX_QUERY_DEPTH); write it flatter`);
  }
}

/** The deepest nesting of `{ ( [` outside strings, IRIs and comments; stops once past `stopAbove`. */
export function nestingDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x7b: // {
      case 0x28: // (
      case 0x5b: // [
        depth++;
        if (depth > deepest) {
          deepest = depth;
          if (deepest > stopAbove) return deepest;
        }
        break;
      case 0x7d: // }
      case 0x29: // )
      case 0x5d: // ]
        if (depth > 0) depth--;
        break;
      case 0x23: // # to the end of the line
        while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
        break;
      case 0x22: // "
      case 0x27: // '
        i = endOfString(text, i);
        break;
      case 0x3c: // < : an IRI, or the operators < and <=
        i = endOfIri(text, i);
        break;
      default:
        break;
    }
  }
  return deepest;
}

/** The index of the last character of the string literal starting at `start` (short or long form). */
function endOfString(text: string, start: number): number {
  const quote = text[start]!;
  const long = text.startsWith(quote.repeat(3), start);
  const n = text.length;
  for (let i = start + (long ? 3 : 1); i < n; i++) {
    const ch = text[i]!;
    if (ch === '\\') { i++; continue; }
    if (long) {
      if (text.startsWith(quote.repeat(3), i)) {
        // """a"""" ends at the last three quotes: extra quotes before them belong to the string.
        let end = i + 2;
        while (text[end + 1] === quote) end++;
        return end;
      }
    } else if (ch === quote || ch === '\n' || ch === '\r') {
      return i; // a short string cannot span lines: the parser reports it
    }
  }
  return n - 1;
}

/** IRIREF: `<` then no `< > " { } | ^ \` backquote` or whitespace, then `>`; otherwise `<` was an operator. */
function endOfIri(text: string, start: number): number {
  const n = text.length;
  for (let i = start + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3e) return i;
    if (c <= 0x20 || c === 0x3c || c === 0x22 || c === 0x7b || c === 0x7d || c === 0x7c || c === 0x5e || c === 0x5c || c === 0x60) return start;
  }
  return start;
}
