/**
 * Every text of the readers' error reports, in Tajik (Cyrillic), Russian and English: the form on
 * the unit pages, its answers, the home page's paragraph, and the officials' page of reports.
 * English is the contract: `ReportStrings` is built from its keys, so a key missing from `tg` or
 * `ru` fails the type check. `{name}` placeholders are filled with `fmt` (src/html/i18n.ts).
 */
import type { Lang } from '../html/models.js';

const en = {
  // the form on every unit page (report-form.ts)
  formTitle: 'Report an error on this page',
  formIntro: 'Is a name, code or figure on this page wrong? Write what is wrong and, if you can, where the right value comes from. Your report goes to the officials who review the data; it is not published.',
  textLabel: 'What is wrong?',
  textHint: '{min} to {max} characters.',
  contactLabel: 'Your e-mail or phone (optional)',
  contactHint: 'Only if you would like an answer; at most {max} characters. Only the officials see it.',
  honeypotLabel: 'Leave this field empty',
  send: 'Send the report',
  // the answers (report-pages.ts)
  pageTitle: 'Report an error',
  aboutPage: 'About the page: {name}',
  errorsIntro: 'The report was not sent. Please correct this and send it again:',
  err_text_missing: '“What is wrong?” is empty: write what is wrong.',
  err_text_short: '“What is wrong?” is too short: write at least {min} characters (now {n}).',
  err_text_long: '“What is wrong?” is too long: at most {max} characters (now {n}).',
  err_contact_long: '“Your e-mail or phone” is too long: at most {max} characters (now {n}).',
  err_page_not_unit: 'The page the report is about is not a unit page of this site. Open the unit’s page and use the form at its end.',
  thanksTitle: 'Thank you',
  thanksText: 'Your report has been received. The officials who review the data will check it; a correction appears on the site with the next release.',
  backTo: 'Back to the page: {name}',
  backHome: 'To the home page',
  refusedTitle: 'The report was not sent',
  rateLimited: 'Too many reports have come from your address. Please try again in {minutes} min.',
  full: 'Too many reports have been received today. New reports are accepted again from midnight UTC; please try again then.',
  // the home page's "report an error" section (src/html/home-page.ts)
  homeHow: 'Every page of a unit (the country, a region, a district, a jamoat) ends with the form “Report an error on this page”: no e-mail is needed. The reports go to the officials who review the data.',
  homeExample: 'The form on the page of Tajikistan as a whole',
  // the officials' area (reports-page.ts)
  reportsTitle: 'Error reports from readers',
  reportsIntro: 'Open reports, newest first. Mark a report handled once it is dealt with: corrected through an upload, or nothing to correct.',
  reportsOwnArea: 'Reports about the units of your area: {area}.',
  noReports: 'No open reports.',
  colReport: 'Report',
  colReceived: 'Received',
  colUnit: 'Unit',
  colText: 'What was written',
  colContact: 'Contact',
  noContact: 'none',
  markHandled: 'Mark handled',
  closedFlash: 'Report {n} is marked handled.',
  dashboardReports: 'Error reports from readers: {n} open',
};

export type ReportStringKey = keyof typeof en;
export type ReportStrings = Record<ReportStringKey, string>;

const ru: ReportStrings = {
  formTitle: 'Сообщить об ошибке на этой странице',
  formIntro: 'Неверно название, код или значение на этой странице? Напишите, что неверно, и, если можете, откуда взято правильное значение. Сообщение получат сотрудники, проверяющие данные; оно не публикуется.',
  textLabel: 'Что неверно?',
  textHint: 'От {min} до {max} знаков.',
  contactLabel: 'Ваш e-mail или телефон (необязательно)',
  contactHint: 'Только если хотите получить ответ; не более {max} знаков. Его видят только сотрудники.',
  honeypotLabel: 'Оставьте это поле пустым',
  send: 'Отправить сообщение',
  pageTitle: 'Сообщение об ошибке',
  aboutPage: 'О странице: {name}',
  errorsIntro: 'Сообщение не отправлено. Исправьте, пожалуйста, и отправьте снова:',
  err_text_missing: '«Что неверно?» не заполнено: напишите, что неверно.',
  err_text_short: '«Что неверно?» слишком коротко: напишите не менее {min} знаков (сейчас {n}).',
  err_text_long: '«Что неверно?» слишком длинно: не более {max} знаков (сейчас {n}).',
  err_contact_long: '«Ваш e-mail или телефон» слишком длинно: не более {max} знаков (сейчас {n}).',
  err_page_not_unit: 'Страница, о которой сообщение, не является страницей единицы этого сайта. Откройте страницу единицы и воспользуйтесь формой в её конце.',
  thanksTitle: 'Спасибо',
  thanksText: 'Ваше сообщение получено. Сотрудники, проверяющие данные, рассмотрят его; исправление появится на сайте со следующим выпуском.',
  backTo: 'Назад к странице: {name}',
  backHome: 'На главную страницу',
  refusedTitle: 'Сообщение не отправлено',
  rateLimited: 'С вашего адреса пришло слишком много сообщений. Попробуйте снова через {minutes} мин.',
  full: 'Сегодня получено слишком много сообщений. Новые принимаются снова с полуночи UTC; попробуйте, пожалуйста, тогда.',
  homeHow: 'Каждая страница единицы (страны, области, района, джамоата) заканчивается формой «Сообщить об ошибке на этой странице»: электронная почта не нужна. Сообщения получают сотрудники, проверяющие данные.',
  homeExample: 'Форма на странице Таджикистана в целом',
  reportsTitle: 'Сообщения читателей об ошибках',
  reportsIntro: 'Открытые сообщения, новые сверху. Отметьте сообщение как обработанное, когда с ним разобрались: исправлено загрузкой или исправлять нечего.',
  reportsOwnArea: 'Сообщения о единицах вашей территории: {area}.',
  noReports: 'Открытых сообщений нет.',
  colReport: 'Сообщение',
  colReceived: 'Получено',
  colUnit: 'Единица',
  colText: 'Что написано',
  colContact: 'Контакт',
  noContact: 'нет',
  markHandled: 'Отметить как обработанное',
  closedFlash: 'Сообщение {n} отмечено как обработанное.',
  dashboardReports: 'Сообщения читателей об ошибках: открытых {n}',
};

