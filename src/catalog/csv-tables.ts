import N3 from 'n3';
import { STD, type Minted } from '../rdf/namespaces.js';
import type { QuadIndex } from '../rdf/quad-index.js';
import { commonTag, placeHashtag } from './hxl.js';

/**
 * The CSV form of a dataset, read back from its published quads (so the CSV says what the RDF
 * says, nothing else): for the units one row per unit, for a statistics dataset one row per
 * observation. Each column is declared once, with what csvw.ts needs to describe it (W3C Metadata
 * Vocabulary for Tabular Data): its datatype, and how a cell becomes a triple about our URIs.
 */

export interface ColumnSpec {
  /** The header text and the column's name (CSVW `name` and `titles`). */
  name: string;
  /** XSD datatype local name (CSVW built-in datatypes). */
  datatype: 'string' | 'anyURI' | 'integer' | 'decimal' | 'gYear' | 'boolean';
  description: string;
  /** CSVW URI templates (RFC 6570); absent `propertyUrl` means the column makes no triple. */
  aboutUrl?: string;
  propertyUrl?: string;
  valueUrl?: string;
  lang?: string;
  required?: boolean;
  /** The column's HXL hashtag and attributes, for the .hxl.csv form (hxl.ts). */
  hxl?: string;
}

export interface VirtualColumn {
  name: string;
  aboutUrl?: string;
  propertyUrl: string;
  valueUrl: string;
}

export interface Table {
  columns: ColumnSpec[];
  virtual: VirtualColumn[];
  /** The tableSchema's aboutUrl: the subject of each row's triples. */
  aboutUrl: string;
  primaryKey: string[];
  rows: Record<string, string>[];
}

const { namedNode } = N3.DataFactory;
const WD = 'http://www.wikidata.org/entity/';
const GN = /^https:\/\/sws\.geonames\.org\/(\d+)\/$/;
const GEONAMES_LINKS = [`${STD.owl}sameAs`, `${STD.skos}exactMatch`, `${STD.skos}closeMatch`];

const after = (iri: string, prefix: string) => (iri.startsWith(prefix) ? iri.slice(prefix.length) : '');

