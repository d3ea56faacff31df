import type { CkanPackage } from './ckan-types.js';
import { searchError, searchQueryError, validationError } from './errors.js';
import { type Node, QuerySyntaxError, parseQuery, solrInstant, words } from './search-query.js';

/**
 * `package_search` over the packages in memory, as CKAN 2.10 answers it with Solr behind
 * (ckan/logic/action/get.py `package_search`, ckan/lib/search/query.py `PackageSearchQuery.run`):
 * the same parameters, defaults, limits and errors, and the same result keys.
 *
 *   rows        default 10, at most 1000 (more is cut to 1000, as `ckan.search.rows_max` does)
 *   start       offset; rows and start must be natural numbers (else 409 Validation Error)
 *   sort        comma-separated `field asc|desc`: score (relevance), name, title_string,
 *               metadata_modified, metadata_created, id, num_resources, num_tags; default
 *               `score desc, metadata_modified desc`. A bad direction is CKAN's 400
 *               'Invalid "sort" parameter'; an unknown field Solr's error (409 Search Error).
 *   q, fq, fq_list   see search-query.ts; text matching is by word (a word of four letters or
 *               more also matches words it begins: Solr stems, we do not)
 *   facet.field tags, organization, groups, res_format, license_id (and any other field below)
 *
 * Any other parameter is CKAN's 400 "Invalid search parameters: [...]".
 */

const VALID = new Set(['q', 'fl', 'fq', 'rows', 'sort', 'start', 'wt', 'qf', 'bf', 'boost', 'facet', 'facet.mincount', 'facet.limit', 'facet.field', 'extras', 'fq_list', 'tie', 'defType', 'mm', 'df']);
/** Read and dropped by CKAN before the query reaches Solr. */
const CONSUMED = new Set(['include_private', 'include_drafts', 'include_deleted', 'use_default_schema', 'callback']);
const ROWS_MAX = 1000;
export const DEFAULT_SORT = 'score desc, metadata_modified desc';

export interface SearchResult {
  count: number;
  facets: Record<string, Record<string, number>>;
  results: CkanPackage[];
  sort: string;
  search_facets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }>;
}

/** The values a package has for a Solr field of CKAN's schema (ckan/config/solr/schema.xml). */
function fieldValues(p: CkanPackage, field: string): string[] {
  switch (field) {
    case 'id': case 'name': case 'title': case 'notes': case 'url': case 'version': case 'state': case 'type': case 'license_id':
    case 'maintainer': case 'author': case 'owner_org': case 'metadata_modified': case 'metadata_created':
      return [String(p[field] ?? '')].filter(Boolean);
    case 'dataset_type': return [p.type];
    case 'title_string': return [p.title];
    case 'capacity': return ['public'];
    case 'site_id': return ['default'];
    case 'tags': return p.tags.map((t) => t.name);
    case 'organization': return [p.organization.name];
    case 'groups': return p.groups.map((g) => g.name);
    case 'res_format': return p.resources.map((r) => r.format);
    case 'res_name': return p.resources.map((r) => r.name);
    case 'res_url': return p.resources.map((r) => r.url);
    case 'res_type': return p.resources.map((r) => r.resource_type ?? '').filter(Boolean);
    case 'num_resources': return [String(p.num_resources)];
    case 'num_tags': return [String(p.num_tags)];
    case 'license': return [p.license_title ?? ''].filter(Boolean);
    case 'text': return [searchText(p).join(' ')];
    default: {
      if (field.startsWith('extras_')) return p.extras.filter((e) => e.key === field.slice(7)).map((e) => e.value);
      const own = (p as unknown as Record<string, unknown>)[field];
      return typeof own === 'string' ? [own] : [];
    }
  }
}

const DATE_FIELDS = new Set(['metadata_modified', 'metadata_created']);
const NUMBER_FIELDS = new Set(['num_resources', 'num_tags']);

const texts = new WeakMap<CkanPackage, string[]>();

/** The words a package is found by (memoized: a package does not change within a data version). */
function searchText(p: CkanPackage): string[] {
  let t = texts.get(p);
  if (!t) texts.set(p, (t = textOf(p)));
  return t;
}

function textOf(p: CkanPackage): string[] {
  return [
    p.name, ...Object.values(p.title_translated), ...Object.values(p.notes_translated), ...p.tags.map((t) => t.name),
    p.organization.title, ...p.groups.map((g) => g.title), ...p.resources.flatMap((r) => [r.name, r.format]),
  ].flatMap(words);
}

/** A query word matches a text word that equals it, or (four letters or more) that it begins. */
const wordMatches = (q: string, w: string) => w === q || (q.length >= 4 && w.startsWith(q));

