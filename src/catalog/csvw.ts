import type { DatasetSpec } from '../convert/layout.js';
import type { Table } from './csv-tables.js';

/**
 * The CSV on the Web metadata of one CSV (W3C "Metadata Vocabulary for Tabular Data", 2015): a
 * table description whose columns are the CSV's columns, in order, each with its title (the header
 * text), datatype and, where the cell says something about a resource, the URI templates that turn
 * it into the same triple our RDF has (propertyUrl, valueUrl, aboutUrl). A CSVW processor run in
 * "standard" mode over the pair gives RDF about our own URIs.
 *
 * The file is published as `{csv}-metadata.json`, the name CSVW processors try first for a CSV
 * (§5.2 "Default Locations and Site-wide Location Configuration", `{+url}-metadata.json`), and the
 * download route links it from the CSV with `Link: rel="describedby"` (§5.2's first method).
 */

export interface CsvwContext {
  /** The CSV's file name, relative to the metadata file (both live under /download/). */
  csvName: string;
  spec: DatasetSpec;
  datasetIri: string;
  publisherIri: string;
  license: string;
}

type LangValue = { '@value': string; '@language': string };
const LANGS = ['tg', 'ru', 'en'] as const;
const langValues = (m: Record<(typeof LANGS)[number], string>): LangValue[] => LANGS.map((l) => ({ '@value': m[l], '@language': l }));

export function csvwMetadata(table: Table, ctx: CsvwContext): Record<string, unknown> {
  const columns: Record<string, unknown>[] = table.columns.map((c) => ({
    name: c.name,
    titles: c.name,
    'dc:description': c.description,
    datatype: c.datatype,
    ...(c.required ? { required: true } : {}),
    ...(c.lang ? { lang: c.lang } : {}),
    ...(c.aboutUrl ? { aboutUrl: c.aboutUrl } : {}),
    ...(c.propertyUrl ? { propertyUrl: c.propertyUrl } : {}),
    ...(c.valueUrl ? { valueUrl: c.valueUrl } : {}),
    // A column with no property (e.g. the row's own URI, used in aboutUrl) makes no triple.
    ...(c.propertyUrl ? {} : { suppressOutput: true }),
  }));
  for (const v of table.virtual) {
    columns.push({ name: v.name, virtual: true, ...(v.aboutUrl ? { aboutUrl: v.aboutUrl } : {}), propertyUrl: v.propertyUrl, valueUrl: v.valueUrl });
  }
  return {
    // The default language of `titles` and `dc:description` values given as plain strings.
    '@context': ['http://www.w3.org/ns/csvw', { '@language': 'en' }],
    url: ctx.csvName,
    'dc:title': langValues(ctx.spec.title),
    'dc:description': langValues(ctx.spec.description),
    'dc:license': { '@id': ctx.license },
    'dc:publisher': { '@id': ctx.publisherIri },
    'dc:modified': { '@value': ctx.spec.modified, '@type': 'xsd:date' },
    // The CSV is the dataset in another format; the dataset's metadata says the rest (/catalog).
    'dc:isFormatOf': { '@id': ctx.datasetIri },
    dialect: { encoding: 'utf-8', lineTerminators: ['\r\n'], header: true, delimiter: ',' },
    tableSchema: {
      columns,
      primaryKey: table.primaryKey.length === 1 ? table.primaryKey[0] : table.primaryKey,
      aboutUrl: table.aboutUrl,
    },
  };
}
