import { IRI_REF, WORD, match, skipComment, skipString } from '../sparql/query-lexer.js';

/**
 * Does a SPARQL query name its own dataset with FROM or FROM NAMED (SPARQL 1.1 Query §13.2)?
 *
 * Why we need to know: Oxigraph 0.5.11's `use_default_graph_as_union: true` replaces the query's
 * FROM graphs with the union of all graphs (`SELECT ?s FROM <g1> WHERE { ?s ?p ?o }` then returns
 * the subjects of every graph). So the worker asks for the union only when the query has no
 * dataset clause of its own.
 *
 * Not a parser, and not a substring test either (style.md, "Avoid 4"): a scan over SPARQL's
 * lexical tokens that skips everything able to hold the letters FROM without being the keyword:
 * comments, strings (short and long), IRIs, variables, prefixed names, blank-node labels and
 * language tags. In the grammar the keyword FROM occurs only in a DatasetClause, so one bare FROM
 * token is enough. Not handled: `\u` escapes spelling the keyword itself.
 */
export function hasDatasetClause(query: string): boolean {
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === '#') {
      i = skipComment(query, i);
    } else if (c === '"' || c === "'") {
      i = skipString(query, i, c);
    } else if (c === '<' && match(IRI_REF, query, i)) {
      i = IRI_REF.lastIndex;
    } else if (match(WORD, query, i)) {
      // `?from`, `ex:from`, `from:x`, `_:from` and `@from` keep their sigil or colon, so only the
      // keyword itself compares equal.
      if (query.slice(i, WORD.lastIndex).toLowerCase() === 'from') return true;
      i = WORD.lastIndex;
    } else {
      i++;
    }
  }
  return false;
}
