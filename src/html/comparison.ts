import { type Comparison, type ComparisonRow, roundPerCapita } from '../describe/compare-model.js';
import { type SafeHtml, html } from './escape.js';
import { fmt, formatNumber, t } from './i18n.js';
import type { Lang } from './models.js';
import type { Names } from './names.js';
import { linkTo, nameOf, nameText, nameTextMarked, sampleMarker } from './page-parts.js';
import { profileStrings } from './profile-strings.js';
import { type View, hrefFor, localName, own } from './rdf-view.js';
import { stackedFigureTable } from './stacked-table.js';

/**
 * The chart's coordinate width; the SVG is as wide as its column (CSS), so on a 360 px phone (328 px
 * of column) a unit is 0.96 px: text of 13 units is drawn at 12.5 px, not less than 12.
 */
const W = 340;
const ROW = 30;
const FONT = 13;

export interface Bar {
  label: string;
  value: number;
  /** The value as the page writes it. */
  text: string;
}

/**
 * A horizontal bar chart as inline SVG: one row per bar, its name on the left and its figure on
 * the right above a bar from zero, in the order given (the caller sorts). No script, no external
 * resource; the <title> (the accessible name of role="img") reads every bar, and the figures are
 * in the table beside the chart anyway. The bars' colour is a class, so print can make them grey.
 */
export function renderBars(bars: readonly Bar[], title: string): SafeHtml {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const h = bars.length * ROW + 2;
  const r1 = (n: number) => Math.round(n * 10) / 10;
  return html`<svg class="bars" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img"><title>${title}</title>${bars.map((b, i) => {
    const y = i * ROW;
    const w = max > 0 && b.value > 0 ? Math.max(1, r1((b.value / max) * W)) : 0;
    return html`<text x="0" y="${y + 13}" font-size="${FONT}">${b.label}</text><text x="${W}" y="${y + 13}" font-size="${FONT}" text-anchor="end">${b.text}</text><rect x="0" y="${y + 17}" width="${w}" height="10"/>`;
  })}</svg>`;
}

export interface ComparisonContext {
  v: View;
  names: Names;
  base: string;
  /** How many units there are below (the m of "n of m units reported"). */
  unitsBelow: number;
}

/** The per-capita figure as the page writes it, with the unrounded value for machines (<data>). */
export function perCapitaHtml(value: number, lang: Lang): SafeHtml {
  return html`<data value="${String(value)}">${formatNumber(roundPerCapita(value), lang)}</data>`;
}

/**
 * One comparison: a heading, the bar chart of the latest year and, beside it, the table of every
 * year (each figure linking to its observation) with the per-capita column, computed and labelled
 * as ours.
 */
export function renderComparison(c: Comparison, cx: ComparisonContext): SafeHtml {
  const { v, names, base } = cx;
  const lang = names.lang;
  const s = t(lang);
  const p = profileStrings(lang);
  const lg = own(base).lg;
  const indicatorName = nameText(v, names, c.indicator, base);
  const unitIri = v.iri(c.indicator, `${lg}unitOfMeasure`);
  const unitText = unitIri ? nameText(v, names, unitIri, base) : undefined;
  const sample = c.datasets.some((ds) => v.isTrue(ds, `${lg}sampleData`));
  const id = `cmp-${localName(c.indicator)}`;
  const withFigure = c.rows.filter((r) => r.years.has(c.year));
  const bars = withFigure.map((r) => {
    const f = r.years.get(c.year);
    return { label: nameTextMarked(v, names, r.unit, base), value: f?.value ?? 0, text: f ? formatNumber(f.lexical, lang) : '' };
  });
  const title = fmt(p.chartTitle, { indicator: `${indicatorName}${unitText ? ` (${unitText})` : ''}`, year: c.year, list: bars.map((b) => `${b.label} ${b.text}`).join('; ') });
  const kindText = c.kind ? p[`perCapita_${c.kind}`] : undefined;
  const anyPerCapita = c.rows.some((r) => r.perCapita);
  const cell = (r: ComparisonRow, y: number) => {
    const f = r.years.get(y);
    if (!f) return html`<td class="n" title="${p.noFigure}">–</td>`;
    const href = hrefFor(f.obs, base);
    const text = formatNumber(f.lexical, lang);
    const mark = f.computed ? html` <abbr class="computed" title="${s.computedNote}">${s.computedMark}</abbr>` : '';
    return html`<td class="n">${href ? html`<a href="${href}">${text}</a>` : text}${mark}</td>`;
  };
  // What the cells show, for the width of their columns on a phone.
  const figureTexts = c.rows.flatMap((r) => [...r.years.values()].map((f) => `${formatNumber(f.lexical, lang)}${f.computed ? ` ${s.computedMark}` : ''}`));
  const perCapitaNote = c.kind && !anyPerCapita
    ? html`<p class="meta">${c.populationYears.length > 0 ? fmt(p.perCapitaNone, { year: c.year, years: c.populationYears.join(', ') }) : p.perCapitaNoneAtAll}</p>\n`
    : '';
  return html`<section class="cmp-one" aria-labelledby="${id}">
<h3 id="${id}">${linkTo(v, names, c.indicator, base)}${unitText ? html`, ${unitText}` : ''}, ${c.year}</h3>
${sample ? html`<p>${sampleMarker(lang)}</p>\n` : ''}<p class="meta">${fmt(p.reportedOf, { n: formatNumber(c.reported, lang), m: formatNumber(cx.unitsBelow, lang), year: c.year })}</p>
<div class="cmp">
<figure>${renderBars(bars, title)}</figure>
<div class="tw"><table class="${stackedFigureTable(figureTexts)}">
<caption class="vh">${indicatorName}${unitText ? `, ${unitText}` : ''}</caption>
<thead><tr><th scope="col">${p.compareUnit}</th>${c.years.map((y) => html`<th scope="col" class="n">${y}</th>`)}${anyPerCapita && kindText ? html`<th scope="col" class="n pc">${fmt(p.perCapitaHead, { kind: kindText, year: c.year })}</th>` : ''}</tr></thead>
<tbody>
${c.rows.map((r) => html`<tr><th scope="row">${linkTo(v, names, r.unit, base, nameOf(v, names, r.unit, base))}</th>${c.years.map((y) => cell(r, y))}${anyPerCapita && kindText ? html`<td class="n pc">${r.perCapita ? perCapitaHtml(r.perCapita.value, lang) : '–'}</td>` : ''}</tr>\n`)}</tbody>
</table></div>
</div>
${anyPerCapita ? html`<p class="meta">${p.perCapitaComputed}: ${kindText ?? ''}.</p>\n` : ''}${perCapitaNote}</section>
`;
}
