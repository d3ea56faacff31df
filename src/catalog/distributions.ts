import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import type { Manifest } from '../convert/layout.js';
import { datasetIri } from '../rdf/mint-uri.js';
import { type Minted, dcat, dct, rdf, spdx, xsd } from '../rdf/namespaces.js';
import { catalogIri, distributionIri, distributionsGraphIri, downloadIri, sparqlEndpointIri, sparqlServiceIri } from './catalog-iris.js';
import { SPDX_SHA256, STABLE, fileTypeConcept } from './controlled-vocabularies.js';
import { ALL_FORMAT, DUMP_FORMATS, IANA, type FileFormat, type Lang3, csvwName, originalFormat } from './download-formats.js';
import type { DownloadInfo } from './dumps.js';

const { quad, literal, namedNode } = N3.DataFactory;
const LANGS = ['tg', 'ru', 'en'] as const;

/** What a SPARQL client gets back (SPARQL 1.1 Query Results JSON, the endpoint's default for SELECT). */
export const SPARQL_FORMAT: FileFormat = {
  mediaType: 'application/sparql-results+json', contentType: 'application/sparql-results+json', euFileType: 'SPARQLQRES',
  label: { tg: 'Нуқтаи дастрасии SPARQL', ru: 'Точка доступа SPARQL', en: 'SPARQL endpoint' }, text: true,
};

const ORIGINAL_NOTE: Lang3 = {
  tg: 'Ҷадвале, ки мақомот пур кардаанд ва маълумот аз он табдил дода шудааст.',
  ru: 'Таблица, которую заполнили чиновники и из которой преобразованы данные.',
  en: 'The spreadsheet as officials filled it, from which the data was converted.',
};
/** What a dump holds, for people (dct:description of its distribution). */
const DUMP_NOTE: Lang3 = {
  tg: 'Маълумот ва метамаълумоти маҷмӯа (графи номдори он) дар як файл.',
  ru: 'Данные и метаданные набора (его именованный граф) одним файлом.',
  en: 'The dataset\'s data and metadata (its named graph) in one file.',
};
const CSV_NOTE: Lang3 = {
  tg: 'Як сатр барои ҳар воҳид ё ҳар рақам; метамаълумоти CSV on the Web ҳар сутунро тавсиф мекунад.',
  ru: 'Одна строка на единицу или на значение; метаданные CSV on the Web описывают каждый столбец.',
  en: 'One row per unit or per figure; the CSV on the Web metadata describes every column.',
};
/** HXL 1.1, the standard the HXL-tagged CSV follows (its dct:conformsTo). */
export const HXL_STANDARD = 'https://hxlstandard.org/standard/1-1final/';
const HXL_NOTE: Lang3 = {
  tg: 'Ҳамон CSV бо сатри дуюми ҳештегҳои HXL (#adm3+code, #date+year, …) барои HDX ва абзорҳои HXL.',
  ru: 'Тот же CSV со второй строкой хештегов HXL (#adm3+code, #date+year, …) для HDX и инструментов HXL.',
  en: 'The same CSV with a second row of HXL hashtags (#adm3+code, #date+year, …), for HDX and the HXL tools.',
};
const SPARQL_NOTE: Lang3 = {
  tg: 'Дархостҳои SPARQL ба ҳамаи маълумот; ин маҷмӯа дар графи номдори худ аст.',
  ru: 'Запросы SPARQL ко всем данным; этот набор находится в своём именованном графе.',
  en: 'SPARQL queries over all the data; this dataset is in its own named graph.',
};
const ALL_TITLE: Lang3 = { tg: 'Ҳамаи маълумот (N-Quads, gzip)', ru: 'Все данные (N-Quads, gzip)', en: 'All data (N-Quads, gzip)' };
const ALL_NOTE: Lang3 = {
  tg: 'Ҳамаи графҳои номдор дар як файл, ба истиснои графе, ки андоза ва checksum-и файлҳоро тавсиф мекунад.',
  ru: 'Все именованные графы одним файлом, кроме графа, описывающего размеры и контрольные суммы файлов.',
  en: 'Every named graph in one file, except the graph describing the files\' sizes and checksums.',
};

