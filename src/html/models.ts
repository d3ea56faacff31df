import type { Quad } from '@rdfjs/types';

/**
 * What the HTML pages are rendered from. Routes build these from the store; templates only read
 * them. Labels are language maps as the data gives them: a missing language stays missing, and the
 * page says so when it shows another language instead.
 */
export type Lang = 'tg' | 'ru' | 'en';
export const LANGS: readonly Lang[] = ['tg', 'ru', 'en'];

export type Labels = Partial<Record<Lang, string>>;

export interface Alternate {
  /** Media type, e.g. text/turtle. */
  type: string;
  /** Fixed-variant URL path, e.g. /doc/jamoat/TJ-KT-06-06.ttl */
  href: string;
  /** Short name shown to people: Turtle, JSON-LD, N-Triples, RDF/XML, N-Quads, TriG. */
  name: string;
}

export interface PageContext {
  lang: Lang;
  /** BASE_URI, ending in "/". Links in pages are root-relative paths; absolute URIs are for display and JSON-LD. */
  base: string;
  /** Path of this page without query string, e.g. /doc/jamoat/TJ-KT-06-06 (the language switch links add ?lang=). */
  path: string;
  /** Machine-readable variants of this page (empty for pages that have none). */
  alternates: Alternate[];
  dataVersion: string;
}

export interface ResourcePageInput {
  /** The thing described, e.g. BASE/id/jamoat/TJ-KT-06-06. */
  iri: string;
  /** The document's triples, as built by src/describe/document-query.ts. */
  quads: Quad[];
}

export interface HomeModel {
  triples: number;
  datasets: { iri: string; docPath: string; title: Labels; sample: boolean; observations?: number }[];
  regions: { iri: string; docPath: string; labels: Labels; code: string; districts: number }[];
  counts: { regions: number; districts: number; jamoats: number; jamoatsExpected: number };
}

export interface SearchHit {
  iri: string;
  docPath: string;
  labels: Labels;
  /** Class local name: Region, District, City, CityDistrict, Jamoat, Town, Hukumat, ... */
  kind: string;
  code?: string;
  /** Labels of the containing units, nearest first (district, region). */
  within: Labels[];
}

export interface SearchModel {
  q: string;
  hits: SearchHit[];
  /** More hits exist than shown. */
  truncated: boolean;
}

export interface CoverageModel {
  /** Every district-level unit in use, in code order. */
  districts: {
    iri: string;
    docPath: string;
    labels: Labels;
    code: string;
    region: { iri: string; code: string; labels: Labels };
    /** complete | listed | partial | outdated | missing | not-applicable */
    jamoatList: string;
    jamoatListNote?: string;
    jamoats: number;
  }[];
  /** Indicators and years per dataset, and whether the dataset is sample data. */
  statistics: {
    dataset: { iri: string; docPath: string; title: Labels; sample: boolean };
    /**
     * Per indicator and year: how many units have a figure, and which of the units the dataset
     * covers (its levels, in its districts) have none; `reported` names the units with a figure
     * (IRIs), so a district's profile can count its own ("n of m units reported").
     */
    indicators: { iri: string; docPath: string; labels: Labels; years: { year: number; units: number; reported?: string[]; missing: UnitRef[] }[] }[];
    districts: UnitRef[];
  }[];
}

export interface UnitRef { docPath: string; labels: Labels; code: string }

export interface ErrorPageModel {
  /** 400, 404, 406, 410, 500, 503, ... */
  status: number;
  /** What went wrong, in English; the template adds the localized heading. */
  message: string;
  /** For 406: the media types available. */
  alternatives?: string[];
  /** For 404 under /id or /doc: the closest existing units up the hierarchy, to help. */
  upHierarchy?: { docPath: string; labels: Labels }[];
  /** For 410: the successor, if any. */
  successor?: string;
  /** For 410 of a retired unit: what it was called, its code, the day it ended, and why. */
  retired?: { labels: Labels; code: string; on: string; note?: string };
}