/** One row per administrative unit, sorted by code. */
export function unitsTable(store: N3.Store, ns: Minted): Table {
  const lg = `${ns.base}def/lg#`;
  const one = (s: string, p: string) => store.getObjects(namedNode(s), namedNode(p), null)[0]?.value ?? '';
  const all = (s: string, p: string) => store.getObjects(namedNode(s), namedNode(p), null).map((o) => o.value);
  const label = (s: string, lang: string) => store.getObjects(namedNode(s), namedNode(`${STD.skos}prefLabel`), null).find((o) => (o as N3.Literal).language === lang)?.value ?? '';
  const units = store.getSubjects(namedNode(`${lg}adminLevel`), null, null).map((t) => t.value);
  const rows = units.map((u) => {
    const parent = one(u, `${lg}within`);
    const geonames = GEONAMES_LINKS.flatMap((p) => all(u, p).filter((o) => GN.test(o)).map((o) => ({ p, id: GN.exec(o)?.[1] ?? '' })))[0];
    return {
      code: one(u, `${lg}code`),
      uri: u,
      level: after(one(u, `${lg}adminLevel`), `${lg}level-`),
      type: all(u, `${STD.rdf}type`).map((t) => after(t, lg)).find((t) => t !== '') ?? '',
      name_tg: label(u, 'tg'),
      name_ru: label(u, 'ru'),
      name_en: label(u, 'en'),
      parent_code: parent ? one(parent, `${lg}code`) : '',
      parent_uri: parent,
      population: one(u, `${lg}population`),
      population_year: one(u, `${lg}populationYear`),
      wikidata: all(u, `${STD.owl}sameAs`).map((o) => after(o, WD)).find((q) => q !== '') ?? '',
      wikidata_settlement: after(one(u, `${lg}settlementWikidata`), WD),
      geonames: geonames?.id ?? '',
      geonames_relation: geonames?.p ?? '',
      hasc: one(u, `${lg}hasc`),
      iso3166_2: one(u, `${lg}iso3166-2`),
    };
  });
  rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const skos = STD.skos;
  return {
    aboutUrl: '{+uri}',
    primaryKey: ['code'],
    virtual: [],
    rows,
    columns: [
      { name: 'code', hxl: '#loc+code', datatype: 'string', required: true, propertyUrl: `${lg}code`, description: 'The unit\'s stable code (not an official code; README "Codes and URIs")' },
      { name: 'uri', hxl: '#loc+url', datatype: 'anyURI', required: true, description: 'The unit\'s URI: the subject of the row (aboutUrl)' },
      { name: 'level', hxl: '#loc+type+level', datatype: 'string', required: true, propertyUrl: `${lg}adminLevel`, valueUrl: `${lg}level-{level}`, description: 'Administrative level: country, region, district or jamoat' },
      { name: 'type', hxl: '#loc+type', datatype: 'string', required: true, propertyUrl: `${STD.rdf}type`, valueUrl: `${lg}{type}`, description: 'Class in the lg: vocabulary (Region, District, City, CityDistrict, Jamoat, Town, Country)' },
      { name: 'name_tg', hxl: '#loc+name+i_tg', datatype: 'string', lang: 'tg', propertyUrl: `${skos}prefLabel`, description: 'Name in Tajik, where a source gives it' },
      { name: 'name_ru', hxl: '#loc+name+i_ru', datatype: 'string', lang: 'ru', propertyUrl: `${skos}prefLabel`, description: 'Name in Russian, where a source gives it' },
      { name: 'name_en', hxl: '#loc+name+i_en', datatype: 'string', lang: 'en', required: true, propertyUrl: `${skos}prefLabel`, description: 'Name in English' },
      { name: 'parent_code', hxl: '#loc+code+parent', datatype: 'string', description: 'Code of the containing unit' },
      { name: 'parent_uri', hxl: '#loc+url+parent', datatype: 'anyURI', propertyUrl: `${lg}within`, valueUrl: '{+parent_uri}', description: 'URI of the containing unit' },
      { name: 'population', hxl: hxlTagOf(store, `${ns.base}def/indicator/population`, lg) ?? '#population', datatype: 'integer', propertyUrl: `${lg}population`, description: 'Population, persons' },
      { name: 'population_year', hxl: '#date+year', datatype: 'gYear', propertyUrl: `${lg}populationYear`, description: 'Reference year of the population' },
      { name: 'wikidata', hxl: '#loc+code+v_wikidata', datatype: 'string', propertyUrl: `${STD.owl}sameAs`, valueUrl: `${WD}{wikidata}`, description: 'Wikidata item that is this unit (owl:sameAs)' },
      { name: 'wikidata_settlement', hxl: '#loc+code+v_wikidata+settlement', datatype: 'string', propertyUrl: `${lg}settlementWikidata`, valueUrl: `${WD}{wikidata_settlement}`, description: 'Wikidata item of the city or town the unit is named after or administers (not the unit itself)' },
      { name: 'geonames', hxl: '#loc+code+v_geonames', datatype: 'string', propertyUrl: '{+geonames_relation}', valueUrl: 'https://sws.geonames.org/{geonames}/', description: 'GeoNames feature id, linked with the property in geonames_relation' },
      { name: 'geonames_relation', hxl: '#meta+url+geonames_relation', datatype: 'anyURI', description: 'How the GeoNames feature relates to the unit: owl:sameAs (the unit), skos:exactMatch (the same unit, matched by name) or skos:closeMatch (an earlier unit of that name)' },
      { name: 'hasc', hxl: '#loc+code+v_hasc', datatype: 'string', propertyUrl: `${lg}hasc`, description: 'HASC code (Statoids), a notation' },
      { name: 'iso3166_2', hxl: '#loc+code+v_iso3166_2', datatype: 'string', propertyUrl: `${lg}iso3166-2`, description: 'ISO 3166-2 code (regions), a notation' },
    ],
  };
}

/**
 * One row per observation of the dataset, sorted by unit code, indicator and year. It reads the
 * quads through an index (src/rdf/quad-index.ts) rather than a store: at 10x the country a store of
 * a dataset's graph was a large part of the downloads' memory. Every property it reads has one
 * value, so the order the two give several values in does not matter here.
 */
