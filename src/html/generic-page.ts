import type { Term } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { type SafeHtml, html } from './escape.js';
import { fmt, formatNumber, t } from './i18n.js';
import type { PageContext } from './models.js';
import type { Names } from './names.js';
import {
  anySample, ancestors, breadcrumbs, formatLiteral, kindName, linkTo, literalsIn, nameOf, nameText, sampleMarker, termHtml,
} from './page-parts.js';
import { RDF_TYPE, type View, curie, hrefFor, own } from './rdf-view.js';
import { isQualityMeasurement, qualitySection } from './quality-table.js';

/** Longer lists of what refers to a thing (an indicator's observations) are cut; SPARQL has them all. */
const MAX_REFERRERS = 30;
const LABEL_ORDER = [RDF_TYPE, `${STD.skos}prefLabel`, `${STD.rdfs}label`, `${STD.dct}title`, `${STD.dct}description`];

/** The datasets whose sample-data flag applies to `iri`: itself, its qb:dataSet, the dataset of a DSD. */
export function datasetsOf(v: View, iri: string): string[] {
  return [iri, ...v.iris(iri, `${STD.qb}dataSet`), ...v.subjects(`${STD.qb}structure`, iri)];
}

/** Where the thing sits in the hierarchy: the unit it is within, governs, or is an observation of. */
function chainOf(v: View, iri: string, base: string): string[] {
  const lg = own(base).lg;
  if (v.iri(iri, `${lg}within`)) return ancestors(v, iri, base);
  const anchor = v.iri(iri, `${lg}governs`) ?? v.iri(iri, `${lg}refArea`);
  return anchor ? [anchor, ...ancestors(v, anchor, base)] : [];
}

function propertyName(v: View, names: Names, p: string, base: string): SafeHtml {
  const labels = v.labels(p);
  const text = Object.keys(labels).length > 0 ? names.label(labels) : html`${curie(p, base)}`;
  const href = hrefFor(p, base);
  return href ? html`<a href="${href}">${text}</a>` : text;
}

