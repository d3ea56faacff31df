import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import { catalogIri, contactPointIri, distributionIri, distributionsGraphIri } from '../catalog/catalog-iris.js';
import { PUBLIC_ACCESS, languageConcept, themeConcept } from '../catalog/controlled-vocabularies.js';
import { fileDistributionQuads } from '../catalog/distributions.js';
import type { DownloadInfo } from '../catalog/dumps.js';
import type { Manifest } from '../convert/layout.js';
import { converterIri, datasetIri, publisherIri } from '../rdf/mint-uri.js';
import { type Minted, dcat, dct, foaf, prov, rdf, rdfs, skos, xsd } from '../rdf/namespaces.js';
import { SLICE_FORMATS, SLICE_KEYS, sliceFileName } from './slice-formats.js';
import type { Slice } from './slice-rows.js';
import { SLICE_STRINGS, fill } from './strings.js';

const { quad, literal, namedNode } = N3.DataFactory;
const LANGS = ['tg', 'ru', 'en'] as const;

/** The catalog of the slices, a part of /catalog (DCAT 3 §6.2: dcat:catalog, a catalog in a catalog). */
export function slicesCatalogIri(ns: Minted): NamedNode {
  return namedNode(`${catalogIri(ns).value}#slices`);
}

const CATALOG_TITLE = { tg: 'Маълумот аз рӯи ноҳия ва минтақа', ru: 'Данные по районам и регионам', en: 'Data by district and region' };
const CATALOG_DESCRIPTION = {
  tg: 'Барои ҳар вилоят ва ҳар воҳиди сатҳи ноҳия як маҷмӯа: худи воҳид, ҳамаи воҳидҳои дохили он ва ҳамаи омори онҳо, дар CSV, Turtle ва XLSX.',
  ru: 'Для каждого региона и каждой единицы районного уровня один набор: сама единица, все единицы в её составе и вся их статистика, в CSV, Turtle и XLSX.',
  en: 'For each region and each district-level unit one dataset: the unit, every unit within it and all their statistics, as CSV, Turtle and XLSX.',
};

/**
 * Each slice as a dcat:Dataset of its own (a slice is a subset of several datasets, so it is no
 * distribution of any one of them: DCAT 3 §6.7, a distribution is the whole dataset in some form),
 * with its three files as distributions (size, SHA-256, licence, as every download), listed in a
 * catalog of their own that /catalog names with dcat:catalog. So the catalog's own dataset list
 * (and its page) stays the six published datasets, while a DCAT-AP harvester that follows
 * dcat:catalog finds every slice. The slice's sources are prov:wasDerivedFrom; where they hold
 * sample data the description says so (the sample flag itself is on every row of the files).
 * In the distributions graph, beside the other files' descriptions: they describe downloads.
 */