function matches(p: CkanPackage, node: Node, now: number): boolean {
  switch (node.kind) {
    case 'all': return true;
    case 'and': return node.items.every((n) => matches(p, n, now));
    case 'or': return node.items.some((n) => matches(p, n, now));
    case 'not': return !matches(p, node.item, now);
    case 'text': {
      const text = searchText(p);
      return node.words.every((q) => text.some((w) => wordMatches(q, w)));
    }
    case 'term': {
      const values = fieldValues(p, node.field);
      if (node.field === 'text') return words(node.value).every((q) => searchText(p).some((w) => wordMatches(q, w)));
      if (!node.quoted && node.value === '*') return values.length > 0;
      if (!node.quoted && node.value.endsWith('*')) return values.some((v) => v.startsWith(node.value.slice(0, -1)));
      if (DATE_FIELDS.has(node.field)) {
        const t = solrInstant(node.value, now);
        return values.some((v) => solrInstant(v, now) === t);
      }
      return values.includes(node.value);
    }
    case 'range': {
      const asNumber = (v: string): number => (DATE_FIELDS.has(node.field) ? solrInstant(v, now) : Number(v));
      const lo = node.from === '*' ? -Infinity : asNumber(node.from);
      const hi = node.to === '*' ? Infinity : asNumber(node.to);
      if (DATE_FIELDS.has(node.field) || NUMBER_FIELDS.has(node.field)) {
        if (Number.isNaN(lo) || Number.isNaN(hi)) throw new QuerySyntaxError(`Invalid Date in Date Math String:'${Number.isNaN(lo) ? node.from : node.to}'`);
        return fieldValues(p, node.field).some((v) => {
          const x = asNumber(v);
          return (node.fromInclusive ? x >= lo : x > lo) && (node.toInclusive ? x <= hi : x < hi);
        });
      }
      // Strings compare as strings, as Solr's string fields do.
      return fieldValues(p, node.field).some((v) => (node.from === '*' || (node.fromInclusive ? v >= node.from : v > node.from)) && (node.to === '*' || (node.toInclusive ? v <= node.to : v < node.to)));
    }
  }
}

/** Dismax's minimum match `2<-1 5<80%` (CKAN's default mm): how many of n words must match. */
function minimumMatch(n: number): number {
  if (n <= 2) return n;
  if (n <= 5) return n - 1;
  return Math.floor(n * 0.8);
}

/** How well a package matches the words of `q`: matched words, title and name matches counting twice. */
function score(p: CkanPackage, qWords: string[]): number {
  if (qWords.length === 0) return 1;
  const text = searchText(p);
  const title = [p.name, ...Object.values(p.title_translated)].flatMap(words);
  return qWords.reduce((s, q) => s + (text.some((w) => wordMatches(q, w)) ? 1 : 0) + (title.some((w) => wordMatches(q, w)) ? 1 : 0), 0);
}

function natural(value: unknown, field: string, errors: Record<string, string[]>): number | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : /^\s*[+-]?\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n)) errors[field] = ['Invalid integer'];
  else if (n < 0) errors[field] = ['Must be a natural number'];
  else return n;
  return undefined;
}

function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  const s = String(value);
  if (s.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(s);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch { /* a plain string, then */ }
  }
  return [s];
}

/** Python's repr() of a list of strings, as CKAN prints the invalid parameters. */
const pyList = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

type SortKey = { field: string; desc: boolean };

function parseSort(sort: string): SortKey[] {
  const keys = sort.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [field, dir, extra] = s.split(/\s+/);
    if (!field || (dir !== 'asc' && dir !== 'desc') || extra !== undefined) throw searchQueryError('Invalid "sort" parameter');
    return { field: field === 'relevance' ? 'score' : field, desc: dir === 'desc' };
  });
  for (const k of keys) {
    if (!['score', 'name', 'title_string', 'metadata_modified', 'metadata_created', 'id', 'num_resources', 'num_tags'].includes(k.field)) {
      throw searchError(`SOLR returned an error running query: sort param field can't be found: ${k.field}`);
    }
  }
  return keys;
}

function sortValue(p: CkanPackage, field: string, scores: Map<CkanPackage, number>): string | number {
  switch (field) {
    case 'score': return scores.get(p) ?? 0;
    case 'title_string': return p.title.toLowerCase();
    case 'metadata_modified': case 'metadata_created': return solrInstant(p[field]);
    case 'num_resources': case 'num_tags': return p[field];
    default: return String(p[field as 'id' | 'name']);
  }
}

