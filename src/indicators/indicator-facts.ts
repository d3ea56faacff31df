import { STD } from '../rdf/namespaces.js';
import { type SafeHtml, html, join } from '../html/escape.js';
import { fmt, formatNumber } from '../html/i18n.js';
import type { Names } from '../html/names.js';
import { literalsIn, nameOf, nameText } from '../html/page-parts.js';
import { type View, localName, own } from '../html/rdf-view.js';
import { LEVELS, type IndicatorSlice, type SliceDataset, type UnitLevel } from './indicator-slice.js';
import { indicatorStrings } from './strings.js';

/**
 * What a citizen or a researcher needs to read an indicator's figures, in plain words in the
 * page's language (issue #10, data literacy): what it means (skos:definition), its unit, who
 * reports it, how often, and how to cite it. Everything comes from the published data: the
 * vocabulary, the dataset's DCAT description and the figures themselves; what the data does not
 * say (an update frequency no dataset gives) is said to be unknown, never guessed.
 */
export interface FactsInput {
  v: View;
  names: Names;
  slice: IndicatorSlice;
  base: string;
  dataVersion: string;
  /** The day the page is read, YYYY-MM-DD (UTC), for the citation. */
  accessed: string;
}

/** Units with a figure of their own (reported) or a computed total, by level, as "jamoats and towns: 26 (Yovon, …)". */
function unitsByLevel(input: FactsInput, ds: SliceDataset, computed: boolean): SafeHtml[] {
  const { v, names, base } = input;
  const s = indicatorStrings(names.lang);
  return LEVELS.flatMap((level: UnitLevel) => {
    const rows = ds.rows.filter((r) => r.level === level && [...r.cells.values()].some((c) => (c.computed !== undefined) === computed));
    if (rows.length === 0) return [];
    const count = level === 'country' ? s.count_country : fmt(s[`count_${level}`], { n: formatNumber(rows.length, names.lang) });
    // Jamoats are named by the district they are in: "jamoats and towns: 26 (Yovon, Rasht, …)".
    const parents = level === 'jamoat' ? [...new Set(rows.map((r) => r.within).filter((w): w is string => w !== undefined))] : [];
    return [parents.length > 0 ? html`${count} (${join(parents.map((p) => nameOf(v, names, p, base)), ', ')})` : html`${count}`];
  });
}

function datasetOfSlice(input: FactsInput): SliceDataset | undefined {
  return input.slice.datasets[0];
}

export function meaningSection(input: FactsInput): SafeHtml {
  const { v, names, slice, base } = input;
  const s = indicatorStrings(names.lang);
  const lg = own(base).lg;
  const definition = literalsIn(v, names, slice.indicator, `${STD.skos}definition`);
  const additive = v.iri(slice.indicator, `${lg}aggregation`) === `${lg}sum`;
  return html`<section aria-labelledby="meaning"><h2 id="meaning">${s.meaning}</h2>
${definition.map((d) => html`<p>${d}</p>\n`)}<dl>
<dt>${s.unitOfMeasure}</dt><dd>${slice.unitOfMeasure ? nameOf(v, names, slice.unitOfMeasure, base) : '—'}</dd>
<dt>${s.whoReports}</dt><dd>${whoReports(input)}</dd>
<dt>${s.howOften}</dt><dd>${howOften(input)}</dd>
<dt>${s.addsUp}</dt><dd>${additive ? s.addsUpYes : s.addsUpNo}</dd>
</dl>
</section>`;
}

function whoReports(input: FactsInput): SafeHtml {
  const { v, names, base } = input;
  const s = indicatorStrings(names.lang);
  const out: SafeHtml[] = [];
  for (const ds of input.slice.datasets) {
    const publisher = v.iri(ds.iri, `${STD.dct}publisher`);
    if (publisher) out.push(html`<p>${fmt(s.publishedBy, { publisher: nameText(v, names, publisher, base), dataset: nameText(v, names, ds.iri, base) })}</p>`);
    const reported = unitsByLevel(input, ds, false);
    out.push(html`<p>${reported.length > 0 ? html`${s.givenFor} ${join(reported, '; ')}.` : s.noneReported}</p>`);
    const computed = unitsByLevel(input, ds, true);
    if (computed.length > 0) out.push(html`<p>${s.computedFor} ${join(computed, '; ')}. ${s.computedNobody}</p>`);
    const provenance = v.iri(ds.iri, `${STD.dct}provenance`);
    const origin = provenance ? literalsIn(v, names, provenance, `${STD.rdfs}label`)[0] : undefined;
    if (origin) out.push(html`<p>${s.origin} ${origin}</p>`);
  }
  return join(out, '\n');
}

function howOften(input: FactsInput): SafeHtml {
  const { v, names, base } = input;
  const s = indicatorStrings(names.lang);
  const ds = datasetOfSlice(input);
  if (!ds) return html`${s.noPeriodicity}`;
  const frequency = v.iri(ds.iri, `${STD.dct}accrualPeriodicity`);
  const first = ds.years[0];
  const last = ds.years[ds.years.length - 1];
  const modified = v.value(ds.iri, `${STD.dct}modified`);
  const years = first === undefined ? '' : first === last ? String(first) : `${first}–${last}`;
  return html`${frequency ? fmt(s.periodicity, { frequency: nameText(v, names, frequency, base) || localName(frequency) }) : s.noPeriodicity}${years && modified ? html` ${fmt(s.coverage, { years, date: modified })}` : ''}`;
}

/** The citation as plain text: publisher (year). Indicator. In: dataset, data version. URI (accessed date). */
export function citationText(input: FactsInput): string {
  const { v, names, slice, base } = input;
  const s = indicatorStrings(names.lang);
  const indicator = nameText(v, names, slice.indicator, base);
  const ds = datasetOfSlice(input);
  const publisher = ds ? v.iri(ds.iri, `${STD.dct}publisher`) : undefined;
  const modified = ds ? v.value(ds.iri, `${STD.dct}modified`) : undefined;
  if (!ds || !publisher) return fmt(s.citationNoData, { indicator, version: input.dataVersion, uri: slice.indicator, date: input.accessed });
  return fmt(s.citation, {
    publisher: nameText(v, names, publisher, base),
    year: modified?.slice(0, 4) ?? input.accessed.slice(0, 4),
    indicator,
    dataset: nameText(v, names, ds.iri, base),
    version: input.dataVersion,
    uri: slice.indicator,
    date: input.accessed,
  });
}

export function citeSection(input: FactsInput): SafeHtml {
  const s = indicatorStrings(input.names.lang);
  const text = citationText(input);
  return html`<section aria-labelledby="cite"><h2 id="cite">${s.cite}</h2>
<p>${s.citeIntro}</p>
<blockquote><p>${text}</p></blockquote>
<label for="cite-text">${s.citeCopy}</label>
<textarea id="cite-text" readonly rows="4">${text}</textarea>
</section>`;
}
