import type { Lang } from '../html/models.js';
import type { Recipe } from './recipes.js';

/**
 * The text of the "Use this data" page in the three languages (design.md, "Languages"): what each
 * recipe does, what it needs and what it prints. The code beside it is the same in every language
 * (src/recipes/recipes.ts). {file} is a recipe's file name.
 */
export interface RecipeText {
  title: string;
  /** What the program does and what it needs, before the code. */
  intro: string;
  /** What it prints or writes, after the code. */
  expect: string;
}

const en = {
  title: 'Use this data',
  intro: 'Everything published here can be downloaded as a spreadsheet, queried with SPARQL from R or Python, or read as JSON-LD by any program. Each recipe below is a complete program: copy it, run it, and it answers from this server.',
  tested: 'Each program on this page is run by the project\'s automated tests with the real tool (curl, R, Python, Node.js) against this server\'s software and the published data, every time the software changes. The page shows exactly the code the tests ran.',
  licence: 'The data is published under the Creative Commons Attribution 4.0 licence (CC BY 4.0): you may use it for any purpose if you name the source, the publisher and this site\'s address, with the data version given at the foot of every page.',
  sample: 'The statistics of the pilot districts are sample data for now, not official figures: every page that shows them says so, and so does their data (the column sample of the CSV, lg:sampleData in SPARQL).',
  contents: 'On this page',
  typeThese: 'Type these commands in a terminal (Linux, macOS; on Windows in Git Bash or WSL):',
  saveAs: 'Save it as {file} and run:',
  expectHeading: 'What it prints',
  inBrowser: 'Or download them in the browser:',
  openSpreadsheet: 'To open the CSV in LibreOffice Calc: File › Open, character set "Unicode (UTF-8)", separated by comma. In Excel: Data › From Text/CSV, file origin "65001: Unicode (UTF-8)"; opened by a double click, Excel may garble the Tajik and Russian letters, since the file is UTF-8 without a byte-order mark. The XLSX file opens directly in either.',
  editorTitle: 'In the browser: the query editor',
  editorText: 'The query of the R recipe, as a link that runs it on the SPARQL page; change it there and run it again.',
  editorLink: 'Run the query: the districts of Khatlon with their Tajik names',
  more: 'More',
  moreText: 'More example queries are on the SPARQL page; the catalog lists every dataset with its files and licence; the keys of the JSON-LD are defined in the context.',
  sparqlLink: 'SPARQL page',
  catalogLink: 'catalog',
  contextLink: 'JSON-LD context',
  fragmentsLink: 'Triple Pattern Fragments: every triple by subject, predicate or object, for Comunica and other Linked Data Fragments clients',
  homeText: 'Recipes: spreadsheets, R, Python, JSON-LD',
  recipes: {
    spreadsheet: {
      title: 'A spreadsheet: CSV or XLSX',
      intro: 'Each dataset can be downloaded as a CSV file (with CSV on the Web metadata beside it) and as the spreadsheet it was published from (XLSX); the catalog lists every file. These commands download the units and the education statistics, and show the CSV\'s header and the row of Yovon district.',
      expect: 'The first line names the columns (code, uri, level, type, name_tg, name_ru, name_en, …); the second is Yovon district, with its names in Tajik, Russian and English and its population. education.xlsx is the spreadsheet of the education statistics: a sheet per pilot district, each headed SAMPLE DATA (not official figures).',
    },
    'r-sparql': {
      title: 'R: a SPARQL query into a data frame',
      intro: 'With R\'s SPARQL package (on Debian and Ubuntu the package r-cran-sparql). The program asks for the district-level units of Khatlon region with their Tajik names and population, prints the data frame and saves it as khatlon.csv.',
      expect: 'One row per district and town of district level in Khatlon: code, Tajik name, population and its year (NA where the data has none). khatlon.csv holds the same table in UTF-8, whatever the computer\'s own encoding.',
    },
    'python-sparqlwrapper': {
      title: 'Python: SPARQLWrapper',
      intro: 'With the SPARQLWrapper library (on Debian and Ubuntu the package python3-sparqlwrapper; elsewhere SPARQLWrapper from PyPI). The program lists the jamoats and towns of Yovon district with their English names, their Tajik names where the data has them, and their population.',
      expect: 'One line per jamoat: code | English name | Tajik name ("-" where there is none) | population; then the number of rows.',
    },
    'jsonld-node': {
      title: 'JSON-LD: one unit as JSON',
      intro: 'The address (URI) of every unit answers with JSON-LD when asked for it (Accept: application/ld+json). The keys are short and stable, and a name is a map from language to text. This program for Node.js (version 18 or later, where fetch is built in) reads Yovon district.',
      expect: 'The district\'s name in Tajik, Russian and English, then its population and the year of that figure.',
    },
  } satisfies Record<Recipe['id'], RecipeText>,
};

