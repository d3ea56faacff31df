/**
 * The one table of what `/download/` holds (design.md, "Fixed paths"): per dataset a Turtle file,
 * gzipped N-Triples, JSON-LD, a CSV with its CSV on the Web metadata, the same CSV tagged with
 * HXL hashtags, and the original spreadsheets; for everything, `all.nq.gz`. Dumps, distributions, the download route and the
 * manifest check all look names and types up here.
 *
 * Content types follow HTTP: a `.gz` file is served as what it is, `application/gzip`, with no
 * Content-Encoding (the client is meant to save the gzip file, not to have it decoded in transit).
 * The catalog says the same thing in DCAT terms: dcat:mediaType is the type of the data inside
 * (N-Triples), dcat:compressFormat is gzip (DCAT 3 §6.8.14; dcat:packageFormat is for bundles of
 * several files, which these are not).
 */

export type Lang3 = { tg: string; ru: string; en: string };

export type DumpKey = 'ttl' | 'nt.gz' | 'jsonld' | 'csv' | 'hxl.csv';

export interface FileFormat {
  /** Media type of the data itself (for a gzip file: of what is inside). */
  mediaType: string;
  /** The Content-Type header value the download route sends. */
  contentType: string;
  /** The code in the EU file-type authority table (dct:format). */
  euFileType: string;
  /** Set for compressed files: the compression's media type (dcat:compressFormat). */
  compressFormat?: string;
  /** The format's name for people (dct:title of a distribution, the catalog page). */
  label: Lang3;
  /** Whether the content is text, worth compressing in transit (gzip and XLSX already are compressed). */
  text: boolean;
}

export const IANA = 'https://www.iana.org/assignments/media-types/';
export const EU_FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';

const GZIP = 'application/gzip';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The per-dataset dumps, in the order the catalog lists them. */
export const DUMP_FORMATS: Readonly<Record<DumpKey, FileFormat>> = {
  ttl: { mediaType: 'text/turtle', contentType: 'text/turtle; charset=utf-8', euFileType: 'RDF_TURTLE', label: { tg: 'Turtle', ru: 'Turtle', en: 'Turtle' }, text: true },
  'nt.gz': {
    mediaType: 'application/n-triples', contentType: GZIP, euFileType: 'RDF_N_TRIPLES', compressFormat: GZIP,
    label: { tg: 'N-Triples (gzip)', ru: 'N-Triples (gzip)', en: 'N-Triples (gzip)' }, text: false,
  },
  jsonld: { mediaType: 'application/ld+json', contentType: 'application/ld+json', euFileType: 'JSON_LD', label: { tg: 'JSON-LD', ru: 'JSON-LD', en: 'JSON-LD' }, text: true },
  csv: {
    mediaType: 'text/csv', contentType: 'text/csv; charset=utf-8; header=present', euFileType: 'CSV',
    label: { tg: 'CSV (бо метамаълумоти CSVW)', ru: 'CSV (с метаданными CSVW)', en: 'CSV (with CSVW metadata)' }, text: true,
  },
  // The same CSV with a row of HXL hashtags under the header (hxl.ts): a file of its own, since a
  // reader that does not know HXL would take the hashtag row for data. `.hxl.csv` keeps the `.csv`
  // that spreadsheets and HDX go by, and says which it is.
  'hxl.csv': {
    mediaType: 'text/csv', contentType: 'text/csv; charset=utf-8; header=present', euFileType: 'CSV',
    label: { tg: 'CSV бо ҳештегҳои HXL', ru: 'CSV с хештегами HXL', en: 'CSV with HXL hashtags' }, text: true,
  },
};

export const DUMP_KEYS = Object.keys(DUMP_FORMATS) as DumpKey[];

/** The CSV on the Web metadata beside each CSV (W3C Metadata Vocabulary for Tabular Data §5.2). */
export const CSVW_FORMAT: FileFormat = {
  mediaType: 'application/csvm+json', contentType: 'application/csvm+json', euFileType: 'JSON',
  label: { tg: 'Метамаълумоти CSVW', ru: 'Метаданные CSVW', en: 'CSVW metadata' }, text: true,
};

/** The whole data, every graph but the one describing the downloads, as gzipped N-Quads. */
export const ALL_DUMP = 'all.nq.gz';
export const ALL_FORMAT: FileFormat = {
  mediaType: 'application/n-quads', contentType: GZIP, euFileType: 'RDF_N_QUADS', compressFormat: GZIP,
  label: { tg: 'N-Quads (gzip)', ru: 'N-Quads (gzip)', en: 'N-Quads (gzip)' }, text: false,
};

/** An original spreadsheet, by its extension. */
export function originalFormat(fileName: string): FileFormat {
  const original = { tg: 'аслӣ', ru: 'исходный файл', en: 'original' };
  if (/\.xlsx$/i.test(fileName)) {
    return { mediaType: XLSX, contentType: XLSX, euFileType: 'XLSX', label: { tg: `XLSX (${original.tg})`, ru: `XLSX (${original.ru})`, en: `XLSX (${original.en})` }, text: false };
  }
  return { mediaType: 'text/csv', contentType: 'text/csv; charset=utf-8', euFileType: 'CSV', label: { tg: `CSV (${original.tg})`, ru: `CSV (${original.ru})`, en: `CSV (${original.en})` }, text: true };
}

export function dumpName(dataset: string, key: DumpKey): string {
  return `${dataset}.${key}`;
}

export function csvwName(dataset: string): string {
  return `${dumpName(dataset, 'csv')}-metadata.json`;
}

/** Every file name the build writes for these datasets: the manifest refuses an original named like one. */
export function generatedFileNames(datasets: readonly string[]): string[] {
  return [ALL_DUMP, ...datasets.flatMap((d) => [...DUMP_KEYS.map((k) => dumpName(d, k)), csvwName(d)])];
}
