import { IRI_REF, WORD, match, skipComment, skipString } from '../../sparql/query-lexer.js';

/**
 * Puts the store's names for a release's graphs into a query (graph-names.ts, LoadNames): every
 * IRI of the query that is one of the release's graph names, written `<…>` or as a prefixed name,
 * wherever it stands (GRAPH, FROM, FROM NAMED, VALUES, a FILTER's comparison), becomes the load's
 * own name for that graph. The data was loaded with the same renaming in every position and answers
 * are renamed back (remote-store.ts), so the query sees the release as its public names describe it.
 *
 * Not a parser (as src/store/dataset-clause.ts; both use src/sparql/query-lexer.ts): a pass over SPARQL's
 * lexical tokens that skips comments and strings, reads PREFIX and BASE declarations (their own
 * IRIs are never renamed: a prefix stays what the client declared), and replaces only IRIREF and
 * prefixed-name tokens, so the rest of the query is sent as the client wrote it. What it cannot
 * see: a graph name built at run time (IRI(CONCAT(…)), STR(?g) compared with a string); such a
 * query sees the store's names (README, "A remote SPARQL store").
 */
export function renameIris(query: string, rename: (iri: string) => string | undefined): string {
  const prefixes = new Map<string, string>();
  let base: string | undefined;
  // After the keyword PREFIX: 'name' awaits the prefix, 'iri' its IRI; after BASE: 'base'.
  let declaring: 'name' | 'iri' | 'base' | null = null;
  let declared = '';
  const out: string[] = [];
  let copied = 0;
  const replace = (from: number, to: number, iri: string) => {
    out.push(query.slice(copied, from), `<${iri}>`);
    copied = to;
  };
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === '#') {
      i = skipComment(query, i);
    } else if (c === '"' || c === "'") {
      i = skipString(query, i, c);
    } else if (c === '<' && match(IRI_REF, query, i)) {
      const end = IRI_REF.lastIndex;
      const iri = resolve(query.slice(i + 1, end - 1), base);
      if (declaring === 'base') base = iri;
      else if (declaring === 'iri') prefixes.set(declared, iri);
      else {
        const to = rename(iri);
        if (to !== undefined) replace(i, end, to);
      }
      declaring = null;
      i = end;
    } else if (match(WORD, query, i)) {
      let end = WORD.lastIndex;
      // A prefixed name never ends with a dot: that dot ends the triple.
      while (query[end - 1] === '.' && query[end - 2] !== '\\') end--;
      const word = query.slice(i, end);
      const keyword = word.toLowerCase();
      if (declaring === 'name') {
        declared = word.slice(0, -1);
        declaring = 'iri';
      } else if (keyword === 'prefix') {
        declaring = 'name';
      } else if (keyword === 'base') {
        declaring = 'base';
      } else {
        const colon = word.indexOf(':');
        const sigil = /^[?$@_]/.test(word);
        const namespace = colon >= 0 && !sigil ? prefixes.get(word.slice(0, colon)) : undefined;
        if (namespace !== undefined) {
          const to = rename(namespace + word.slice(colon + 1).replace(/\\(.)/g, '$1'));
          if (to !== undefined) replace(i, end, to);
        }
      }
      i = Math.max(end, i + 1);
    } else {
      i++;
    }
  }
  out.push(query.slice(copied));
  return out.join('');
}

/** A relative IRI against the query's BASE; an absolute one (or any without a BASE) as written. */
function resolve(iri: string, base: string | undefined): string {
  if (base === undefined || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri)) return iri;
  try {
    return new URL(iri, base).href;
  } catch {
    return iri;
  }
}
