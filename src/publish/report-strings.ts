/**
 * What each error code means to the official who reads an upload's report, and what to do about it,
 * in Tajik, Russian and English. The converter's own reason (English, naming the indicator, year,
 * unit or rule) stays beside it as the detail line; these texts do not repeat it, they explain it.
 * tests/upload.test.ts checks that every code of src/errors.ts has its entry.
 */
import type { ErrorCode } from '../errors.js';

export type ReportLang = 'tg' | 'ru' | 'en';
type Trilingual = Record<ReportLang, string>;
export interface CodeText {
  /** What went wrong, for a person. */
  explain: Trilingual;
  /** What to do about it. */
  todo: Trilingual;
}

const askAdministrator: Trilingual = { tg: 'Ба маъмур хабар диҳед.', ru: 'Сообщите администратору.', en: 'Tell the administrator.' };
const tryAgain: Trilingual = { tg: 'Пас аз лаҳзае аз нав кӯшиш кунед.', ru: 'Повторите попытку чуть позже.', en: 'Try again in a moment.' };

export const CODE_TEXT: Partial<Record<ErrorCode, CodeText>> = {
  // The converter: problems in a workbook.
  LG_ERR_FILE_EMPTY: {
    explain: { tg: 'Файл холӣ аст ё ягон рақам надорад.', ru: 'Файл пуст или не содержит ни одной цифры.', en: 'The file is empty, or holds no figure.' },
    todo: { tg: 'Файлро кушоед, санҷед, ки рақамҳо дар он ҳастанд, нигоҳ доред ва аз нав бор кунед.', ru: 'Откройте файл, проверьте, что цифры в нём есть, сохраните его и загрузите снова.', en: 'Open the file, check that the figures are in it, save it and upload it again.' },
  },
  LG_ERR_FILE_TOO_LARGE: {
    explain: { tg: 'Ҳаҷми файл аз андозаи иҷозатдодашуда зиёд аст.', ru: 'Файл больше допустимого размера.', en: 'The file is larger than the size allowed.' },
    todo: { tg: 'Чизҳои нолозимро (варақҳои дигар, расмҳо) нест кунед ё онро ба якчанд файл тақсим кунед.', ru: 'Удалите лишнее (другие листы, рисунки) или разделите его на несколько файлов.', en: 'Remove what is not needed (other sheets, pictures), or split it into several files.' },
  },
  LG_ERR_ZIP_TOO_LARGE: {
    explain: { tg: 'Китоби корӣ ҳангоми кушодан аз ҳаҷми худ хеле калон мешавад: онро бехатар хондан мумкин нест.', ru: 'При распаковке книга становится намного больше своего размера: её нельзя безопасно прочитать.', en: 'The workbook unpacks to far more than its size: it cannot be read safely.' },
    todo: { tg: 'Китобро дар Excel аз нав ҳамчун «Китоби Excel (.xlsx)» нигоҳ доред ва танҳо варақҳои рақамдорро гузоред.', ru: 'Сохраните книгу заново в Excel как «Книга Excel (.xlsx)», оставив только листы с цифрами.', en: 'Save the workbook again in Excel as "Excel Workbook (.xlsx)", with only the sheets of figures.' },
  },
  LG_ERR_SHEET_TOO_LARGE: {
    explain: { tg: 'Варақ аз ҷадвали худ хеле берун меравад (қимат ё формат дар поён ё тарафи рост дур аст), ё аз ҳадди санҷиш катакҳои зиёдтар дорад.', ru: 'Лист выходит далеко за пределы таблицы (значение или форматирование далеко внизу или справа) или содержит больше ячеек, чем можно проверить.', en: 'A sheet reaches far beyond its table (a value or formatting far down or far right), or holds more cells than can be checked.' },
    todo: { tg: 'Сатрҳои зери ҷадвал ва сутунҳои тарафи рости онро интихоб карда, нест кунед (тугмаи рост > «Нест кардан»), нигоҳ доред ва аз нав бор кунед.', ru: 'Выделите строки под таблицей и столбцы справа от неё, удалите их (правая кнопка > «Удалить»), сохраните и загрузите снова.', en: 'Select the rows below the table and the columns right of it, delete them (right-click > "Delete"), save and upload again.' },
  },
  LG_ERR_HIDDEN_SHEET: {
    explain: { tg: 'Варақи пинҳон маълумот дорад: он бе он ки касе бинад, партофта мешуд.', ru: 'Скрытый лист содержит данные: они были бы пропущены незаметно.', en: 'A hidden sheet holds data: it would be left out without anyone seeing it.' },
    todo: { tg: 'Варақро намоён кунед (тугмаи рост дар нишонаи варақ > «Намоиш додан»); агар маълумоти он ба ин файл тааллуқ надошта бошад, онро нест кунед ё ба варақи намоён гузаронед.', ru: 'Покажите лист (правая кнопка на ярлыке листа > «Показать»); удалите его, если эти данные не относятся к файлу, или перенесите их на видимый лист.', en: 'Unhide the sheet (right-click a sheet tab > "Unhide"); delete it if its data do not belong in this file, or move them to a visible sheet.' },
  },
  LG_ERR_CHECK_FAILED: {
    explain: { tg: 'Санҷиши китоб аз вақт ё хотираи иҷозатдодашуда зиёд шуд ва қатъ карда шуд. Одатан варақ сатр ё сутунҳои холии зиёде дорад, ки намоён нестанд.', ru: 'Проверка книги превысила допустимое время или память и была остановлена. Обычно в листе много пустых строк или столбцов, которых не видно.', en: 'Checking the workbook went past the time or memory allowed and was stopped. Usually a sheet holds many empty rows or columns that do not show.' },
    todo: { tg: 'Қолабро аз нав боргирӣ кунед, танҳо рақамҳоро ба он нусха кунед (бе формат) ва аз нав бор кунед.', ru: 'Скачайте шаблон заново, скопируйте в него только цифры (без форматирования) и загрузите снова.', en: 'Download the template again, copy only the figures into it (values, no formatting) and upload it again.' },
  },
  LG_ERR_NOT_A_SPREADSHEET: {
    explain: { tg: 'Файл китоби Excel (.xlsx) ё файли CSV нест, ё вайрон шудааст.', ru: 'Файл не является книгой Excel (.xlsx) или файлом CSV либо повреждён.', en: 'The file is not an Excel workbook (.xlsx) or a CSV file, or it is damaged.' },
    todo: { tg: 'Дар Excel «Нигоҳ доштан чун» > «Китоби Excel (.xlsx)»-ро интихоб кунед ва ҳамон файлро бор кунед.', ru: 'В Excel выберите «Сохранить как» > «Книга Excel (.xlsx)» и загрузите этот файл.', en: 'In Excel choose "Save as" > "Excel Workbook (.xlsx)" and upload that file.' },
  },
  LG_ERR_BAD_ENCODING: {
    explain: { tg: 'Файли CSV дар рамзгузории UTF-8 нест, аз ин рӯ ҳарфҳои кириллӣ вайрон мешаванд.', ru: 'Файл CSV не в кодировке UTF-8, поэтому кириллица исказится.', en: 'The CSV file is not in UTF-8, so Cyrillic letters would be garbled.' },
    todo: { tg: 'Дар Excel «Нигоҳ доштан чун» > «CSV UTF-8»-ро интихоб кунед ё файли .xlsx-ро бор кунед.', ru: 'В Excel выберите «Сохранить как» > «CSV UTF-8» или загрузите файл .xlsx.', en: 'In Excel choose "Save as" > "CSV UTF-8", or upload the .xlsx file instead.' },
  },
  LG_ERR_MISSING_COLUMN: {
    explain: { tg: 'Сутуне, ки шакл талаб мекунад (ном ё рамзи воҳид), нест, ё дар сутун рақам ҳаст, вале сарлавҳа нест.', ru: 'Нет столбца, который нужен форме (название или код единицы), или в столбце есть цифры, но нет заголовка.', en: 'A column the form needs (the unit\'s name or code) is missing, or a column has figures but no heading.' },
    todo: { tg: 'Намунаеро, ки аз ин сомона гирифтаед, истифода баред ва сатрҳои сарлавҳаи онро тағйир надиҳед.', ru: 'Используйте шаблон, скачанный с этого сайта, и не меняйте его строки заголовков.', en: 'Use the template downloaded from this site, and keep its heading rows as they are.' },
  },
  LG_ERR_UNKNOWN_COLUMN: {
    explain: { tg: 'Сарлавҳаи сутун нишондиҳандаи ин маҷмӯаи маълумот нест.', ru: 'Заголовок столбца не является показателем этого набора данных.', en: 'A column heading is not an indicator of this dataset.' },
    todo: { tg: 'Сарлавҳаҳои намунаро истифода баред; рақамҳои мавзӯи дигарро ба файли ҳамон мавзӯъ гузаронед.', ru: 'Используйте заголовки шаблона; цифры другой темы перенесите в файл этой темы.', en: 'Use the headings of the template; move figures of another topic to that topic\'s own file.' },
  },
  LG_ERR_DUPLICATE_COLUMN: {
    explain: { tg: 'Ду сутун ба як нишондиҳанда ва як сол тааллуқ доранд.', ru: 'Два столбца относятся к одному и тому же показателю и году.', en: 'Two columns are for the same indicator and year.' },
    todo: { tg: 'Яке аз ду сутунро нигоҳ доред, дигарашро нест кунед.', ru: 'Оставьте один из двух столбцов, другой удалите.', en: 'Keep one of the two columns and delete the other.' },
  },
  LG_ERR_FORMULA: {
    explain: { tg: 'Дар катак ба ҷои рақам формула ё қимати хато ҳаст.', ru: 'В ячейке формула или значение ошибки вместо цифры.', en: 'The cell holds a formula or an error value instead of a figure.' },
    todo: { tg: 'Катакҳоро нусхабардорӣ карда, бо «Гузоштани қиматҳо» баргардонед ё худи рақамро ворид кунед.', ru: 'Скопируйте ячейки и вставьте их обратно через «Вставить значения» или введите саму цифру.', en: 'Copy the cells and paste them back with "Paste values", or type the figure itself.' },
  },
  LG_ERR_BAD_VALUE: {
    explain: { tg: 'Қиматро ҳамчун рақами дар ин ҷо интизоршаванда (адад, адади бутун, сол, рамз) хондан мумкин нест, ё он берун аз ҳудуд аст, ё барои сол на ҳамаи нишондиҳандаҳо дода шудаанд.', ru: 'Значение нельзя прочитать как ожидаемую здесь цифру (число, целое число, год, код), оно вне допустимых пределов, или за год даны не все показатели.', en: 'The value cannot be read as the figure expected here (a number, a whole number, a year, a code), it is out of range, or a year has only some of the indicators.' },
    todo: { tg: 'Танҳо ададро ворид кунед: рақамҳо, бо вергул ё нуқта барои қисми касрӣ, бе воҳиди ченак ва ҳарф; шумора бутун ва манфӣ нест. Барои ҳар воҳид ва сол ҳамаи нишондиҳандаҳоро диҳед ё ҳеҷ кадомашро.', ru: 'Введите только число: цифры, с запятой или точкой для дробной части, без единиц измерения и букв; количества целые и не отрицательные. Для каждой единицы и года укажите все показатели или ни одного.', en: 'Type the number only: digits, with a comma or point for decimals, no units or letters; counts are whole and not negative. For each unit and year give every indicator, or none.' },
  },
  LG_ERR_TEXT_TOO_LONG: {
    explain: { tg: 'Матни катак аз он ки сутунаш иҷозат медиҳад (ном, эзоҳ), дарозтар аст.', ru: 'Текст ячейки длиннее, чем допускает её столбец (название, примечание).', en: 'The text of the cell is longer than its column allows (a name, a note).' },
    todo: { tg: 'Матнро кӯтоҳ кунед; шарҳҳои дарозро ба сутуни эзоҳ ё ҳуҷҷати алоҳида гузоред.', ru: 'Сократите текст; длинные пояснения поместите в столбец примечаний или в отдельный документ.', en: 'Shorten the text; put long explanations in a note column or a separate document.' },
  },
  LG_ERR_FORMULA_TEXT: {
    explain: { tg: 'Матн бо = + - @, ҷадвалбандӣ (Tab) ё гузариш ба сатри нав оғоз мешавад, чун формула: барномаҳои ҷадвалии хонандагоне, ки маълумотро боргирӣ мекунанд, онро иҷро мекарданд.', ru: 'Текст начинается с = + - @, табуляции или перевода строки, как формула: программы электронных таблиц у читателей, скачавших данные, выполнили бы его.', en: 'The text starts with = + - @, a tab or a line break, as a formula does: the spreadsheet programs of readers who download the data would run it.' },
    todo: { tg: 'Аломати аввали матнро нест кунед (ном ҳеҷ гоҳ бо он оғоз намешавад).', ru: 'Удалите знак в начале текста (название никогда с него не начинается).', en: 'Remove the sign at the start of the text (a name never starts with one).' },
  },
  LG_ERR_DUPLICATE_CODE: {
    explain: { tg: 'Як рамз дар ду сатр омадааст.', ru: 'Один и тот же код указан в двух строках.', en: 'The same code is used in two rows.' },
    todo: { tg: 'Ҳар воҳид як бор меояд: сатри такрориро нест кунед ё рамзи онро ислоҳ кунед.', ru: 'Каждая единица указывается один раз: удалите повторную строку или исправьте её код.', en: 'Each unit appears once: remove the repeated row or correct its code.' },
  },
  LG_ERR_UNKNOWN_CODE: {
    explain: { tg: 'Ягон воҳиди ҳудуди шумо чунин рамз ё ном надорад.', ru: 'Ни одна единица вашей территории не имеет такого кода или названия.', en: 'No unit of your area has this code or name.' },
    todo: { tg: 'Рамзро аз намуна нусхабардорӣ кунед ё номи воҳидро айнан ҳамон тавре, ки нашр шудааст (ба тоҷикӣ, русӣ ё англисӣ), нависед.', ru: 'Скопируйте код из шаблона или напишите название единицы точно так, как оно опубликовано (на таджикском, русском или английском).', en: 'Copy the code from the template, or write the unit\'s name exactly as published (in Tajik, Russian or English).' },
  },
  LG_ERR_WRONG_LEVEL: {
    explain: { tg: 'Воҳид ба воҳиди сатҳи нодуруст тобеъ карда шудааст (масалан, ҷамоат бевосита ба вилоят).', ru: 'Единица отнесена к единице неправильного уровня (например, джамоат прямо к области).', en: 'A unit is placed under a unit of the wrong level (e.g. a jamoat directly under a region).' },
    todo: { tg: 'Рамзи воҳиди болоиро ислоҳ кунед, то ба воҳиди як сатҳ болотар ишора кунад.', ru: 'Исправьте код вышестоящей единицы, чтобы он указывал на единицу на один уровень выше.', en: 'Correct the parent code so that it names the unit one level up.' },
  },
  LG_ERR_DUPLICATE_OBSERVATION: {
    explain: { tg: 'Як рақам (воҳид, нишондиҳанда, сол) ду бор дода шудааст.', ru: 'Одна и та же цифра (единица, показатель, год) указана дважды.', en: 'The same figure (unit, indicator, year) is given twice.' },
    todo: { tg: 'Яке аз ду рақамро нигоҳ доред, дигарашро нест кунед; дар тафсилот гуфта шудааст, ки аввалӣ дар куҷост.', ru: 'Оставьте одну из двух, другую удалите; в подробностях сказано, где первая.', en: 'Keep one of the two and delete the other; the detail line says where the first one is.' },
  },
  LG_ERR_NAME_MISMATCH: {
    explain: { tg: 'Номе, ки дар паҳлӯи рамз аст, номи воҳиди дорои ин рамз нест.', ru: 'Название рядом с кодом не является названием единицы с этим кодом.', en: 'The name beside the code is not a name of the unit with that code.' },
    todo: { tg: 'Санҷед, ки кадомаш нодуруст аст: рамз ё номро ислоҳ кунед (ҳар яке аз номҳои нашршуда қабул мешавад).', ru: 'Проверьте, что неверно: исправьте код или название (принимается любое из опубликованных названий).', en: 'Check which one is wrong and correct the code or the name (any of its published names is accepted).' },
  },
  LG_ERR_RETIRED_CODE: {
    explain: { tg: 'Воҳид дигар вуҷуд надорад: он пеш аз соли ин рақам барҳам дода шудааст.', ru: 'Единица больше не существует: она упразднена до года этой цифры.', en: 'The unit no longer exists: it was retired before the year of this figure.' },
    todo: { tg: 'Рақамро ба воҳиде, ки ҷои онро гирифтааст (дар тафсилот номбар шудааст), диҳед ё солро ислоҳ кунед.', ru: 'Отнесите цифру к единице, которая её заменила (она названа в подробностях), или исправьте год.', en: 'Give the figure to the unit that replaced it (the detail line names it), or correct the year.' },
  },
  LG_ERR_AMBIGUOUS_NAME: {
    explain: { tg: 'Якчанд воҳиди ҳудуди шумо ҳамин ном доранд, бинобар ин маълум нест, ки кадомаш дар назар аст.', ru: 'Это название носят несколько единиц вашей территории, поэтому неясно, какая имеется в виду.', en: 'Several units of your area have this name, so it cannot be told which one is meant.' },
    todo: { tg: 'Ба ҷои ном рамзи воҳидро нависед; дар тафсилот воҳидҳо бо рамзҳояшон номбар шудаанд.', ru: 'Напишите код единицы вместо названия; в подробностях перечислены единицы с их кодами.', en: 'Write the unit\'s code instead of its name; the detail line lists the units with their codes.' },
  },
  LG_ERR_OUTSIDE_AREA: {
    explain: { tg: 'Воҳид берун аз ҳудудест, ки шумо барояш нашр мекунед.', ru: 'Единица находится вне территории, за которую вы публикуете.', en: 'The unit is outside the area you publish for.' },
    todo: { tg: 'Ин сатрро нест кунед: рақамҳои ҳудудҳои дигарро кормандони худи онҳо мефиристанд. Агар ҳудуди ҳисоби шумо нодуруст бошад, ба маъмур муроҷиат кунед.', ru: 'Удалите эту строку: цифры других территорий отправляют их сотрудники. Если территория вашей учётной записи указана неверно, обратитесь к администратору.', en: 'Remove this row: figures of other areas are sent by their own officials. If the area of your account is wrong, ask the administrator.' },
  },
  LG_ERR_SHACL: {
    explain: { tg: 'Пас аз табдил рақамҳо қоидаи маълумоти нашршавандаро вайрон мекунанд (масалан, қимати навъ ё ҳудуди нодуруст).', ru: 'После преобразования цифры нарушают правило публикуемых данных (например, значение неверного типа или вне пределов).', en: 'Once converted, the figures break a rule of the published data (e.g. a value of the wrong type or range).' },
    todo: { tg: 'Қиматро дар катаки номбаршуда санҷед; агар дуруст бошад, сатри тафсилотро ба маъмур фиристед.', ru: 'Проверьте значение в указанной ячейке; если оно верно, перешлите строку подробностей администратору.', en: 'Check the value in the cell named; if it is right, send the detail line to the administrator.' },
  },
  LG_ERR_DATA_CUBE: {
    explain: { tg: 'Рақамҳо қоидаи ҷадвалҳои омориро (RDF Data Cube) вайрон мекунанд.', ru: 'Цифры нарушают правило статистических таблиц (RDF Data Cube).', en: 'The figures break a rule of statistical tables (RDF Data Cube).' },
    todo: { tg: 'Барои ҳар воҳид ва сол ҳамаи нишондиҳандаҳоро диҳед ё ҳеҷ кадомашро; агар ҳамин тавр бошад, сатри тафсилотро ба маъмур фиристед.', ru: 'Для каждой единицы и года укажите все показатели или ни одного; если так и есть, перешлите строку подробностей администратору.', en: 'For each unit and year give every indicator, or none; if that is so, send the detail line to the administrator.' },
  },
  // The server and the store.
  LG_ERR_NOT_FOUND: {
    explain: { tg: 'Дар ин суроға чизе нашр нашудааст.', ru: 'По этому адресу ничего не опубликовано.', en: 'Nothing is published at this address.' },
    todo: { tg: 'Суроғаро санҷед ё аз ҷустуҷӯ истифода баред.', ru: 'Проверьте адрес или воспользуйтесь поиском.', en: 'Check the address, or use the search.' },
  },
  LG_ERR_GONE: {
    explain: { tg: 'Воҳид барҳам дода шудааст ва ҷойгузин надорад.', ru: 'Единица упразднена, и у неё нет преемника.', en: 'The unit was retired and has no successor.' },
    todo: { tg: 'Воҳидҳои болоии онро бинед ё номи ҳозираашро ҷустуҷӯ кунед.', ru: 'Посмотрите вышестоящие единицы или найдите её нынешнее название через поиск.', en: 'See the units above it, or search for its current name.' },
  },
  LG_ERR_QUERY_SYNTAX: {
    explain: { tg: 'Дар пурсиши SPARQL хатои наҳвӣ ҳаст.', ru: 'В запросе SPARQL синтаксическая ошибка.', en: 'The SPARQL query has a syntax error.' },
    todo: { tg: 'Пурсишро дар сатр ва сутуне, ки тафсилот нишон медиҳад, ислоҳ кунед.', ru: 'Исправьте запрос в строке и столбце, указанных в подробностях.', en: 'Correct the query at the line and column the detail line gives.' },
  },
  LG_ERR_QUERY_FAILED: {
    explain: { tg: 'Пурсиши SPARQL-ро иҷро кардан мумкин нест.', ru: 'Запрос SPARQL нельзя выполнить.', en: 'The SPARQL query cannot be run.' },
    todo: { tg: 'Функсияҳо ва формати натиҷаеро, ки пурсиш истифода мебарад, санҷед.', ru: 'Проверьте функции и формат результата, которые использует запрос.', en: 'Check the functions and the result format the query uses.' },
  },
  LG_ERR_QUERY_TIMEOUT: {
    explain: { tg: 'Пурсиш хеле дароз давом кард ва қатъ карда шуд.', ru: 'Запрос выполнялся слишком долго и был остановлен.', en: 'The query took too long and was stopped.' },
    todo: { tg: 'LIMIT илова кунед ё пурсишро интихобкунандатар созед.', ru: 'Добавьте LIMIT или сделайте запрос более избирательным.', en: 'Add a LIMIT, or make the query more selective.' },
  },
  LG_ERR_BAD_PATTERN: {
    explain: {
      tg: 'Қолаби /fragments нодуруст аст: subject, predicate ё object на IRI-и пурра аст ва на литерал ("матн"@tg, "1"^^xsd:integer), литерал дар ҷойи subject ё predicate аст, параметр ду бор омадааст ё саҳифа рақами бутун аз 1 то 100000 нест.',
      ru: 'Шаблон /fragments неверен: subject, predicate или object — не полный IRI и не литерал ("текст"@ru, "1"^^xsd:integer), литерал стоит на месте subject или predicate, параметр повторён или страница — не целое число от 1 до 100000.',
      en: 'The /fragments pattern is wrong: a subject, predicate or object that is neither an absolute IRI nor a literal ("text"@en, "1"^^xsd:integer), a literal as subject or predicate, a parameter given twice, or a page that is not a whole number from 1 to 100000.',
    },
    todo: {
      tg: 'IRI-ро пурра нависед (бо http://), литералро дар нохунак ва ҳар параметрро як бор фиристед; ё формаи саҳифаи /fragments-ро истифода баред.',
      ru: 'Пишите IRI полностью (с http://), литерал в кавычках и каждый параметр один раз; или воспользуйтесь формой страницы /fragments.',
      en: 'Write IRIs in full (with http://), literals in quotes, and each parameter once; or use the form on the /fragments page.',
    },
  },
  LG_ERR_BUSY: {
    explain: { tg: 'Хидмат банд аст.', ru: 'Сервис занят.', en: 'The service is busy.' },
    todo: tryAgain,
  },
  LG_ERR_STORE_UNAVAILABLE: {
    explain: { tg: 'Анбори маълумот аз нав оғоз мешавад.', ru: 'Хранилище данных перезапускается.', en: 'The data store is restarting.' },
    todo: tryAgain,
  },
  LG_ERR_REMOTE_STORE: {
    explain: { tg: 'Анбори SPARQL-и берунӣ, ки хидмат аз он маълумот мегирад, ҷавоби нодуруст дод ё дастнорас аст.', ru: 'Внешнее хранилище SPARQL, из которого сервис берёт данные, ответило ошибкой или недоступно.', en: 'The external SPARQL store the service reads its data from answered with an error or cannot be reached.' },
    todo: { tg: 'Баъдтар боз кӯшиш кунед; агар хато боқӣ монад, ба маъмури хидмат хабар диҳед.', ru: 'Повторите попытку позже; если ошибка не исчезнет, сообщите администратору сервиса.', en: 'Try again later; if the error stays, tell the service\'s administrator.' },
  },
  LG_ERR_REPLICA_READ_ONLY: {
    explain: { tg: 'Ин нусхаи хидмат танҳо барои хондан аст: нашр, рӯйхати нашрҳо ва гузоришҳо дар нусхаи нашркунанда мебошанд.', ru: 'Этот экземпляр сервиса только для чтения: публикация, список выпусков и сообщения об ошибках находятся на публикующем экземпляре.', en: 'This instance of the service is read-only: publishing, the list of releases and error reports are on the publishing instance.' },
    todo: { tg: 'Ҳамин саҳифаро дар суроғаи умумии хидмат кушоед.', ru: 'Откройте ту же страницу по публичному адресу сервиса.', en: 'Open the same page at the public address of the service.' },
  },
  LG_ERR_QUERY_MISSING: {
    explain: { tg: 'Дар дархост пурсиши SPARQL нест, он холӣ аст ё якчандто аст.', ru: 'В запросе нет запроса SPARQL, он пуст, или их несколько.', en: 'The request holds no SPARQL query, an empty one, or more than one.' },
    todo: { tg: 'Маҳз як пурсиш фиристед.', ru: 'Отправьте ровно один запрос.', en: 'Send exactly one query.' },
  },
  LG_ERR_QUERY_TOO_LARGE: {
    explain: { tg: 'Пурсиши SPARQL аз андозаи иҷозатдодашуда (MAX_QUERY_BYTES) калонтар аст.', ru: 'Запрос SPARQL больше допустимого размера (MAX_QUERY_BYTES).', en: 'The SPARQL query is larger than the size allowed (MAX_QUERY_BYTES).' },
    todo: { tg: 'Пурсишро ба якчанд пурсиши хурд тақсим кунед ё онро дар файли пурраи маълумот иҷро кунед.', ru: 'Разделите запрос на несколько меньших или выполните его на полной выгрузке данных.', en: 'Split the query into smaller ones, or run it on the full data download.' },
  },
  LG_ERR_QUERY_TOO_DEEP: {
    explain: { tg: 'Дар пурсиши SPARQL гурӯҳҳо ё қавсҳо аз ҳад зиёд дар дохили ҳамдигар ҷойгиранд (MAX_QUERY_DEPTH).', ru: 'В запросе SPARQL группы или скобки вложены слишком глубоко (MAX_QUERY_DEPTH).', en: 'The SPARQL query nests groups or brackets too deeply (MAX_QUERY_DEPTH).' },
    todo: { tg: 'Пурсишро соддатар нависед, бо сатҳҳои камтари дохилӣ.', ru: 'Перепишите запрос проще, с меньшей вложенностью.', en: 'Write the query flatter, with less nesting.' },
  },
  LG_ERR_READ_ONLY: {
    explain: { tg: 'Нуқтаи дастрасии SPARQL маълумотро танҳо мехонад ва тағйир намедиҳад.', ru: 'Точка доступа SPARQL только читает данные и не изменяет их.', en: 'The SPARQL endpoint only reads data; it does not change it.' },
    todo: { tg: 'Пурсишҳои SELECT, ASK, CONSTRUCT ё DESCRIBE-ро истифода баред; маълумот тавассути боркунӣ тағйир дода мешавад.', ru: 'Используйте запросы SELECT, ASK, CONSTRUCT или DESCRIBE; данные изменяются через загрузки.', en: 'Use a SELECT, ASK, CONSTRUCT or DESCRIBE query; data is changed through uploads.' },
  },
  LG_ERR_SERVICE_REFUSED: {
    explain: { tg: 'Пурсиш SERVICE-ро истифода мебарад: ин нуқтаи дастрасӣ ба сомонаҳои дигар муроҷиат намекунад.', ru: 'Запрос использует SERVICE: эта точка доступа не обращается к другим сайтам.', en: 'The query uses SERVICE: this endpoint never queries other sites.' },
    todo: { tg: 'Маълумотро дар тарафи худ муттаҳид кунед: аз ҳар нуқтаи дастрасӣ пурсед ва натиҷаҳоро якҷоя кунед.', ru: 'Объединяйте данные на своей стороне: запросите каждую точку доступа и соедините результаты.', en: 'Federate on your side: query each endpoint and join the results.' },
  },
  LG_ERR_METHOD_NOT_ALLOWED: {
    explain: { tg: 'Ин суроға ин навъи дархостро қабул намекунад.', ru: 'Этот адрес не принимает такой вид запроса.', en: 'This address does not accept this kind of request.' },
    todo: { tg: 'GET ё POST-ро истифода баред.', ru: 'Используйте GET или POST.', en: 'Use GET or POST.' },
  },
  LG_ERR_RANGE_NOT_SATISFIABLE: {
    explain: { tg: 'Қисми дархостшудаи файл берун аз андозаи он аст.', ru: 'Запрошенная часть файла лежит за его концом.', en: 'The requested part of the file lies past its end.' },
    todo: { tg: 'Файлро аз нав боргирӣ кунед ё қисмро дар доираи андозаи файл дархост кунед.', ru: 'Скачайте файл заново или запросите часть в пределах его размера.', en: 'Download the file again, or ask for a range within its size.' },
  },
  LG_ERR_GRAPH_REQUEST: {
    explain: { tg: 'Дархости графи SPARQL (graph= ё default) нодуруст аст: ҳарду якҷоя, ду graph=, пурсиш дар паҳлӯи онҳо ё graph= ки IRI-и мутлақ нест.', ru: 'Неверный запрос графа SPARQL (graph= или default): оба сразу, два graph=, запрос рядом с ними или graph=, не являющийся абсолютным IRI.', en: 'The SPARQL graph request (graph= or default) is malformed: both at once, two graph= parameters, a query beside them, or a graph= that is not an absolute IRI.' },
    todo: { tg: 'Як графро номбар кунед: graph= бо IRI-и пурра (масалан http://…/graph/units) ё default.', ru: 'Назовите один граф: graph= с полным IRI (например, http://…/graph/units) или default.', en: 'Name one graph: graph= with a full IRI (e.g. http://…/graph/units), or default.' },
  },
  LG_ERR_UNSUPPORTED_MEDIA_TYPE: {
    explain: { tg: 'Мундариҷаи дархост навъе дорад, ки ин суроға намехонад.', ru: 'Тело запроса имеет тип, который этот адрес не читает.', en: 'The request body has a type this address does not read.' },
    todo: { tg: 'Шакл (application/x-www-form-urlencoded) ё application/sparql-query-ро дар UTF-8 фиристед.', ru: 'Отправьте форму (application/x-www-form-urlencoded) или application/sparql-query в UTF-8.', en: 'Send a form (application/x-www-form-urlencoded) or application/sparql-query in UTF-8.' },
  },
  // The officials' area.
  LG_ERR_UNAUTHENTICATED: {
    explain: { tg: 'Шумо ворид нашудаед ё ҷаласаи шумо ба охир расидааст.', ru: 'Вы не вошли в систему, или ваш сеанс завершился.', en: 'You are not signed in, or your session has ended.' },
    todo: { tg: 'Аз нав ворид шавед.', ru: 'Войдите снова.', en: 'Sign in again.' },
  },
  LG_ERR_FORBIDDEN: {
    explain: { tg: 'Ба ҳисоби шумо ин кор иҷозат дода нашудааст.', ru: 'Вашей учётной записи это не разрешено.', en: 'Your account is not allowed to do this.' },
    todo: { tg: 'Агар ба шумо ин ҳуқуқ лозим бошад, ба маъмур муроҷиат кунед.', ru: 'Если вам нужно это право, обратитесь к администратору.', en: 'Ask the administrator if you need this right.' },
  },
  LG_ERR_OWN_UPLOAD: {
    explain: { tg: 'Шумо ин боркуниро худатон фиристодаед: онро баррасикунандаи дигар бояд баррасӣ кунад.', ru: 'Эту загрузку отправили вы сами: решение по ней должен принять другой проверяющий.', en: 'You sent this upload yourself: another reviewer must decide on it.' },
    todo: { tg: 'Аз баррасикунандаи дигар хоҳиш кунед.', ru: 'Попросите другого проверяющего.', en: 'Ask another reviewer.' },
  },
  LG_ERR_NOT_PENDING: {
    explain: { tg: 'Дар бораи ин боркунӣ аллакай қарор қабул шудааст ё он аз санҷиш нагузаштааст.', ru: 'По этой загрузке уже принято решение, или она не прошла проверку.', en: 'This upload has already been decided, or it did not pass the checks.' },
    todo: { tg: 'Саҳифаи боркуниро аз нав бор кунед, то ҳолати ҳозираашро бинед.', ru: 'Обновите страницу загрузки, чтобы увидеть её текущее состояние.', en: 'Reload the upload\'s page to see where it stands.' },
  },
  LG_ERR_UNKNOWN_DATASET: {
    explain: { tg: 'Чунин маҷмӯаи омории маълумот нест.', ru: 'Такого статистического набора данных нет.', en: 'There is no such statistics dataset.' },
    todo: { tg: 'Яке аз маҷмӯаҳои рӯйхатро интихоб кунед.', ru: 'Выберите один из наборов данных в списке.', en: 'Choose one of the datasets in the list.' },
  },
  LG_ERR_BAD_REQUEST: {
    explain: { tg: 'Дар шакл ё дархост майдоне намерасад ё шакли нодуруст дорад.', ru: 'В форме или запросе не хватает поля, или оно имеет неверный вид.', en: 'A field of the form or request is missing or has the wrong form.' },
    todo: { tg: 'Баргардед ва ҳамаи майдонҳоро пур кунед (файл, маҷмӯа, сол).', ru: 'Вернитесь и заполните все поля (файл, набор данных, год).', en: 'Go back and fill in every field (the file, the dataset, the year).' },
  },
  LG_ERR_MALFORMED_REQUEST: {
    explain: { tg: 'Дархост ба қоидаҳои HTTP мувофиқ нест ва хонда намешавад.', ru: 'Запрос не соответствует правилам HTTP и не может быть прочитан.', en: 'The request does not follow the rules of HTTP and cannot be read.' },
    todo: { tg: 'Агар ин дар браузер рӯй диҳад, саҳифаро аз нав бор кунед; агар барномаи шумо бошад, дархостро санҷед.', ru: 'Если это случилось в браузере, обновите страницу; если это ваша программа, проверьте запрос.', en: 'If this happened in a browser, reload the page; if it is your program, check the request it sends.' },
  },
  LG_ERR_REQUEST_TIMEOUT: {
    explain: { tg: 'Дархост хеле дер расид ва қатъ карда шуд.', ru: 'Запрос приходил слишком долго и был прерван.', en: 'The request took too long to arrive and was cut off.' },
    todo: tryAgain,
  },
  LG_ERR_HEADERS_TOO_LARGE: {
    explain: { tg: 'Сарлавҳаҳои дархост аз андозаи иҷозатдодашуда калонтаранд.', ru: 'Заголовки запроса больше допустимого размера.', en: 'The request\'s headers are larger than allowed.' },
    todo: { tg: 'Кукиҳои ин сомонаро дар браузер пок кунед ва аз нав кӯшиш кунед.', ru: 'Удалите в браузере cookie этого сайта и попробуйте снова.', en: 'Clear this site\'s cookies in the browser and try again.' },
  },
  LG_ERR_CSRF: {
    explain: { tg: 'Шакл бе аломати амниятӣ ё бо аломати кӯҳна фиристода шуд.', ru: 'Форма отправлена без маркера безопасности или с устаревшим маркером.', en: 'The form was sent without its security token, or with an old one.' },
    todo: { tg: 'Саҳифаро аз нав бор кунед ва шаклро боз фиристед.', ru: 'Обновите страницу и отправьте форму снова.', en: 'Reload the page and send the form again.' },
  },
  LG_ERR_RATE_LIMITED: {
    // One code for every per-address limit: sign-ins, error reports, new CKAN API answers.
    explain: { tg: 'Аз суроғаи шумо дархостҳои ин навъ хеле зиёданд (воридшавӣ, хабар дар бораи хато ё ҷавобҳои нави CKAN API).', ru: 'Слишком много запросов такого рода с вашего адреса (входы, сообщения об ошибках или новые ответы CKAN API).', en: 'Too many requests of this kind from your address (sign-ins, error reports or new CKAN API answers).' },
    todo: { tg: 'Ҳамон қадар сония, ки ҷавоб нишон медиҳад (Retry-After), интизор шавед ва аз нав кӯшиш кунед.', ru: 'Подождите столько секунд, сколько указано в ответе (Retry-After), и попробуйте снова.', en: 'Wait as many seconds as the answer says (Retry-After) and try again.' },
  },
  LG_ERR_REPORTS_FULL: {
    explain: { tg: 'Имрӯз аллакай ҳамон қадар хабарҳо дар бораи хатоҳо қабул шудаанд, ки дар як рӯз иҷозат аст.', ru: 'Сегодня уже принято столько сообщений об ошибках, сколько допускается за день.', en: 'As many error reports as a day allows have already been received today.' },
    todo: { tg: 'Пас аз нисфишабӣ (UTC) аз нав фиристед.', ru: 'Отправьте сообщение снова после полуночи (UTC).', en: 'Send it again after midnight (UTC).' },
  },
  LG_ERR_BAD_LOGIN: {
    explain: { tg: 'Номи корбар ё парол нодуруст аст.', ru: 'Неверное имя пользователя или пароль.', en: 'The user name or the password is wrong.' },
    todo: { tg: 'Забони клавиатура ва Caps Lock-ро санҷед ва аз нав кӯшиш кунед.', ru: 'Проверьте раскладку клавиатуры и Caps Lock и попробуйте снова.', en: 'Check the keyboard language and Caps Lock, and try again.' },
  },
  LG_ERR_PASSWORD_POLICY: {
    explain: { tg: 'Пароли нав қабул намешавад: ҳадди ақал 10 аломат лозим аст ва он бояд аз номи корбар ва пароли ҳозира фарқ кунад.', ru: 'Новый пароль не допускается: нужно не меньше 10 символов, и он должен отличаться от имени пользователя и текущего пароля.', en: 'The new password is not allowed: it needs at least 10 characters and must differ from the user name and the current password.' },
    todo: { tg: 'Пароли дигари дарозтар интихоб кунед.', ru: 'Выберите другой, более длинный пароль.', en: 'Choose another, longer password.' },
  },
  LG_ERR_PASSWORD_CHANGE_REQUIRED: {
    explain: { tg: 'Ҳисоби шумо ҳанӯз пароли яккаратаро дорад.', ru: 'У вашей учётной записи всё ещё одноразовый пароль.', en: 'Your account still has its one-time password.' },
    todo: { tg: 'Аввал паролро иваз кунед.', ru: 'Сначала смените пароль.', en: 'Change the password first.' },
  },
  LG_ERR_INTERNAL: {
    explain: { tg: 'Дар сервер хато рух дод.', ru: 'На сервере произошла ошибка.', en: 'Something went wrong on the server.' },
    todo: { tg: 'Баъдтар аз нав кӯшиш кунед; агар боз такрор шавад, вақти онро ба маъмур хабар диҳед.', ru: 'Повторите позже; если ошибка повторится, сообщите администратору, когда это случилось.', en: 'Try again later; if it happens again, tell the administrator when it happened.' },
  },
  LG_ERR_MANIFEST: {
    explain: { tg: 'Тавсифи маҷмӯаҳои маълумот дар сервер нодуруст аст.', ru: 'Описание наборов данных на сервере неверно.', en: 'The description of the datasets on the server is invalid.' },
    todo: askAdministrator,
  },
  LG_ERR_CONFIG: {
    explain: { tg: 'Танзими сервер нодуруст аст.', ru: 'Неверная настройка сервера.', en: 'A setting of the server is invalid.' },
    todo: askAdministrator,
  },
};

