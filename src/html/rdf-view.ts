import type { Literal, Quad, Term } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { safeHref } from './escape.js';
import { isLang } from './i18n.js';
import type { Labels } from './models.js';

export const RDF_TYPE = `${STD.rdf}type`;
const LABEL_PROPS = [`${STD.skos}prefLabel`, `${STD.rdfs}label`, `${STD.dct}title`];

/** Namespaces of our own, under BASE_URI. */
export function own(base: string) {
  return { lg: `${base}def/lg#`, ind: `${base}def/indicator/`, id: `${base}id/` };
}

/**
 * Read-only index over a document's triples (graphs ignored): what the templates ask of the data.
 */
export class View {
  private readonly sp = new Map<string, Map<string, Term[]>>();
  private readonly po = new Map<string, string[]>();

  constructor(quads: readonly Quad[]) {
    const seen = new Set<string>();
    for (const q of quads) {
      const key = `${q.subject.value} ${q.predicate.value} ${q.object.termType} ${q.object.value} ${q.object.termType === 'Literal' ? `${q.object.language}^${q.object.datatype.value}` : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let props = this.sp.get(q.subject.value);
      if (!props) this.sp.set(q.subject.value, (props = new Map()));
      const list = props.get(q.predicate.value);
      if (list) list.push(q.object);
      else props.set(q.predicate.value, [q.object]);
      if (q.object.termType === 'NamedNode' || q.object.termType === 'BlankNode') {
        const k = `${q.predicate.value} ${q.object.value}`;
        const subs = this.po.get(k);
        if (subs) subs.push(q.subject.value);
        else this.po.set(k, [q.subject.value]);
      }
    }
  }

  has(s: string): boolean {
    return this.sp.has(s);
  }

  subjectsAll(): string[] {
    return [...this.sp.keys()];
  }

  properties(s: string): Map<string, Term[]> {
    return this.sp.get(s) ?? new Map();
  }

  objects(s: string, p: string): Term[] {
    return this.sp.get(s)?.get(p) ?? [];
  }

  iris(s: string, p: string): string[] {
    return this.objects(s, p)
      .filter((o) => o.termType === 'NamedNode')
      .map((o) => o.value);
  }

  iri(s: string, p: string): string | undefined {
    return this.iris(s, p)[0];
  }

  literals(s: string, p: string): Literal[] {
    return this.objects(s, p).filter((o): o is Literal => o.termType === 'Literal');
  }

  /** The first literal's lexical value. */
  value(s: string, p: string): string | undefined {
    return this.literals(s, p)[0]?.value;
  }

  subjects(p: string, o: string): string[] {
    return this.po.get(`${p} ${o}`) ?? [];
  }

  types(s: string): string[] {
    return this.iris(s, RDF_TYPE);
  }

  hasType(s: string, type: string): boolean {
    return this.types(s).includes(type);
  }

  /** Language-tagged values of one property, first value per language. */
  langMap(s: string, p: string): Labels {
    const out: Labels = {};
    for (const l of this.literals(s, p)) {
      const lang = l.language.toLowerCase();
      if (isLang(lang) && out[lang] === undefined) out[lang] = l.value;
    }
    return out;
  }

  /** Labels per language: skos:prefLabel, else rdfs:label, else dct:title. */
  labels(s: string): Labels {
    const out: Labels = {};
    for (const p of LABEL_PROPS) {
      for (const [lang, text] of Object.entries(this.langMap(s, p)) as [keyof Labels, string][]) out[lang] ??= text;
    }
    return out;
  }

  /** A label without language tag, if any (file names, notations). */
  plainLabel(s: string): string | undefined {
    for (const p of LABEL_PROPS) {
      const l = this.literals(s, p).find((x) => x.language === '');
      if (l) return l.value;
    }
    return undefined;
  }

  isTrue(s: string, p: string): boolean {
    return this.literals(s, p).some((l) => l.value === 'true' || l.value === '1');
  }
}

const PREFIXES: [string, string][] = [
  ...Object.entries(STD).map(([k, v]) => [k.replace(/^sdmx(\w)/, (_m, c: string) => `sdmx-${c.toLowerCase()}`), v] as [string, string]),
  ['sdmx-concept', 'http://purl.org/linked-data/sdmx/2009/concept#'],
  ['sdmx-measure', 'http://purl.org/linked-data/sdmx/2009/measure#'],
  ['vann', 'http://purl.org/vocab/vann/'],
  ['cc', 'http://creativecommons.org/ns#'],
];

/** prefix:local for an IRI in a known namespace (ours included), else the IRI itself. */
export function curie(iri: string, base: string): string {
  const o = own(base);
  const all: [string, string][] = [['lg', o.lg], ['ind', o.ind], ...PREFIXES];
  for (const [prefix, ns] of all) {
    if (iri.startsWith(ns) && iri.length > ns.length && !/[/#]/.test(iri.slice(ns.length))) return `${prefix}:${iri.slice(ns.length)}`;
  }
  return iri;
}

/** Local name: after the last # or /. */
export function localName(iri: string): string {
  const m = /[^#/]*$/.exec(iri);
  return m?.[0] ?? iri;
}

/**
 * Where a link to `iri` should point: our /id/ IRIs go to their /doc/ page, our other IRIs become
 * root-relative paths, http(s) IRIs elsewhere stay absolute; anything else gets no link.
 */
export function hrefFor(iri: string, base: string): string | undefined {
  if (iri.startsWith(base)) {
    const rest = iri.slice(base.length);
    return rest.startsWith('id/') ? `/doc/${rest.slice(3)}` : `/${rest}`;
  }
  return safeHref(iri);
}

/** The absolute URL of the document about `iri` (for JSON-LD `url`). */
export function docUrl(iri: string, base: string): string {
  const href = hrefFor(iri, base);
  return href?.startsWith('/') ? base + href.slice(1) : iri;
}

/** POINT(lon lat) -> { lat, lon }. */
export function parseWktPoint(wkt: string): { lat: number; lon: number } | undefined {
  const m = /POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)/i.exec(wkt);
  if (!m) return undefined;
  const lon = Number(m[1]);
  const lat = Number(m[2]);
  return Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined;
}