const tg: ReportStrings = {
  formTitle: 'Дар бораи хато дар ин саҳифа хабар диҳед',
  formIntro: 'Ном, рамз ё рақами ин саҳифа нодуруст аст? Нависед, ки чӣ нодуруст аст ва агар тавонед, қимати дуруст аз куҷо гирифта шудааст. Хабари шуморо кормандоне, ки маълумотро месанҷанд, мегиранд; он нашр намешавад.',
  textLabel: 'Чӣ нодуруст аст?',
  textHint: 'Аз {min} то {max} аломат.',
  contactLabel: 'Почтаи электронӣ ё телефони шумо (ихтиёрӣ)',
  contactHint: 'Танҳо агар ҷавоб гирифтан хоҳед; на зиёда аз {max} аломат. Онро танҳо кормандон мебинанд.',
  honeypotLabel: 'Ин майдонро холӣ гузоред',
  send: 'Фиристодани хабар',
  pageTitle: 'Хабар дар бораи хато',
  aboutPage: 'Дар бораи саҳифа: {name}',
  errorsIntro: 'Хабар фиристода нашуд. Лутфан инро ислоҳ карда, аз нав фиристед:',
  err_text_missing: '«Чӣ нодуруст аст?» холӣ аст: нависед, ки чӣ нодуруст аст.',
  err_text_short: '«Чӣ нодуруст аст?» хеле кӯтоҳ аст: ақаллан {min} аломат нависед (ҳоло {n}).',
  err_text_long: '«Чӣ нодуруст аст?» хеле дароз аст: на зиёда аз {max} аломат (ҳоло {n}).',
  err_contact_long: '«Почтаи электронӣ ё телефони шумо» хеле дароз аст: на зиёда аз {max} аломат (ҳоло {n}).',
  err_page_not_unit: 'Саҳифае, ки хабар дар бораи он аст, саҳифаи воҳиди ин сомона нест. Саҳифаи воҳидро кушоед ва шакли охири онро истифода баред.',
  thanksTitle: 'Ташаккур',
  thanksText: 'Хабари шумо қабул шуд. Кормандоне, ки маълумотро месанҷанд, онро мебинанд; ислоҳ бо нашри навбатӣ дар сомона пайдо мешавад.',
  backTo: 'Бозгашт ба саҳифа: {name}',
  backHome: 'Ба саҳифаи асосӣ',
  refusedTitle: 'Хабар фиристода нашуд',
  rateLimited: 'Аз суроғаи шумо хабарҳо хеле зиёд омаданд. Лутфан баъд аз {minutes} дақиқа аз нав кӯшиш кунед.',
  full: 'Имрӯз хабарҳо хеле зиёд қабул шуданд. Хабарҳои нав аз нисфи шаби UTC боз қабул мешаванд; лутфан он вақт кӯшиш кунед.',
  homeHow: 'Ҳар саҳифаи воҳид (кишвар, вилоят, ноҳия, ҷамоат) бо шакли «Дар бораи хато дар ин саҳифа хабар диҳед» анҷом меёбад: почтаи электронӣ лозим нест. Хабарҳоро кормандоне, ки маълумотро месанҷанд, мегиранд.',
  homeExample: 'Шакл дар саҳифаи тамоми Тоҷикистон',
  reportsTitle: 'Хабарҳои хонандагон дар бораи хатоҳо',
  reportsIntro: 'Хабарҳои кушода, навтаринҳо дар боло. Хабарро пас аз баррасӣ коркардшуда қайд кунед: бо боргузорӣ ислоҳ шуд ё ислоҳ лозим нест.',
  reportsOwnArea: 'Хабарҳо дар бораи воҳидҳои минтақаи шумо: {area}.',
  noReports: 'Хабари кушода нест.',
  colReport: 'Хабар',
  colReceived: 'Қабул шуд',
  colUnit: 'Воҳид',
  colText: 'Чӣ навишта шудааст',
  colContact: 'Тамос',
  noContact: 'нест',
  markHandled: 'Коркардшуда қайд кардан',
  closedFlash: 'Хабари {n} коркардшуда қайд шуд.',
  dashboardReports: 'Хабарҳои хонандагон дар бораи хатоҳо: {n} кушода',
};

export const REPORT_STRINGS: Record<Lang, ReportStrings> = { tg, ru, en };

export function rs(lang: Lang): ReportStrings {
  return REPORT_STRINGS[lang];
}
