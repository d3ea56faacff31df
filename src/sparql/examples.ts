import type { Lang } from '../html/models.js';
import { prefixes } from '../serialize/context.js';

/**
 * The example queries: what a researcher would first ask of this data. One list, used by the
 * query editor (a menu), copied into README.md verbatim (a test checks), and each run by the tests
 * against the shipped data (it must return rows). Bodies name units by their stable code
 * (`lg:code`), never by a URI, so they do not depend on BASE_URI; the PREFIX lines do.
 */

/** The prefixes the editor declares and the examples use: ours first, then the standard ones. */
const EDITOR_PREFIXES = ['lg', 'ind', 'skos', 'qb', 'dct', 'rdfs', 'rdf', 'xsd', 'owl', 'prov', 'dcat', 'schema', 'geo'] as const;

export type PrefixName = (typeof EDITOR_PREFIXES)[number];

/** Their IRIs, from the one prefix table the serializers use too (src/serialize/context.ts). */
export function sparqlPrefixes(base: string): Record<PrefixName, string> {
  const all = prefixes(base);
  return Object.fromEntries(EDITOR_PREFIXES.map((p) => [p, all[p] as string])) as Record<PrefixName, string>;
}

export interface Example {
  /** Stable, for links (`#example-{id}`) and tests. */
  id: string;
  title: Record<Lang, string>;
  /** The prefixes `body` uses, in the order they are declared. */
  prefixes: PrefixName[];
  /** The query without its PREFIX lines. */
  body: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'jamoats-of-district',
    title: {
      en: 'Jamoats of a district with their population',
      ru: 'Джамоаты района и их население',
      tg: 'Ҷамоатҳои ноҳия ва шумораи аҳолии онҳо',
    },
    prefixes: ['lg', 'skos'],
    body: `# The jamoat-level units of Yovon district (code TJ-KT-06), with the population the
# reference gives and its year. Change the code to list another district.
SELECT ?jamoat ?code ?name ?population ?year WHERE {
  ?district lg:code "TJ-KT-06" .
  ?jamoat lg:within ?district ;
          lg:adminLevel lg:level-jamoat ;
          lg:code ?code ;
          skos:prefLabel ?name .
  FILTER(LANG(?name) = "en")
  OPTIONAL { ?jamoat lg:population ?population ; lg:populationYear ?year }
}
ORDER BY ?code`,
  },
  {
    id: 'indicator-over-years',
    title: {
      en: 'An indicator over the years for one jamoat',
      ru: 'Показатель по годам для одного джамоата',
      tg: 'Нишондиҳанда дар тӯли солҳо барои як ҷамоат',
    },
    prefixes: ['lg', 'ind', 'qb'],
    body: `# Pupils in general education schools in Norin jamoat (TJ-KT-06-06), year by year,
# with the flag that says whether the figure's dataset is sample data.
SELECT ?year ?pupils ?sampleData WHERE {
  ?jamoat lg:code "TJ-KT-06-06" .
  ?observation lg:refArea ?jamoat ;
               qb:measureType ind:pupils ;
               ind:pupils ?pupils ;
               lg:refPeriod ?year ;
               qb:dataSet ?dataset .
  ?dataset lg:sampleData ?sampleData .
}
ORDER BY ?year`,
  },
  {
    id: 'districts-ranked',
    title: {
      en: 'Districts ranked by an indicator',
      ru: 'Районы по убыванию показателя',
      tg: 'Ноҳияҳо аз рӯи нишондиҳанда',
    },
    prefixes: ['lg', 'ind', 'qb', 'skos', 'xsd'],
    body: `# Districts ranked by an indicator in one year: the totals the converter publishes for a
# district whose every jamoat and town reported (lg:computed true; a district with gaps has none,
# rather than a sum that looks complete). Change the indicator or the year in VALUES.
SELECT ?district ?name ?year ?total ?sampleData WHERE {
  VALUES (?indicator ?year) { (ind:pupils "2024"^^xsd:gYear) }
  ?observation qb:measureType ?indicator ;
               ?indicator ?total ;
               lg:refPeriod ?year ;
               lg:refArea ?district ;
               lg:computed true ;
               qb:dataSet/lg:sampleData ?sampleData .
  ?district lg:adminLevel lg:level-district ; skos:prefLabel ?name .
  FILTER(LANG(?name) = "en")
}
ORDER BY DESC(?total)`,
  },
  {
    id: 'wikidata-links',
    title: {
      en: 'Units with links to Wikidata',
      ru: 'Единицы со ссылками на Wikidata',
      tg: 'Воҳидҳо бо истинодҳо ба Wikidata',
    },
    prefixes: ['lg', 'skos', 'owl'],
    body: `# Administrative units linked to Wikidata: owl:sameAs where the item is the unit itself,
# lg:settlementWikidata where it is the city or town the unit is named after.
SELECT ?unit ?level ?name ?wikidata ?link WHERE {
  { ?unit owl:sameAs ?wikidata . BIND("same unit" AS ?link) }
  UNION
  { ?unit lg:settlementWikidata ?wikidata . BIND("settlement" AS ?link) }
  FILTER(STRSTARTS(STR(?wikidata), "http://www.wikidata.org/entity/"))
  ?unit lg:adminLevel ?level ;
        skos:prefLabel ?name .
  FILTER(LANG(?name) = "en")
}
ORDER BY ?level ?name`,
  },
  {
    id: 'latest-year-statistics',
    title: {
      en: 'Statistics of the latest year across the pilot districts',
      ru: 'Статистика за последний год по пилотным районам',
      tg: 'Омори соли охирин дар ноҳияҳои пилотӣ',
    },
    prefixes: ['lg', 'qb', 'skos'],
    body: `# Every figure of the latest year of each indicator, per jamoat of the pilot districts, with
# its unit and whether its dataset is sample data (lg:sampleData true: not official figures).
SELECT ?district ?jamoat ?indicator ?year ?value ?unit ?sampleData WHERE {
  { SELECT ?measure (MAX(?y) AS ?year) WHERE { ?o qb:measureType ?measure ; lg:refPeriod ?y } GROUP BY ?measure }
  ?observation qb:measureType ?measure ;
               lg:refPeriod ?year ;
               ?measure ?value ;
               lg:unitMeasure ?unit ;
               lg:refArea ?area ;
               qb:dataSet ?dataset .
  ?dataset lg:sampleData ?sampleData .
  ?measure skos:prefLabel ?indicator .
  ?area skos:prefLabel ?jamoat ;
        lg:within/skos:prefLabel ?district .
  FILTER(LANG(?indicator) = "en" && LANG(?jamoat) = "en" && LANG(?district) = "en")
}
ORDER BY ?district ?jamoat ?indicator`,
  },
];

/** PREFIX lines for `names`, aligned as people write them. */
export function prefixLines(base: string, names: readonly PrefixName[]): string {
  const all = sparqlPrefixes(base);
  const width = Math.max(...names.map((n) => n.length));
  return names.map((n) => `PREFIX ${`${n}:`.padEnd(width + 1)} <${all[n]}>`).join('\n');
}

/** The whole query of an example, as the editor shows it and README prints it. */
export function exampleQuery(example: Example, base: string): string {
  return `${prefixLines(base, example.prefixes)}\n\n${example.body}\n`;
}
