import { type SafeHtml, html, jsonLdScript, safeHref } from './escape.js';
import { fmt, formatNumber, t } from './i18n.js';
import { renderLayout } from './layout.js';
import { LANGS, type HomeModel, type Labels, type PageContext } from './models.js';
import { Names } from './names.js';
import { sampleMarker } from './page-parts.js';
import { SCHEMA_CONTEXT } from './jsonld.js';
import { rs } from '../reports/strings.js';
import { RECIPE_STRINGS } from '../recipes/strings.js';
import { FRAGMENTS_PATH } from '../fragments/path.js';

export function langValues(labels: Labels): { '@value': string; '@language': string }[] {
  return LANGS.flatMap((l) => (labels[l] ? [{ '@value': labels[l], '@language': l }] : []));
}

/** The home page: what is published, the hierarchy with the country's map (src/maps), the datasets, and the ways in for software. */
export function renderHomePage(model: HomeModel, ctx: PageContext, map?: SafeHtml): string {
  const s = t(ctx.lang);
  const names = new Names(ctx.lang);
  const n = (x: number) => formatNumber(x, ctx.lang);
  const body = html`<h1>${s.siteName}</h1>
<p>${s.homeIntro}</p>
<section aria-labelledby="published"><h2 id="published">${s.published}</h2>
<ul>
<li>${fmt(s.countRegions, { n: n(model.counts.regions) })}</li>
<li>${fmt(s.countDistricts, { n: n(model.counts.districts) })}</li>
<li>${fmt(s.countJamoats, { n: n(model.counts.jamoats), m: n(model.counts.jamoatsExpected) })} (<a href="/coverage">${s.coverageText}</a>)</li>
<li>${fmt(s.countTriples, { n: n(model.triples) })}</li>
</ul>
</section>
<section aria-labelledby="hierarchy"><h2 id="hierarchy">${s.hierarchy}</h2>
<p><a href="/doc/country/TJ">${s.wholeCountry}</a></p>
${map ?? ''}
<div class="tw"><table>
<thead><tr><th scope="col">${s.kind_Region}</th><th scope="col">${s.code}</th><th scope="col" class="n">${s.districtsAndCities}</th></tr></thead>
<tbody>
${model.regions.map(
  (r) => html`<tr><td><a href="${safeHref(r.docPath) ?? '#'}">${names.label(r.labels, r.code)}</a></td><td><code>${r.code}</code></td><td class="n">${n(r.districts)}</td></tr>\n`,
)}</tbody>
</table></div>
</section>
<section aria-labelledby="datasets"><h2 id="datasets">${s.datasets}</h2>
<div class="tw"><table>
<thead><tr><th scope="col">${s.name}</th><th scope="col" class="n">${s.observations}</th></tr></thead>
<tbody>
${model.datasets.map(
  (d) => html`<tr><td><a href="${safeHref(d.docPath) ?? '#'}">${names.label(d.title, d.iri)}</a>${d.sample ? html` ${sampleMarker(ctx.lang)}` : ''}</td><td class="n">${d.observations !== undefined ? n(d.observations) : '–'}</td></tr>\n`,
)}</tbody>
</table></div>
</section>
<section aria-labelledby="software"><h2 id="software">${s.forSoftware}</h2>
<ul>
<li><a href="/sparql">${s.sparql}</a>: ${s.sparqlText}</li>
<li><a href="${FRAGMENTS_PATH}">${s.fragments}</a>: ${s.fragmentsText}</li>
<li><a href="/use-data">${s.useData}</a>: ${RECIPE_STRINGS[ctx.lang].homeText}</li>
<li><a href="/catalog">${s.catalog}</a>: ${s.catalogText}</li>
<li><a href="/def/lg">${s.vocabulary}</a>: ${s.vocabText}</li>
<li><a href="/download/all.nq.gz">all.nq.gz</a>: ${s.downloadText}</li>
<li><a href="/.well-known/void">VoID</a>: ${s.voidText}</li>
<li><a href="/sitemap.xml">sitemap.xml</a></li>
</ul>
</section>
<section aria-labelledby="stars"><h2 id="stars">${s.fiveStars}</h2>
<p>${s.fiveStarsIntro}</p>
<ol class="stars">
${[s.star1, s.star2, s.star3, s.star4, s.star5].map((text, i) => html`<li><span aria-hidden="true">${'★'.repeat(i + 1)}</span> ${text}</li>\n`)}</ol>
</section>
<section aria-labelledby="report-an-error"><h2 id="report-an-error">${s.reportError}</h2>
<p>${s.reportErrorText}</p>
<p>${rs(ctx.lang).homeHow} <a href="/doc/country/TJ#report">${rs(ctx.lang).homeExample}</a></p>
</section>
${names.legend() ?? ''}`;
  const jsonld = {
    '@context': SCHEMA_CONTEXT,
    '@type': 'DataCatalog',
    name: LANGS.map((l) => ({ '@value': t(l).siteName, '@language': l })),
    url: ctx.base,
    license: 'https://creativecommons.org/licenses/by/4.0/',
    dataset: model.datasets.map((d) => ({ '@type': 'Dataset', '@id': d.iri, name: langValues(d.title), url: ctx.base + d.docPath.replace(/^\//, '') })),
  };
  // The catalog and the VoID describe what this site publishes: link them for harvesters (RFC 8288).
  const links = html`<link rel="alternate" type="text/turtle" href="/catalog.ttl" title="DCAT-AP catalog">
<link rel="alternate" type="application/ld+json" href="/catalog.jsonld" title="DCAT-AP catalog">
<link rel="describedby" type="text/turtle" href="/.well-known/void.ttl" title="VoID">
`;
  return renderLayout(ctx, { title: s.home, body, head: html`${jsonLdScript(jsonld)}\n${links}` });
}
