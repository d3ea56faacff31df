import type { Literal, Term } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { type SafeHtml, html } from './escape.js';
import { fallbackOrder, formatNumber, t } from './i18n.js';
import type { Lang } from './models.js';
import type { Names } from './names.js';
import { type View, curie, hrefFor, localName, own } from './rdf-view.js';

/** Pieces shared by the resource pages: names of things, links, values, breadcrumbs, markers. */

const XSD = STD.xsd;
const NUMERIC = new Set(['integer', 'decimal', 'double', 'float', 'int', 'long', 'nonNegativeInteger', 'positiveInteger'].map((l) => XSD + l));

/** A short form of an IRI with no label: a CURIE, else our path after /id/ (or after the base), else the IRI. */
export function shortIri(iri: string, base: string): string {
  const c = curie(iri, base);
  if (c !== iri || !iri.startsWith(base)) return c;
  const rest = iri.slice(base.length);
  return rest.startsWith('id/') ? rest.slice(3) : rest;
}

/** The name of a thing: its label (fallback marked), else an untagged label, its code, or a short IRI. */
export function nameOf(v: View, names: Names, iri: string, base: string): SafeHtml {
  const labels = v.labels(iri);
  if (Object.keys(labels).length > 0) return names.label(labels);
  return html`${v.plainLabel(iri) ?? v.value(iri, `${own(base).lg}code`) ?? shortIri(iri, base)}`;
}

export function nameText(v: View, names: Names, iri: string, base: string): string {
  return names.text(v.labels(iri), v.plainLabel(iri) ?? v.value(iri, `${own(base).lg}code`) ?? shortIri(iri, base));
}

/** As nameText, with a fallback marked in the text itself ("Norin [EN]"): for SVG text. */
export function nameTextMarked(v: View, names: Names, iri: string, base: string): string {
  return names.textMarked(v.labels(iri), v.plainLabel(iri) ?? v.value(iri, `${own(base).lg}code`) ?? shortIri(iri, base));
}

/** A link to `iri` showing its name (our IRIs root-relative, others absolute, unsafe ones as text). */
export function linkTo(v: View, names: Names, iri: string, base: string, text?: SafeHtml | string): SafeHtml {
  const href = hrefFor(iri, base);
  const label = text ?? nameOf(v, names, iri, base);
  return href ? html`<a href="${href}">${label}</a>` : html`${label}`;
}

/** A URL shown as itself, percent-escapes decoded for reading. */
export function urlText(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

export function formatLiteral(l: Literal, lang: Lang): string {
  return NUMERIC.has(l.datatype.value) ? formatNumber(l.value, lang) : l.value;
}

/** A value in a property table: literals with their language tag or datatype, IRIs as links. */
export function termHtml(v: View, names: Names, o: Term, base: string): SafeHtml {
  if (o.termType === 'Literal') {
    if (o.language) return html`<span lang="${o.language}">${o.value}</span> <small>@${o.language}</small>`;
    const dt = o.datatype.value;
    if (dt === `${XSD}string`) return html`${o.value}`;
    return html`${formatLiteral(o, names.lang)} <small>${curie(dt, base)}</small>`;
  }
  if (o.termType === 'NamedNode') {
    const known = v.has(o.value) && (Object.keys(v.labels(o.value)).length > 0 || v.plainLabel(o.value) !== undefined);
    return linkTo(v, names, o.value, base, known ? undefined : shortIri(o.value, base));
  }
  return html`<code>_:${o.value}</code>`;
}

/**
 * The texts of a property (notes, descriptions) to show in the page language: those in it, else
 * those of the first fallback language that has some (with their `lang`), else the untagged ones.
 */
export function literalsIn(v: View, names: Names, s: string, p: string): SafeHtml[] {
  const lits = v.literals(s, p);
  for (const l of fallbackOrder(names.lang)) {
    const inLang = lits.filter((x) => x.language.toLowerCase() === l);
    // A text in another language than the page's is marked as a fallback, visibly ([EN]).
    if (inLang.length > 0) return inLang.map((x) => (l === names.lang ? html`${x.value}` : names.marked(x.value, l)));
  }
  return lits.filter((x) => x.language === '').map((x) => html`${x.value}`);
}

/** The chain of containing units, nearest first (lg:within, guarded against cycles). */
export function ancestors(v: View, iri: string, base: string): string[] {
  const within = `${own(base).lg}within`;
  const out: string[] = [];
  for (let cur = v.iri(iri, within); cur && !out.includes(cur) && cur !== iri && out.length < 8; cur = v.iri(cur, within)) out.push(cur);
  return out;
}

/** Breadcrumbs: country > region > district > ... > the current page (aria-current). */
export function breadcrumbs(v: View, names: Names, chain: string[], current: string, base: string, currentLabel?: SafeHtml): SafeHtml | undefined {
  if (chain.length === 0) return undefined;
  const items = [...chain].reverse();
  // a unit whose triples the document lacks is still named by its code (the last IRI segment)
  const crumb = (iri: string) => (v.has(iri) ? nameOf(v, names, iri, base) : html`${localName(iri)}`);
  return html`<nav class="bc" aria-label="${t(names.lang).breadcrumb}"><ol>${items.map(
    (iri) => html`<li><a href="${hrefFor(iri, base) ?? '#'}">${crumb(iri)}</a></li>`,
  )}<li><a href="${hrefFor(current, base) ?? '#'}" aria-current="page">${currentLabel ?? nameOf(v, names, current, base)}</a></li></ol></nav>
`;
}

export function sampleMarker(lang: Lang): SafeHtml {
  return html`<strong class="sample">${t(lang).sample}</strong>`;
}

/** Whether any of these datasets is marked lg:sampleData true. */
export function anySample(v: View, datasets: readonly string[], base: string): boolean {
  return datasets.some((d) => v.isTrue(d, `${own(base).lg}sampleData`));
}

/** The localized name of a kind of thing, from the data or the interface text, else its CURIE. */
export function kindName(v: View, names: Names, classIri: string, base: string): SafeHtml {
  const labels = v.labels(classIri);
  if (Object.keys(labels).length > 0) return names.label(labels);
  const s = t(names.lang) as unknown as Record<string, string>;
  const known = classIri.startsWith(own(base).lg) ? s[`kind_${localName(classIri)}`] : undefined;
  return html`${known ?? curie(classIri, base)}`;
}
