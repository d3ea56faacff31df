import { type UnitFigure, buildComparisons, keyFigures } from '../describe/compare-model.js';
import { missingWithin } from '../describe/missing-model.js';
import { STD } from '../rdf/namespaces.js';
import { renderComparison, perCapitaHtml } from './comparison.js';
import { inlineStyle } from './csp.js';
import { type SafeHtml, html, safeHref } from './escape.js';
import { fmt, formatNumber, t } from './i18n.js';
import type { CoverageModel, PageContext, UnitRef } from './models.js';
import type { Names } from './names.js';
import { linkTo, nameOf, sampleMarker } from './page-parts.js';
import { profileStrings } from './profile-strings.js';
import { type View, hrefFor, localName, own } from './rdf-view.js';
import { INDICATOR_ORDER } from './statistics.js';

/**
 * The profile of a district, region or the country (issue #10, "District profiles"): the page a
 * district official prints and takes to a meeting. Key figures with their year and source, each
 * linking to its observation; the units below compared, indicator by indicator; what is missing,
 * from the coverage data; the data version and release it was made from. A print stylesheet makes
 * it a clean A4 document. The sections are placed by unit-page.ts among the unit's own.
 */

/** What the profile needs beside the page's quads (routes/doc.ts gathers it). */
export interface ProfileInput {
  coverage: CoverageModel;
  /** The units inside this one at any depth, and itself (src/describe/units-within.ts). */
  inside: ReadonlySet<string>;
  /** The release being served; null when the server serves a plain build directory. */
  release: number | null;
}

/** The indicators of the key figures, in this order (vocab/indicators.ttl). */
const KEY_INDICATORS = ['population', 'general-schools', 'pupils', 'health-facilities', 'doctors', 'paved-road-length', 'budget-revenue', 'budget-expenditure'];

/**
 * The profile's own styles, print above all (an A4 page: no menus, search, language switch or
 * footer; tables and charts kept whole where they fit; the address of each key figure printed
 * under it; charts in grey). Allowed by hash like the layout's (src/html/csp.ts).
 */
const PROFILE_CSS = `.kf{list-style:none;padding:0;margin:.3rem 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.5rem}
.kf li{border:1px solid #ccc;padding:.4rem .6rem;min-width:0}
.kf .v{font-size:1.35rem;font-weight:700;font-variant-numeric:tabular-nums}
.kf small{display:block;color:#555}
.kf .pu{display:none}
.cmp{display:grid;grid-template-columns:minmax(0,1fr);gap:.3rem 1.5rem;align-items:start}
.cmp figure{margin:.3rem 0}
svg.bars{width:100%;max-width:34rem;height:auto;fill:#0b5cad}
svg.bars text{fill:#1b1b1b}
.pc{font-style:italic}
th.pc{white-space:normal;min-width:6rem}
.hint{border-left:4px solid #0b5cad;padding:.2rem .6rem}
@media(min-width:48rem){.cmp{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
@media print{@page{size:A4;margin:14mm 12mm}
body{font-size:10pt;color:#000}
header,main,footer{max-width:none;padding:0}
header{border:0}
header nav,header form,footer,.hint,.bc,a.vh,#report,section[aria-labelledby=report]{display:none}
a{color:#000;text-decoration:none}
.tw{overflow:visible;background:none}
table,figure,.kf li,.cmp-one h3{break-inside:avoid}
h2,h3{break-after:avoid}
.kf .pu{display:block;font-size:7.5pt;overflow-wrap:anywhere}
svg.bars{fill:#555;max-width:12cm}
svg.bars text{fill:#000}
.tw svg{width:110px;height:30px}
svg polyline{stroke:#000}svg circle{fill:#000}
.sample{background:none;border:1px solid #000;color:#000}
th,td{padding:.1rem .3rem}
table{font-size:9pt}
.partial{white-space:normal}
.cmp{grid-template-columns:minmax(0,1fr)}}`;

/** The profile's <style>, for the page's head. */
export function profileStyle(): SafeHtml {
  return inlineStyle(PROFILE_CSS);
}

/** A figure's dataset: a computed total's qb:DataSet is part of the dataset it sums (convert/aggregate.ts). */
function datasetOf(v: View, obs: string): string {
  const ds = v.iri(obs, `${STD.qb}dataSet`) ?? '';
  return (ds && v.iri(ds, `${STD.dct}isPartOf`)) || ds;
}

