import type { Lang } from '../html/models.js';

/**
 * The text of the `/fragments` page in the three languages (design.md, "Languages"). `{n}`,
 * `{page}`, `{pages}` and `{size}` are filled in by src/fragments/page.ts.
 */
const en = {
  title: 'Triple Pattern Fragments',
  intro: 'Every triple published here, selected by a pattern: fix the subject, the predicate or the object (or none) and get the matching triples, {size} to a page, with their exact count. This is the Linked Data Fragments interface: a client such as Comunica answers SPARQL queries through it by itself, asking for one pattern at a time, so the server does only light, cacheable work. The same pages in RDF (Turtle, TriG, JSON-LD, N-Triples, N-Quads) are served to a client that asks for them with Accept.',
  spec: 'Specification',
  formHeading: 'Pattern',
  subject: 'Subject',
  predicate: 'Predicate',
  object: 'Object',
  hint: 'Leave a field empty to match anything. An IRI is written whole (http://…) or with one of our prefixes (lg:Jamoat, skos:prefLabel); a literal in quotes: "Yovon"@en, "21314"^^xsd:integer.',
  submit: 'Find triples',
  count: 'Matching triples: {n}',
  pageOf: 'Page {page} of {pages}',
  none: 'No triple matches this pattern.',
  first: 'First page',
  previous: 'Previous page',
  next: 'Next page',
  caption: 'Triples on this page',
  sample: 'Some of these data are sample data, not official figures: a dataset that is says so with lg:sampleData true (ask for it with the predicate lg:sampleData).',
  useWith: 'With Comunica: comunica-sparql {url} "SELECT * WHERE { ?s ?p ?o } LIMIT 10"',
};

export type FragmentStrings = typeof en;

const ru: FragmentStrings = {
  title: 'Фрагменты по шаблону триплета (Triple Pattern Fragments)',
  intro: 'Все опубликованные здесь триплеты, отобранные по шаблону: задайте субъект, предикат или объект (или ничего) и получите подходящие триплеты, по {size} на странице, с их точным числом. Это интерфейс Linked Data Fragments: клиент, например Comunica, сам отвечает на запросы SPARQL, запрашивая по одному шаблону, так что сервер выполняет только лёгкую работу, которую можно кешировать. Те же страницы в RDF (Turtle, TriG, JSON-LD, N-Triples, N-Quads) получает клиент, который просит их заголовком Accept.',
  spec: 'Спецификация',
  formHeading: 'Шаблон',
  subject: 'Субъект',
  predicate: 'Предикат',
  object: 'Объект',
  hint: 'Пустое поле подходит ко всему. IRI пишется полностью (http://…) или с одним из наших префиксов (lg:Jamoat, skos:prefLabel); литерал — в кавычках: "Yovon"@en, "21314"^^xsd:integer.',
  submit: 'Найти триплеты',
  count: 'Подходящих триплетов: {n}',
  pageOf: 'Страница {page} из {pages}',
  none: 'Ни один триплет не подходит к этому шаблону.',
  first: 'Первая страница',
  previous: 'Предыдущая страница',
  next: 'Следующая страница',
  caption: 'Триплеты на этой странице',
  sample: 'Часть этих данных — примерные данные, а не официальные цифры: такой набор данных говорит об этом через lg:sampleData true (найдите их с предикатом lg:sampleData).',
  useWith: 'С Comunica: comunica-sparql {url} "SELECT * WHERE { ?s ?p ?o } LIMIT 10"',
};

const tg: FragmentStrings = {
  title: 'Қисмҳо аз рӯи қолаби сегона (Triple Pattern Fragments)',
  intro: 'Ҳамаи сегонаҳое, ки дар ин ҷо нашр шудаанд, аз рӯи қолаб интихобшуда: субъект, предикат ё объектро муайян кунед (ё ҳеҷ якеро) ва сегонаҳои мувофиқро гиред, дар ҳар саҳифа {size} то, бо шумораи дақиқи онҳо. Ин интерфейси Linked Data Fragments аст: муштарӣ, масалан Comunica, ба дархостҳои SPARQL худаш ҷавоб медиҳад ва ҳар дафъа як қолабро мепурсад, бинобар ин сервер танҳо кори сабук ва кешшавандаро иҷро мекунад. Ҳамин саҳифаҳоро дар RDF (Turtle, TriG, JSON-LD, N-Triples, N-Quads) муштарие мегирад, ки онҳоро бо сарлавҳаи Accept талаб мекунад.',
  spec: 'Мушаххасот',
  formHeading: 'Қолаб',
  subject: 'Субъект',
  predicate: 'Предикат',
  object: 'Объект',
  hint: 'Майдони холӣ ба ҳама чиз мувофиқ аст. IRI пурра навишта мешавад (http://…) ё бо яке аз префиксҳои мо (lg:Jamoat, skos:prefLabel); литерал — дар нохунак: "Yovon"@en, "21314"^^xsd:integer.',
  submit: 'Ёфтани сегонаҳо',
  count: 'Сегонаҳои мувофиқ: {n}',
  pageOf: 'Саҳифаи {page} аз {pages}',
  none: 'Ягон сегона ба ин қолаб мувофиқ нест.',
  first: 'Саҳифаи аввал',
  previous: 'Саҳифаи қаблӣ',
  next: 'Саҳифаи навбатӣ',
  caption: 'Сегонаҳои ин саҳифа',
  sample: 'Қисме аз ин маълумот маълумоти намунавист, на рақамҳои расмӣ: чунин маҷмӯаи маълумот инро бо lg:sampleData true мегӯяд (онҳоро бо предикати lg:sampleData ёбед).',
  useWith: 'Бо Comunica: comunica-sparql {url} "SELECT * WHERE { ?s ?p ?o } LIMIT 10"',
};

export const FRAGMENT_STRINGS: Record<Lang, FragmentStrings> = { tg, ru, en };
