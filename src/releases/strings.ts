import { fmt, formatNumber } from '../html/i18n.js';
import type { Lang } from '../html/models.js';
import type { Release, ReleaseSummary } from './release-store.js';

/**
 * The text of the release pages and the Atom feed, in the three languages (design.md,
 * "Languages"). English is the contract: `ReleaseStrings` is its keys, so a key missing in Tajik or
 * Russian is a type error, as in src/html/strings-*.ts. `{name}` placeholders are filled with fmt().
 */
const en = {
  releasesTitle: 'Releases',
  releasesIntro: 'Every publication of the data is a numbered release. Each release has a permanent page: who published it, when, what changed, and the data files as they were then.',
  feedLink: 'Follow new releases (Atom feed)',
  noReleases: 'No release has been published yet.',
  releaseN: 'Release {n}',
  live: 'served now',
  kind: 'Kind',
  kind_seed: 'Initial data',
  kind_upload: 'Upload',
  kind_rollback: 'Rollback',
  publishedBy: 'Published by',
  byService: 'the service itself (automatically)',
  publishedAt: 'Published',
  uploadN: 'upload no. {n}',
  rollbackTo: 'restores the data of release {n}',
  previousRelease: 'Previous release',
  none: 'none',
  dataVersion: 'Data version',
  overlays: 'Uploads included',
  overlaysNone: 'none (the data as shipped)',
  changes: 'What changed',
  changesAgainst: 'Compared with release {n}.',
  changesFirst: 'The first release: everything in it is new.',
  quadsAdded: 'RDF statements added: {n}',
  quadsRemoved: 'RDF statements removed: {n}',
  obsAdded: 'Figures added: {n}',
  obsChanged: 'Figures changed: {n}',
  obsRemoved: 'Figures removed: {n}',
  summaryShort: 'RDF statements: {qa} added, {qr} removed; figures: {oa} added, {oc} changed, {or} removed',
  changedFigures: 'Changed figures',
  noChangedFigures: 'No statistical figure changed in this release.',
  firstRows: 'The first {shown} of {total} changes are shown.',
  fullTable: 'The full table',
  colUnit: 'Administrative unit',
  colIndicator: 'Indicator',
  colYear: 'Year',
  colOld: 'Before',
  colNew: 'After',
  colWhat: 'Change',
  what_added: 'added',
  what_changed: 'changed',
  what_removed: 'removed',
  changesetFiles: 'The changes as files',
  changesMissing: 'The changes of this release are not available.',
  file_added: 'RDF statements added (N-Quads, gzip)',
  file_removed: 'RDF statements removed (N-Quads, gzip)',
  file_csv: 'Changed figures (CSV table)',
  file_json: 'Summary and changed figures (JSON)',
  releaseFiles: 'The data of this release',
  releaseFilesIntro: 'The files as they were published in this release, with their SHA-256 checksums.',
  noFiles: 'The files of this release are not available.',
  file: 'File',
  size: 'Size',
  bytes: 'B',
  kilobytes: 'KB',
  megabytes: 'MB',
  allReleases: 'All releases',
  feedTitle: '{site}: releases',
  feedEntry: '{kind}, published by {who}. {summary}',
};

export type ReleaseStringKey = keyof typeof en;
export type ReleaseStrings = Record<ReleaseStringKey, string>;

