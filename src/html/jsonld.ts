import { STD } from '../rdf/namespaces.js';
import { LANGS } from './models.js';
import { type View, docUrl, own, parseWktPoint } from './rdf-view.js';

type LangValue = { '@value': string; '@language': string };

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
    '@context': 'https://schema.org',
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
 * (GovernmentOrganization, with the unit it governs as areaServed), anything else a Thing.
 */
export function thingJsonLd(v: View, iri: string, base: string): Record<string, unknown> {
  const lg = own(base).lg;
  const name = names(v, iri);
  const out: Record<string, unknown> = { '@context': 'https://schema.org', '@type': 'Thing', '@id': iri, name: name.length > 0 ? name : v.plainLabel(iri) };
  if (v.hasType(iri, `${STD.dcat}Dataset`)) {
    out['@type'] = 'Dataset';
    const desc = v.literals(iri, `${STD.dct}description`).map((l) => ({ '@value': l.value, '@language': l.language }));
    if (desc.length > 0) out.description = desc;
    const licence = v.iri(iri, `${STD.dct}license`);
    if (licence) out.license = licence;
    const id = v.value(iri, `${STD.dct}identifier`);
    if (id) out.identifier = id;
  } else if (v.hasType(iri, `${lg}Hukumat`) || v.hasType(iri, `${lg}JamoatBody`)) {
    out['@type'] = 'GovernmentOrganization';
    const area = v.iri(iri, `${lg}governs`);
    if (area) out.areaServed = { '@type': schemaType(v, area, base), '@id': area, name: names(v, area), url: docUrl(area, base) };
  }
  out.url = docUrl(iri, base);
  return out;
}
