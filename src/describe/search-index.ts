import type { Labels, Lang, SearchHit, SearchModel } from '../html/models.js';
import { STD } from '../rdf/namespaces.js';
import { sparqlIri, sparqlString } from '../rdf/sparql-escape.js';
import type { Describer } from './describe.js';
import { foldText } from './fold-text.js';
import { latinKey, skeleton } from './latin-key.js';
import { docPath } from './doc-path.js';

interface Entry {
  hit: SearchHit;
  /** Folded labels: official names in all three languages, former names, the code. */
  keys: string[];
  /** The same in one Latin spelling (latin-key.ts), and the consonant skeletons of their words. */
  latin: string[];
  skeletons: Set<string>;
}

/**
 * Which kinds come first when two hits match equally well: the bigger unit; then what else has a
 * page (datasets, indicators, governing bodies); retired units last.
 */
const KIND_ORDER = ['Country', 'Region', 'District', 'City', 'CityDistrict', 'Town', 'Jamoat', 'Dataset', 'Indicator', 'Hukumat', 'JamoatBody', 'RetiredUnit'];

/** How well a query's words meet a key: 3 the whole key, 2 a whole word of it, 1 its start, 0 inside, -1 not. */
function scoreKey(key: string, words: string[], whole: string): number {
  if (!words.every((w) => key.includes(w))) return -1;
  return key === whole ? 3 : key.split(' ').some((part) => part === whole) ? 2 : key.startsWith(whole) ? 1 : 0;
}

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
  # Found by every name: preferred, other (skos:altLabel) and former (skos:hiddenLabel).
  { ?s skos:prefLabel ?label } UNION { ?s skos:hiddenLabel ?hidden } UNION { ?s skos:altLabel ?hidden }
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
    const others = await describer.select(`PREFIX skos: <${STD.skos}>
PREFIX lg: <${lg}>
PREFIX dct: <${STD.dct}>
PREFIX rdfs: <${STD.rdfs}>
SELECT ?s ?kind ?label ?alt ?area WHERE {
  { ?s a <${STD.dcat}Dataset> ; dct:title ?label . BIND("Dataset" AS ?kind) OPTIONAL { ?s dct:identifier ?alt }
    # not a district's or region's slice (src/slices/): its unit is found, and links to it
    FILTER NOT EXISTS { ${sparqlIri(`${base}catalog#slices`)} <${STD.dcat}dataset> ?s } }
  UNION { ?s a skos:Concept ; skos:prefLabel ?label . BIND("Indicator" AS ?kind) OPTIONAL { ?s skos:altLabel ?alt }
          FILTER(STRSTARTS(STR(?s), ${sparqlString(`${base}def/indicator/`)})) }
  UNION { ?s a ?t ; rdfs:label ?label ; lg:governs ?area . VALUES (?t ?kind) { (lg:Hukumat "Hukumat") (lg:JamoatBody "JamoatBody") } }
}`);
    for (const r of others) {
      const iri = r.s?.value ?? '';
      let e = byIri.get(iri);
      if (!e) {
        e = { hit: { iri, docPath: docPath(iri, base), labels: {}, kind: r.kind?.value ?? '', within: [] }, keys: new Set(), parent: {}, grand: {} };
        byIri.set(iri, e);
      }
      if (r.label?.lang) e.hit.labels[r.label.lang as Lang] = r.label.value;
      if (r.label) e.keys.add(foldText(r.label.value));
      if (r.alt) e.keys.add(foldText(r.alt.value));
      // A governing body is shown within the unit it governs (its own label names that unit, so it
      // is found by it, after the unit itself: a whole word, not the whole name).
      const governed = r.area ? byIri.get(r.area.value) : undefined;
      if (governed && Object.keys(e.parent).length === 0) Object.assign(e.parent, governed.hit.labels);
    }
    const entries: Entry[] = [];
    for (const e of byIri.values()) {
      e.hit.within = [e.parent, e.grand].filter((l) => Object.keys(l).length > 0);
      const keys = [...e.keys];
      const latin = [...new Set(keys.map(latinKey))];
      const skeletons = new Set(latin.flatMap((k) => k.split(' ')).map(skeleton).filter((x): x is string => x !== undefined));
      entries.push({ hit: e.hit, keys, latin, skeletons });
    }
    entries.sort((a, b) => rank(a.hit.kind) - rank(b.hit.kind) || (a.hit.code ?? '').localeCompare(b.hit.code ?? ''));
    return new SearchIndex(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Every word of the query must occur in one name. Ranked: the name as typed (folded), exact, then
   * a whole word, then a prefix, then inside; the same in one Latin spelling (so Cyrillic finds
   * Latin and the reverse); last, names whose words have the same consonant skeleton as each word
   * of the query (a vowel spelt otherwise). Among equals, bigger units first, then by code.
   */
  search(q: string, limit = 50): SearchModel {
    const words = foldText(q).split(' ').filter((w) => w !== '');
    if (words.length === 0) return { q, hits: [], truncated: false };
    const folded = words.join(' ');
    const latinWords = latinKey(q).split(' ').filter((w) => w !== '');
    const latinWhole = latinWords.join(' ');
    const wanted = latinWords.map(skeleton);
    const scored: { hit: SearchHit; score: number }[] = [];
    for (const e of this.entries) {
      let best = -1;
      for (const key of e.keys) { const k = scoreKey(key, words, folded); if (k >= 0) best = Math.max(best, 2 * k + 2); }
      if (best < 0) for (const key of e.latin) { const k = scoreKey(key, latinWords, latinWhole); if (k >= 0) best = Math.max(best, 2 * k + 1); }
      if (best < 0 && wanted.every((w) => w !== undefined && e.skeletons.has(w))) best = 0;
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