const tg: ReleaseStrings = {
  releasesTitle: 'Нашрҳо',
  releasesIntro: 'Ҳар як нашри маълумот рақами худро дорад. Ҳар нашр саҳифаи доимӣ дорад: кӣ онро нашр кард, кай, чӣ тағйир ёфт ва файлҳои маълумот дар ҳамон вақт.',
  feedLink: 'Пайгирии нашрҳои нав (тасмаи Atom)',
  noReleases: 'Ҳанӯз ягон нашр нест.',
  releaseN: 'Нашри {n}',
  live: 'ҳоло нишон дода мешавад',
  kind: 'Навъ',
  kind_seed: 'Маълумоти аввала',
  kind_upload: 'Боргузорӣ',
  kind_rollback: 'Бозгашт',
  publishedBy: 'Нашр кард',
  byService: 'худи хизматрасонӣ (ба таври худкор)',
  publishedAt: 'Санаи нашр',
  uploadN: 'боргузории № {n}',
  rollbackTo: 'маълумоти нашри {n}-ро бармегардонад',
  previousRelease: 'Нашри қаблӣ',
  none: 'нест',
  dataVersion: 'Версияи маълумот',
  overlays: 'Боргузориҳои дохилшуда',
  overlaysNone: 'нест (маълумоти аслӣ)',
  changes: 'Чӣ тағйир ёфт',
  changesAgainst: 'Дар муқоиса бо нашри {n}.',
  changesFirst: 'Нашри аввал: ҳама чиз дар он нав аст.',
  quadsAdded: 'Изҳороти RDF илова шуд: {n}',
  quadsRemoved: 'Изҳороти RDF хориҷ шуд: {n}',
  obsAdded: 'Қиматҳо илова шуд: {n}',
  obsChanged: 'Қиматҳо тағйир ёфт: {n}',
  obsRemoved: 'Қиматҳо хориҷ шуд: {n}',
  summaryShort: 'Изҳороти RDF: {qa} илова, {qr} хориҷ; қиматҳо: {oa} илова, {oc} тағйир, {or} хориҷ',
  changedFigures: 'Қиматҳои тағйирёфта',
  noChangedFigures: 'Дар ин нашр ягон қимати омор тағйир наёфт.',
  firstRows: 'Аз {total} тағйирот {shown}-тои аввал нишон дода шудааст.',
  fullTable: 'Ҷадвали пурра',
  colUnit: 'Воҳиди маъмурӣ',
  colIndicator: 'Нишондиҳанда',
  colYear: 'Сол',
  colOld: 'Пеш',
  colNew: 'Баъд',
  colWhat: 'Тағйир',
  what_added: 'илова шуд',
  what_changed: 'тағйир ёфт',
  what_removed: 'хориҷ шуд',
  changesetFiles: 'Тағйирот ҳамчун файл',
  changesMissing: 'Тағйироти ин нашр дастрас нест.',
  file_added: 'Изҳороти RDF-и иловашуда (N-Quads, gzip)',
  file_removed: 'Изҳороти RDF-и хориҷшуда (N-Quads, gzip)',
  file_csv: 'Қиматҳои тағйирёфта (ҷадвали CSV)',
  file_json: 'Хулоса ва қиматҳои тағйирёфта (JSON)',
  releaseFiles: 'Маълумоти ин нашр',
  releaseFilesIntro: 'Файлҳо ҳамон тавре, ки дар ин нашр нашр шуда буданд, бо ҷамъи назоратии SHA-256.',
  noFiles: 'Файлҳои ин нашр дастрас нестанд.',
  file: 'Файл',
  size: 'Андоза',
  bytes: 'Б',
  kilobytes: 'КБ',
  megabytes: 'МБ',
  allReleases: 'Ҳамаи нашрҳо',
  feedTitle: '{site}: нашрҳо',
  feedEntry: '{kind}, нашр кард: {who}. {summary}',
};

