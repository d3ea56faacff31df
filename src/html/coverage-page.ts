import { type SafeHtml, html, safeHref } from './escape.js';
import { formatNumber, t } from './i18n.js';
import { renderLayout } from './layout.js';
import type { CoverageModel, PageContext, UnitRef } from './models.js';
import { Names } from './names.js';
import { sampleMarker } from './page-parts.js';
import { QUALITY_STRINGS } from './quality-strings.js';

const STATUSES = ['complete', 'listed', 'partial', 'outdated', 'missing', 'not-applicable'];

/** "complete: the source list is ..." -> the short word before the colon, and the whole sentence. */
function statusText(status: string, s: ReturnType<typeof t>): { word: string; sentence: string } {
  const key = `list_${status}` as keyof typeof s;
  const sentence = key in s ? s[key] : status;
  return { word: sentence.split(':')[0] ?? sentence, sentence };
}

/**
 * The coverage page: each district-level unit with its jamoat-list status in words and the number
 * of jamoats in the data, under one heading per region in code order; then per dataset, indicator
 * and year how many units have a figure and which of the units it covers have none, with the
 * sample-data marker where it applies, and a link to the dataset's quality figures (its
 * completeness against every unit of its level in the country, quality-table.ts).
 */
export function renderCoveragePage(model: CoverageModel, ctx: PageContext): string {
  const s = t(ctx.lang);
  const names = new Names(ctx.lang);
  const n = (x: number) => formatNumber(x, ctx.lang);

  // One group per region, by its IRI; regions in code order, districts in code order within.
  const groups = new Map<string, { region: CoverageModel['districts'][number]['region']; rows: CoverageModel['districts'] }>();
  for (const d of model.districts) {
    const g = groups.get(d.region.iri) ?? { region: d.region, rows: [] };
    g.rows.push(d);
    groups.set(d.region.iri, g);
  }
  const regions = [...groups.values()].sort((a, b) => a.region.code.localeCompare(b.region.code, 'en', { numeric: true }));
  const counts = new Map<string, number>();
  for (const d of model.districts) counts.set(d.jamoatList, (counts.get(d.jamoatList) ?? 0) + 1);

  const districtTable = html`<div class="tw"><table class="sg c3 lw">
<thead><tr><th scope="col">${s.district}</th><th scope="col">${s.code}</th><th scope="col">${s.status}</th><th scope="col" class="n">${s.jamoatsInData}</th><th scope="col">${s.notes}</th></tr></thead>
${regions.map(
  (g) => html`<tbody>
<tr><th scope="colgroup" colspan="5">${names.label(g.region.labels, g.region.code)}</th></tr>
${g.rows.map(
  (d) => html`<tr><td><a href="${safeHref(d.docPath) ?? '#'}">${names.label(d.labels, d.code)}</a></td><td><code>${d.code}</code></td><td>${statusText(d.jamoatList, s).word}</td><td class="n">${n(d.jamoats)}</td><td>${d.jamoatListNote ?? ''}</td></tr>\n`,
)}</tbody>
`,
)}</table></div>`;

  const statusLegend = html`<dl>${STATUSES.filter((st) => counts.has(st)).map(
    (st) => html`<dt>${statusText(st, s).word} (${n(counts.get(st) ?? 0)})</dt><dd>${statusText(st, s).sentence}</dd>`,
  )}</dl>`;

  // The units without a figure, named (a count alone does not tell an official what to collect);
  // folded when long, so the table stays readable on a phone.
  const missingList = (missing: UnitRef[]): SafeHtml | string => {
    if (missing.length === 0) return s.noneMissing;
    const links = missing.map((u, i) => html`${i > 0 ? ', ' : ''}<a href="${safeHref(u.docPath) ?? '#'}">${names.label(u.labels, u.code)}</a>`);
    return missing.length <= 3 ? html`${links}` : html`<details><summary>${n(missing.length)}</summary>${links}</details>`;
  };

  const statSections: SafeHtml[] = model.statistics.map(
    (st) => html`<section>
<h3><a href="${safeHref(st.dataset.docPath) ?? '#'}">${names.label(st.dataset.title, st.dataset.iri)}</a>${st.dataset.sample ? html` ${sampleMarker(ctx.lang)}` : ''}</h3>
<div class="tw"><table class="sg c2 lw sr">
<thead><tr><th scope="col">${s.indicator}</th><th scope="col">${s.year}</th><th scope="col" class="n">${s.unitsWithData}</th><th scope="col">${s.unitsWithoutData}</th></tr></thead>
<tbody>
${st.indicators.map((i) => i.years.map(
  (y, k) => html`<tr>${k === 0 ? html`<th scope="rowgroup" rowspan="${String(i.years.length)}"><a href="${safeHref(i.docPath) ?? '#'}">${names.label(i.labels, i.iri)}</a></th>` : ''}<td>${String(y.year)}</td><td class="n">${n(y.units)}</td><td>${missingList(y.missing)}</td></tr>\n`,
))}</tbody>
</table></div>
<p><a href="${safeHref(`${st.dataset.docPath}#quality`) ?? '#'}">${QUALITY_STRINGS[ctx.lang].coverageLink}</a></p>
${st.districts.length > 0 ? html`<p>${s.districtsCovered}: ${st.districts.map((d, i) => html`${i > 0 ? ', ' : ''}<a href="${safeHref(d.docPath) ?? '#'}">${names.label(d.labels)}</a>`)}</p>` : ''}
</section>
`,
  );

  const body = html`<h1>${s.coverageTitle}</h1>
<p>${s.coverageIntro}</p>
<section aria-labelledby="lists"><h2 id="lists">${s.jamoatLists}</h2>
${statusLegend}
${districtTable}
</section>
<section aria-labelledby="stats"><h2 id="stats">${s.statsByDataset}</h2>
${statSections}</section>
${names.legend() ?? ''}`;
  return renderLayout(ctx, { title: s.coverageTitle, body });
}
