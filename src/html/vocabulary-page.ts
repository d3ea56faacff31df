import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { type SafeHtml, html, jsonLdScript } from './escape.js';
import { t } from './i18n.js';
import { renderLayout } from './layout.js';
import { LANGS, type PageContext } from './models.js';
import { Names } from './names.js';
import { literalsIn, nameOf, nameText } from './page-parts.js';
import { type View, View as RdfView, curie, hrefFor, own } from './rdf-view.js';
import { SCHEMA_CONTEXT } from './jsonld.js';

const OWL = STD.owl;
const RDFS = STD.rdfs;
const SKOS = STD.skos;
const CLASS_TYPES = [`${OWL}Class`, `${RDFS}Class`];
const PROPERTY_TYPES = [`${OWL}ObjectProperty`, `${OWL}DatatypeProperty`, `${STD.rdf}Property`, `${OWL}AnnotationProperty`];
const MATCHES = [`${OWL}equivalentClass`, `${OWL}equivalentProperty`, `${SKOS}exactMatch`, `${SKOS}closeMatch`, `${SKOS}relatedMatch`, `${SKOS}broadMatch`, `${SKOS}narrowMatch`, `${RDFS}seeAlso`];

/** The anchor of a term on this page: the local name for lg: terms (so /def/lg#District lands), ind-{id} for indicators. */
export function termAnchor(iri: string, base: string): string | undefined {
  const o = own(base);
  if (iri.startsWith(o.lg)) return iri.slice(o.lg.length);
  if (iri.startsWith(o.ind)) return `ind-${iri.slice(o.ind.length)}`;
  return undefined;
}

/** Links to terms point at their anchor here; anything else to itself. */
function termLink(v: View, names: Names, iri: string, base: string): SafeHtml {
  const anchor = termAnchor(iri, base);
  const known = v.has(iri);
  const text = known && Object.keys(v.labels(iri)).length > 0 ? nameOf(v, names, iri, base) : html`<code>${curie(iri, base)}</code>`;
  const href = anchor !== undefined && known ? `#${anchor}` : hrefFor(iri, base);
  return href ? html`<a href="${href}">${text}</a>` : text;
}

function links(v: View, names: Names, s: string, props: string[], base: string): SafeHtml[] {
  return props.flatMap((p) => v.iris(s, p)).map((o, i) => html`${i > 0 ? ', ' : ''}${termLink(v, names, o, base)}`);
}

function row(label: string, value: SafeHtml[] | SafeHtml | string | undefined): SafeHtml {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return html``;
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}

function byLocalName(base: string) {
  return (a: string, b: string) => curie(a, base).localeCompare(curie(b, base));
}

function byNotation(v: View) {
  const key = (s: string) => v.value(s, `${SKOS}notation`) ?? s;
  return (a: string, b: string) => {
    const ka = key(a);
    const kb = key(b);
    return /^\d+$/.test(ka) && /^\d+$/.test(kb) ? Number(ka) - Number(kb) : ka.localeCompare(kb);
  };
}

function termSection(v: View, names: Names, s: string, base: string, level: 'h3' | 'h4' = 'h3'): SafeHtml {
  const str = t(names.lang);
  const lg = own(base).lg;
  const head = html`${nameOf(v, names, s, base)} <small><code>${curie(s, base)}</code></small>`;
  const details = html`${row(str.code, v.value(s, `${SKOS}notation`))}${row(str.subClassOf, links(v, names, s, [`${RDFS}subClassOf`], base))}${row(
    str.subPropertyOf,
    links(v, names, s, [`${RDFS}subPropertyOf`], base),
  )}${row(str.inverseOf, links(v, names, s, [`${OWL}inverseOf`], base))}${row(str.domain, links(v, names, s, [`${RDFS}domain`], base))}${row(
    str.range,
    links(v, names, s, [`${RDFS}range`], base),
  )}${row(str.unit, links(v, names, s, [`${lg}unitOfMeasure`], base))}${row(str.matches, links(v, names, s, MATCHES, base))}${row(str.uri, html`<code>${s}</code>`)}`;
  return html`<section id="${termAnchor(s, base) ?? ''}">
${level === 'h3' ? html`<h3>${head}</h3>` : html`<h4>${head}</h4>`}
${literalsIn(v, names, s, `${SKOS}definition`).map((d) => html`<p>${d}</p>`)}
<dl>${details}</dl>
</section>
`;
}

