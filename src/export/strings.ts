import type { Lang } from '../html/models.js';

/**
 * The text the static export adds to the site's pages, in the three languages (design.md,
 * "Languages"): the note that a page is an offline copy, and the client-side search page's.
 * `{date}`, `{version}`, `{q}`, `{n}` are filled in by the export and by the search script.
 */
const en = {
  offline: 'Offline copy of {version}, made {date}. The SPARQL endpoint, Triple Pattern Fragments, the CKAN API, error reports and the officials\u2019 area need the online service: their links here go to {online}.',
  searchIntro: 'This search runs in your browser over the names of every unit in this copy (Tajik, Russian and English, Latin spellings too).',
  needsScript: 'The search of this copy needs JavaScript. Without it, find a unit through the pages of the regions and districts, or search the online service: {online}.',
  resultsFor: 'Results for \u201c{q}\u201d: {n}',
  noResults: 'Nothing found.',
  within: 'in',
};

export type ExportStrings = typeof en;

const ru: ExportStrings = {
  offline: 'Автономная копия {version}, сделана {date}. Для SPARQL, Triple Pattern Fragments, API CKAN, сообщений об ошибках и раздела для должностных лиц нужен онлайн-сервис: ссылки на них ведут на {online}.',
  searchIntro: 'Этот поиск работает в вашем браузере по названиям всех единиц в этой копии (на таджикском, русском и английском, в том числе в латинском написании).',
  needsScript: 'Для поиска в этой копии нужен JavaScript. Без него найдите единицу через страницы областей и районов или воспользуйтесь поиском онлайн-сервиса: {online}.',
  resultsFor: 'Результаты по запросу «{q}»: {n}',
  noResults: 'Ничего не найдено.',
  within: 'в',
};

const tg: ExportStrings = {
  offline: 'Нусхаи офлайни {version}, санаи тартиб {date}. Барои SPARQL, Triple Pattern Fragments, API-и CKAN, хабар дар бораи хато ва бахши масъулон хизматрасонии онлайн лозим аст: пайвандҳои онҳо ба {online} мебаранд.',
  searchIntro: 'Ин ҷустуҷӯ дар браузери шумо аз рӯи номҳои ҳамаи воҳидҳои ин нусха кор мекунад (бо забонҳои тоҷикӣ, русӣ ва англисӣ, инчунин бо ҳарфҳои лотинӣ).',
  needsScript: 'Ҷустуҷӯ дар ин нусха JavaScript-ро талаб мекунад. Бе он воҳидро тавассути саҳифаҳои вилоятҳо ва ноҳияҳо ёбед ё аз ҷустуҷӯи хизматрасонии онлайн истифода баред: {online}.',
  resultsFor: 'Натиҷаҳо барои «{q}»: {n}',
  noResults: 'Ҳеҷ чиз ёфт нашуд.',
  within: 'дар',
};

export const EXPORT_STRINGS: Record<Lang, ExportStrings> = { tg, ru, en };
