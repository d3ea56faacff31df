import type { Lang } from '../html/models.js';
import { prefixes } from '../serialize/context.js';

/**
 * The example queries: what a researcher would first ask of this data. One list, used by the
 * query editor (a menu), copied into README.md verbatim in English (a test checks), and each run
 * by the tests against the shipped data (it must return rows). Bodies name units by their stable
 * code (`lg:code`), never by a URI, so they do not depend on BASE_URI; the PREFIX lines do. A
 * reader of the Tajik or Russian page reads the `#` comments in that language (issue #10): the
 * comment is kept apart from the query, which is the same in every language.
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
  /**
   * What the query asks and how to change it, in the page's language: the `#` comment lines above
   * the query (one line of text per comment line, written without the `#`). The query itself is
   * the same in every language.
   */
  comment: Record<Lang, string>;
  /** The prefixes `body` uses, in the order they are declared. */
  prefixes: PrefixName[];
  /** The query without its PREFIX lines and its comment. */
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
    comment: {
      en: `The jamoat-level units of Yovon district (code TJ-KT-06), with the population the
reference gives and its year. Change the code to list another district.`,
      ru: `Единицы уровня джамоата Яванского района (код TJ-KT-06) с численностью населения,
которую даёт справочник, и её годом. Измените код, чтобы получить другой район.`,
      tg: `Воҳидҳои сатҳи ҷамоати ноҳияи Ёвон (рамзи TJ-KT-06) бо шумораи аҳолие, ки
маълумотнома медиҳад, ва соли он. Барои ноҳияи дигар рамзро иваз кунед.`,
    },
    prefixes: ['lg', 'skos'],
    body: `SELECT ?jamoat ?code ?name ?population ?year WHERE {
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
    comment: {
      en: `Pupils in general education schools in Norin jamoat (TJ-KT-06-06), year by year,
with the flag that says whether the figure's dataset is sample data.`,
      ru: `Учащиеся общеобразовательных школ джамоата Норин (TJ-KT-06-06) по годам
и признак, который говорит, являются ли данные набора этой цифры примерными.`,
      tg: `Хонандагони мактабҳои таҳсилоти умумии ҷамоати Норин (TJ-KT-06-06) аз рӯи солҳо
ва нишонае, ки мегӯяд маҷмӯаи маълумоти ин рақам намунавӣ аст ё не.`,
    },
    prefixes: ['lg', 'ind', 'qb'],
    body: `SELECT ?year ?pupils ?sampleData WHERE {
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
    comment: {
      en: `Districts ranked by an indicator in one year: the totals the converter publishes for a
district whose every jamoat and town reported (lg:computed true; a district with gaps has none,
rather than a sum that looks complete). Change the indicator or the year in VALUES.`,
      ru: `Районы по значению показателя за один год: итоги, которые публикуются для района,
все джамоаты и посёлки которого сообщили данные (lg:computed true; у района с пробелами
итога нет, вместо суммы, которая выглядела бы полной). Показатель и год меняются в VALUES.`,
      tg: `Ноҳияҳо аз рӯи қимати нишондиҳанда дар як сол: ҷамъбастҳое, ки барои ноҳия нашр
мешаванд, агар ҳамаи ҷамоатҳо ва шаҳракҳои он маълумот дода бошанд (lg:computed true; ноҳияи
камбудидор ҷамъбаст надорад, на ҷамъе, ки пурра менамояд). Нишондиҳанда ё солро дар VALUES иваз кунед.`,
    },
    prefixes: ['lg', 'ind', 'qb', 'skos', 'xsd'],
    body: `SELECT ?district ?name ?year ?total ?sampleData WHERE {
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
    comment: {
      en: `Administrative units linked to Wikidata: owl:sameAs where the item is the unit itself,
lg:settlementWikidata where it is the city or town the unit is named after.`,
      ru: `Административные единицы со ссылками на Wikidata: owl:sameAs, если элемент — сама
единица, lg:settlementWikidata, если это город или посёлок, по которому названа единица.`,
      tg: `Воҳидҳои маъмурӣ бо истинод ба Wikidata: owl:sameAs, агар унсур худи воҳид бошад,
lg:settlementWikidata, агар он шаҳр ё шаҳраке бошад, ки воҳид ба номи он аст.`,
    },
    prefixes: ['lg', 'skos', 'owl'],
    body: `SELECT ?unit ?level ?name ?wikidata ?link WHERE {
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
    comment: {
      en: `Every figure of the latest year of each indicator, per jamoat of the pilot districts, with
its unit and whether its dataset is sample data (lg:sampleData true: not official figures).`,
      ru: `Все значения последнего года каждого показателя по джамоатам пилотных районов, с единицей
измерения и признаком примерных данных (lg:sampleData true: не официальные цифры).`,
      tg: `Ҳамаи рақамҳои соли охирини ҳар нишондиҳанда аз рӯи ҷамоатҳои ноҳияҳои озмоишӣ, бо воҳиди
ченак ва нишонаи маълумоти намунавӣ (lg:sampleData true: рақамҳои расмӣ нестанд).`,
    },
    prefixes: ['lg', 'qb', 'skos'],
    body: `SELECT ?district ?jamoat ?indicator ?year ?value ?unit ?sampleData WHERE {
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

/** The `#` lines of an example's comment in `lang`. */
export function commentLines(example: Example, lang: Lang): string {
  return example.comment[lang].split('\n').map((line) => `# ${line}\n`).join('');
}

/**
 * The whole query of an example, as the editor shows it in `lang` (its comment in that language,
 * the query the same in all) and README prints it (in English).
 */
export function exampleQuery(example: Example, base: string, lang: Lang = 'en'): string {
  return `${prefixLines(base, example.prefixes)}\n\n${commentLines(example, lang)}${example.body}\n`;
}
