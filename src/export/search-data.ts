import type { FastifyInstance } from 'fastify';
import type { Labels, Lang } from '../html/models.js';
import { STD } from '../rdf/namespaces.js';
import { sparqlString } from '../rdf/sparql-escape.js';

/**
 * The offline search's index: what the client script (offline-search-client.ts) searches. Small
 * on purpose (a slow link, a USB stick): per entry the page (its path without the language
 * extension), kind, code, names by language, other names, and the names of the units above it.
 * Keys are not stored: the script folds the names itself with the code the server's search uses.
 */
export interface OfflineEntry {
  /** The page's site path without the leading slash: the file is `{p}.{lang}.html`. */
  p: string;
  /** lg: class name (Region, District, Jamoat, ...), or Dataset, Indicator. */
  k: string;
  c?: string;
  n: Labels;
  /** Other and former names, searched but not shown. */
  a?: string[];
  /** The names of the unit above, and of the one above that. */
  w?: Labels[];
}

export interface OfflineIndex {
  dataVersion: string;
  entries: OfflineEntry[];
}

interface SparqlJson {
  results: { bindings: Record<string, { value: string; 'xml:lang'?: string }>[] };
}

/** Kinds listed first when two names match equally well: the bigger unit (as the server's search). */
export const KIND_ORDER = ['Country', 'Region', 'District', 'City', 'CityDistrict', 'Town', 'Jamoat', 'Dataset', 'Indicator'];

/** One SELECT through the app's own SPARQL endpoint (in-process, read-only). */
async function select(app: FastifyInstance, query: string): Promise<SparqlJson['results']['bindings']> {
  const r = await app.inject({ method: 'POST', url: '/sparql', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, payload: query });
  if (r.statusCode !== 200) throw new Error(`the search index query failed: ${r.statusCode} ${r.body.slice(0, 300)}`);
  return (JSON.parse(r.body) as SparqlJson).results.bindings;
}

/**
 * Units (not retired ones: their addresses answer 301 or 410, which a copy cannot), datasets that
 * are not a unit's slice, and indicators, each only if its page is in the export.
 */
export async function offlineIndex(app: FastifyInstance, opts: { base: string; dataVersion: string; pages: ReadonlySet<string> }): Promise<OfflineIndex> {
  const { base } = opts;
  const lg = `${base}def/lg#`;
  const rows = await select(app, `PREFIX skos: <${STD.skos}>
PREFIX lg: <${lg}>
PREFIX dct: <${STD.dct}>
SELECT ?s ?kind ?code ?label ?alt ?parentLabel ?grandLabel WHERE {
  {
    ?s lg:code ?code ; a ?type .
    FILTER(STRSTARTS(STR(?type), ${sparqlString(lg)}) && ?type != lg:RetiredUnit)
    FILTER NOT EXISTS { ?s a lg:RetiredUnit }
    BIND(STRAFTER(STR(?type), ${sparqlString(lg)}) AS ?kind)
    { ?s skos:prefLabel ?label } UNION { ?s skos:hiddenLabel ?alt } UNION { ?s skos:altLabel ?alt }
    UNION { ?s lg:within/skos:prefLabel ?parentLabel }
    UNION { ?s lg:within/lg:within ?grand . ?grand skos:prefLabel ?grandLabel . FILTER NOT EXISTS { ?grand lg:within ?any } }
  } UNION {
    ?s a <${STD.dcat}Dataset> ; dct:title ?label . BIND("Dataset" AS ?kind)
    FILTER NOT EXISTS { <${base}catalog#slices> <${STD.dcat}dataset> ?s }
  } UNION {
    ?s a skos:Concept ; skos:prefLabel ?label . BIND("Indicator" AS ?kind)
    FILTER(STRSTARTS(STR(?s), ${sparqlString(`${base}def/indicator/`)}))
  }
}`);
  const byPage = new Map<string, { e: OfflineEntry; alt: Set<string>; parent: Labels; grand: Labels }>();
  for (const r of rows) {
    const iri = r.s?.value ?? '';
    const path = iri.startsWith(`${base}id/`) ? `/doc/${iri.slice(base.length + 3)}` : `/${iri.slice(base.length)}`;
    if (!iri.startsWith(base) || !opts.pages.has(path)) continue;
    let x = byPage.get(path);
    if (!x) {
      x = { e: { p: path.slice(1), k: r.kind?.value ?? '', ...(r.code ? { c: r.code.value } : {}), n: {} }, alt: new Set(), parent: {}, grand: {} };
      byPage.set(path, x);
    }
    const lang = (b: { 'xml:lang'?: string } | undefined) => b?.['xml:lang'] as Lang | undefined;
    if (r.label) {
      const l = lang(r.label);
      if (l) x.e.n[l] = r.label.value;
      else x.alt.add(r.label.value);
    }
    if (r.alt) x.alt.add(r.alt.value);
    if (r.parentLabel && lang(r.parentLabel)) x.parent[lang(r.parentLabel)!] = r.parentLabel.value;
    if (r.grandLabel && lang(r.grandLabel)) x.grand[lang(r.grandLabel)!] = r.grandLabel.value;
  }
  const entries = [...byPage.values()].map(({ e, alt, parent, grand }) => {
    const names = new Set(Object.values(e.n));
    const a = [...alt].filter((s) => !names.has(s));
    const w = [parent, grand].filter((l) => Object.keys(l).length > 0);
    return { ...e, ...(a.length > 0 ? { a } : {}), ...(w.length > 0 ? { w } : {}) };
  });
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  entries.sort((x, y) => rank(x.k) - rank(y.k) || (x.c ?? x.p).localeCompare(y.c ?? y.p));
  return { dataVersion: opts.dataVersion, entries };
}