export type RecipeStrings = typeof en;

const ru: RecipeStrings = {
  title: 'Использование данных',
  intro: 'Всё, что здесь опубликовано, можно скачать таблицей, запросить на SPARQL из R или Python или прочитать как JSON-LD любой программой. Каждый рецепт ниже — законченная программа: скопируйте её, запустите, и она получит ответ с этого сервера.',
  tested: 'Каждую программу этой страницы автоматические тесты проекта запускают настоящим инструментом (curl, R, Python, Node.js) на программном обеспечении этого сервера и опубликованных данных при каждом изменении программ. Страница показывает ровно тот код, который выполнили тесты.',
  licence: 'Данные публикуются по лицензии Creative Commons «С указанием авторства» 4.0 (CC BY 4.0): их можно использовать для любых целей, если указан источник — издатель и адрес этого сайта — и версия данных, которая указана внизу каждой страницы.',
  sample: 'Статистика пилотных районов пока — примерные данные, а не официальные цифры: об этом говорит каждая страница, где они показаны, и сами данные (столбец sample в CSV, lg:sampleData в SPARQL).',
  contents: 'На этой странице',
  typeThese: 'Введите эти команды в терминале (Linux, macOS; в Windows — в Git Bash или WSL):',
  saveAs: 'Сохраните её как {file} и запустите:',
  expectHeading: 'Что она выводит',
  inBrowser: 'Или скачайте их в браузере:',
  openSpreadsheet: 'Чтобы открыть CSV в LibreOffice Calc: Файл › Открыть, кодировка «Юникод (UTF-8)», разделитель — запятая. В Excel: Данные › Из текстового/CSV-файла, источник файла «65001: Юникод (UTF-8)»; при открытии двойным щелчком Excel может исказить таджикские и русские буквы, так как файл в UTF-8 без метки порядка байтов. Файл XLSX открывается в обеих программах сразу.',
  editorTitle: 'В браузере: редактор запросов',
  editorText: 'Запрос рецепта для R в виде ссылки, которая выполняет его на странице SPARQL; там его можно изменить и выполнить снова.',
  editorLink: 'Выполнить запрос: районы Хатлона с таджикскими названиями',
  more: 'Ещё',
  moreText: 'Другие примеры запросов — на странице SPARQL; каталог перечисляет все наборы данных с их файлами и лицензией; ключи JSON-LD определены в контексте.',
  sparqlLink: 'Страница SPARQL',
  catalogLink: 'каталог',
  contextLink: 'Контекст JSON-LD',
  fragmentsLink: 'Фрагменты по шаблону триплета: все триплеты по субъекту, предикату или объекту, для Comunica и других клиентов Linked Data Fragments',
  homeText: 'Рецепты: таблицы, R, Python, JSON-LD',
  recipes: {
    spreadsheet: {
      title: 'Таблица: CSV или XLSX',
      intro: 'Каждый набор данных можно скачать файлом CSV (рядом лежат метаданные CSV on the Web) и таблицей, из которой он был опубликован (XLSX); каталог перечисляет все файлы. Эти команды скачивают единицы и статистику образования и показывают заголовок CSV и строку Яванского района.',
      expect: 'Первая строка называет столбцы (code, uri, level, type, name_tg, name_ru, name_en, …); вторая — Яванский район с названиями на таджикском, русском и английском и его население. education.xlsx — таблица статистики образования: по листу на каждый пилотный район, в начале каждого — SAMPLE DATA (не официальные цифры).',
    },
    'r-sparql': {
      title: 'R: запрос SPARQL в таблицу данных (data frame)',
      intro: 'С пакетом SPARQL для R (в Debian и Ubuntu — пакет r-cran-sparql). Программа запрашивает единицы районного уровня Хатлонской области с таджикскими названиями и населением, выводит таблицу данных и сохраняет её в khatlon.csv.',
      expect: 'По строке на каждый район и город районного уровня Хатлона: код, таджикское название, население и его год (NA, где данных нет). В khatlon.csv та же таблица в UTF-8, какой бы ни была кодировка компьютера.',
    },
    'python-sparqlwrapper': {
      title: 'Python: SPARQLWrapper',
      intro: 'С библиотекой SPARQLWrapper (в Debian и Ubuntu — пакет python3-sparqlwrapper; в других системах — SPARQLWrapper из PyPI). Программа перечисляет джамоаты и посёлки Яванского района с английскими названиями, таджикскими, где они есть в данных, и населением.',
      expect: 'По строке на джамоат: код | английское название | таджикское название («-», если его нет) | население; затем число строк.',
    },
    'jsonld-node': {
      title: 'JSON-LD: одна единица в виде JSON',
      intro: 'Адрес (URI) каждой единицы отвечает в JSON-LD, если его запросить (Accept: application/ld+json). Ключи короткие и постоянные, а название — это соответствие языка и текста. Эта программа для Node.js (версии 18 и новее, где fetch встроен) читает Яванский район.',
      expect: 'Название района на таджикском, русском и английском, затем его население и год этой цифры.',
    },
  },
};

