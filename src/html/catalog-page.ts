import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { type SafeHtml, html, safeHref } from './escape.js';
import { formatNumber, t } from './i18n.js';
import { renderLayout } from './layout.js';
import type { PageContext } from './models.js';
import { Names } from './names.js';
import { anySample, linkTo, literalsIn, nameOf, nameText, sampleMarker, urlText } from './page-parts.js';
import { type View, View as RdfView, hrefFor } from './rdf-view.js';

const DCAT = STD.dcat;
const DCT = STD.dct;
const IANA = /^https?:\/\/www\.iana\.org\/assignments\/media-types\//;

function fact(label: string, value: SafeHtml | string | undefined): SafeHtml {
  return value === undefined || value === '' ? html`` : html`<dt>${label}</dt><dd>${value}</dd>\n`;
}

function list(items: SafeHtml[]): SafeHtml | undefined {
  return items.length === 0 ? undefined : html`${items.map((x, i) => html`${i > 0 ? ', ' : ''}${x}`)}`;
}

/** A download link showing the file's name, absolute IRIs of ours made root-relative. */
function fileLink(url: string, base: string): SafeHtml {
  const href = hrefFor(url, base) ?? safeHref(url);
  const name = urlText(url.slice(url.lastIndexOf('/') + 1));
  return href ? html`<a href="${href}">${name}</a>` : html`${name}`;
}

function distributionRows(v: View, names: Names, ds: string, ctx: PageContext): SafeHtml {
  const s = t(ctx.lang);
  const dists = v.iris(ds, `${DCAT}distribution`).sort();
  return html`${dists.map((d) => {
    const url = v.iri(d, `${DCAT}downloadURL`) ?? v.iri(d, `${DCAT}accessURL`);
    const type = (v.iri(d, `${DCAT}mediaType`) ?? '').replace(IANA, '');
    const compress = (v.iri(d, `${DCAT}compressFormat`) ?? '').replace(IANA, '');
    const size = v.value(d, `${DCAT}byteSize`);
    const checksum = v.iri(d, `${STD.spdx}checksum`);
    const sha = checksum ? v.value(checksum, `${STD.spdx}checksumValue`) : undefined;
    const schema = v.iris(d, `${DCT}conformsTo`).find((c) => c.endsWith('-metadata.json'));
    // A distribution's title is "{dataset title}: {format}"; under the dataset's heading the format says it.
    const title = names.text(v.langMap(d, `${DCT}title`));
    const format = title.includes(': ') ? title.slice(title.lastIndexOf(': ') + 2) : nameText(v, names, d, ctx.base);
    return html`<tr><td>${format}${schema ? html`<br><small>${s.csvwMetadata}: ${fileLink(schema, ctx.base)}</small>` : ''}</td><td>${url ? fileLink(url, ctx.base) : ''}</td><td><code>${type}</code>${compress ? html` <small>(${compress})</small>` : ''}</td><td class="n">${size ? formatNumber(size, ctx.lang) : '–'}</td><td>${sha ? html`<code title="${sha}">${sha.slice(0, 12)}…</code>` : '–'}</td></tr>\n`;
  })}`;
}

