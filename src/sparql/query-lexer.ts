/**
 * The few pieces of SPARQL's lexical grammar that our query scanners need to walk a query without
 * a parser: where an IRI, a word, a comment or a string starts and ends. Two scanners use them:
 * store/dataset-clause.ts (does a query name its dataset?) and store/remote/rename-iris.ts (graph
 * names rewritten for a remote store's loads). Both must skip strings and comments the same way,
 * or one would see a `FROM` or an IRI the other does not.
 */

/** IRIREF (SPARQL 1.1 Query §19.8); a `<` that does not start one is the less-than operator. */
export const IRI_REF = /<[^<>"{}|^`\\\u0000-\u0020]*>/y;
/** A keyword, variable, prefixed name, blank-node label, language tag or number, with sigils. */
export const WORD = /[?$@]?(?:[\p{L}\p{N}_\-.:%\u00B7]|\\.)+/uy;

/** Whether the sticky `re` matches at `at`; its lastIndex is then where the match ends. */
export function match(re: RegExp, s: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(s);
}

/** From a `#` to just past the end of its line. */
export function skipComment(s: string, i: number): number {
  const end = s.slice(i).search(/[\r\n]/);
  return end < 0 ? s.length : i + end + 1;
}

/** Short strings end at the next unescaped quote, long ones ('''…''', """…""") at three. */
export function skipString(s: string, i: number, quote: string): number {
  const close = s.startsWith(quote.repeat(3), i) ? quote.repeat(3) : quote;
  let j = i + close.length;
  while (j < s.length) {
    if (s[j] === '\\') j += 2;
    else if (s.startsWith(close, j)) return j + close.length;
    else j++;
  }
  return s.length;
}
