import type { Literal } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { renderChart } from './chart.js';
import { type SafeHtml, html } from './escape.js';
import { fmt, formatNumber, t } from './i18n.js';
import type { Names } from './names.js';
import { formatLiteral, linkTo, nameOf, nameText, sampleMarker } from './page-parts.js';
import { type View, hrefFor, localName, own } from './rdf-view.js';

/** Known order of the datasets and indicators (vocab/indicators.ttl); unknown ones follow by IRI. */
const DATASET_ORDER = ['population', 'education', 'health', 'infrastructure', 'budget'];
export const INDICATOR_ORDER = [
  'population', 'general-schools', 'pupils', 'teachers', 'health-facilities', 'doctors', 'hospital-beds',
  'drinking-water-access', 'paved-road-length', 'budget-revenue', 'budget-expenditure',
];

function byKnownOrder(order: string[]) {
  const rank = (iri: string) => {
    const i = order.indexOf(localName(iri));
    return i < 0 ? order.length : i;
  };
  return (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

interface Cell {
  obs: string;
  value: Literal;
  /** A total of the units below (lg:computed true), with the number of figures summed. */
  computed?: number;
}

interface Row {
  indicator: string;
  unit?: string;
  years: Map<number, Cell>;
  /** Per year, the units below with a figure of this indicator (district, region and country pages). */
  reported: Map<number, Set<string>>;
}

/**
 * The statistics of a unit: one table per dataset (topic) with the indicators as rows and the
 * years as columns, the unit of measure, a small chart for every series longer than one year, the
 * dataset as the source, and the sample-data marker on every table whose dataset is sample data.
 * Above a jamoat, every indicator its units report has a row: a figure of the unit's own or its
 * computed total (marked Σ, linking to the total's observation), else "n of m units reported".
 */
export function statisticsSection(v: View, iri: string, names: Names, base: string): SafeHtml | undefined {
  const lg = own(base).lg;
  // A computed total's qb:DataSet is part of the dataset it sums (aggregate.ts): one table for both.
  const datasetOf = (obs: string) => {
    const ds = v.iri(obs, `${STD.qb}dataSet`) ?? '';
    return (ds && v.iri(ds, `${STD.dct}isPartOf`)) || ds;
  };
  const datasets = new Map<string, Map<string, Row>>();
  const rowOf = (obs: string, indicator: string): Row => {
    const ds = datasetOf(obs);
    let rows = datasets.get(ds);
    if (!rows) datasets.set(ds, (rows = new Map()));
    let row = rows.get(indicator);
    if (!row) rows.set(indicator, (row = { indicator, unit: v.iri(obs, `${lg}unitMeasure`) ?? v.iri(indicator, `${lg}unitOfMeasure`), years: new Map(), reported: new Map() }));
    return row;
  };
  for (const obs of v.subjects(`${lg}refArea`, iri)) {
    const indicator = v.iri(obs, `${STD.qb}measureType`);
    const year = Number(v.value(obs, `${lg}refPeriod`)?.slice(0, 4));
    const value = indicator ? v.literals(obs, indicator)[0] : undefined;
    if (!indicator || !value || !Number.isInteger(year)) continue;
    const computed = v.isTrue(obs, `${lg}computed`) ? v.iris(obs, `${STD.prov}wasDerivedFrom`).length : undefined;
    rowOf(obs, indicator).years.set(year, { obs, value, ...(computed !== undefined ? { computed } : {}) });
  }
  // The units below that exist (a retired unit has no lg:within) and their figures, where the page
  // was given them (routes/doc.ts: Describer.figuresBelow).
  const below = v.subjects(`${lg}within`, iri);
  for (const unit of below) {
    for (const obs of v.subjects(`${lg}refArea`, unit)) {
      const indicator = v.iri(obs, `${STD.qb}measureType`);
      const year = Number(v.value(obs, `${lg}refPeriod`)?.slice(0, 4));
      if (!indicator || !Number.isInteger(year)) continue;
      const reported = rowOf(obs, indicator).reported;
      const units = reported.get(year) ?? new Set<string>();
      units.add(unit);
      reported.set(year, units);
    }
  }
  if (datasets.size === 0) return undefined;
  const s = t(names.lang);
  const tables = [...datasets.keys()].sort(byKnownOrder(DATASET_ORDER)).map((ds) => {
    const rows = [...(datasets.get(ds)?.values() ?? [])].sort((a, b) => byKnownOrder(INDICATOR_ORDER)(a.indicator, b.indicator));
    const years = [...new Set(rows.flatMap((r) => [...r.years.keys(), ...r.reported.keys()]))].sort((a, b) => a - b);
    // The totals' own qb:DataSet carries the same flag: either marks the table.
    const sample = v.isTrue(ds, `${lg}sampleData`) || rows.some((r) => [...r.years.values()].some((c) => v.isTrue(v.iri(c.obs, `${STD.qb}dataSet`) ?? '', `${lg}sampleData`)));
    const topicKey = `topic_${localName(ds)}` as keyof typeof s;
    const heading = ds && topicKey in s ? html`${s[topicKey]}` : ds ? nameOf(v, names, ds, base) : html`${s.statistics}`;
    const period = years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : String(years[0] ?? '');
    const id = localName(ds) || 'other';
    const anyComputed = rows.some((r) => [...r.years.values()].some((c) => c.computed !== undefined));
    const anyPartial = rows.some((r) => [...r.reported.keys()].some((y) => !r.years.has(y)));
    // the marker stands above the table, outside its scroll box, so a phone shows it whole;
    // aria-describedby ties it to the table for screen readers
    return html`<section>
<h3 id="${`stat-${id}`}">${heading}, ${period}</h3>
${sample ? html`<p id="${`sample-${id}`}">${sampleMarker(names.lang)}</p>
` : ''}<div class="tw"><table class="cards"${sample ? html` aria-describedby="${`sample-${id}`}"` : ''}>
<caption class="vh">${heading}, ${period}</caption>
<thead><tr><th scope="col">${s.indicator}</th><th scope="col">${s.unit}</th>${years.map((y) => html`<th scope="col" class="n">${y}</th>`)}<th scope="col">${s.trend}</th></tr></thead>
<tbody>
${rows.map((r) => statRow(v, names, r, years, below.length, base))}</tbody>
</table></div>
${anyComputed ? html`<p class="meta">${s.computedNote}</p>
` : ''}${anyPartial ? html`<p class="meta">${s.unitsReportedNote}</p>
` : ''}<p class="meta">${s.source}: ${ds ? linkTo(v, names, ds, base) : '—'}</p>
</section>
`;
  });
  return html`<section aria-labelledby="stats"><h2 id="stats">${s.statistics}</h2>
${tables}</section>`;
}

function statRow(v: View, names: Names, r: Row, years: number[], unitsBelow: number, base: string): SafeHtml {
  const s = t(names.lang);
  const unitText = r.unit ? nameText(v, names, r.unit, base) : undefined;
  const series = [...r.years.entries()].sort((a, b) => a[0] - b[0]).map(([year, c]) => ({ year, value: Number(c.value.value) }));
  const chart = series.length > 1 ? renderChart(series, { label: nameText(v, names, r.indicator, base), unit: unitText, lang: names.lang }) : '';
  // data-label: the column's header, shown beside the cell when the table is read as cards (a phone).
  return html`<tr><th scope="row">${linkTo(v, names, r.indicator, base)}</th><td data-label="${s.unit}">${r.unit ? nameOf(v, names, r.unit, base) : ''}</td>${years.map((y) => {
    const c = r.years.get(y);
    const reported = r.reported.get(y)?.size;
    if (!c && reported !== undefined) {
      return html`<td class="n partial" data-label="${y}">${fmt(s.unitsReported, { n: formatNumber(reported, names.lang), m: formatNumber(unitsBelow, names.lang) })}</td>`;
    }
    if (!c) return html`<td class="n" data-label="${y}" title="${s.noValue}">–</td>`;
    const href = hrefFor(c.obs, base);
    const text = formatLiteral(c.value, names.lang);
    const mark = c.computed !== undefined ? html` <abbr class="computed" title="${fmt(s.computedTitle, { n: formatNumber(c.computed, names.lang) })}">${s.computedMark}</abbr>` : '';
    return html`<td class="n" data-label="${y}">${href ? html`<a href="${href}">${text}</a>` : text}${mark}</td>`;
  })}<td data-label="${s.trend}">${chart}</td></tr>
`;
}
