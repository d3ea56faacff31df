import type { Lang } from '../html/models.js';

/** The interface text of the SPARQL pages, in the three languages (design.md, "Languages"). */
export interface SparqlStrings {
  title: string;
  intro: string;
  endpoint: string;
  limits: string;
  query: string;
  run: string;
  noscript: string;
  examples: string;
  openInEditor: string;
  runExample: string;
  forPrograms: string;
  programs: string;
  results: string;
  rows: string;
  truncated: string;
  /** The answer was cut by MAX_RESULT_BYTES; {size} is e.g. "10 MB". */
  truncatedBytes: string;
  noRows: string;
  askTrue: string;
  askFalse: string;
  graphAnswer: string;
  editQuery: string;
}

export const SPARQL_STRINGS: Record<Lang, SparqlStrings> = {
  en: {
    title: 'SPARQL endpoint',
    intro: 'Query all the published data with SPARQL 1.1. The default graph is the union of all datasets; each dataset is also its own named graph.',
    endpoint: 'Endpoint',
    limits: 'A query may run for {s} s and return at most {n} results; a longer answer is cut, and says so.',
    query: 'Query',
    run: 'Run query',
    noscript: 'The query editor needs JavaScript; the form below works without it.',
    examples: 'Example queries',
    openInEditor: 'Open in the editor',
    runExample: 'Run',
    forPrograms: 'For programs',
    programs: 'Send the query with GET ?query=… or POST (form or application/sparql-query). Results come as SPARQL JSON, XML, CSV or TSV, graphs in every RDF format, by content negotiation; this address with an RDF Accept header gives the SPARQL Service Description.',
    results: 'Results',
    rows: 'Results: {n}',
    truncated: 'The answer was cut to its first {n} results (the result limit).',
    truncatedBytes: 'The answer was cut to what fits in {size} (the size limit of one answer).',
    noRows: 'No results.',
    askTrue: 'Answer: yes',
    askFalse: 'Answer: no',
    graphAnswer: 'The answer as RDF (Turtle):',
    editQuery: 'Edit the query',
  },
  ru: {
    title: 'Точка доступа SPARQL',
    intro: 'Запросы ко всем опубликованным данным на SPARQL 1.1. Граф по умолчанию — объединение всех наборов данных; каждый набор доступен и как свой именованный граф.',
    endpoint: 'Адрес',
    limits: 'Запрос может выполняться до {s} с и вернуть не более {n} результатов; более длинный ответ обрезается, о чём сообщается.',
    query: 'Запрос',
    run: 'Выполнить',
    noscript: 'Редактору запросов нужен JavaScript; форма ниже работает и без него.',
    examples: 'Примеры запросов',
    openInEditor: 'Открыть в редакторе',
    runExample: 'Выполнить',
    forPrograms: 'Для программ',
    programs: 'Отправляйте запрос через GET ?query=… или POST (форма или application/sparql-query). Результаты — в SPARQL JSON, XML, CSV или TSV, графы — во всех форматах RDF, по согласованию содержимого; этот адрес с RDF в заголовке Accept отдаёт описание сервиса SPARQL (Service Description).',
    results: 'Результаты',
    rows: 'Результатов: {n}',
    truncated: 'Ответ обрезан до первых {n} результатов (ограничение на число результатов).',
    truncatedBytes: 'Ответ обрезан до того, что умещается в {size} (ограничение на размер ответа).',
    noRows: 'Нет результатов.',
    askTrue: 'Ответ: да',
    askFalse: 'Ответ: нет',
    graphAnswer: 'Ответ в виде RDF (Turtle):',
    editQuery: 'Изменить запрос',
  },
  tg: {
    title: 'Нуқтаи дастрасии SPARQL',
    intro: 'Ҳамаи маълумоти нашршударо бо SPARQL 1.1 дархост кунед. Графи пешфарз иттиҳоди ҳамаи маҷмӯаҳои маълумот аст; ҳар маҷмӯа инчунин графи номдори худро дорад.',
    endpoint: 'Нишонӣ',
    limits: 'Дархост метавонад то {s} сония иҷро шавад ва на бештар аз {n} натиҷа баргардонад; ҷавоби дарозтар бурида мешавад ва инро қайд мекунад.',
    query: 'Дархост',
    run: 'Иҷро кардан',
    noscript: 'Муҳаррири дархост JavaScript-ро талаб мекунад; шакли поён бе он ҳам кор мекунад.',
    examples: 'Дархостҳои намунавӣ',
    openInEditor: 'Дар муҳаррир кушодан',
    runExample: 'Иҷро кардан',
    forPrograms: 'Барои барномаҳо',
    programs: 'Дархостро бо GET ?query=… ё POST (шакл ё application/sparql-query) фиристед. Натиҷаҳо ба шакли SPARQL JSON, XML, CSV ё TSV, графҳо ба ҳамаи шаклҳои RDF, тавассути мувофиқасозии мундариҷа; ин нишонӣ бо RDF дар сарлавҳаи Accept тавсифи хидмати SPARQL (Service Description)-ро медиҳад.',
    results: 'Натиҷаҳо',
    rows: 'Натиҷаҳо: {n}',
    truncated: 'Ҷавоб то {n} натиҷаи аввал бурида шуд (маҳдудияти шумораи натиҷаҳо).',
    truncatedBytes: 'Ҷавоб то ҳаҷми {size} бурида шуд (маҳдудияти ҳаҷми ҷавоб).',
    noRows: 'Натиҷа нест.',
    askTrue: 'Ҷавоб: ҳа',
    askFalse: 'Ҷавоб: не',
    graphAnswer: 'Ҷавоб ҳамчун RDF (Turtle):',
    editQuery: 'Тағйир додани дархост',
  },
};
