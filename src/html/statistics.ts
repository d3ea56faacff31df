import type { Literal } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { renderChart } from './chart.js';
import { type SafeHtml, html } from './escape.js';
import { t } from './i18n.js';
import type { Names } from './names.js';
import { formatLiteral, linkTo, nameOf, nameText, sampleMarker } from './page-parts.js';
import { type View, hrefFor, localName, own } from './rdf-view.js';

/** Known order of the datasets and indicators (vocab/indicators.ttl); unknown ones follow by IRI. */
const DATASET_ORDER = ['population', 'education', 'health', 'infrastructure', 'budget'];
const INDICATOR_ORDER = [
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
}

interface Row {
  indicator: string;
  unit?: string;
  years: Map<number, Cell>;
}

/**
 * The statistics of a unit: one table per dataset (topic) with the indicators as rows and the
 * years as columns, the unit of measure, a small chart for every series longer than one year, the
 * dataset as the source, and the sample-data marker on every table whose dataset is sample data.
 */
export function statisticsSection(v: View, iri: string, names: Names, base: string): SafeHtml | undefined {
  const lg = own(base).lg;
  const observations = v.subjects(`${lg}refArea`, iri);
  if (observations.length === 0) return undefined;
  const datasets = new Map<string, Map<string, Row>>();
  for (const obs of observations) {
    const ds = v.iri(obs, `${STD.qb}dataSet`) ?? '';
    const indicator = v.iri(obs, `${STD.qb}measureType`);
    const year = Number(v.value(obs, `${lg}refPeriod`)?.slice(0, 4));
    const value = indicator ? v.literals(obs, indicator)[0] : undefined;
    if (!indicator || !value || !Number.isInteger(year)) continue;
    let rows = datasets.get(ds);
    if (!rows) datasets.set(ds, (rows = new Map()));
    let row = rows.get(indicator);
    if (!row) rows.set(indicator, (row = { indicator, unit: v.iri(obs, `${lg}unitMeasure`) ?? v.iri(indicator, `${lg}unitOfMeasure`), years: new Map() }));
    row.years.set(year, { obs, value });
  }
  const s = t(names.lang);
  const tables = [...datasets.keys()].sort(byKnownOrder(DATASET_ORDER)).map((ds) => {
    const rows = [...(datasets.get(ds)?.values() ?? [])].sort((a, b) => byKnownOrder(INDICATOR_ORDER)(a.indicator, b.indicator));
    const years = [...new Set(rows.flatMap((r) => [...r.years.keys()]))].sort((a, b) => a - b);
    const sample = v.isTrue(ds, `${lg}sampleData`);
    const topicKey = `topic_${localName(ds)}` as keyof typeof s;
    const heading = ds && topicKey in s ? html`${s[topicKey]}` : ds ? nameOf(v, names, ds, base) : html`${s.statistics}`;
    const period = years.length > 1 ? `${years[0]}–${years[years.length - 1]}` : String(years[0] ?? '');
    const id = localName(ds) || 'other';
    // the marker stands above the table, outside its scroll box, so a phone shows it whole;
    // aria-describedby ties it to the table for screen readers
    return html`<section>
<h3 id="${`stat-${id}`}">${heading}, ${period}</h3>
${sample ? html`<p id="${`sample-${id}`}">${sampleMarker(names.lang)}</p>
` : ''}<div class="tw"><table${sample ? html` aria-describedby="${`sample-${id}`}"` : ''}>
<caption class="vh">${heading}, ${period}</caption>
<thead><tr><th scope="col">${s.indicator}</th><th scope="col">${s.unit}</th>${years.map((y) => html`<th scope="col" class="n">${y}</th>`)}<th scope="col">${s.trend}</th></tr></thead>
<tbody>
${rows.map((r) => statRow(v, names, r, years, base))}</tbody>
</table></div>
<p class="meta">${s.source}: ${ds ? linkTo(v, names, ds, base) : '—'}</p>
</section>
`;
  });
  return html`<section aria-labelledby="stats"><h2 id="stats">${s.statistics}</h2>
${tables}</section>`;
}

function statRow(v: View, names: Names, r: Row, years: number[], base: string): SafeHtml {
  const s = t(names.lang);
  const unitText = r.unit ? nameText(v, names, r.unit, base) : undefined;
  const series = [...r.years.entries()].map(([year, c]) => ({ year, value: Number(c.value.value) }));
  const chart = series.length > 1 ? renderChart(series, { label: nameText(v, names, r.indicator, base), unit: unitText, lang: names.lang }) : '';
  return html`<tr><th scope="row">${linkTo(v, names, r.indicator, base)}</th><td>${r.unit ? nameOf(v, names, r.unit, base) : ''}</td>${years.map((y) => {
    const c = r.years.get(y);
    if (!c) return html`<td class="n" title="${s.noValue}">–</td>`;
    const href = hrefFor(c.obs, base);
    const text = formatLiteral(c.value, names.lang);
    return html`<td class="n">${href ? html`<a href="${href}">${text}</a>` : text}</td>`;
  })}<td>${chart}</td></tr>
`;
}
