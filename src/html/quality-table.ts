import { languageConcept } from '../catalog/controlled-vocabularies.js';
import { STD } from '../rdf/namespaces.js';
import { type SafeHtml, html } from './escape.js';
import { fmt, formatNumber } from './i18n.js';
import type { Lang } from './models.js';
import { QUALITY_STRINGS } from './quality-strings.js';
import { type View, own } from './rdf-view.js';

/**
 * The "Quality" table of a dataset's page: the dqv:QualityMeasurements the catalog holds for it
 * (src/catalog/quality.ts), one row each, in the page's language. Nothing when there are none.
 */

const DQV = 'http://www.w3.org/ns/dqv#';
const LANGS = ['tg', 'ru', 'en'] as const;
/** Row order: by metric, then year or language. */
const ORDER = ['completenessMetric', 'nameCoverageMetric', 'wikidataLinkMetric', 'geonamesLinkMetric', 'freshnessMetric', 'conformanceMetric'];

export function isQualityMeasurement(v: View, iri: string): boolean {
  return v.hasType(iri, `${DQV}QualityMeasurement`);
}

export function qualitySection(v: View, dataset: string, ctx: { lang: Lang; base: string }): SafeHtml | '' {
  const s = QUALITY_STRINGS[ctx.lang];
  const lg = own(ctx.base).lg;
  const rows = v.iris(dataset, `${DQV}hasQualityMeasurement`).map((m) => {
    const metric = (v.iri(m, `${DQV}isMeasurementOf`) ?? '').slice(lg.length);
    const value = v.value(m, `${DQV}value`) ?? '';
    const language = LANGS.find((l) => v.iri(m, `${STD.dct}language`) === languageConcept(l).iri);
    const year = v.value(m, `${lg}refPeriod`) ?? '';
    const key = `${ORDER.indexOf(metric)}|${year}|${language ? LANGS.indexOf(language) : ''}`;
    return { key, label: label(metric, { year, language }), shown: shown(metric, value, v.value(m, `${STD.dct}date`)), note: v.literals(m, `${STD.dct}description`).find((d) => d.language === ctx.lang)?.value };
  }).filter((r) => r.label !== undefined).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (rows.length === 0) return '';
  return html`<section aria-labelledby="quality"><h2 id="quality">${s.heading}</h2>
<p class="meta">${s.intro}</p>
<div class="tw"><table>
<thead><tr><th scope="col">${s.measure}</th><th scope="col">${s.value}</th></tr></thead>
<tbody>
${rows.map((r) => html`<tr><th scope="row">${r.label ?? ''}</th><td>${r.shown}${r.note ? html`<br><small>${r.note}</small>` : ''}</td></tr>\n`)}</tbody>
</table></div>
</section>
`;

  function label(metric: string, at: { year: string; language: (typeof LANGS)[number] | undefined }): string | undefined {
    switch (metric) {
      case 'completenessMetric': return fmt(s.completeness, { year: at.year });
      case 'nameCoverageMetric': return at.language ? fmt(s.names, { language: s[at.language] }) : undefined;
      case 'wikidataLinkMetric': return s.wikidata;
      case 'geonamesLinkMetric': return s.geonames;
      case 'freshnessMetric': return s.freshness;
      case 'conformanceMetric': return s.conformance;
      default: return undefined;
    }
  }

  function shown(metric: string, value: string, date: string | undefined): string {
    if (metric === 'freshnessMetric') return fmt(s.days, { n: formatNumber(value, ctx.lang), date: date ?? '' });
    if (metric === 'conformanceMetric') return value === 'true' ? s.yes : s.no;
    const percent = Number(value) * 100;
    return Number.isFinite(percent) ? `${formatNumber(percent.toFixed(1), ctx.lang)} %` : value;
  }
}
