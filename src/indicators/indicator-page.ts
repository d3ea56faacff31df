import type { Quad } from '@rdfjs/types';
import { inlineStyle } from '../html/csp.js';
import { type SafeHtml, html, jsonLdScript } from '../html/escape.js';
import { fmt, formatNumber, t } from '../html/i18n.js';
import { thingJsonLd } from '../html/jsonld.js';
import { stackedFigureTable } from '../html/stacked-table.js';
import { renderLayout } from '../html/layout.js';
import type { PageContext } from '../html/models.js';
import { Names } from '../html/names.js';
import { formatLiteral, linkTo, literalsIn, nameOf, nameText, sampleMarker } from '../html/page-parts.js';
import { View, hrefFor, localName, own } from '../html/rdf-view.js';
import { STD } from '../rdf/namespaces.js';
import { renderBarChart } from './bar-chart.js';
import { type FactsInput, citeSection, meaningSection } from './indicator-facts.js';
import { indicatorMap } from './indicator-map.js';
import { LEVELS, type IndicatorSlice, type SliceDataset, type SliceRow, type UnitLevel, sliceOf } from './indicator-slice.js';
import { indicatorStrings } from './strings.js';

/** The page's own styles beside the layout's: computed cells tinted, level rows, the chart and the citation box. */
const CSS = `.cp{background:#eef4fb}
.grp th{background:#f2f2f2;font-weight:600}
.bars{max-width:100%;height:auto;margin:.3rem 0 1rem}
blockquote{margin:.4rem 0;padding-left:.8rem;border-left:3px solid #ccc;overflow-wrap:anywhere}
textarea{display:block;width:100%;box-sizing:border-box;font:inherit;font-size:.9rem}`;

export interface IndicatorPageInput {
  iri: string;
  /** The indicator's document, its slice (indicator-query.ts) and what its map is drawn from (indicator-map.ts). */
  quads: Quad[];
  /** The day of the request, YYYY-MM-DD (UTC): the citation's access date. */
  accessed: string;
  /** Where the CSV of the slice is, e.g. /download/indicator-pupils.csv. */
  csvHref: string;
}

/** Whether the document is an indicator's (a Data Cube measure), not the scheme's or another concept's. */
export function isIndicatorDocument(quads: readonly Quad[], iri: string): boolean {
  return quads.some((q) => q.subject.value === iri && q.predicate.value === `${STD.rdf}type` && q.object.value === `${STD.qb}MeasureProperty`);
}

/**
 * The HTML of /def/indicator/{id} (issue #10): what the figure means in plain words, who reports
 * it and how often, every unit's figures by year (grouped by level, computed totals marked Σ,
 * sample data marked), the units compared for the latest year, a map where one can be drawn, the
 * CSV of exactly the figures shown, and how to cite it. The RDF variants stay the concept's own.
 */
export function renderIndicatorPage(input: IndicatorPageInput, ctx: PageContext): string {
  const v = new View(input.quads);
  const names = new Names(ctx.lang);
  const slice = sliceOf(v, input.iri, ctx.base);
  const facts: FactsInput = { v, names, slice, base: ctx.base, dataVersion: ctx.dataVersion, accessed: input.accessed };
  const s = indicatorStrings(ctx.lang);
  const labels = v.labels(input.iri);
  const sample = slice.datasets.some((d) => d.sample);
  const notation = v.value(input.iri, `${STD.skos}notation`);
  const body = html`<h1>${names.label(labels, localName(input.iri))}</h1>
${names.headingNote(labels) ?? ''}<p class="meta">${s.kind}${notation ? html` · <code>${notation}</code>` : ''}</p>
${sample ? html`<p>${sampleMarker(ctx.lang)}</p>\n` : ''}${meaningSection(facts)}
${figuresSection(v, names, slice, { base: ctx.base, csvHref: input.csvHref })}
${compareSection(v, names, slice, ctx.base)}
${indicatorMap(v, slice, names, ctx.base) ?? ''}
${citeSection(facts)}
${aboutSection(v, names, input.iri, ctx.base)}
${names.legend() ?? ''}`;
  return renderLayout(ctx, {
    title: nameText(v, names, input.iri, ctx.base),
    body,
    // The CSV of the figures is an alternate of the page too (machines find it without reading the body).
    head: html`${inlineStyle(CSS)}\n${slice.datasets.length > 0 ? html`<link rel="alternate" type="text/csv" href="${input.csvHref}" title="CSV">\n` : ''}${jsonLdScript(thingJsonLd(v, input.iri, ctx.base))}`,
  });
}

function groupName(lang: PageContext['lang'], level: UnitLevel | undefined): string {
  const s = indicatorStrings(lang);
  return level ? s[`group_${level}`] : s.group_other;
}

function figuresSection(v: View, names: Names, slice: IndicatorSlice, opts: { base: string; csvHref: string }): SafeHtml {
  const s = indicatorStrings(names.lang);
  if (slice.datasets.length === 0) {
    return html`<section aria-labelledby="figures"><h2 id="figures">${s.figures}</h2>\n<p>${s.noFigures}</p></section>`;
  }
  return html`<section aria-labelledby="figures"><h2 id="figures">${s.figures}</h2>
<p><a href="${opts.csvHref}" type="text/csv" download>${s.download}</a></p>
<p class="meta">${s.downloadNote}</p>
${slice.datasets.map((d) => datasetTable(v, names, slice, d, opts.base))}</section>`;
}

