import N3 from 'n3';
import type sparqljs from 'sparqljs';

/**
 * `SELECT *` with its variables spelled out, in the order they first appear in the query.
 *
 * SPARQL 1.1 Query §18.2.1 defines `*` as "all in-scope variables" but no order, and Oxigraph
 * lists them alphabetically; people (and the W3C CSV/TSV tests, whose expected files are compared
 * byte for byte) expect the order they wrote, as Jena and Comunica give it. In-scope as §18.2.1
 * says: variables of triple patterns and property-path ends, GRAPH names, BIND targets, VALUES,
 * a subquery's projection, through groups, OPTIONAL and UNION; not those only in FILTER, MINUS or
 * EXISTS.
 */
export function expandWildcard(query: sparqljs.SelectQuery): boolean {
  const first = query.variables[0];
  if (!first || !('termType' in first) || first.termType !== 'Wildcard') return false;
  const names = inScope(query);
  if (names.length === 0) return false;
  query.variables = names.map((n) => N3.DataFactory.variable(n)) as sparqljs.VariableTerm[];
  return true;
}

function inScope(query: sparqljs.SelectQuery): string[] {
  const seen = new Set<string>();
  const add = (term: unknown) => {
    const t = term as { termType?: string; value?: string } | undefined;
    if (t?.termType === 'Variable' && t.value !== undefined) seen.add(t.value);
  };
  const walk = (patterns: readonly sparqljs.Pattern[]) => {
    for (const p of patterns) {
      switch (p.type) {
        case 'bgp':
          for (const t of p.triples) {
            add(t.subject);
            add(t.predicate);
            add(t.object);
          }
          break;
        case 'graph':
          add(p.name);
          walk(p.patterns);
          break;
        case 'group':
        case 'optional':
        case 'union':
          walk(p.patterns);
          break;
        case 'bind':
          add(p.variable);
          break;
        case 'values':
          for (const row of p.values) for (const k of Object.keys(row)) seen.add(k.replace(/^[?$]/, ''));
          break;
        case 'query':
          for (const n of projected(p)) seen.add(n);
          break;
        default: // filter, minus, service: nothing in scope from them
      }
    }
  };
  walk(query.where ?? []);
  for (const row of query.values ?? []) for (const k of Object.keys(row)) seen.add(k.replace(/^[?$]/, ''));
  return [...seen];
}

function projected(sub: sparqljs.SelectQuery): string[] {
  const first = sub.variables[0];
  if (first && 'termType' in first && first.termType === 'Wildcard') return inScope(sub);
  return (sub.variables as sparqljs.Variable[]).map((v) => ('termType' in v ? v.value : v.variable.value));
}
