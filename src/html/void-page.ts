import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { type SafeHtml, html, safeHref } from './escape.js';
import { formatNumber, t } from './i18n.js';
import { renderLayout } from './layout.js';
import type { PageContext } from './models.js';
import { Names } from './names.js';
import { linkTo } from './page-parts.js';
import { View, curie, hrefFor } from './rdf-view.js';

const VOID = 'http://rdfs.org/ns/void#';

/** The HTML page of /.well-known/void: the counts per named graph and the linksets, as tables. */
export function renderVoidPage(quads: readonly Quad[], ctx: PageContext): string {
  const v = new View(quads);
  const names = new Names(ctx.lang);
  const s = t(ctx.lang);
  const base = ctx.base;
  const n = (x: string | undefined) => (x === undefined ? '–' : formatNumber(x, ctx.lang));
  const root = v.subjects(`${STD.rdf}type`, `${VOID}Dataset`).find((d) => d.endsWith('#dataset')) ?? '';
  const subsets = v.iris(root, `${VOID}subset`);
  const graphs = subsets.filter((g) => !v.hasType(g, `${VOID}Linkset`)).sort();
  const linksets = subsets.filter((g) => v.hasType(g, `${VOID}Linkset`)).sort();
  const counts = (x: string): SafeHtml =>
    html`<td class="n">${n(v.value(x, `${VOID}triples`))}</td><td class="n">${n(v.value(x, `${VOID}entities`))}</td><td class="n">${n(v.value(x, `${VOID}classes`))}</td><td class="n">${n(v.value(x, `${VOID}properties`))}</td>`;
  const link = (iri: string, text: string) => html`<a href="${hrefFor(iri, base) ?? '#'}">${text}</a>`;
  const body = html`<h1>${s.voidTitle}</h1>
<p>${s.voidIntro}</p>
<p><a href="${hrefFor(v.iri(root, `${VOID}sparqlEndpoint`) ?? `${base}sparql`, base) ?? '/sparql'}">SPARQL</a> · ${s.dumps}: ${v.iris(root, `${VOID}dataDump`).map((d) => link(d, d.slice(d.lastIndexOf('/') + 1)))} · <code>void:uriSpace</code> <code>${v.value(root, `${VOID}uriSpace`) ?? ''}</code></p>
<div class="tw"><table>
<thead><tr><th scope="col">${s.graphName}</th><th scope="col" class="n">${s.triples}</th><th scope="col" class="n">${s.entities}</th><th scope="col" class="n">${s.classesCount}</th><th scope="col" class="n">${s.propertiesCount}</th><th scope="col">${s.dumps}</th></tr></thead>
<tbody>
${graphs.map((g) => {
    const topic = v.iri(g, `${STD.foaf}primaryTopic`);
    return html`<tr><th scope="row">${link(g, g.slice(base.length))}${topic ? html`<br><small>${linkTo(v, names, topic, base)}</small>` : ''}</th>${counts(g)}<td>${v.iris(g, `${VOID}dataDump`).sort().map((d, i) => html`${i > 0 ? ' · ' : ''}${link(d, d.slice(d.lastIndexOf('/') + 1))}`)}</td></tr>\n`;
  })}<tr><th scope="row">${s.whole}</th>${counts(root)}<td></td></tr>
</tbody>
</table></div>
<section aria-labelledby="linksets"><h2 id="linksets">${s.linksets}</h2>
<div class="tw"><table>
<thead><tr><th scope="col">${s.graphName}</th><th scope="col">${s.linkProperty}</th><th scope="col">${s.linkTarget}</th><th scope="col" class="n">${s.triples}</th></tr></thead>
<tbody>
${linksets.map((l) => {
    const from = v.iri(l, `${VOID}subjectsTarget`) ?? '';
    const to = v.iri(l, `${VOID}objectsTarget`) ?? '';
    const p = v.iri(l, `${VOID}linkPredicate`) ?? '';
    const home = v.iri(to, `${STD.foaf}homepage`);
    return html`<tr><td>${link(from, from.slice(base.length))}</td><td><code>${curie(p, base)}</code></td><td>${home ? html`<a href="${safeHref(home) ?? '#'}">${v.value(to, `${STD.dct}title`) ?? to}</a>` : to}</td><td class="n">${n(v.value(l, `${VOID}triples`))}</td></tr>\n`;
  })}</tbody>
</table></div>
</section>
<section aria-labelledby="vocabs"><h2 id="vocabs">${s.vocabulariesUsed}</h2>
<ul>${v.iris(root, `${VOID}vocabulary`).sort().map((x) => html`<li><code>${x}</code></li>`)}</ul>
</section>
${names.legend() ?? ''}`;
  return renderLayout(ctx, { title: s.voidTitle, body });
}
