import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import { type Minted, dcat, dct, foaf, org, prov, rdf, rdfs, schema, skos, spdx, xsd } from '../rdf/namespaces.js';
import { converterIri, datasetIri, publisherIri, sourceFileIri } from '../rdf/mint-uri.js';
import type { DatasetSpec, Manifest } from './layout.js';
import { contactPointIri, landingPageIri } from '../catalog/catalog-iris.js';
import { PUBLIC_ACCESS } from '../catalog/controlled-vocabularies.js';

const { quad, literal, namedNode } = N3.DataFactory;

const LANGS = ['tg', 'ru', 'en'] as const;
const DATA_THEME = 'http://publications.europa.eu/resource/authority/data-theme/';

export interface SourceFile {
  /** Path relative to the data directory, as in the manifest. */
  path: string;
  name: string;
  sha256: string;
  bytes: number;
}

export interface DatasetFacts {
  spec: DatasetSpec;
  files: SourceFile[];
  /** Units the dataset covers (dct:spatial), as IRIs. */
  spatial: string[];
  /** First and last reference year of the figures, if any. */
  years?: { start: number; end: number };
}

/**
 * DCAT metadata and PROV-O provenance of one dataset, in its own graph. No wall-clock time goes
 * in: issued and modified come from data/datasets.json, so the same input gives the same bytes.
 */
export function datasetMetadata(facts: DatasetFacts, ctx: { ns: Minted; graph: NamedNode; manifest: Manifest; converterVersion: string }): Quad[] {
  const { ns, graph, manifest } = ctx;
  const { spec } = facts;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const ds = datasetIri(ns, spec.id);

  add(ds, rdf('type'), dcat('Dataset'));
  add(ds, rdf('type'), prov('Entity'));
  for (const lang of LANGS) {
    add(ds, dct('title'), literal(spec.title[lang], lang));
    add(ds, dct('description'), literal(spec.description[lang], lang));
    for (const k of spec.keywords[lang]) add(ds, dcat('keyword'), literal(k, lang));
  }
  add(ds, dct('identifier'), literal(spec.id));
  add(ds, dct('publisher'), publisherIri(ns, manifest.publisher.id));
  add(ds, dct('creator'), publisherIri(ns, manifest.publisher.id));
  add(ds, dct('license'), namedNode(manifest.license));
  add(ds, dct('issued'), literal(spec.issued, xsd('date')));
  add(ds, dct('modified'), literal(spec.modified, xsd('date')));
  add(ds, dct('conformsTo'), namedNode(`${ns.base}def/lg`));
  // and to the shapes it was checked with before it was published (/def/lg-shapes).
  add(ds, dct('conformsTo'), namedNode(`${ns.base}def/lg-shapes`));
  // DCAT-AP: who to ask, who may use it, where people read about it.
  add(ds, dct('accessRights'), namedNode(PUBLIC_ACCESS.iri));
  add(ds, dcat('landingPage'), landingPageIri(ns, spec.id));
  if (manifest.contactPoint) add(ds, dcat('contactPoint'), contactPointIri(ns, manifest.publisher.id));
  for (const lang of LANGS) add(ds, dct('language'), namedNode(`http://publications.europa.eu/resource/authority/language/${{ tg: 'TGK', ru: 'RUS', en: 'ENG' }[lang]}`));
  for (const t of spec.themes) add(ds, dcat('theme'), namedNode(DATA_THEME + t));
  for (const s of spec.sources) {
    const isUrl = /^https?:\/\//.test(s);
    add(ds, dct('source'), isUrl ? namedNode(new URL(s).href) : literal(s));
    // DCAT-AP reads dct:source as "a source dataset"; PROV says what these are: what it was derived from.
    if (isUrl) add(ds, prov('wasDerivedFrom'), namedNode(new URL(s).href));
  }
  for (const s of facts.spatial) add(ds, dct('spatial'), namedNode(s));
  add(ds, ns.lg('sampleData'), literal(String(spec.sample), xsd('boolean')));
  if (spec.sample && spec.sampleNote) {
    for (const lang of LANGS) add(ds, skos('editorialNote'), literal(spec.sampleNote[lang], lang));
  }
  if (facts.years) {
    const period = namedNode(`${ds.value}#period`);
    add(ds, dct('temporal'), period);
    add(period, rdf('type'), dct('PeriodOfTime'));
    add(period, dcat('startDate'), literal(`${facts.years.start}-01-01`, xsd('date')));
    add(period, dcat('endDate'), literal(`${facts.years.end}-12-31`, xsd('date')));
  }
  const provenance = namedNode(`${ds.value}#provenance`);
  add(ds, dct('provenance'), provenance);
  add(provenance, rdf('type'), dct('ProvenanceStatement'));
  for (const lang of LANGS) add(provenance, rdfs('label'), literal(spec.provenance[lang], lang));

  // PROV-O: which files, with which checksums, went through which converter.
  const activity = namedNode(`${ds.value}/conversion`);
  add(ds, prov('wasGeneratedBy'), activity);
  add(activity, rdf('type'), prov('Activity'));
  add(activity, rdfs('label'), literal(`Conversion of the ${spec.id} spreadsheets to RDF`, 'en'));
  add(activity, prov('wasAssociatedWith'), converterIri(ns));
  for (const f of facts.files) {
    const file = sourceFileIri(ns, f.name);
    add(activity, prov('used'), file);
    add(ds, prov('wasDerivedFrom'), file);
    add(file, rdf('type'), prov('Entity'));
    add(file, dct('title'), literal(f.name));
    add(file, dcat('byteSize'), literal(String(f.bytes), xsd('nonNegativeInteger')));
    const checksum = namedNode(`${file.value}#checksum`);
    add(file, spdx('checksum'), checksum);
    add(checksum, rdf('type'), spdx('Checksum'));
    add(checksum, spdx('algorithm'), spdx('checksumAlgorithm_sha256'));
    add(checksum, spdx('checksumValue'), literal(f.sha256, xsd('hexBinary')));
  }
  return out;
}

/** What every dataset shares: the publisher and the converter as a PROV agent. */
export function sharedMetadata(ctx: { ns: Minted; graph: NamedNode; manifest: Manifest; converterVersion: string }): Quad[] {
  const { ns, graph, manifest } = ctx;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const pub = publisherIri(ns, manifest.publisher.id);
  add(pub, rdf('type'), foaf('Organization'));
  add(pub, rdf('type'), org('Organization'));
  for (const lang of LANGS) {
    add(pub, foaf('name'), literal(manifest.publisher.name[lang], lang));
    add(pub, skos('prefLabel'), literal(manifest.publisher.name[lang], lang));
    add(pub, rdfs('label'), literal(manifest.publisher.name[lang], lang));
  }
  if (manifest.publisher.homepage) add(pub, foaf('homepage'), namedNode(manifest.publisher.homepage));
  const agent = converterIri(ns);
  add(agent, rdf('type'), prov('SoftwareAgent'));
  add(agent, rdfs('label'), literal('lg-open-data spreadsheet converter', 'en'));
  add(agent, schema('softwareVersion'), literal(ctx.converterVersion));
  return out;
}
