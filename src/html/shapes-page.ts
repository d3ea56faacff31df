import type { Quad, Term } from '@rdfjs/types';
import N3 from 'n3';
import { STD } from '../rdf/namespaces.js';
import { html } from './escape.js';
import { t } from './i18n.js';
import { renderLayout } from './layout.js';
import type { PageContext } from './models.js';
import { curie, hrefFor } from './rdf-view.js';

const SH = 'http://www.w3.org/ns/shacl#';
const TARGETS = ['targetClass', 'targetSubjectsOf', 'targetObjectsOf', 'targetNode'].map((p) => SH + p);

/**
 * The page of /def/lg-shapes for people: what the shapes are for, and each node shape with what it
 * applies to and the properties it checks. The constraints themselves are read in the RDF (the
 * alternates in the page head and the links the layout gives).
 */
export function renderShapesPage(quads: readonly Quad[], ctx: PageContext): string {
  const s = t(ctx.lang);
  const store = new N3.Store(quads as Quad[]);
  const link = (term: Term) => {
    const text = curie(term.value, ctx.base);
    const href = term.termType === 'NamedNode' ? hrefFor(term.value, ctx.base) : undefined;
    return href ? html`<a href="${href}"><code>${text}</code></a>` : html`<code>${text}</code>`;
  };
  const shapes = store.getSubjects(`${STD.rdf}type`, `${SH}NodeShape`, null)
    .filter((n) => n.termType === 'NamedNode')
    .sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));
  const rows = shapes.map((shape) => {
    const label = store.getObjects(shape, `${STD.rdfs}label`, null)[0]?.value;
    const targets = TARGETS.flatMap((p) => store.getObjects(shape, p, null));
    const paths = store.getObjects(shape, `${SH}property`, null)
      .flatMap((p) => store.getObjects(p, `${SH}path`, null))
      .filter((p) => p.termType === 'NamedNode');
    const unique = [...new Map(paths.map((p) => [p.value, p])).values()];
    return html`<tr><th scope="row" id="${shape.value.replace(/.*#/, '')}"><code>${curie(shape.value, ctx.base).replace(/.*#/, '')}</code>${label ? html`<br><small lang="en">${label}</small>` : ''}</th><td>${targets.map((x, i) => html`${i > 0 ? ', ' : ''}${link(x)}`)}</td><td>${unique.map((x, i) => html`${i > 0 ? ', ' : ''}${link(x)}`)}</td></tr>\n`;
  });
  const body = html`<h1>${s.shapesTitle}</h1>
<p>${s.shapesIntro}</p>
<p><a href="/def/lg-shapes.ttl">Turtle</a> · <a href="/def/lg-shapes.jsonld">JSON-LD</a> · <a href="/def/lg-shapes.nt">N-Triples</a></p>
<div class="tw"><table>
<thead><tr><th scope="col">${s.shape}</th><th scope="col">${s.appliesTo}</th><th scope="col">${s.propertiesChecked}</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
  return renderLayout(ctx, { title: s.shapesTitle, body });
}