/**
 * The `/graph/distributions` graph: each dataset's distributions (DCAT 3 §6.8) with media type,
 * format, byte size, SHA-256 checksum and licence, its SPARQL access, and `all.nq.gz` as a
 * distribution of the catalog (in DCAT 3 a catalog is a dataset). Built from the files just made,
 * after them, and kept out of every dump: it is the description of the dumps.
 */
export function distributionQuads(files: readonly DownloadInfo[], ctx: { ns: Minted; manifest: Manifest }): Quad[] {
  const { ns, manifest } = ctx;
  const graph = distributionsGraphIri(ns);
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const license = namedNode(manifest.license);
  const langs = (s: NamedNode, p: NamedNode, m: Lang3) => LANGS.forEach((l) => add(s, p, literal(m[l], l)));

  const describe = (dist: NamedNode, file: DownloadInfo, format: FileFormat) => out.push(...fileDistributionQuads(dist, file, format, { ns, license, graph }));

  for (const spec of manifest.datasets) {
    const ds = datasetIri(ns, spec.id);
    const own = files.filter((f) => f.dataset === spec.id);
    for (const file of own) {
      if (file.role === 'csvw') continue;
      const key = file.role === 'original' ? `source-${file.name}` : file.name.slice(spec.id.length + 1);
      const format = file.role === 'original' ? originalFormat(file.name) : DUMP_FORMATS[key as keyof typeof DUMP_FORMATS];
      const dist = distributionIri(ns, spec.id, key);
      add(ds, dcat('distribution'), dist);
      describe(dist, file, format);
      add(dist, dct('modified'), literal(spec.modified, xsd('date')));
      for (const l of LANGS) add(dist, dct('title'), literal(`${spec.title[l]}: ${format.label[l]}`, l));
      if (file.role === 'original') {
        langs(dist, dct('description'), ORIGINAL_NOTE);
      } else if (key === 'hxl.csv') {
        langs(dist, dct('description'), HXL_NOTE);
        add(dist, dct('conformsTo'), namedNode(HXL_STANDARD));
        add(namedNode(HXL_STANDARD), rdf('type'), dct('Standard'));
        add(namedNode(HXL_STANDARD), dct('title'), literal('Humanitarian Exchange Language (HXL) Standard 1.1', 'en'));
      } else if (format.euFileType === 'CSV') {
        langs(dist, dct('description'), CSV_NOTE);
        // The CSV's schema is its CSV on the Web metadata (DCAT-AP: dct:conformsTo, "linked schemas").
        const metadata = files.find((f) => f.name === csvwName(spec.id));
        const schema = downloadIri(ns, csvwName(spec.id));
        add(dist, dct('conformsTo'), schema);
        add(schema, rdf('type'), dct('Standard'));
        add(schema, dct('title'), literal(`CSV on the Web metadata of ${file.name}`, 'en'));
        add(schema, dct('conformsTo'), namedNode('http://www.w3.org/TR/tabular-metadata/'));
        if (metadata) {
          add(schema, dcat('byteSize'), literal(String(metadata.bytes), xsd('nonNegativeInteger')));
          const checksum = namedNode(`${schema.value}#checksum`);
          add(schema, spdx('checksum'), checksum);
          add(checksum, rdf('type'), spdx('Checksum'));
          add(checksum, spdx('algorithm'), namedNode(SPDX_SHA256));
          add(checksum, spdx('checksumValue'), literal(metadata.sha256, xsd('hexBinary')));
        }
      } else {
        langs(dist, dct('description'), DUMP_NOTE);
        add(dist, dct('conformsTo'), namedNode(`${ns.base}def/lg`));
      }
    }
    const sparql = distributionIri(ns, spec.id, 'sparql');
    add(ds, dcat('distribution'), sparql);
    add(sparql, rdf('type'), dcat('Distribution'));
    add(sparql, dcat('accessURL'), sparqlEndpointIri(ns));
    add(sparql, dcat('accessService'), sparqlServiceIri(ns));
    add(sparql, dcat('mediaType'), namedNode(IANA + SPARQL_FORMAT.mediaType));
    add(sparql, dct('format'), namedNode(fileTypeConcept(SPARQL_FORMAT.euFileType).iri));
    add(sparql, dct('license'), license);
    add(sparql, namedNode('http://data.europa.eu/r5r/availability'), namedNode(STABLE.iri));
    for (const l of LANGS) add(sparql, dct('title'), literal(`${spec.title[l]}: ${SPARQL_FORMAT.label[l]}`, l));
    langs(sparql, dct('description'), SPARQL_NOTE);
  }

  const all = files.find((f) => f.role === 'all');
  if (all) {
    const dist = namedNode(`${catalogIri(ns).value}#distribution-all`);
    add(catalogIri(ns), dcat('distribution'), dist);
    describe(dist, all, ALL_FORMAT);
    langs(dist, dct('title'), ALL_TITLE);
    langs(dist, dct('description'), ALL_NOTE);
  }
  return out;
}