function datasetTable(v: View, names: Names, slice: IndicatorSlice, d: SliceDataset, base: string): SafeHtml {
  const s = indicatorStrings(names.lang);
  const g = t(names.lang);
  const id = localName(d.iri) || 'figures';
  const unitText = slice.unitOfMeasure ? nameText(v, names, slice.unitOfMeasure, base) : '';
  const caption = fmt(s.tableCaption, { indicator: nameText(v, names, slice.indicator, base), unit: unitText });
  const why = d.sample ? literalsIn(v, names, d.iri, `${STD.skos}editorialNote`)[0] : undefined;
  const groups = [...LEVELS, undefined].map((level) => ({ level, rows: d.rows.filter((r) => r.level === level) })).filter((x) => x.rows.length > 0);
  const anyComputed = d.rows.some((r) => [...r.cells.values()].some((c) => c.computed !== undefined));
  const figureTexts = d.rows.flatMap((r) => [...r.cells.values()].map((c) => `${formatLiteral(c.value, names.lang)}${c.computed !== undefined ? ` ${g.computedMark}` : ''}`));
  // The marker stands above the table, outside its scroll box, so a phone shows it whole.
  return html`<h3 id="${`ds-${id}`}">${linkTo(v, names, d.iri, base)}</h3>
${d.sample ? html`<p id="${`sample-${id}`}">${sampleMarker(names.lang)}</p>\n${why ? html`<p class="meta">${s.sampleWhy} ${why}</p>\n` : ''}` : ''}<div class="tw"><table class="${stackedFigureTable(figureTexts)}"${d.sample ? html` aria-describedby="${`sample-${id}`}"` : ''}>
<caption class="vh">${caption}</caption>
<thead><tr><th scope="col">${s.unit}</th>${d.years.map((y) => html`<th scope="col" class="n">${y}</th>`)}</tr></thead>
${groups.map((grp) => html`<tbody>
<tr class="grp"><th scope="rowgroup" colspan="${d.years.length + 1}">${groupName(names.lang, grp.level)} (${formatNumber(grp.rows.length, names.lang)})</th></tr>
${grp.rows.map((r) => figureRow(v, names, r, d.years, base))}</tbody>
`)}</table></div>
${anyComputed ? html`<p class="meta">${g.computedNote}</p>\n` : ''}<p class="meta">${s.reportedNote}</p>
`;
}

function figureRow(v: View, names: Names, r: SliceRow, years: number[], base: string): SafeHtml {
  const g = t(names.lang);
  return html`<tr><th scope="row">${linkTo(v, names, r.unit, base)}<br><small><code>${r.code}</code></small></th>${years.map((y) => {
    const c = r.cells.get(y);
    if (!c) return html`<td class="n" title="${g.noValue}">–</td>`;
    const href = hrefFor(c.obs, base);
    const text = formatLiteral(c.value, names.lang);
    const link = href ? html`<a href="${href}">${text}</a>` : html`${text}`;
    if (c.computed === undefined) return html`<td class="n">${link}</td>`;
    return html`<td class="n cp">${link} <abbr class="computed" title="${fmt(g.computedTitle, { n: formatNumber(c.computed, names.lang) })}">${g.computedMark}</abbr></td>`;
  })}</tr>
`;
}

/** For the latest year, each level with two or more figures as a sorted bar chart. */
function compareSection(v: View, names: Names, slice: IndicatorSlice, base: string): SafeHtml {
  const s = indicatorStrings(names.lang);
  const d = slice.datasets[0];
  const year = d?.years[d.years.length - 1];
  if (!d || year === undefined) return html``;
  const unit = slice.unitOfMeasure ? nameText(v, names, slice.unitOfMeasure, base) : undefined;
  const charts = LEVELS.map((level) => {
    const bars = d.rows.filter((r) => r.level === level && r.cells.has(year)).map((r) => {
      const c = r.cells.get(year)!;
      // A name in another language than the page's is marked in the chart too ([EN]), as on the page.
      const picked = names.pick(v.labels(r.unit));
      const label = picked ? `${picked.text}${picked.fallback ? ` [${picked.lang.toUpperCase()}]` : ''}` : r.code;
      return { label, value: c.value.value, computed: c.computed !== undefined };
    });
    if (bars.length < 2) return '';
    const title = fmt(s.compareCaption, { level: groupName(names.lang, level), year: String(year) });
    return html`<h3>${title}</h3>\n${renderBarChart(bars, { title: `${nameText(v, names, slice.indicator, base)}: ${title}`, lang: names.lang, ...(unit ? { unit } : {}) })}\n`;
  }).filter((x) => x !== '');
  if (charts.length === 0) return html``;
  return html`<section aria-labelledby="compare"><h2 id="compare">${fmt(s.compare, { year: String(year) })}</h2>
${d.sample ? html`<p>${sampleMarker(names.lang)}</p>
` : ''}${charts}</section>`;
}

function aboutSection(v: View, names: Names, iri: string, base: string): SafeHtml {
  const s = indicatorStrings(names.lang);
  const lg = own(base).lg;
  const notation = v.value(iri, `${STD.skos}notation`);
  const topic = v.iri(iri, `${lg}topic`);
  const scheme = v.iri(iri, `${STD.skos}inScheme`);
  return html`<section aria-labelledby="about"><h2 id="about">${s.about}</h2>
<dl>
<dt>${s.uri}</dt><dd><code>${iri}</code></dd>
${notation ? html`<dt>${s.identifier}</dt><dd><code>${notation}</code></dd>\n` : ''}${topic ? html`<dt>${s.topic}</dt><dd>${nameOf(v, names, topic, base)}</dd>\n` : ''}${scheme ? html`<dt>${s.scheme}</dt><dd>${linkTo(v, names, scheme, base)}</dd>\n` : ''}</dl>
</section>`;
}
