import type { Labels, Lang, SearchHit, SearchModel } from '../html/models.js';
import { STD } from '../rdf/namespaces.js';
import { sparqlString } from '../rdf/sparql-escape.js';
import type { Describer } from './describe.js';
import { foldText } from './fold-text.js';
import { docPath } from './doc-path.js';

interface Entry {
  hit: SearchHit;
  /** Folded labels: official names in all three languages, former names, the code. */
  keys: string[];
}

/** Which kinds come first when two hits match equally well: the bigger unit; retired units last. */
const KIND_ORDER = ['Country', 'Region', 'District', 'City', 'CityDistrict', 'Town', 'Jamoat', 'RetiredUnit'];

/**
 * An in-memory index over the labels of every administrative unit, built once per data version.
 * A query matches when every word of it occurs in one label; exact and prefix matches rank first.
 */
export class SearchIndex {
  private readonly byIri: Map<string, SearchHit>;

  private constructor(private readonly entries: Entry[]) {
    this.byIri = new Map(entries.map((e) => [e.hit.iri, e.hit]));
  }

  /** A unit's names by language (for links to it), if it is a unit we publish. */
  labels(iri: string): Labels | undefined {
    return this.byIri.get(iri)?.labels;
  }

  static async build(describer: Describer, base: string): Promise<SearchIndex> {
    const lg = `${base}def/lg#`;
    const rows = await describer.select(`PREFIX skos: <${STD.skos}>
PREFIX lg: <${lg}>
SELECT ?s ?type ?code ?label ?hidden ?parent ?parentLabel ?grand ?grandLabel WHERE {
  # Units, and retired units (lg:RetiredUnit), found by their old name: that link answers 301 or 410.
  ?s lg:code ?code ; a ?type .
  FILTER(STRSTARTS(STR(?type), ${sparqlString(lg)}))
  { ?s skos:prefLabel ?label } UNION { ?s skos:hiddenLabel ?hidden }
  OPTIONAL { ?s lg:within ?parent . ?parent skos:prefLabel ?parentLabel .
    OPTIONAL { ?parent lg:within ?grand . ?grand skos:prefLabel ?grandLabel . FILTER NOT EXISTS { ?grand lg:within ?any } } }
}`);
    const byIri = new Map<string, { hit: SearchHit; keys: Set<string>; parent: Labels; grand: Labels }>();
    for (const r of rows) {
      const iri = r.s?.value ?? '';
      let e = byIri.get(iri);
      if (!e) {
        const parent: Labels = {};
        const grand: Labels = {};
        e = {
          hit: { iri, docPath: docPath(iri, base), labels: {}, kind: (r.type?.value ?? '').slice(lg.length), code: r.code?.value ?? '', within: [] },
          keys: new Set([foldText(r.code?.value ?? '')]),
          parent,
          grand,
        };
        byIri.set(iri, e);
      }
      const label = r.label;
      if (label?.lang) {
        e.hit.labels[label.lang as Lang] = label.value;
        e.keys.add(foldText(label.value));
      }
      if (r.hidden) e.keys.add(foldText(r.hidden.value));
      if (r.parentLabel?.lang) e.parent[r.parentLabel.lang as Lang] = r.parentLabel.value;
      if (r.grandLabel?.lang) e.grand[r.grandLabel.lang as Lang] = r.grandLabel.value;
    }
    const entries: Entry[] = [];
    for (const e of byIri.values()) {
      e.hit.within = [e.parent, e.grand].filter((l) => Object.keys(l).length > 0);
      entries.push({ hit: e.hit, keys: [...e.keys] });
    }
    entries.sort((a, b) => rank(a.hit.kind) - rank(b.hit.kind) || (a.hit.code ?? '').localeCompare(b.hit.code ?? ''));
    return new SearchIndex(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  search(q: string, limit = 50): SearchModel {
    const words = foldText(q).split(' ').filter((w) => w !== '');
    if (words.length === 0) return { q, hits: [], truncated: false };
    const folded = words.join(' ');
    const scored: { hit: SearchHit; score: number }[] = [];
    for (const e of this.entries) {
      let best = -1;
      for (const key of e.keys) {
        if (!words.every((w) => key.includes(w))) continue;
        const score = key === folded ? 3 : key.split(' ').some((part) => part === folded) ? 2 : key.startsWith(folded) ? 1 : 0;
        best = Math.max(best, score);
      }
      if (best >= 0) scored.push({ hit: e.hit, score: best });
    }
    // Stable sort keeps the index order (bigger units first, then by code) among equal scores.
    scored.sort((a, b) => b.score - a.score);
    return { q, hits: scored.slice(0, limit).map((s) => s.hit), truncated: scored.length > limit };
  }
}

function rank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}
