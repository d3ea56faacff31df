import { STD } from '../rdf/namespaces.js';
import { LANGS } from './models.js';
import { type View, docUrl, own, parseWktPoint } from './rdf-view.js';

type LangValue = { '@value': string; '@language': string };

/**
 * The context of every page's embedded schema.org JSON-LD, inline: `"@context":
 * "https://schema.org"` must be fetched to be expanded, which an offline processor (or one that,
 * like ours, refuses remote contexts) cannot do. The vocabulary IRI and the link-valued terms are
 * those of schema.org's own context (http://schema.org/, the namespace our RDF uses too), so the
 * triples come out the same as with the remote one.
 */
export const SCHEMA_CONTEXT = {
  '@vocab': 'http://schema.org/',
  url: { '@type': '@id' },
  sameAs: { '@type': '@id' },
  license: { '@type': '@id' },
  contentUrl: { '@type': '@id' },
} as const;

function names(v: View, iri: string): LangValue[] {
  const labels = v.labels(iri);
  return LANGS.flatMap((l) => (labels[l] ? [{ '@value': labels[l], '@language': l }] : []));
}

function schemaType(v: View, iri: string, base: string): string {
  return v.hasType(iri, `${own(base).lg}Country`) ? 'Country' : 'AdministrativeArea';
}

/**
 * schema.org description of an administrative unit for the page's JSON-LD: @type
 * AdministrativeArea (Country for the country), every name with its language, the code, the
 * containing unit, the point as GeoCoordinates, sameAs links and the document URL.
 */
export function placeJsonLd(v: View, iri: string, base: string): Record<string, unknown> {
  const lg = own(base).lg;
  const out: Record<string, unknown> = {
    '@context': SCHEMA_CONTEXT,
    '@type': schemaType(v, iri, base),
    '@id': iri,
    name: names(v, iri),
  };
  const code = v.value(iri, `${lg}code`);
  if (code) out.identifier = code;
  const parent = v.iri(iri, `${lg}within`);
  if (parent) out.containedInPlace = { '@type': schemaType(v, parent, base), '@id': parent, name: names(v, parent), url: docUrl(parent, base) };
  for (const g of v.iris(iri, `${STD.geo}hasGeometry`)) {
    const wkt = v.value(g, `${STD.geo}asWKT`);
    const pt = wkt ? parseWktPoint(wkt) : undefined;
    if (pt) {
      out.geo = { '@type': 'GeoCoordinates', latitude: pt.lat, longitude: pt.lon };
      break;
    }
  }
  const sameAs = v.iris(iri, `${STD.owl}sameAs`);
  if (sameAs.length > 0) out.sameAs = sameAs;
  out.url = docUrl(iri, base);
  return out;
}

/**
 * schema.org for what is not a place: a dataset (Dataset), a hukumat or jamoat body
 * (GovernmentOrganization, with the unit it governs as areaServed), a Data Cube observation
 * (Observation: the unit it is about, the indicator measured, the year and the figure), anything
 * else a Thing.
 */
export function thingJsonLd(v: View, iri: string, base: string): Record<string, unknown> {
  const lg = own(base).lg;
  const name = names(v, iri);
  const out: Record<string, unknown> = { '@context': SCHEMA_CONTEXT, '@type': 'Thing', '@id': iri, name: name.length > 0 ? name : v.plainLabel(iri) };
  if (v.hasType(iri, `${STD.dcat}Dataset`)) {
    out['@type'] = 'Dataset';
    const desc = v.literals(iri, `${STD.dct}description`).map((l) => ({ '@value': l.value, '@language': l.language }));
    if (desc.length > 0) out.description = desc;
    const licence = v.iri(iri, `${STD.dct}license`);
    if (licence) out.license = licence;
    const id = v.value(iri, `${STD.dct}identifier`);
    if (id) out.identifier = id;
    Object.assign(out, datasetJsonLd(v, iri, base));
  } else if (v.hasType(iri, `${lg}Hukumat`) || v.hasType(iri, `${lg}JamoatBody`)) {
    out['@type'] = 'GovernmentOrganization';
    const area = v.iri(iri, `${lg}governs`);
    if (area) out.areaServed = { '@type': schemaType(v, area, base), '@id': area, name: names(v, area), url: docUrl(area, base) };
  } else if (v.hasType(iri, `${STD.qb}Observation`)) {
    Object.assign(out, observationJsonLd(v, iri, base));
  }
  out.url = docUrl(iri, base);
  return out;
}

