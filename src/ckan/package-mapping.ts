import type { Quad } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { EU, SPDX_SHA256 } from '../catalog/controlled-vocabularies.js';
import {
  type CkanCatalog, type CkanExtra, type CkanGroupRef, type CkanOrganizationRow, type CkanPackage, type CkanResource, type CkanTag,
  type Lang3, iriUuid,
} from './ckan-types.js';

/**
 * The catalog graph (the quads of /catalog, src/catalog/catalog-query.ts) as CKAN packages: one
 * package per dcat:Dataset, one resource per dcat:Distribution, the dct:publisher as the
 * organization, each EU country in dct:spatial as an HDX location group. Pure: quads in, plain
 * objects out, so that /catalog and /api/3/action can never say different things.
 *
 * Nothing is invented: a field is filled only from a triple that says it (data_update_frequency
 * only from dct:accrualPeriodicity, caveats only where lg:sampleData is true).
 */

const { rdf, skos, dct, dcat, foaf, vcard, spdx, prov } = Object.fromEntries(
  (['rdf', 'skos', 'dct', 'dcat', 'foaf', 'vcard', 'spdx', 'prov'] as const).map((p) => [p, (l: string) => STD[p] + l]),
) as Record<'rdf' | 'skos' | 'dct' | 'dcat' | 'foaf' | 'vcard' | 'spdx' | 'prov', (l: string) => string>;

/** CKAN's own licence register (ckan/model/license.py): the ids HDX and CKAN clients know. */
const LICENSES: Readonly<Record<string, { id: string; title: string; url: string }>> = {
  'https://creativecommons.org/licenses/by/4.0/': { id: 'cc-by', title: 'Creative Commons Attribution', url: 'http://www.opendefinition.org/licenses/cc-by' },
  'https://creativecommons.org/licenses/by-sa/4.0/': { id: 'cc-by-sa', title: 'Creative Commons Attribution Share-Alike', url: 'http://www.opendefinition.org/licenses/cc-by-sa' },
  'https://creativecommons.org/publicdomain/zero/1.0/': { id: 'cc-zero', title: 'Creative Commons CCZero', url: 'http://www.opendefinition.org/licenses/cc-zero' },
  'http://creativecommons.org/publicdomain/zero/1.0/': { id: 'cc-zero', title: 'Creative Commons CCZero', url: 'http://www.opendefinition.org/licenses/cc-zero' },
};

/** EU frequency authority -> HDX's data_update_frequency (days, as a string; hdx-python-api `update_frequencies`). */
const FREQUENCIES: Readonly<Record<string, string>> = {
  CONT: '0', UPDATE_CONT: '0', DAILY: '1', WEEKLY: '7', BIWEEKLY: '14', MONTHLY: '30', BIMONTHLY: '60', QUARTERLY: '90',
  ANNUAL_2: '180', ANNUAL: '365', BIENNIAL: '730', IRREG: '-2', NEVER: '-1',
};

/** EU file-type codes -> the format names CKAN's resource_formats.json and HDX use. */
const FORMATS: Readonly<Record<string, string>> = {
  CSV: 'CSV', XLSX: 'XLSX', JSON: 'JSON', JSON_LD: 'JSON-LD', RDF_TURTLE: 'Turtle', RDF_N_TRIPLES: 'N-Triples',
  RDF_N_QUADS: 'N-Quads', RDF_XML: 'RDF', SPARQLQRES: 'SPARQL',
};
/** Resource order within a package: the table first, then the originals, then the RDF, SPARQL last. */
const FORMAT_ORDER = ['CSV', 'XLSX', 'JSON-LD', 'Turtle', 'N-Triples', 'N-Quads', 'RDF', 'JSON', 'SPARQL'];

const IANA = 'https://www.iana.org/assignments/media-types/';
const SAMPLE_CAVEAT = 'Sample data: these figures were made for demonstration and are not official statistics.';

