import { STD } from '../rdf/namespaces.js';
import { type Interpolation, type SafeHtml, html, safeHref } from './escape.js';
import { fmt, formatNumber, t } from './i18n.js';
import type { Lang, PageContext } from './models.js';
import type { Names } from './names.js';
import {
  ancestors, breadcrumbs, kindName, linkTo, literalsIn, nameOf, urlText,
} from './page-parts.js';
import { type View, hrefFor, localName, own, parseWktPoint } from './rdf-view.js';
import { statisticsSection } from './statistics.js';
import { unitMap } from '../maps/unit-map.js';
import { reportSection } from '../reports/report-form.js';
import { sliceLinks } from '../slices/slice-links.js';
import { type ProfileInput, profileAbout, profileComparisons, profileMissing, profileTop } from './profile.js';

export const UNIT_CLASSES = ['Country', 'Region', 'District', 'City', 'CityDistrict', 'Jamoat', 'Town'];

export function unitClass(v: View, iri: string, base: string): string | undefined {
  const lg = own(base).lg;
  return v.types(iri).find((c) => c.startsWith(lg) && UNIT_CLASSES.includes(c.slice(lg.length)));
}

function fact(label: string, value: Interpolation): SafeHtml {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return html``;
  return html`<dt>${label}</dt><dd>${value}</dd>\n`;
}

/** An identifier link: "Wikidata Q633511", "GeoNames 1347488", else the URL. */
function identifierLink(url: string, suffix = ''): SafeHtml {
  const wd = /wikidata\.org\/(?:entity|wiki)\/(Q\d+)/.exec(url);
  const gn = /geonames\.org\/(\d+)/.exec(url);
  const text = wd ? `Wikidata ${wd[1]}` : gn ? `GeoNames ${gn[1]}` : urlText(url);
  const href = safeHref(url);
  return html`${href ? html`<a href="${href}">${text}</a>` : text}${suffix}`;
}

/** A source URL as a link showing the URL itself (decoded for reading); unsafe schemes as text. */
function urlLink(url: string): SafeHtml {
  const href = safeHref(url);
  return href ? html`<a href="${href}">${urlText(url)}</a>` : html`${url}`;
}

/** A point as the page's language writes coordinates: 38.25° N (en), 38,25° с. ш. (ru), 38,25° арзи шимолӣ (tg). */
function point(v: View, iri: string, lang: Lang): string | undefined {
  const s = t(lang);
  for (const g of v.iris(iri, `${STD.geo}hasGeometry`)) {
    const wkt = v.value(g, `${STD.geo}asWKT`);
    const p = wkt ? parseWktPoint(wkt) : undefined;
    if (p) {
      const n = (x: number) => formatNumber(Math.abs(x), lang);
      return `${fmt(p.lat >= 0 ? s.latNorth : s.latSouth, { n: n(p.lat) })}, ${fmt(p.lon >= 0 ? s.lonEast : s.lonWest, { n: n(p.lon) })}`;
    }
  }
  return undefined;
}

/** A day or a year as the page's language writes it, in a <time> element machines read. */
function establishedText(value: string, lang: string): SafeHtml {
  if (/^\d{4}$/.test(value)) return html`<time datetime="${value}">${value}</time>`;
  const day = new Date(`${value}T00:00:00Z`);
  const text = Number.isNaN(day.getTime()) ? value : new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(day);
  return html`<time datetime="${value}">${text}</time>`;
}

/**
 * The body of an administrative unit's page (everything inside <main>). A district's, region's or
 * the country's page is given `profile` and becomes the printable profile (src/html/profile.ts):
 * key figures first, the units compared after their table, what is missing and the data version last.
 */