/** The EU file-type IRIs the distributions use, for the catalog's controlled-vocabulary facts. */
export function usedFileTypes(): string[] {
  return [...new Set([...Object.values(DUMP_FORMATS), ALL_FORMAT, SPARQL_FORMAT, originalFormat('x.xlsx'), originalFormat('x.csv')].map((f) => f.euFileType))];
}

/** The IANA media types the distributions use (dcat:mediaType and dcat:compressFormat values). */
export function usedMediaTypes(): string[] {
  const formats = [...Object.values(DUMP_FORMATS), ALL_FORMAT, SPARQL_FORMAT, originalFormat('x.xlsx'), originalFormat('x.csv')];
  return [...new Set(formats.flatMap((f) => [f.mediaType, ...(f.compressFormat ? [f.compressFormat] : [])]))].map((t) => IANA + t);
}

/**
 * A downloadable file as a dcat:Distribution (DCAT-AP: accessURL and downloadURL, media type, EU
 * file type, byte size, SHA-256, licence, availability). Shared by the datasets' downloads and the
 * slices' (src/slices/slice-catalog.ts).
 */
export function fileDistributionQuads(dist: NamedNode, file: DownloadInfo, format: FileFormat, ctx: { ns: Minted; license: NamedNode; graph: NamedNode }): Quad[] {
  const { ns, license, graph } = ctx;
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object'], graph));
  const url = downloadIri(ns, file.name);
  add(dist, rdf('type'), dcat('Distribution'));
  add(dist, dcat('downloadURL'), url);
  // DCAT-AP makes accessURL mandatory; for a file it is the file itself.
  add(dist, dcat('accessURL'), url);
  add(dist, dcat('mediaType'), namedNode(IANA + format.mediaType));
  add(dist, dct('format'), namedNode(fileTypeConcept(format.euFileType).iri));
  if (format.compressFormat) add(dist, dcat('compressFormat'), namedNode(IANA + format.compressFormat));
  add(dist, dcat('byteSize'), literal(String(file.bytes), xsd('nonNegativeInteger')));
  const checksum = namedNode(`${dist.value}-checksum`);
  add(dist, spdx('checksum'), checksum);
  add(checksum, rdf('type'), spdx('Checksum'));
  add(checksum, spdx('algorithm'), namedNode(SPDX_SHA256));
  add(checksum, spdx('checksumValue'), literal(file.sha256, xsd('hexBinary')));
  add(dist, dct('license'), license);
  add(dist, namedNode('http://data.europa.eu/r5r/availability'), namedNode(STABLE.iri));
  return out;
}
