import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { PAGE_SIZE } from './read-fragment.js';
import { type TriplePattern, explicitForm, patternText } from './pattern.js';

/**
 * The metadata and hypermedia controls of one page of a Triple Pattern Fragment, as the TPF
 * specification (Linked Data Fragments, "Triple Pattern Fragments", §3 and §4) requires and as
 * LinkedDataFragments/Server.js writes them (QuadPatternFragmentsRdfView): the dataset with its
 * hydra:search form (the IriTemplate `{?subject,predicate,object}` and one hydra:mapping per
 * position), the page as a hydra:PartialCollectionView with its count (hydra:totalItems and
 * void:triples, exact here) and its links (first, previous, next).
 *
 * In TriG and N-Quads these quads are in their own graph, `<fragment#metadata>`, which says
 * `foaf:primaryTopic <fragment>`: that is how a client tells the controls from the data (Comunica's
 * actor-rdf-metadata-primary-topic takes the graph whose primary topic is the subject of the one
 * `void:subset <page URL>` triple). There must be only one such triple: Server.js also states
 * `<dataset> void:subset <page>`, and which of the two a client sees last then depends on the
 * serialiser's order (ours sorts); here the dataset is linked to the fragment instead, and the
 * fragment to the page.
 */

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const VOID = 'http://rdfs.org/ns/void#';
const { namedNode, blankNode, literal, quad } = N3.DataFactory;

/** Where the fragments are: `{base}fragments`, from BASE_URI as every URL we publish. */
export function fragmentsInterface(base: string): string {
  return `${base}fragments`;
}

/**
 * A query value as RFC 6570 form-style expansion (`{?subject,…}`) encodes it: every character
 * but the unreserved ones percent-encoded, so our links are spelled as a client's template
 * expansion spells them (encodeURIComponent leaves !'()* alone; RFC 3986 reserves them).
 */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The fragment's URL without a page: the template expanded with the pattern's fixed positions. */
export function fragmentUrl(base: string, p: TriplePattern): string {
  const params = (['subject', 'predicate', 'object'] as const).flatMap((k) => {
    const t = p[k];
    return t ? [`${k}=${encodeQueryValue(explicitForm(t))}`] : [];
  });
  return `${fragmentsInterface(base)}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

/** Page n of a fragment: its URL with `page=n`. */
export function pageLink(fragment: string, n: number): string {
  return `${fragment}${fragment.includes('?') ? '&' : '?'}page=${n}`;
}

export interface FragmentPage {
  pattern: TriplePattern;
  page: number;
  /** Matching triples in all (exact). */
  total: number;
  /**
   * The URL the client asked for, its query string as sent: a client recognises the page's
   * metadata by its own request URL, and would miss it if we re-encoded what it sent
   * (Server.js keeps "the originally requested query string to avoid encoding differences").
   */
  pageUrl: string;
}

/** Number of the last page (1 for an empty fragment). */
export function lastPage(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

export function controlQuads(base: string, f: FragmentPage): Quad[] {
  const iface = fragmentsInterface(base);
  const fragment = fragmentUrl(base, f.pattern);
  const g = namedNode(`${fragment}#metadata`);
  const dataset = namedNode(`${iface}#dataset`);
  const page = namedNode(f.pageUrl);
  const form = blankNode('pattern');
  const integer = (n: number) => literal(String(n), namedNode(`${STD.xsd}integer`));
  const out: Quad[] = [];
  const add = (s: Quad['subject'], p: string, o: Quad['object']) => out.push(quad(s, namedNode(p), o, g));

  add(g, `${STD.foaf}primaryTopic`, namedNode(fragment));
  add(dataset, `${STD.rdf}type`, namedNode(`${VOID}Dataset`));
  add(dataset, `${STD.rdf}type`, namedNode(`${HYDRA}Collection`));
  add(dataset, `${STD.dct}title`, literal('Local governance data of Tajikistan: Triple Pattern Fragments', 'en'));
  add(dataset, `${VOID}sparqlEndpoint`, namedNode(`${base}sparql`));
  if (fragment !== f.pageUrl) add(dataset, `${VOID}subset`, namedNode(fragment));
  add(dataset, `${HYDRA}search`, form);
  add(form, `${STD.rdf}type`, namedNode(`${HYDRA}IriTemplate`));
  add(form, `${HYDRA}template`, literal(`${iface}{?subject,predicate,object}`));
  add(form, `${HYDRA}variableRepresentation`, namedNode(`${HYDRA}ExplicitRepresentation`));
  for (const position of ['subject', 'predicate', 'object'] as const) {
    const mapping = blankNode(position);
    add(form, `${HYDRA}mapping`, mapping);
    add(mapping, `${HYDRA}variable`, literal(position));
    add(mapping, `${HYDRA}property`, namedNode(`${STD.rdf}${position}`));
  }

  add(namedNode(fragment), `${VOID}subset`, page);
  add(page, `${STD.rdf}type`, namedNode(`${HYDRA}PartialCollectionView`));
  add(page, `${STD.dct}title`, literal(`Triple Pattern Fragment ${patternText(f.pattern)}`, 'en'));
  add(page, `${STD.dct}description`, literal(`Page ${f.page} of the triples matching ${patternText(f.pattern)} in the union of all named graphs.`, 'en'));
  add(page, `${STD.dct}source`, dataset);
  add(page, `${HYDRA}totalItems`, integer(f.total));
  add(page, `${VOID}triples`, integer(f.total));
  add(page, `${HYDRA}itemsPerPage`, integer(PAGE_SIZE));
  add(page, `${HYDRA}first`, namedNode(pageLink(fragment, 1)));
  add(page, `${HYDRA}last`, namedNode(pageLink(fragment, lastPage(f.total))));
  if (f.page > 1) add(page, `${HYDRA}previous`, namedNode(pageLink(fragment, Math.min(f.page - 1, lastPage(f.total)))));
  if (f.page * PAGE_SIZE < f.total) add(page, `${HYDRA}next`, namedNode(pageLink(fragment, f.page + 1)));
  return out;
}
