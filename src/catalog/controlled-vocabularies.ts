/**
 * The values the catalog takes from controlled vocabularies (DCAT-AP 3 §"Controlled vocabularies"):
 * the EU Publications Office authority tables (data themes, languages, file types, access rights,
 * countries), ADMS (publisher and licence types), IANA media types and SPDX checksum algorithms.
 *
 * DCAT-AP validation imports those tables (`shacl-html/mdr_imports.ttl` names them); we cannot
 * fetch them at build time and a harvester should not have to either, so the catalog states, for
 * each value it uses, what the table says about it: its class, its scheme and its English label,
 * copied from the table. Nothing here is ours to define: an IRI's meaning is its authority's.
 */

export const EU = 'http://publications.europa.eu/resource/authority/';
export const ADMS = 'http://purl.org/adms/';
export const SPDX_SHA256 = 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256';

/** EU data themes (scheme http://publications.europa.eu/resource/authority/data-theme). */
export const DATA_THEMES: Readonly<Record<string, string>> = {
  AGRI: 'Agriculture, fisheries, forestry and food',
  ECON: 'Economy and finance',
  EDUC: 'Education, culture and sport',
  ENER: 'Energy',
  ENVI: 'Environment',
  GOVE: 'Government and public sector',
  HEAL: 'Health',
  INTR: 'International issues',
  JUST: 'Justice, legal system and public safety',
  REGI: 'Regions and cities',
  SOCI: 'Population and society',
  TECH: 'Science and technology',
  TRAN: 'Transport',
};

/** The languages of our labels, as the EU language table codes them (ISO 639-2/B-like). */
export const LANGUAGES: Readonly<Record<'tg' | 'ru' | 'en', { code: string; label: string }>> = {
  tg: { code: 'TGK', label: 'Tajik' },
  ru: { code: 'RUS', label: 'Russian' },
  en: { code: 'ENG', label: 'English' },
};

/** EU file types we use (dct:format of a distribution). */
export const FILE_TYPES: Readonly<Record<string, string>> = {
  RDF_TURTLE: 'RDF Turtle',
  RDF_N_TRIPLES: 'RDF N-Triples',
  RDF_N_QUADS: 'RDF N-Quads',
  JSON_LD: 'JSON-LD',
  JSON: 'JSON',
  CSV: 'CSV',
  XLSX: 'XLSX',
  SPARQLQRES: 'SPARQL results',
};

export interface ConceptFact {
  iri: string;
  scheme: string;
  schemeTitle: string;
  label: string;
}

const scheme = (table: string) => `${EU}${table}`;

export function themeConcept(code: string): ConceptFact {
  const label = DATA_THEMES[code];
  if (!label) throw new Error(`unknown EU data theme ${code}`);
  return { iri: `${scheme('data-theme')}/${code}`, scheme: scheme('data-theme'), schemeTitle: 'Data theme', label };
}

export function languageConcept(lang: 'tg' | 'ru' | 'en'): ConceptFact {
  const l = LANGUAGES[lang];
  return { iri: `${scheme('language')}/${l.code}`, scheme: scheme('language'), schemeTitle: 'Language', label: l.label };
}

export function fileTypeConcept(code: string): ConceptFact {
  const label = FILE_TYPES[code];
  if (!label) throw new Error(`unknown EU file type ${code}`);
  return { iri: `${scheme('file-type')}/${code}`, scheme: scheme('file-type'), schemeTitle: 'File type', label };
}

/** Open to everyone without restriction. */
export const PUBLIC_ACCESS: ConceptFact = { iri: `${scheme('access-right')}/PUBLIC`, scheme: scheme('access-right'), schemeTitle: 'Access right', label: 'public' };

/** The country, in the EU country table: harvesters facet datasets by it. */
export const COUNTRY_TJK: ConceptFact = { iri: `${scheme('country')}/TJK`, scheme: scheme('country'), schemeTitle: 'Country', label: 'Tajikistan' };

/** The publisher is a national body (ADMS publisher type). */
export const NATIONAL_AUTHORITY: ConceptFact = {
  iri: `${ADMS}publishertype/NationalAuthority`, scheme: `${ADMS}publishertype/1.0`, schemeTitle: 'Publisher type', label: 'National authority',
};

/** CC BY 4.0 asks for attribution (ADMS licence type). */
export const ATTRIBUTION: ConceptFact = {
  iri: `${ADMS}licencetype/Attribution`, scheme: `${ADMS}licencetype/1.0`, schemeTitle: 'Licence type', label: 'Attribution',
};

/** The download URLs stay where they are for the long term (DCAT-AP dcatap:availability). */
export const STABLE: ConceptFact = {
  iri: `${scheme('planned-availability')}/STABLE`, scheme: scheme('planned-availability'), schemeTitle: 'Planned availability', label: 'stable',
};

export const DATA_THEME_SCHEME = scheme('data-theme');