export function statisticsTable(index: QuadIndex, ns: Minted, dataset: string): Table {
  const lg = `${ns.base}def/lg#`;
  const ind = `${ns.base}def/indicator/`;
  const ds = `${ns.base}id/dataset/${dataset}`;
  const one = (s: string, p: string) => index.one(s, p) ?? '';
  const observations = index.subjectsOf(`${STD.qb}dataSet`, ds);
  const sample = one(ds, `${lg}sampleData`);
  const rows = observations.map((o) => {
    const unit = one(o, `${lg}refArea`);
    const indicator = one(o, `${STD.qb}measureType`);
    const label = index.objects(unit, `${STD.skos}prefLabel`).find((l) => l.termType === 'Literal' && l.language === 'en')?.value ?? '';
    return {
      unit_code: one(unit, `${lg}code`),
      unit_uri: unit,
      unit_name_en: label,
      indicator: after(indicator, ind),
      year: one(o, `${lg}refPeriod`),
      value: one(o, indicator),
      unit_of_measure: after(one(o, `${lg}unitMeasure`), `${lg}unit-`),
      sample,
    };
  });
  rows.sort((a, b) => compare([a.unit_code, a.indicator, a.year], [b.unit_code, b.indicator, b.year]));
  // Integer if every indicator of the dataset is (the vocabulary's rdfs:range), else decimal.
  const ranges = new Set(rows.map((r) => one(`${ind}${r.indicator}`, `${STD.rdfs}range`)));
  const valueType = [...ranges].every((r) => r === `${STD.xsd}integer`) ? 'integer' : 'decimal';
  // HXL: the value column takes the indicators' own tags from the vocabulary (lg:hxlTag), the
  // unit columns the hashtag of the level their units are of (hxl.ts).
  const indicators = [...new Set(rows.map((r) => `${ind}${r.indicator}`))].sort();
  const valueTag = commonTag(indicators.map((i) => index.one(i, `${lg}hxlTag`) ?? '#indicator+value+num'));
  const place = placeHashtag(rows.map((r) => after(one(r.unit_uri, `${lg}adminLevel`), `${lg}level-`)));
  return {
    aboutUrl: `${ns.base}id/observation/${dataset}/{unit_code}/{indicator}/{year}`,
    primaryKey: ['unit_code', 'indicator', 'year'],
    rows,
    virtual: [
      { name: 'type', propertyUrl: `${STD.rdf}type`, valueUrl: `${STD.qb}Observation` },
      { name: 'dataset', propertyUrl: `${STD.qb}dataSet`, valueUrl: ds },
    ],
    columns: [
      { name: 'unit_code', hxl: `${place}+code`, datatype: 'string', required: true, description: 'Code of the jamoat or town' },
      { name: 'unit_uri', hxl: `${place}+url`, datatype: 'anyURI', required: true, propertyUrl: `${lg}refArea`, valueUrl: '{+unit_uri}', description: 'URI of the unit (reference area)' },
      { name: 'unit_name_en', hxl: `${place}+name+i_en`, datatype: 'string', aboutUrl: '{+unit_uri}', propertyUrl: `${STD.skos}prefLabel`, lang: 'en', description: 'English name of the unit, for reading' },
      { name: 'indicator', hxl: '#indicator+code', datatype: 'string', required: true, propertyUrl: `${STD.qb}measureType`, valueUrl: `${ind}{indicator}`, description: 'Indicator id (the measure): its definition is at /def/indicator/{indicator}' },
      { name: 'year', hxl: '#date+year', datatype: 'gYear', required: true, propertyUrl: `${lg}refPeriod`, description: 'Reference year' },
      { name: 'value', hxl: valueTag, datatype: valueType, required: true, propertyUrl: `${ind}{indicator}`, description: 'The figure, in the unit of measure' },
      { name: 'unit_of_measure', hxl: '#indicator+unit', datatype: 'string', required: true, propertyUrl: `${lg}unitMeasure`, valueUrl: `${lg}unit-{unit_of_measure}`, description: 'Unit of measure (persons, count, percent, km, thousand-somoni)' },
      { name: 'sample', hxl: '#meta+sample', datatype: 'boolean', required: true, aboutUrl: ds, propertyUrl: `${lg}sampleData`, description: 'true: generated sample data, not official figures' },
    ],
  };
}

function compare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Datatypes whose cells are numbers: a leading minus there is a sign, not a formula. */
const NUMERIC = new Set<ColumnSpec['datatype']>(['integer', 'decimal', 'gYear']);
/** A plain number as the converter writes it: a sign, digits, a decimal part; nothing a spreadsheet could run. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** What a spreadsheet program reads as the start of a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field of the CSV, made safe to open in a spreadsheet (issue #14.3): a cell that starts with
 * = + - @ tab or carriage return would be run as a formula by Excel or LibreOffice
 * (`=HYPERLINK(…)`, `+1+cmd|' /C calc'!A0`, `@SUM(…)`), so it gets a leading single quote (shown as
 * text, the quote itself hidden) and is quoted, as OWASP advises. A plain number in a numeric
 * column ("-3", "-12.5") is left as it is, so negative figures stay numbers. The converter refuses
 * such names; this holds for anything that reaches a download all the same.
 */
export function csvField(value: string, numeric = false): string {
  if (FORMULA_START.test(value) && !(numeric && PLAIN_NUMBER.test(value))) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180: CRLF line ends, a header row, a field quoted when it holds a comma, quote or line break; formulas neutralised (csvField). */
export function toCsv(table: Table): string {
  return `${csvLines(table).join('\r\n')}\r\n`;
}

/** The header line, then one line per row (the plain and the HXL CSV share them). */
export function csvLines(table: Table): string[] {
  const names = table.columns.map((c) => c.name);
  const numeric = table.columns.map((c) => NUMERIC.has(c.datatype));
  return [names.map((n) => csvField(n)).join(','), ...table.rows.map((r) => names.map((n, i) => csvField(r[n] ?? '', numeric[i])).join(','))];
}

/** An indicator's HXL tag, as the vocabulary declares it (lg:hxlTag). */
function hxlTagOf(store: N3.Store, indicator: string, lg: string): string | undefined {
  return store.getObjects(namedNode(indicator), namedNode(`${lg}hxlTag`), null)[0]?.value;
}