function datasetSection(v: View, names: Names, ds: string, ctx: PageContext): SafeHtml {
  const s = t(ctx.lang);
  const base = ctx.base;
  const themes = v.iris(ds, `${DCAT}theme`).map((x) => nameOf(v, names, x, base));
  const keywords = v.literals(ds, `${DCAT}keyword`).filter((k) => k.language === ctx.lang).map((k) => html`${k.value}`);
  const spatial = v.iris(ds, `${DCT}spatial`).map((x) => linkTo(v, names, x, base));
  const period = v.iri(ds, `${DCT}temporal`);
  const temporal = period ? `${v.value(period, `${DCAT}startDate`) ?? ''} – ${v.value(period, `${DCAT}endDate`) ?? ''}` : undefined;
  const id = ds.slice(ds.lastIndexOf('/') + 1);
  return html`<section aria-labelledby="ds-${id}"><h2 id="ds-${id}">${linkTo(v, names, ds, base)}</h2>
${anySample(v, [ds], base) ? html`<p>${sampleMarker(ctx.lang)}</p>\n` : ''}${literalsIn(v, names, ds, `${DCT}description`).map((d) => html`<p>${d}</p>\n`)}<dl>
${fact(s.themes, list(themes))}${fact(s.keywords, list(keywords))}${fact(s.spatialCoverage, list(spatial))}${fact(s.temporalCoverage, temporal)}${fact(s.issued, v.value(ds, `${DCT}issued`))}${fact(s.modified, v.value(ds, `${DCT}modified`))}</dl>
<div class="tw"><table>
<caption>${s.distributions}</caption>
<thead><tr><th scope="col">${s.format}</th><th scope="col">${s.name}</th><th scope="col">${s.mediaType}</th><th scope="col" class="n">${s.size}</th><th scope="col">${s.checksum}</th></tr></thead>
<tbody>
${distributionRows(v, names, ds, ctx)}</tbody>
</table></div>
</section>
`;
}

/** The HTML page of /catalog: what a harvester reads as DCAT-AP, for people. */
export function renderCatalogPage(quads: readonly Quad[], ctx: PageContext): string {
  const v = new RdfView(quads);
  const names = new Names(ctx.lang);
  const s = t(ctx.lang);
  const base = ctx.base;
  // The catalog itself, not one it holds (dcat:catalog, the slices' catalog: src/slices/slice-catalog.ts).
  const catalog = v.hasType(`${base}catalog`, `${DCAT}Catalog`) ? `${base}catalog` : (v.subjects(`${STD.rdf}type`, `${DCAT}Catalog`)[0] ?? `${base}catalog`);
  const title = v.langMap(catalog, `${DCT}title`);
  const publisher = v.iri(catalog, `${DCT}publisher`);
  const contact = v.iri(catalog, `${DCAT}contactPoint`);
  const contactUrl = contact ? v.iri(contact, `${STD.vcard}hasURL`) : undefined;
  const service = v.iri(catalog, `${DCAT}service`);
  const endpoint = service ? v.iri(service, `${DCAT}endpointURL`) : undefined;
  const license = v.iri(catalog, `${DCT}license`);
  const all = v.iris(catalog, `${DCAT}distribution`)[0];
  const allUrl = all ? v.iri(all, `${DCAT}downloadURL`) : undefined;
  const datasets = v.iris(catalog, `${DCAT}dataset`).sort();
  const body = html`<h1>${names.label(title, s.catalog)}</h1>
${literalsIn(v, names, catalog, `${DCT}description`).map((d) => html`<p>${d}</p>\n`)}<p>${s.catalogIntro}</p>
<dl>
${fact(s.publisher, publisher ? linkTo(v, names, publisher, base) : undefined)}${fact(s.licence, license ? html`<a rel="license" href="${safeHref(license) ?? '#'}">${license}</a>` : undefined)}${fact(
    s.contactPoint,
    contact ? html`${contactUrl ? html`<a href="${hrefFor(contactUrl, base) ?? '#'}">${names.label(v.langMap(contact, `${STD.vcard}fn`))}</a>` : names.label(v.langMap(contact, `${STD.vcard}fn`))}` : undefined,
  )}${fact(s.dataService, service ? html`${linkTo(v, names, service, base)}${endpoint ? html`: <a href="${hrefFor(endpoint, base) ?? '#'}">${endpoint}</a>` : ''}` : undefined)}${fact(
    s.allData,
    allUrl ? html`${fileLink(allUrl, base)} (${formatNumber(v.value(all ?? '', `${DCAT}byteSize`) ?? '0', ctx.lang)} B)` : undefined,
  )}</dl>
${datasets.map((ds) => datasetSection(v, names, ds, ctx))}${names.legend() ?? ''}`;
  return renderLayout(ctx, { title: nameText(v, names, catalog, base) || s.catalog, body });
}