export function unitBody(v: View, iri: string, ctx: PageContext, names: Names, profile?: ProfileInput): SafeHtml {
  const base = ctx.base;
  const lg = own(base).lg;
  const s = t(ctx.lang);
  const labels = v.labels(iri);
  const cls = unitClass(v, iri, base);
  const code = v.value(iri, `${lg}code`);

  const pop = v.literals(iri, `${lg}population`)[0];
  const popYear = v.value(iri, `${lg}populationYear`);
  const area = v.value(iri, `${lg}area`);
  const centre = v.iri(iri, `${lg}administrativeCentre`);
  const status = v.iri(iri, `${lg}jamoatListStatus`);
  const statusKey = status ? (`list_${localName(status).replace(/^list-/, '')}` as keyof typeof s) : undefined;
  const ids: SafeHtml[] = [
    ...v.iris(iri, `${STD.owl}sameAs`).map((u) => identifierLink(u)),
    ...v.iris(iri, `${STD.skos}exactMatch`).map((u) => identifierLink(u)),
    ...v.iris(iri, `${STD.skos}closeMatch`).map((u) => identifierLink(u, ` (${s.closeMatch})`)),
    ...v.iris(iri, `${lg}settlementWikidata`).map((u) => identifierLink(u, ` (${s.settlement})`)),
    ...v.literals(iri, `${lg}hasc`).map((l) => html`HASC <code>${l.value}</code>`),
    ...v.literals(iri, `${lg}iso3166-2`).map((l) => html`ISO 3166-2 <code>${l.value}</code>`),
  ];
  const validFrom = v.literals(iri, `${lg}validFrom`)[0]?.value;
  // The other names in this page's language (an official's "A/B" split into the name and these).
  const others = v.literals(iri, `${STD.skos}altLabel`).filter((l) => l.language === ctx.lang).map((l, i) => html`${i > 0 ? ', ' : ''}${l.value}`);
  const former = v.literals(iri, `${STD.skos}hiddenLabel`).map((l, i) => html`${i > 0 ? ', ' : ''}${l.language ? html`<span lang="${l.language}">${l.value}</span>` : l.value}`);
  const facts = html`<dl>
${fact(s.kind, cls ? kindName(v, names, cls, base) : undefined)}${fact(s.code, code ? html`<code>${code}</code>` : undefined)}${fact(
    s.population,
    pop ? `${formatNumber(pop.value, ctx.lang)}${popYear ? ` (${popYear})` : ''}` : undefined,
  )}${fact(s.area, area ? `${formatNumber(area, ctx.lang)} ${s.km2}` : undefined)}${fact(
    s.centre,
    centre ? html`${nameOf(v, names, centre, base)}${point(v, centre, ctx.lang) ? ` (${point(v, centre, ctx.lang)})` : ''}` : undefined,
  )}${fact(s.coordinates, point(v, iri, ctx.lang))}${fact(
    s.governingBody,
    v.iris(iri, `${lg}governingBody`).map((g, i) => html`${i > 0 ? ', ' : ''}${linkTo(v, names, g, base)}`),
  )}${fact(s.jamoatList, statusKey && statusKey in s ? s[statusKey] : status ? nameOf(v, names, status, base) : undefined)}${fact(
    s.identifiers,
    ids.map((x, i) => html`${i > 0 ? ' · ' : ''}${x}`),
  )}${fact(s.established, validFrom ? establishedText(validFrom, ctx.lang) : undefined)}${fact(s.otherNames, others)}${fact(s.formerNames, former)}${fact(s.uri, html`<code>${iri}</code>`)}</dl>`;

  const sources = [...v.objects(iri, `${STD.dct}source`)].sort((a, b) => a.value.localeCompare(b.value)).map((o) =>
    o.termType === 'NamedNode' ? html`<li>${urlLink(o.value)}</li>` : html`<li>${o.value}</li>`,
  );
  const rows = v.iris(iri, `${STD.prov}wasDerivedFrom`).map((r) => html`<li>${s.derivedFrom}: <a href="${hrefFor(r, base) ?? '#'}">${urlText(r.startsWith(base) ? r.slice(base.length) : r)}</a></li>`);
  const notes = [`${STD.skos}scopeNote`, `${STD.skos}editorialNote`, `${STD.rdfs}comment`].flatMap((p) => literalsIn(v, names, iri, p));

  const children = v.subjects(`${lg}within`, iri).sort((a, b) => (v.value(a, `${lg}code`) ?? a).localeCompare(v.value(b, `${lg}code`) ?? b));
  const childTable = children.length === 0 ? '' : html`<section aria-labelledby="units"><h2 id="units">${s.containedUnits} (${children.length})</h2>
<div class="tw"><table class="sg c3">
<thead><tr><th scope="col">${s.name}</th><th scope="col">${s.code}</th><th scope="col">${s.kind}</th><th scope="col" class="n">${s.population}</th></tr></thead>
<tbody>
${children.map((c) => {
    const cc = unitClass(v, c, base);
    const cp = v.value(c, `${lg}population`);
    const cy = v.value(c, `${lg}populationYear`);
    return html`<tr><td>${linkTo(v, names, c, base)}</td><td><code>${v.value(c, `${lg}code`) ?? ''}</code></td><td>${cc ? kindName(v, names, cc, base) : ''}</td><td class="n">${cp ? `${formatNumber(cp, ctx.lang)}${cy ? ` (${cy})` : ''}` : ''}</td></tr>\n`;
  })}</tbody>
</table></div></section>`;

  const stats = statisticsSection(v, iri, names, base);
  const heading = html`<h1>${names.label(labels, code ?? iri)}</h1>`;
  const headingNote = names.headingNote(labels);
  return html`${breadcrumbs(v, names, ancestors(v, iri, base), iri, base)}
${heading}
${headingNote ?? ''}<p class="meta">${cls ? kindName(v, names, cls, base) : ''}${code ? html` · <code>${code}</code>` : ''}</p>
${profile ? profileTop(v, iri, ctx, names) : ''}
<section aria-labelledby="overview"><h2 id="overview">${s.overview}</h2>
${facts}
</section>
${unitMap(v, iri, ctx)}
${childTable}
${profile ? profileComparisons(v, iri, ctx, names) : ''}
${stats ?? ''}
${sliceLinks(iri, ctx)}
${profile ? profileMissing(ctx, names, profile) : ''}
${sources.length + rows.length > 0 ? html`<section aria-labelledby="sources"><h2 id="sources">${s.sources}</h2><ul>${sources}${rows}</ul></section>` : ''}
${notes.length > 0 ? html`<section aria-labelledby="notes"><h2 id="notes">${s.notes}</h2>${notes.map((n) => html`<p>${n}</p>`)}</section>` : ''}
${profile ? profileAbout(iri, ctx, profile) : ''}
${names.legend() ?? ''}
${reportSection(ctx.lang, hrefFor(iri, base) ?? '/')}`;
}