class Graph {
  private readonly bySubject = new Map<string, Map<string, Quad['object'][]>>();
  constructor(quads: readonly Quad[]) {
    for (const q of quads) {
      let props = this.bySubject.get(q.subject.value);
      if (!props) this.bySubject.set(q.subject.value, (props = new Map()));
      const list = props.get(q.predicate.value);
      if (list) list.push(q.object);
      else props.set(q.predicate.value, [q.object]);
    }
  }
  objects(s: string, p: string): Quad['object'][] {
    return this.bySubject.get(s)?.get(p) ?? [];
  }
  iris(s: string, p: string): string[] {
    return this.objects(s, p).filter((o) => o.termType === 'NamedNode').map((o) => o.value).sort();
  }
  iri(s: string, p: string): string | undefined {
    return this.iris(s, p)[0];
  }
  value(s: string, p: string): string | undefined {
    return this.objects(s, p).find((o) => o.termType === 'Literal')?.value;
  }
  text(s: string, p: string, lang: string): string | undefined {
    return this.objects(s, p).find((o) => o.termType === 'Literal' && o.language === lang)?.value;
  }
  lang3(s: string, p: string): Lang3 {
    const en = this.text(s, p, 'en') ?? this.value(s, p) ?? '';
    return { en, tg: this.text(s, p, 'tg') ?? en, ru: this.text(s, p, 'ru') ?? en };
  }
  subjectsOfType(type: string): string[] {
    return [...this.bySubject.keys()].filter((s) => this.iris(s, rdf('type')).includes(type)).sort();
  }
}