function sortValues(values: Term[], lang: string): Term[] {
  const rank = (o: Term) => (o.termType !== 'Literal' ? 0 : o.language === lang ? 1 : o.language === '' ? 2 : 3);
  return [...values].sort((a, b) => rank(a) - rank(b) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** A property/value table of one subject's triples. */
export function propertyTable(v: View, names: Names, s: string, base: string): SafeHtml {
  const str = t(names.lang);
  const props = [...v.properties(s).keys()].sort((a, b) => {
    const ra = LABEL_ORDER.indexOf(a);
    const rb = LABEL_ORDER.indexOf(b);
    return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb) || curie(a, base).localeCompare(curie(b, base));
  });
  return html`<div class="tw"><table>
<thead><tr><th scope="col">${str.property}</th><th scope="col">${str.value}</th></tr></thead>
<tbody>
${props.map(
  (p) => html`<tr><th scope="row">${propertyName(v, names, p, base)}</th><td>${sortValues(v.objects(s, p), names.lang).map(
    (o, i) => html`${i > 0 ? html`<br>` : ''}${termHtml(v, names, o, base)}`,
  )}</td></tr>\n`,
)}</tbody>
</table></div>`;
}

/** An observation has no label: "indicator · area · year" names it (as HTML, or as text with `text`). */
export function observationTitle(v: View, names: Names, iri: string, base: string): SafeHtml | undefined;
export function observationTitle(v: View, names: Names, iri: string, base: string, text: true): string | undefined;
export function observationTitle(v: View, names: Names, iri: string, base: string, text?: true): SafeHtml | string | undefined {
  const lg = own(base).lg;
  const ind = v.iri(iri, `${STD.qb}measureType`);
  const area = v.iri(iri, `${lg}refArea`);
  if (!v.hasType(iri, `${STD.qb}Observation`) || !ind || !area) return undefined;
  const year = v.value(iri, `${lg}refPeriod`) ?? '';
  if (text) return `${nameText(v, names, ind, base)} · ${nameText(v, names, area, base)} · ${year}`;
  return html`${nameOf(v, names, ind, base)} · ${nameOf(v, names, area, base)} · ${year}`;
}

/** One line saying what an observation is: indicator, area, period: value unit. */
function observationSummary(v: View, names: Names, iri: string, base: string): SafeHtml | undefined {
  const lg = own(base).lg;
  if (!v.hasType(iri, `${STD.qb}Observation`)) return undefined;
  const ind = v.iri(iri, `${STD.qb}measureType`);
  const area = v.iri(iri, `${lg}refArea`);
  const value = ind ? v.literals(iri, ind)[0] : undefined;
  const unit = v.iri(iri, `${lg}unitMeasure`);
  if (!ind || !value) return undefined;
  return html`<p class="lead">${linkTo(v, names, ind, base)}${area ? html` · ${linkTo(v, names, area, base)}` : ''} · ${v.value(iri, `${lg}refPeriod`) ?? ''}: <strong>${formatLiteral(value, names.lang)}</strong>${unit ? html` ${nameOf(v, names, unit, base)}` : ''}</p>`;
}

/** The page of anything that is not an administrative unit: hukumat, observation, dataset, DSD, ... */
export function genericBody(v: View, iri: string, ctx: PageContext, names: Names): SafeHtml {
  const base = ctx.base;
  const s = t(ctx.lang);
  const sample = anySample(v, datasetsOf(v, iri), base);
  const types = v.types(iri);
  const description = literalsIn(v, names, iri, `${STD.dct}description`);
  // A dataset's quality measurements are hash IRIs too: they get their own table (qualitySection).
  const hashSubjects = v.subjectsAll().filter((x) => x.startsWith(`${iri}#`) && !isQualityMeasurement(v, x)).sort();
  const labels = v.labels(iri);
  const heading = Object.keys(labels).length > 0 ? names.label(labels) : (observationTitle(v, names, iri, base) ?? nameOf(v, names, iri, base));
  const crumbs = breadcrumbs(v, names, chainOf(v, iri, base), iri, base, heading);
  const referrers = v
    .subjectsAll()
    .filter((x) => x !== iri && !x.startsWith(`${iri}#`))
    .flatMap((x) => [...v.properties(x).entries()].filter(([, os]) => os.some((o) => o.value === iri)).map(([p]) => [x, p] as const));
  return html`${crumbs ?? ''}
<h1>${heading}</h1>
${names.headingNote(labels) ?? ''}<p class="meta">${types.map((c, i) => html`${i > 0 ? ' · ' : ''}${kindName(v, names, c, base)}`)}</p>
${sample ? html`<p>${sampleMarker(ctx.lang)}</p>\n` : ''}${observationSummary(v, names, iri, base) ?? ''}${description.map((d) => html`<p>${d}</p>\n`)}<p class="meta">${s.uri}: <code>${iri}</code></p>
<section aria-labelledby="props"><h2 id="props">${s.description}</h2>
${propertyTable(v, names, iri, base)}
</section>
${qualitySection(v, iri, ctx)}${hashSubjects.map(
  (h) => html`<section id="${h.slice(iri.length + 1)}"><h3>${nameOf(v, names, h, base)} <small><code>#${h.slice(iri.length + 1)}</code></small></h3>
${propertyTable(v, names, h, base)}
</section>
`,
)}${referrers.length > 0 ? html`<section aria-labelledby="refs"><h2 id="refs">${s.referredBy} (${formatNumber(referrers.length, ctx.lang)})</h2><ul>${referrers.slice(0, MAX_REFERRERS).map(
    ([x, p]) => html`<li>${linkTo(v, names, x, base)} <small>(${propertyName(v, names, p, base)})</small></li>`,
  )}${referrers.length > MAX_REFERRERS ? html`<li>${fmt(s.andMore, { n: formatNumber(referrers.length - MAX_REFERRERS, ctx.lang) })} (<a href="/sparql">SPARQL</a>)</li>` : ''}</ul></section>
` : ''}${names.legend() ?? ''}`;
}