const tg: RecipeStrings = {
  title: 'Истифодаи маълумот',
  intro: 'Ҳама чизе, ки дар ин ҷо нашр шудааст, метавон ҳамчун ҷадвал боргирӣ кард, бо SPARQL аз R ё Python дархост кард ё ҳамчун JSON-LD бо ҳар барнома хонд. Ҳар дастури зер барномаи пурра аст: онро нусха бардоред, иҷро кунед ва он аз ҳамин сервер ҷавоб мегирад.',
  tested: 'Ҳар барномаи ин саҳифаро санҷишҳои худкори лоиҳа бо абзори воқеӣ (curl, R, Python, Node.js) дар нармафзори ҳамин сервер ва маълумоти нашршуда ҳар бор, ки нармафзор тағйир меёбад, иҷро мекунанд. Саҳифа маҳз ҳамон рамзеро нишон медиҳад, ки санҷишҳо иҷро карданд.',
  licence: 'Маълумот тибқи иҷозатномаи Creative Commons «Бо зикри муаллиф» 4.0 (CC BY 4.0) нашр мешавад: онро барои ҳар мақсад истифода бурдан мумкин аст, агар манбаъ — ношир ва нишонии ҳамин сомона — ва версияи маълумот, ки дар поёни ҳар саҳифа омадааст, зикр шавад.',
  sample: 'Омори ноҳияҳои озмоишӣ ҳоло маълумоти намунавӣ аст, на рақамҳои расмӣ: ҳар саҳифае, ки онҳоро нишон медиҳад, инро мегӯяд, ҳамчунин худи маълумот (сутуни sample дар CSV, lg:sampleData дар SPARQL).',
  contents: 'Дар ин саҳифа',
  typeThese: 'Ин фармонҳоро дар терминал ворид кунед (Linux, macOS; дар Windows — дар Git Bash ё WSL):',
  saveAs: 'Онро ҳамчун {file} нигоҳ доред ва иҷро кунед:',
  expectHeading: 'Он чӣ нишон медиҳад',
  inBrowser: 'Ё онҳоро дар браузер боргирӣ кунед:',
  openSpreadsheet: 'Барои кушодани CSV дар LibreOffice Calc: Файл › Кушодан, рамзгузорӣ «Юникод (UTF-8)», ҷудокунанда — вергул. Дар Excel: Маълумот › Аз файли матнӣ/CSV, манбаи файл «65001: Юникод (UTF-8)»; агар бо ду зеркунӣ кушоед, Excel метавонад ҳарфҳои тоҷикӣ ва русиро вайрон нишон диҳад, зеро файл дар UTF-8 бе нишонаи тартиби байтҳо аст. Файли XLSX дар ҳар ду барнома бевосита кушода мешавад.',
  editorTitle: 'Дар браузер: муҳаррири дархост',
  editorText: 'Дархости дастури R ҳамчун пайванде, ки онро дар саҳифаи SPARQL иҷро мекунад; дар он ҷо метавонед онро тағйир диҳед ва боз иҷро кунед.',
  editorLink: 'Иҷрои дархост: ноҳияҳои Хатлон бо номҳои тоҷикӣ',
  more: 'Боз',
  moreText: 'Дархостҳои намунавии дигар дар саҳифаи SPARQL ҳастанд; феҳрист ҳамаи маҷмӯаҳои маълумотро бо файлҳо ва иҷозатномаашон номбар мекунад; калидҳои JSON-LD дар контекст муайян шудаанд.',
  sparqlLink: 'Саҳифаи SPARQL',
  catalogLink: 'феҳрист',
  contextLink: 'Контексти JSON-LD',
  fragmentsLink: 'Қисмҳо аз рӯи қолаби сегона: ҳамаи сегонаҳо аз рӯи субъект, предикат ё объект, барои Comunica ва дигар муштариёни Linked Data Fragments',
  homeText: 'Дастурҳо: ҷадвалҳо, R, Python, JSON-LD',
  recipes: {
    spreadsheet: {
      title: 'Ҷадвал: CSV ё XLSX',
      intro: 'Ҳар маҷмӯаи маълумотро метавон ҳамчун файли CSV (дар паҳлӯяш метамаълумоти CSV on the Web) ва ҳамчун ҷадвале, ки аз он нашр шудааст (XLSX), боргирӣ кард; феҳрист ҳамаи файлҳоро номбар мекунад. Ин фармонҳо воҳидҳо ва омори маорифро боргирӣ мекунанд ва сарлавҳаи CSV ва сатри ноҳияи Ёвонро нишон медиҳанд.',
      expect: 'Сатри якум сутунҳоро ном мебарад (code, uri, level, type, name_tg, name_ru, name_en, …); сатри дуюм ноҳияи Ёвон бо номҳояш ба забонҳои тоҷикӣ, русӣ ва англисӣ ва шумораи аҳолии он аст. education.xlsx ҷадвали омори маориф аст: барои ҳар ноҳияи озмоишӣ як варақ, дар аввали ҳар кадом SAMPLE DATA (рақамҳои расмӣ нестанд).',
    },
    'r-sparql': {
      title: 'R: дархости SPARQL ба ҷадвали маълумот (data frame)',
      intro: 'Бо бастаи SPARQL барои R (дар Debian ва Ubuntu бастаи r-cran-sparql). Барнома воҳидҳои сатҳи ноҳияи вилояти Хатлонро бо номҳои тоҷикӣ ва шумораи аҳолӣ дархост мекунад, ҷадвали маълумотро нишон медиҳад ва онро дар khatlon.csv нигоҳ медорад.',
      expect: 'Барои ҳар ноҳия ва шаҳри тобеи вилояти Хатлон як сатр: рамз, номи тоҷикӣ, шумораи аҳолӣ ва соли он (NA, агар маълумот набошад). Дар khatlon.csv ҳамин ҷадвал дар UTF-8 аст, рамзгузории компютер ҳар чӣ бошад.',
    },
    'python-sparqlwrapper': {
      title: 'Python: SPARQLWrapper',
      intro: 'Бо китобхонаи SPARQLWrapper (дар Debian ва Ubuntu бастаи python3-sparqlwrapper; дар дигар системаҳо SPARQLWrapper аз PyPI). Барнома ҷамоатҳо ва шаҳракҳои ноҳияи Ёвонро бо номҳои англисӣ, номҳои тоҷикӣ (агар дар маълумот бошанд) ва шумораи аҳолӣ номбар мекунад.',
      expect: 'Барои ҳар ҷамоат як сатр: рамз | номи англисӣ | номи тоҷикӣ («-», агар набошад) | шумораи аҳолӣ; баъд шумораи сатрҳо.',
    },
    'jsonld-node': {
      title: 'JSON-LD: як воҳид ҳамчун JSON',
      intro: 'Нишонии (URI) ҳар воҳид, агар дархост шавад (Accept: application/ld+json), бо JSON-LD ҷавоб медиҳад. Калидҳо кӯтоҳ ва устувор мебошанд, ном бошад мувофиқати забон ва матн аст. Ин барнома барои Node.js (версияи 18 ва навтар, ки fetch дар он сохта шудааст) ноҳияи Ёвонро мехонад.',
      expect: 'Номи ноҳия ба забонҳои тоҷикӣ, русӣ ва англисӣ, баъд шумораи аҳолии он ва соли ин рақам.',
    },
  },
};

export const RECIPE_STRINGS: Record<Lang, RecipeStrings> = { tg, ru, en };