/** CKAN writes datetimes as Python's isoformat() of a naive UTC datetime: `2026-11-23T00:00:00`. */
export function ckanDateTime(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00`;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().slice(0, 19);
}

/**
 * CKAN's package and group names are lower-case ASCII letters, digits, `-` and `_` (2 to 100):
 * our dataset ids are that already (`units`, `population`), the slices' carry unit codes
 * (`district-TJ-KT-06` -> `district-tj-kt-06`). package_show takes either spelling.
 */
export function ckanName(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 100);
}

const lastSegment = (iri: string) => iri.slice(Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#')) + 1);

export function catalogToCkan(quads: readonly Quad[], base: string): CkanCatalog {
  const g = new Graph(quads);
  const catalog = `${base}catalog`;
  const catalogIssued = g.value(catalog, dct('issued')) ?? '';

  const organizations = new Map<string, CkanCatalog['organizations'][number]>();
  const organization = (iri: string) => {
    let org = organizations.get(iri);
    if (!org) {
      const title = g.text(iri, foaf('name'), 'en') ?? g.text(iri, skos('prefLabel'), 'en') ?? lastSegment(iri);
      org = {
        id: iriUuid(iri), name: lastSegment(iri), title, type: 'organization', description: '', image_url: '',
        created: ckanDateTime(catalogIssued), is_organization: true, approval_status: 'approved', state: 'active',
        display_name: title, image_display_url: '',
      };
      organizations.set(iri, org);
    }
    return org;
  };
  const groups = new Map<string, CkanGroupRef>();
  const countryGroup = (iri: string): CkanGroupRef => {
    let group = groups.get(iri);
    if (!group) {
      const title = g.text(iri, skos('prefLabel'), 'en') ?? lastSegment(iri);
      group = { id: iriUuid(iri), name: lastSegment(iri).toLowerCase(), title, display_name: title, description: '', image_display_url: '' };
      groups.set(iri, group);
    }
    return group;
  };

  // The countries the catalog covers: the HDX location of a dataset that names only our own units.
  const catalogCountries = g.iris(catalog, dct('spatial')).filter((s) => s.startsWith(`${EU}country/`));
  const datasets = g.subjectsOfType(dcat('Dataset'));
  const ownSample = new Set(datasets.filter((ds) => g.value(ds, `${base}def/lg#sampleData`) === 'true'));

  const packages = datasets.map((ds): CkanPackage => {
    const identifier = g.value(ds, dct('identifier')) ?? lastSegment(ds);
    const name = ckanName(identifier);
    const id = iriUuid(ds);
    const publisher = g.iri(ds, dct('publisher'));
    const org = publisher ? organization(publisher) : organization(`${base}id/organisation/unknown`);
    const issued = g.value(ds, dct('issued')) ?? catalogIssued;
    const modified = g.value(ds, dct('modified')) ?? issued;
    const licenseIri = g.iri(ds, dct('license'));
    const license = licenseIri ? LICENSES[licenseIri] : undefined;
    const contact = g.iri(ds, dcat('contactPoint'));
    const email = contact ? g.iri(contact, vcard('hasEmail')) : undefined;
    // Sample data keeps its mark where it goes: a dataset made from a sample dataset (a slice) is
    // marked too, with the note of the dataset it came from.
    const sampleSources = g.iris(ds, prov('wasDerivedFrom')).filter((src) => ownSample.has(src));
    const sample = ownSample.has(ds) || sampleSources.length > 0;
    const sampleNote = g.text(ds, skos('editorialNote'), 'en') ?? sampleSources.map((src) => g.text(src, skos('editorialNote'), 'en')).find(Boolean);
    const period = g.iri(ds, dct('temporal'));
    const start = period ? g.value(period, dcat('startDate')) : undefined;
    const end = period ? g.value(period, dcat('endDate')) : undefined;
    const frequency = g.iri(ds, dct('accrualPeriodicity'));
    const spatial = g.iris(ds, dct('spatial'));
    const provenanceNode = g.iri(ds, dct('provenance'));
    const provenance = provenanceNode ? g.text(provenanceNode, `${STD.rdfs}label`, 'en') ?? '' : '';
    const external = g.iris(ds, prov('wasDerivedFrom')).filter((u) => !u.startsWith(base));
    const keywords = [...new Set(g.objects(ds, dcat('keyword')).map((o) => o.value))].sort();
    const tags = keywords.map((k): CkanTag => ({ id: iriUuid(`urn:x-ckan-tag:${k}`), name: k, display_name: k, state: 'active', vocabulary_id: null }));

    const resources = g.iris(ds, dcat('distribution'))
      .map((dist) => resource(g, dist, { packageId: id, issued, modified }))
      .sort((a, b) => rank(a.format) - rank(b.format) || (a.uri < b.uri ? -1 : 1))
      .map((r, position) => ({ ...r, position }));

    const extras: CkanExtra[] = [
      { key: 'uri', value: ds },
      { key: 'identifier', value: identifier },
      { key: 'issued', value: issued },
      { key: 'modified', value: modified },
      { key: 'language', value: JSON.stringify(g.iris(ds, dct('language'))) },
      { key: 'theme', value: JSON.stringify(g.iris(ds, dcat('theme'))) },
      { key: 'spatial_uri', value: JSON.stringify(spatial) },
      { key: 'conforms_to', value: JSON.stringify(g.iris(ds, dct('conformsTo'))) },
      { key: 'sample_data', value: String(sample) },
      ...(g.iri(ds, dct('accessRights')) ? [{ key: 'access_rights', value: g.iri(ds, dct('accessRights')) as string }] : []),
      ...(contact ? [{ key: 'contact_uri', value: contact }] : []),
      ...(publisher ? [{ key: 'publisher_uri', value: publisher }] : []),
      ...(provenance ? [{ key: 'provenance', value: provenance }] : []),
      ...(start ? [{ key: 'temporal_start', value: start }] : []),
      ...(end ? [{ key: 'temporal_end', value: end }] : []),
      ...g.iris(ds, 'http://www.w3.org/ns/dqv#hasQualityMeasurement').map((m) => ({ key: `quality_${m.slice(m.indexOf('#quality-') + 9)}`, value: g.value(m, 'http://www.w3.org/ns/dqv#value') ?? '' })),
    ].sort((a, b) => (a.key < b.key ? -1 : 1));

    const pkg: CkanPackage = {
      id, name,
      title: g.text(ds, dct('title'), 'en') ?? name,
      notes: g.text(ds, dct('description'), 'en') ?? '',
      type: 'dataset', state: 'active', private: false,
      url: g.iri(ds, dcat('landingPage')) ?? '',
      version: null,
      author: org.title, author_email: null,
      maintainer: contact ? g.text(contact, vcard('fn'), 'en') ?? null : null,
      maintainer_email: email ? email.replace(/^mailto:/, '') : null,
      license_id: license?.id ?? licenseIri ?? null,
      license_title: license?.title ?? licenseIri ?? null,
      ...(license ? { license_url: license.url } : {}),
      isopen: license !== undefined,
      creator_user_id: null,
      metadata_created: ckanDateTime(issued),
      metadata_modified: ckanDateTime(modified),
      owner_org: org.id,
      organization: orgRow(org),
      groups: (spatial.some((s) => s.startsWith(`${EU}country/`)) ? spatial.filter((s) => s.startsWith(`${EU}country/`))
        : spatial.some((s) => s.startsWith(`${base}id/`)) ? catalogCountries : []).map(countryGroup),
      tags, num_tags: tags.length,
      resources, num_resources: resources.length,
      extras,
      relationships_as_object: [], relationships_as_subject: [],
      title_translated: g.lang3(ds, dct('title')),
      notes_translated: g.lang3(ds, dct('description')),
      ...(start && end ? { dataset_date: `[${start}T00:00:00 TO ${end}T23:59:59]` } : {}),
      // HDX's methodology is a choice of five; ours is told in the provenance statement, where there is one.
      ...(provenance ? { methodology: 'Other', methodology_other: provenance } : {}),
      dataset_source: external.length ? `${org.title}, from ${external.join(', ')}` : org.title,
      ...(sample ? { caveats: sampleNote ?? SAMPLE_CAVEAT } : {}),
      ...(frequency && FREQUENCIES[lastSegment(frequency)] ? { data_update_frequency: FREQUENCIES[lastSegment(frequency)] as string } : {}),
      subnational: spatial.some((s) => s.startsWith(`${base}id/`) && !s.startsWith(`${base}id/country/`)) ? '1' : '0',
    };
    return pkg;
  });

  return {
    packages,
    organizations: [...organizations.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    groups: [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    site: { title: g.text(catalog, dct('title'), 'en') ?? 'CKAN', description: g.text(catalog, dct('description'), 'en') ?? '', url: base.replace(/\/$/, '') },
  };
}

function rank(format: string): number {
  const i = FORMAT_ORDER.indexOf(format);
  return i < 0 ? FORMAT_ORDER.length : i;
}

function orgRow(org: CkanCatalog['organizations'][number]): CkanOrganizationRow {
  const { display_name: _d, image_display_url: _i, ...row } = org;
  return row;
}

function resource(g: Graph, dist: string, ctx: { packageId: string; issued: string; modified: string }): Omit<CkanResource, 'position'> & { position: number } {
  const mediaType = g.iri(dist, dcat('mediaType'))?.replace(IANA, '') ?? null;
  const compress = g.iri(dist, dcat('compressFormat'))?.replace(IANA, '') ?? null;
  const fileType = g.iri(dist, dct('format'));
  const code = fileType ? lastSegment(fileType) : '';
  const checksum = g.iri(dist, spdx('checksum'));
  const hash = checksum ? g.value(checksum, spdx('checksumValue')) : undefined;
  const algorithm = checksum ? g.iri(checksum, spdx('algorithm')) : undefined;
  const size = g.value(dist, dcat('byteSize'));
  const modified = g.value(dist, dct('modified'));
  const isService = g.iri(dist, dcat('accessService')) !== undefined;
  const name = g.lang3(dist, dct('title'));
  const description = g.lang3(dist, dct('description'));
  return {
    id: iriUuid(dist),
    package_id: ctx.packageId,
    url: g.iri(dist, dcat('downloadURL')) ?? g.iri(dist, dcat('accessURL')) ?? '',
    format: FORMATS[code] ?? code,
    name: name.en,
    description: description.en,
    hash: hash ?? '',
    position: 0,
    resource_type: isService ? 'api' : null,
    // A gzipped dump is application/gzip around its RDF type, which CKAN calls the inner type.
    mimetype: compress ?? mediaType,
    mimetype_inner: compress ? mediaType : null,
    size: size !== undefined ? Number(size) : null,
    created: ckanDateTime(ctx.issued),
    last_modified: modified ? ckanDateTime(modified) : null,
    metadata_modified: ckanDateTime(modified ?? ctx.modified),
    cache_url: null, cache_last_updated: null, url_type: null,
    state: 'active', datastore_active: false,
    uri: dist,
    ...(algorithm ? { hash_algorithm: algorithm === SPDX_SHA256 ? 'sha256' : algorithm } : {}),
    name_translated: name,
    description_translated: description,
  };
}