/** For a code added to src/errors.ts without its entry here yet: the detail line is all there is. */
export const UNKNOWN_CODE_TEXT: CodeText = {
  explain: { tg: 'Мушкил дар сатри тафсилот тавсиф шудааст.', ru: 'Проблема описана в строке подробностей.', en: 'The problem is described in the detail line.' },
  todo: { tg: 'Агар маълум набошад, сатри тафсилотро ба маъмур фиристед.', ru: 'Если непонятно, перешлите строку подробностей администратору.', en: 'If it is unclear, send the detail line to the administrator.' },
};

/** The report table's own headings. */
export const REPORT_LABELS: Record<ReportLang, Record<'file' | 'sheet' | 'row' | 'column' | 'header' | 'value' | 'reason' | 'action' | 'detail' | 'code', string>> = {
  tg: { file: 'Файл', sheet: 'Варақ', row: 'Сатр', column: 'Сутун', header: 'Сарлавҳа', value: 'Қимат', reason: 'Мушкил', action: 'Чӣ бояд кард', detail: 'Тафсилот (бо забони англисӣ)', code: 'Рамзи хато' },
  ru: { file: 'Файл', sheet: 'Лист', row: 'Строка', column: 'Столбец', header: 'Заголовок', value: 'Значение', reason: 'Проблема', action: 'Что сделать', detail: 'Подробности (на английском)', code: 'Код ошибки' },
  en: { file: 'File', sheet: 'Sheet', row: 'Row', column: 'Column', header: 'Header', value: 'Value', reason: 'Problem', action: 'What to do', detail: 'Detail', code: 'Error code' },
};