const ru: ReleaseStrings = {
  releasesTitle: 'Выпуски',
  releasesIntro: 'Каждая публикация данных — пронумерованный выпуск. У каждого выпуска есть постоянная страница: кто его опубликовал, когда, что изменилось, и файлы данных в том виде, в каком они были тогда.',
  feedLink: 'Следить за новыми выпусками (лента Atom)',
  noReleases: 'Выпусков пока нет.',
  releaseN: 'Выпуск {n}',
  live: 'публикуется сейчас',
  kind: 'Вид',
  kind_seed: 'Исходные данные',
  kind_upload: 'Загрузка',
  kind_rollback: 'Откат',
  publishedBy: 'Опубликовал',
  byService: 'сам сервис (автоматически)',
  publishedAt: 'Опубликован',
  uploadN: 'загрузка № {n}',
  rollbackTo: 'возвращает данные выпуска {n}',
  previousRelease: 'Предыдущий выпуск',
  none: 'нет',
  dataVersion: 'Версия данных',
  overlays: 'Включённые загрузки',
  overlaysNone: 'нет (исходные данные)',
  changes: 'Что изменилось',
  changesAgainst: 'По сравнению с выпуском {n}.',
  changesFirst: 'Первый выпуск: всё в нём новое.',
  quadsAdded: 'Добавлено утверждений RDF: {n}',
  quadsRemoved: 'Удалено утверждений RDF: {n}',
  obsAdded: 'Добавлено значений: {n}',
  obsChanged: 'Изменено значений: {n}',
  obsRemoved: 'Удалено значений: {n}',
  summaryShort: 'Утверждения RDF: добавлено {qa}, удалено {qr}; значения: добавлено {oa}, изменено {oc}, удалено {or}',
  changedFigures: 'Изменённые значения',
  noChangedFigures: 'В этом выпуске ни одно значение статистики не изменилось.',
  firstRows: 'Показаны первые {shown} изменений из {total}.',
  fullTable: 'Полная таблица',
  colUnit: 'Административная единица',
  colIndicator: 'Показатель',
  colYear: 'Год',
  colOld: 'Было',
  colNew: 'Стало',
  colWhat: 'Изменение',
  what_added: 'добавлено',
  what_changed: 'изменено',
  what_removed: 'удалено',
  changesetFiles: 'Изменения в виде файлов',
  changesMissing: 'Изменения этого выпуска недоступны.',
  file_added: 'Добавленные утверждения RDF (N-Quads, gzip)',
  file_removed: 'Удалённые утверждения RDF (N-Quads, gzip)',
  file_csv: 'Изменённые значения (таблица CSV)',
  file_json: 'Сводка и изменённые значения (JSON)',
  releaseFiles: 'Данные этого выпуска',
  releaseFilesIntro: 'Файлы в том виде, в каком они были опубликованы в этом выпуске, с контрольными суммами SHA-256.',
  noFiles: 'Файлы этого выпуска недоступны.',
  file: 'Файл',
  size: 'Размер',
  bytes: 'Б',
  kilobytes: 'КБ',
  megabytes: 'МБ',
  allReleases: 'Все выпуски',
  feedTitle: '{site}: выпуски',
  feedEntry: '{kind}, опубликовал: {who}. {summary}',
};

export const RELEASE_STRINGS: Record<Lang, ReleaseStrings> = { tg, ru, en };

export function releaseStrings(lang: Lang): ReleaseStrings {
  return RELEASE_STRINGS[lang];
}

/** How a release came about, in words: "Upload (upload no. 12)", "Rollback (restores the data of release 3)". */
export function kindText(r: Pick<Release, 'kind' | 'uploadId' | 'rollbackTo'>, lang: Lang): string {
  const s = RELEASE_STRINGS[lang];
  const kind = s[`kind_${r.kind}`];
  if (r.kind === 'upload' && r.uploadId !== null) return `${kind} (${fmt(s.uploadN, { n: r.uploadId })})`;
  if (r.kind === 'rollback' && r.rollbackTo !== null) return `${kind} (${fmt(s.rollbackTo, { n: r.rollbackTo })})`;
  return kind;
}

/** Who published: the person's name as recorded, or the service when no person caused it. */
export function whoText(r: Pick<Release, 'createdBy'>, lang: Lang): string {
  return r.createdBy.id === null ? RELEASE_STRINGS[lang].byService : r.createdBy.name;
}

/** The counts in one line (the list, the feed). */
export function summaryText(summary: ReleaseSummary | null, lang: Lang): string {
  const n = (x: number | undefined) => formatNumber(x ?? 0, lang);
  return fmt(RELEASE_STRINGS[lang].summaryShort, {
    qa: n(summary?.quadsAdded), qr: n(summary?.quadsRemoved),
    oa: n(summary?.observationsAdded), oc: n(summary?.observationsChanged), or: n(summary?.observationsRemoved),
  });
}

/**
 * A moment as "2025-03-01 14:05 UTC": the same in the three languages and unambiguous (month
 * names in Tajik are not in every ICU build). Falls back to the stored text if it is not a date.
 */
export function whenText(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
}

/** A file size for people: 820 B, 14.2 KB, 3.1 MB (decimal units), numbers in the page's style. */
export function sizeText(bytes: number, lang: Lang): string {
  const s = RELEASE_STRINGS[lang];
  if (bytes < 1000) return `${formatNumber(bytes, lang)} ${s.bytes}`;
  if (bytes < 1e6) return `${formatNumber((bytes / 1e3).toFixed(1), lang)} ${s.kilobytes}`;
  return `${formatNumber((bytes / 1e6).toFixed(1), lang)} ${s.megabytes}`;
}