/** The figures of the given units as the page's quads hold them. */
export function figuresOf(v: View, units: readonly string[], base: string): UnitFigure[] {
  const lg = own(base).lg;
  const out: UnitFigure[] = [];
  for (const unit of units) {
    for (const obs of v.subjects(`${lg}refArea`, unit)) {
      const indicator = v.iri(obs, `${STD.qb}measureType`);
      const year = Number(v.value(obs, `${lg}refPeriod`)?.slice(0, 4));
      const lit = indicator ? v.literals(obs, indicator)[0] : undefined;
      const value = Number(lit?.value);
      if (!indicator || !lit || !Number.isInteger(year) || !Number.isFinite(value)) continue;
      out.push({ unit, indicator, year, value, lexical: lit.value, obs, dataset: datasetOf(v, obs), computed: v.isTrue(obs, `${lg}computed`) });
    }
  }
  return out;
}

function options(v: View, base: string) {
  const lg = own(base).lg;
  const rank = (iri: string) => {
    const i = INDICATOR_ORDER.indexOf(localName(iri));
    return i < 0 ? INDICATOR_ORDER.length : i;
  };
  return {
    unitOf: (ind: string) => {
      const u = v.iri(ind, `${lg}unitOfMeasure`);
      return u ? localName(u) : undefined;
    },
    idOf: (ind: string) => localName(ind),
    order: (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  };
}

/** The top of the profile: the print hint, the sample-data notice and the key figures. */
export function profileTop(v: View, iri: string, ctx: PageContext, names: Names): SafeHtml {
  const { base, lang } = ctx;
  const lg = own(base).lg;
  const p = profileStrings(lang);
  const s = t(lang);
  const own_ = figuresOf(v, [iri], base);
  const below = v.subjects(`${lg}within`, iri);
  const all = [...own_, ...figuresOf(v, below, base)];
  const sample = all.some((f) => v.isTrue(f.dataset, `${lg}sampleData`));
  const keys = keyFigures(own_, KEY_INDICATORS, options(v, base));
  const item = (k: (typeof keys)[number]) => {
    const f = k.figure;
    const unitIri = v.iri(f.indicator, `${lg}unitOfMeasure`);
    const href = hrefFor(f.obs, base);
    const value = formatNumber(f.lexical, lang);
    const parts = f.computed ? v.iris(f.obs, `${STD.prov}wasDerivedFrom`).length : 0;
    const isSample = v.isTrue(f.dataset, `${lg}sampleData`);
    return html`<li><span>${linkTo(v, names, f.indicator, base)}</span><br><span class="v">${href ? html`<a href="${href}" title="${p.observationTitle}">${value}</a>` : value}</span> ${unitIri ? nameOf(v, names, unitIri, base) : ''}
<small>${fmt(p.keyYear, { year: f.year })}${f.computed ? html` · <abbr class="computed" title="${s.computedNote}">${fmt(p.keyComputed, { n: formatNumber(parts, lang) })}</abbr>` : ''}${isSample ? html` · <strong class="sample">${p.keySample}</strong>` : ''}</small>
${k.perCapita ? html`<small class="pc">${perCapitaHtml(k.perCapita.value, lang)} ${p[`perCapita_${k.perCapita.kind}`]} (${p.perCapitaComputed})</small>\n` : ''}<small>${p.keySource}: ${f.dataset ? linkTo(v, names, f.dataset, base) : '—'}</small>
<small class="pu">${f.obs}</small></li>
`;
  };
  return html`<p class="hint">${p.printHint}</p>
${sample ? html`<p>${sampleMarker(lang)} ${p.sampleProfile}</p>\n` : ''}<section aria-labelledby="key"><h2 id="key">${p.keyFigures}</h2>
${keys.length > 0 ? html`<ul class="kf">${keys.map(item)}</ul>` : html`<p>${p.keyFiguresNone}</p>`}
${keys.some((k) => k.perCapita) ? html`<p class="meta">${p.perCapitaRule}</p>\n` : ''}</section>`;
}

/** The units below compared, one chart and table per indicator they report. */
export function profileComparisons(v: View, iri: string, ctx: PageContext, names: Names): SafeHtml {
  const { base, lang } = ctx;
  const lg = own(base).lg;
  const p = profileStrings(lang);
  const below = v.subjects(`${lg}within`, iri);
  const comparisons = buildComparisons(figuresOf(v, below, base), options(v, base));
  if (comparisons.length === 0) return html``;
  const level = localName(v.iri(iri, `${lg}adminLevel`) ?? '').replace(/^level-/, '');
  const heading = level === 'region' || level === 'country' ? p[`compare_${level}`] : p.compare_district;
  const anyPerCapita = comparisons.some((c) => c.rows.some((r) => r.perCapita));
  return html`<section aria-labelledby="compare"><h2 id="compare">${heading}</h2>
<p class="meta">${p.compareIntro}</p>
${anyPerCapita ? html`<p class="meta">${p.perCapitaRule}</p>\n` : ''}${comparisons.map((c) => renderComparison(c, { v, names, base, unitsBelow: below.length }))}</section>`;
}

/** How many missing units are named before "and n more". */
const NAMED = 12;

/** What is missing inside this unit, from the coverage data. */
export function profileMissing(ctx: PageContext, names: Names, input: ProfileInput): SafeHtml {
  const { base, lang } = ctx;
  const p = profileStrings(lang);
  const m = missingWithin(input.coverage, input.inside, base);
  const n = (x: number) => formatNumber(x, lang);
  const link = (path: string, text: SafeHtml) => html`<a href="${safeHref(path) ?? '#'}">${text}</a>`;
  const names_ = (units: readonly UnitRef[]) => html`${units.slice(0, NAMED).map((u, i) => html`${i > 0 ? ', ' : ''}${link(u.docPath, names.label(u.labels, u.code))}`)}${units.length > NAMED ? html` ${fmt(p.missingMore, { n: n(units.length - NAMED) })}` : ''}`;
  // The same districts without figures in every dataset (a region where only a pilot district
  // reports): said once, not under each dataset.
  const key = (g: (typeof m.gaps)[number]) => g.uncovered.map((u) => u.docPath).join(' ');
  const first = m.gaps[0];
  const common = first && first.uncovered.length > 0 && m.gaps.every((g) => key(g) === key(first)) ? first : undefined;
  const uncoveredLine = (g: (typeof m.gaps)[number], text: string) => html`${fmt(text, { n: n(g.uncovered.length), m: n(g.districts) })} ${names_(g.uncovered)}`;
  const gaps = m.gaps.filter((g) => g.rows.length > 0 || (!common && g.uncovered.length > 0)).map((g) => html`<h3>${link(g.dataset.docPath, names.label(g.dataset.title))}${g.dataset.sample ? html` ${sampleMarker(lang)}` : ''}</h3>
<ul>${!common && g.uncovered.length > 0 ? html`<li>${uncoveredLine(g, p.districtsWithout)}</li>\n` : ''}${g.rows.map((r) => html`<li>${fmt(p.missingRow, { indicator: names.text(r.indicator.labels, r.indicator.docPath), year: r.year, n: n(r.reported), m: n(r.expected) })}; ${p.missingUnits}: ${names_(r.missing)}</li>\n`)}</ul>
`);
  return html`<section aria-labelledby="missing"><h2 id="missing">${p.missingHeading}</h2>
<p class="meta">${p.missingIntro}</p>
${m.gaps.length === 0 ? html`<p>${p.missingNone}</p>\n` : ''}${common ? html`<p>${uncoveredLine(common, p.districtsWithoutAny)}</p>\n` : ''}${gaps}${m.notCovered.length > 0 ? html`<p>${p.notCovered} ${m.notCovered.map((d, i) => html`${i > 0 ? ', ' : ''}${link(d.docPath, names.label(d.title))}`)}</p>\n` : ''}<p><a href="/coverage">${p.coverageLink}</a></p>
</section>`;
}

/** The data version and release the profile was made from, its address and licence. */
export function profileAbout(iri: string, ctx: PageContext, input: ProfileInput): SafeHtml {
  const p = profileStrings(ctx.lang);
  // The version sits where each language's sentence puts it.
  const [before = '', after = ''] = p.madeFrom.split('{version}');
  const release = input.release === null ? p.noRelease : html`<a href="${`/releases/${input.release}`}">${fmt(p.release, { n: input.release })}</a>`;
  return html`<section aria-labelledby="about"><h2 id="about">${p.aboutHeading}</h2>
<p>${before}<code>${ctx.dataVersion}</code>${after} (${release}).</p>
<p>${p.citeAs}: <code>${iri}</code> · ${p.licence}: <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p>
</section>`;
}