export function sliceCatalogQuads(slices: readonly Slice[], files: readonly DownloadInfo[], ctx: { ns: Minted; manifest: Manifest }): Quad[] {
  const { ns, manifest } = ctx;
  const graph = distributionsGraphIri(ns);
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const byName = new Map(files.map((f) => [f.name, f]));
  const license = namedNode(manifest.license);
  const publisher = publisherIri(ns, manifest.publisher.id);
  const modified = manifest.datasets.map((d) => d.modified).sort().at(-1);
  if (slices.length === 0) return out;

  const sub = slicesCatalogIri(ns);
  add(catalogIri(ns), dcat('catalog'), sub);
  add(sub, rdf('type'), dcat('Catalog'));
  for (const l of LANGS) {
    add(sub, dct('title'), literal(CATALOG_TITLE[l], l));
    add(sub, dct('description'), literal(CATALOG_DESCRIPTION[l], l));
  }
  add(sub, dct('publisher'), publisher);
  add(sub, dct('license'), license);
  for (const l of LANGS) add(sub, dct('language'), namedNode(languageConcept(l).iri));
  if (modified) add(sub, dct('modified'), literal(modified, xsd('date')));

  for (const slice of slices) {
    // Dataset ids are lower case (shapes/metadata.ttl), the unit codes in the file names are not.
    const ds = datasetIri(ns, slice.id.toLowerCase());
    add(sub, dcat('dataset'), ds);
    add(ds, rdf('type'), dcat('Dataset'));
    add(ds, rdf('type'), prov('Entity'));
    const sample = slice.observations.some((o) => o.sample === 'true');
    // What every published dataset says (lgsh:DatasetShape): whether it holds sample data, the
    // vocabulary and shapes it conforms to (its figures are the checked datasets' own), and the
    // activity that made it: a selection from those datasets by the converter.
    add(ds, ns.lg('sampleData'), literal(String(sample), xsd('boolean')));
    // and, as a sample dataset does, the note saying so (that of the sample dataset it took figures from)
    const sampleNote = sample ? manifest.datasets.find((d) => d.sample && d.sampleNote && slice.sources.includes(datasetIri(ns, d.id).value))?.sampleNote : undefined;
    if (sampleNote) for (const l of LANGS) add(ds, skos('editorialNote'), literal(sampleNote[l], l));
    add(ds, dct('conformsTo'), namedNode(`${ns.base}def/lg`));
    add(ds, dct('conformsTo'), namedNode(`${ns.base}def/lg-shapes`));
    const activity = namedNode(`${ds.value}/selection`);
    add(ds, prov('wasGeneratedBy'), activity);
    add(activity, rdf('type'), prov('Activity'));
    add(activity, rdfs('label'), literal(`Selection of ${slice.unit.code} and the units within it from the published datasets`, 'en'));
    add(activity, prov('wasAssociatedWith'), converterIri(ns));
    // The units dataset always (the slice's units), and the statistics datasets it took figures from.
    const units = manifest.datasets.find((d) => d.kind === 'units');
    const used = new Set([...(units ? [datasetIri(ns, units.id).value] : []), ...slice.sources]);
    for (const source of used) add(activity, prov('used'), namedNode(source));
    for (const l of LANGS) {
      const s = SLICE_STRINGS[l];
      const name = slice.unit[`name_${l}`] || slice.unit.name_en;
      add(ds, dct('title'), literal(fill(s.datasetTitle, { name }), l));
      add(ds, dct('description'), literal(`${fill(s.datasetDescription, { name, code: slice.unit.code })}${sample ? ` ${s.datasetSampleNote}` : ''}`, l));
    }
    add(ds, dct('identifier'), literal(slice.id));
    add(ds, dct('publisher'), publisher);
    add(ds, dct('license'), license);
    add(ds, dct('accessRights'), namedNode(PUBLIC_ACCESS.iri));
    if (modified) add(ds, dct('modified'), literal(modified, xsd('date')));
    add(ds, dct('spatial'), namedNode(slice.unit.iri));
    // The unit's page, where the links to these files are (DCAT-AP: a foaf:Document).
    const landing = namedNode(`${ns.base}doc/${slice.level}/${encodeURIComponent(slice.unit.code)}`);
    add(ds, dcat('landingPage'), landing);
    add(landing, rdf('type'), foaf('Document'));
    if (manifest.contactPoint) add(ds, dcat('contactPoint'), contactPointIri(ns, manifest.publisher.id));
    for (const source of slice.sources) add(ds, prov('wasDerivedFrom'), namedNode(source));
    // DCAT-AP's recommended properties, from what the slice holds: its sources' themes, the unit's
    // names as keywords, the languages of the names, the years of its figures.
    const themes = new Set(manifest.datasets.filter((d) => slice.sources.includes(datasetIri(ns, d.id).value) || d.kind === 'units').flatMap((d) => d.themes));
    for (const t of [...themes].sort()) add(ds, dcat('theme'), namedNode(themeConcept(t).iri));
    for (const l of LANGS) {
      const name = slice.unit[`name_${l}`];
      if (name) add(ds, dcat('keyword'), literal(name, l));
      add(ds, dct('language'), namedNode(languageConcept(l).iri));
    }
    const years = slice.observations.map((o) => Number(o.year)).filter((y) => Number.isInteger(y));
    if (years.length > 0) {
      const period = namedNode(`${ds.value}#period`);
      add(ds, dct('temporal'), period);
      add(period, rdf('type'), dct('PeriodOfTime'));
      add(period, dcat('startDate'), literal(`${Math.min(...years)}-01-01`, xsd('date')));
      add(period, dcat('endDate'), literal(`${Math.max(...years)}-12-31`, xsd('date')));
    }
    for (const key of SLICE_KEYS) {
      const file = byName.get(sliceFileName(slice.id, key));
      if (!file) continue;
      const format = SLICE_FORMATS[key];
      const dist = distributionIri(ns, slice.id.toLowerCase(), key);
      add(ds, dcat('distribution'), dist);
      out.push(...fileDistributionQuads(dist, file, format, { ns, license, graph }));
      for (const l of LANGS) add(dist, dct('description'), literal(SLICE_STRINGS[l].downloadNote, l));
      for (const l of LANGS) {
        add(dist, dct('title'), literal(fill(SLICE_STRINGS[l].distributionTitle, { name: slice.unit[`name_${l}`] || slice.unit.name_en, format: format.label[l] }), l));
      }
    }
  }
  return out;
}