/**
 * An observation as schema.org has it (schema.org/Observation): observationAbout the unit,
 * variableMeasured the indicator (its figure is the object of the indicator's own property, the
 * Data Cube "measure dimension" style), observationDate the year, value the figure.
 */
function observationJsonLd(v: View, iri: string, base: string): Record<string, unknown> {
  const lg = own(base).lg;
  const out: Record<string, unknown> = { '@type': 'Observation' };
  const area = v.iri(iri, `${lg}refArea`);
  if (area) out.observationAbout = { '@type': schemaType(v, area, base), '@id': area, name: names(v, area), url: docUrl(area, base) };
  const indicator = v.iri(iri, `${STD.qb}measureType`);
  if (indicator) {
    out.variableMeasured = { '@type': 'StatisticalVariable', '@id': indicator, name: names(v, indicator), url: docUrl(indicator, base) };
    const figure = v.value(iri, indicator);
    if (figure !== undefined && figure !== '' && Number.isFinite(Number(figure))) out.value = Number(figure);
  }
  const year = v.value(iri, `${lg}refPeriod`);
  if (year) out.observationDate = year;
  const dataset = v.iri(iri, `${STD.qb}dataSet`);
  if (dataset) out.isPartOf = { '@type': 'Dataset', '@id': dataset, url: docUrl(dataset, base) };
  return out;
}

const IANA = /^https?:\/\/www\.iana\.org\/assignments\/media-types\//;

/**
 * What Google Dataset Search reads of a schema.org Dataset (developers.google.com/search/docs/
 * appearance/structured-data/dataset): creator, keywords, dates, coverage in space and time, the
 * catalog it is in, and each download as a DataDownload with contentUrl and encodingFormat.
 */
function datasetJsonLd(v: View, iri: string, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { isAccessibleForFree: true };
  const agent = (a: string) => ({ '@type': 'Organization', '@id': a, name: names(v, a), url: docUrl(a, base) });
  const creators = v.iris(iri, `${STD.dct}creator`);
  if (creators.length > 0) out.creator = creators.map(agent);
  const publisher = v.iri(iri, `${STD.dct}publisher`);
  if (publisher) out.publisher = agent(publisher);
  const keywords = v.literals(iri, `${STD.dcat}keyword`).map((l) => ({ '@value': l.value, '@language': l.language }));
  if (keywords.length > 0) out.keywords = keywords;
  const issued = v.value(iri, `${STD.dct}issued`);
  const modified = v.value(iri, `${STD.dct}modified`);
  if (issued) out.datePublished = issued;
  if (modified) out.dateModified = modified;
  const period = v.iri(iri, `${STD.dct}temporal`);
  const start = period ? v.value(period, `${STD.dcat}startDate`) : undefined;
  const end = period ? v.value(period, `${STD.dcat}endDate`) : undefined;
  if (start && end) out.temporalCoverage = `${start}/${end}`;
  // Our own units only: a place with a name and an address that answers.
  const places = v.iris(iri, `${STD.dct}spatial`).filter((p) => p.startsWith(base));
  if (places.length > 0) out.spatialCoverage = places.map((p) => ({ '@type': 'Place', '@id': p, name: names(v, p), url: docUrl(p, base) }));
  out.includedInDataCatalog = { '@type': 'DataCatalog', '@id': `${base}catalog`, url: `${base}catalog` };
  const downloads = v.iris(iri, `${STD.dcat}distribution`).sort().flatMap((d) => {
    const url = v.iri(d, `${STD.dcat}downloadURL`);
    const type = v.iri(d, `${STD.dcat}mediaType`)?.replace(IANA, '');
    if (!url || !type) return [];
    // A gzip file's encoding is gzip; what it holds is in the name.
    const encodingFormat = v.iri(d, `${STD.dcat}compressFormat`)?.replace(IANA, '') ?? type;
    const size = v.value(d, `${STD.dcat}byteSize`);
    return [{ '@type': 'DataDownload', '@id': d, name: names(v, d), contentUrl: url, encodingFormat, ...(size ? { contentSize: `${size} B` } : {}) }];
  });
  if (downloads.length > 0) out.distribution = downloads;
  return out;
}
