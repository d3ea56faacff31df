import { type SafeHtml, html, safeHref } from './escape.js';
import { formatNumber, t } from './i18n.js';
import { renderLayout } from './layout.js';
import type { CoverageModel, Labels, PageContext } from './models.js';
import { Names } from './names.js';
import { sampleMarker } from './page-parts.js';

const STATUSES = ['complete', 'listed', 'partial', 'outdated', 'missing', 'not-applicable'];

/** "complete: the source list is ..." -> the short word before the colon, and the whole sentence. */
function statusText(status: string, s: ReturnType<typeof t>): { word: string; sentence: string } {
  const key = `list_${status}` as keyof typeof s;
  const sentence = key in s ? s[key] : status;
  return { word: sentence.split(':')[0] ?? sentence, sentence };
}

function years(list: number[]): string {
  const ys = [...new Set(list)].sort((a, b) => a - b);
  const first = ys[0];
  const last = ys[ys.length - 1];
  if (first === undefined || last === undefined) return '';
  const contiguous = last - first + 1 === ys.length;
  return contiguous && ys.length > 1 ? `${first}–${last}` : ys.join(', ');
}

/**
 * The coverage page: each district-level unit with its jamoat-list status in words and the number
 * of jamoats in the data, grouped by region; then per dataset which indicators exist for which
 * years and how many units, with the sample-data marker where it applies.
 */
export function renderCoveragePage(model: CoverageModel, ctx: PageContext): string {
  const s = t(ctx.lang);
  const names = new Names(ctx.lang);
  const n = (x: number) => formatNumber(x, ctx.lang);

  const groups = new Map<string, { region: Labels; rows: CoverageModel['districts'] }>();
  for (const d of model.districts) {
    const key = JSON.stringify(d.region);
    const g = groups.get(key) ?? { region: d.region, rows: [] };
    g.rows.push(d);
    groups.set(key, g);
  }
  const counts = new Map<string, number>();
  for (const d of model.districts) counts.set(d.jamoatList, (counts.get(d.jamoatList) ?? 0) + 1);

  const districtTable = html`<div class="tw"><table>
<thead><tr><th scope="col">${s.district}</th><th scope="col">${s.code}</th><th scope="col">${s.status}</th><th scope="col" class="n">${s.jamoatsInData}</th><th scope="col">${s.notes}</th></tr></thead>
${[...groups.values()].map(
  (g) => html`<tbody>
<tr><th scope="colgroup" colspan="5">${names.label(g.region)}</th></tr>
${g.rows.map(
  (d) => html`<tr><td><a href="${safeHref(d.docPath) ?? '#'}">${names.label(d.labels, d.code)}</a></td><td><code>${d.code}</code></td><td>${statusText(d.jamoatList, s).word}</td><td class="n">${n(d.jamoats)}</td><td>${d.jamoatListNote ?? ''}</td></tr>\n`,
)}</tbody>
`,
)}</table></div>`;

  const statusLegend = html`<dl>${STATUSES.filter((st) => counts.has(st)).map(
    (st) => html`<dt>${statusText(st, s).word} (${n(counts.get(st) ?? 0)})</dt><dd>${statusText(st, s).sentence}</dd>`,
  )}</dl>`;

  const statSections: SafeHtml[] = model.statistics.map(
    (st) => html`<section>
<h3><a href="${safeHref(st.dataset.docPath) ?? '#'}">${names.label(st.dataset.title, st.dataset.iri)}</a>${st.dataset.sample ? html` ${sampleMarker(ctx.lang)}` : ''}</h3>
<div class="tw"><table>
<thead><tr><th scope="col">${s.indicator}</th><th scope="col">${s.years}</th><th scope="col" class="n">${s.unitsWithData}</th></tr></thead>
<tbody>
${st.indicators.map(
  (i) => html`<tr><th scope="row"><a href="${safeHref(i.docPath) ?? '#'}">${names.label(i.labels, i.iri)}</a></th><td>${years(i.years)}</td><td class="n">${n(i.units)}</td></tr>\n`,
)}</tbody>
</table></div>
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