/**
 * The documentation page of the vocabulary (/def/lg) and its indicators: title, description,
 * version, licence; the classes, properties and concept schemes with their concepts, each with an
 * anchor (id = local name), label and definition in the page language (fallbacks marked),
 * super-classes and -properties, domain, range and alignments.
 */
export function renderVocabularyPage(quads: Quad[], ctx: PageContext): string {
  const base = ctx.base;
  const v = new RdfView(quads);
  const names = new Names(ctx.lang);
  const s = t(ctx.lang);
  const o = own(base);
  const ontology = `${base}def/lg`;
  const ours = (x: string) => x.startsWith(o.lg) || x.startsWith(o.ind);
  const subjects = v.subjectsAll().filter(ours);
  const typed = (types: string[]) => subjects.filter((x) => v.types(x).some((ty) => types.includes(ty)));
  const schemes = typed([`${SKOS}ConceptScheme`]).sort(byLocalName(base));
  const inAnyScheme = new Set(schemes.flatMap((sc) => v.subjects(`${SKOS}inScheme`, sc)));
  const classes = typed(CLASS_TYPES).sort(byLocalName(base));
  const properties = typed(PROPERTY_TYPES)
    .filter((p) => !inAnyScheme.has(p))
    .sort(byLocalName(base));
  const licence = v.iri(ontology, `${STD.dct}license`);
  const title = nameText(v, names, ontology, base) || 'lg';
  const nsUri = v.iri(ontology, 'http://purl.org/vocab/vann/preferredNamespaceUri') ?? o.lg;

  const schemeSections = schemes.map((sc) => {
    const concepts = v.subjects(`${SKOS}inScheme`, sc).sort(byNotation(v));
    return html`<section id="${termAnchor(sc, base) ?? ''}">
<h3>${nameOf(v, names, sc, base)} <small><code>${curie(sc, base)}</code></small></h3>
${literalsIn(v, names, sc, `${SKOS}definition`).map((d) => html`<p>${d}</p>`)}
${concepts.map((c) => termSection(v, names, c, base, 'h4'))}</section>
`;
  });

  const body = html`<h1>${nameOf(v, names, ontology, base)}</h1>
${names.headingNote(v.labels(ontology)) ?? ''}${literalsIn(v, names, ontology, `${STD.dct}description`).map((d) => html`<p>${d}</p>\n`)}<dl>
${row(s.version, v.value(ontology, `${OWL}versionInfo`))}${row(s.uri, html`<code>${ontology}</code>`)}${row(
    s.namespace,
    html`<code>${v.value(ontology, 'http://purl.org/vocab/vann/preferredNamespacePrefix') ?? 'lg'}: ${nsUri}</code>`,
  )}${row(s.licence, licence ? html`<a rel="license" href="${hrefFor(licence, base) ?? '#'}">${licence.includes('/by/4.0') ? 'CC BY 4.0' : licence}</a>` : undefined)}
</dl>
<nav aria-labelledby="toc"><h2 id="toc">${s.contents}</h2><ul>
<li><a href="#classes">${s.classes}</a> (${classes.length})</li>
<li><a href="#properties">${s.properties}</a> (${properties.length})</li>
<li><a href="#schemes">${s.schemes}</a><ul>${schemes.map((sc) => html`<li><a href="#${termAnchor(sc, base) ?? ''}">${nameOf(v, names, sc, base)}</a></li>`)}</ul></li>
</ul></nav>
<section aria-labelledby="classes"><h2 id="classes">${s.classes}</h2>
${classes.map((c) => termSection(v, names, c, base))}</section>
<section aria-labelledby="properties"><h2 id="properties">${s.properties}</h2>
${properties.map((p) => termSection(v, names, p, base))}</section>
<section aria-labelledby="schemes"><h2 id="schemes">${s.schemes}</h2>
${schemeSections}</section>
${names.legend() ?? ''}`;

  const jsonld = {
    '@context': SCHEMA_CONTEXT,
    '@type': 'DefinedTermSet',
    '@id': ontology,
    name: LANGS.flatMap((l) => (v.labels(ontology)[l] ? [{ '@value': v.labels(ontology)[l], '@language': l }] : [])),
    url: ontology,
    ...(licence ? { license: licence } : {}),
    ...(v.value(ontology, `${OWL}versionInfo`) ? { version: v.value(ontology, `${OWL}versionInfo`) } : {}),
  };
  return renderLayout(ctx, { title, body, head: jsonLdScript(jsonld) });
}