export function packageSearch(packages: readonly CkanPackage[], params: Record<string, unknown>, now = Date.now()): SearchResult {
  const errors: Record<string, string[]> = {};
  const rows = Math.min(natural(params.rows, 'rows', errors) ?? 10, ROWS_MAX);
  const start = natural(params.start, 'start', errors) ?? 0;
  const mincount = natural(params['facet.mincount'], 'facet.mincount', errors) ?? 1;
  const limitRaw = params['facet.limit'];
  const facetLimit = limitRaw === undefined ? 50 : /^\s*-?\d+\s*$/.test(String(limitRaw)) ? Number(limitRaw) : ((errors['facet.limit'] = ['Invalid integer']), 50);
  if (Object.keys(errors).length) throw validationError(errors);

  const invalid = Object.keys(params).filter((k) => !VALID.has(k) && !CONSUMED.has(k) && !k.startsWith('ext_'));
  if (invalid.length) throw searchQueryError(`Invalid search parameters: ${pyList(invalid)}`);

  const sortText = typeof params.sort === 'string' && params.sort !== '' && params.sort !== 'rank' ? params.sort : DEFAULT_SORT;
  const sortKeys = parseSort(sortText);

  const q = typeof params.q === 'string' ? params.q.trim() : '';
  const filters = [...listOf(params.fq), ...listOf(params.fq_list)].filter((f) => f.trim() !== '');
  let qNode: Node = { kind: 'all' };
  let qWords: string[] = [];
  let filterNodes: Node[];
  try {
    filterNodes = filters.map(parseQuery);
    if (q && q !== '*:*' && q !== '""' && q !== "''") {
      // As CKAN: a q with a colon goes to Solr's standard parser, any other to dismax (words, mm).
      if (q.includes(':')) qNode = parseQuery(q);
      else qWords = words(q);
    }
  } catch (e) {
    if (e instanceof QuerySyntaxError) throw searchError(`SOLR returned an error running query: org.apache.solr.search.SyntaxError: ${e.message}`);
    throw e;
  }

  let found: CkanPackage[];
  const scores = new Map<CkanPackage, number>();
  try {
    const need = minimumMatch(qWords.length);
    found = packages.filter((p) => {
      if (!matches(p, qNode, now) || !filterNodes.every((f) => matches(p, f, now))) return false;
      if (qWords.length === 0) return true;
      const text = searchText(p);
      return qWords.filter((w) => text.some((t) => wordMatches(w, t))).length >= need;
    });
  } catch (e) {
    if (e instanceof QuerySyntaxError) throw searchError(`SOLR returned an error running query: ${e.message}`);
    throw e;
  }
  for (const p of found) scores.set(p, score(p, qWords));
  const order = found.map((p, i) => ({ p, i }));
  order.sort((a, b) => {
    for (const k of sortKeys) {
      const x = sortValue(a.p, k.field, scores);
      const y = sortValue(b.p, k.field, scores);
      if (x < y) return k.desc ? 1 : -1;
      if (x > y) return k.desc ? -1 : 1;
    }
    return a.i - b.i;
  });

  const facetFields = params['facet.field'] !== undefined && String(params.facet ?? 'true') !== 'false' ? listOf(params['facet.field']) : [];
  const facets: SearchResult['facets'] = {};
  const search_facets: SearchResult['search_facets'] = {};
  for (const field of facetFields) {
    const counts = new Map<string, number>();
    for (const p of found) for (const v of new Set(fieldValues(p, field))) counts.set(v, (counts.get(v) ?? 0) + 1);
    let entries = [...counts].filter(([, n]) => n >= mincount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (facetLimit >= 0) entries = entries.slice(0, facetLimit);
    facets[field] = Object.fromEntries(entries);
    const display = (name: string) => (field === 'organization' ? found.find((p) => p.organization.name === name)?.organization.title
      : field === 'groups' ? found.flatMap((p) => p.groups).find((g) => g.name === name)?.title
      : field === 'license_id' ? found.find((p) => p.license_id === name)?.license_title : undefined) ?? name;
    // CKAN sorts the items by display name, descending, after the plugins have run.
    const items = entries.map(([name, count]) => ({ name, display_name: display(name), count }))
      .sort((a, b) => (a.display_name < b.display_name ? 1 : a.display_name > b.display_name ? -1 : 0));
    search_facets[field] = { title: field, items };
  }

  // fl: only the fields asked for (CKAN's `fl`, a list or a string of names).
  const fl = listOf(params.fl).flatMap((f) => f.split(/[\s,]+/)).filter(Boolean);
  const results = order.slice(start, start + rows).map((o) => o.p);
  const shaped = fl.length ? results.map((p) => Object.fromEntries(fl.filter((f) => f in p).map((f) => [f, p[f as keyof CkanPackage]]))) : results;
  return { count: found.length, facets, results: shaped as CkanPackage[], sort: sortText, search_facets };
}

