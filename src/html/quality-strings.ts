/**
 * The texts of the dataset page's quality table (src/html/quality-table.ts), in the three
 * languages. Kept apart from strings-*.ts so that this feature's words live with it.
 */
const en = {
  heading: 'Quality',
  coverageLink: 'Quality figures of this dataset',
  intro: 'Computed by the converter from the published data when this version was built (W3C Data Quality Vocabulary); the catalog has the same figures.',
  measure: 'Measure',
  value: 'Value',
  completeness: 'Units reporting, {year}',
  names: 'Units with a name in {language}',
  wikidata: 'Units linked to Wikidata',
  geonames: 'Units linked to GeoNames',
  freshness: 'Age of the latest figure',
  days: '{n} days on {date}',
  conformance: 'Passes the checks',
  yes: 'yes',
  no: 'no',
  tg: 'Tajik',
  ru: 'Russian',
  en: 'English',
};

export type QualityStrings = typeof en;

const tg: QualityStrings = {
  heading: 'Сифат',
  coverageLink: 'Рақамҳои сифати ин маҷмӯа',
  intro: 'Табдилдиҳанда онро аз маълумоти нашршуда ҳангоми сохтани ин версия ҳисоб кардааст (луғати W3C Data Quality Vocabulary); дар феҳрист ҳамин рақамҳо ҳастанд.',
  measure: 'Нишондод',
  value: 'Қимат',
  completeness: 'Воҳидҳое, ки гузориш доданд, {year}',
  names: 'Воҳидҳое, ки ном ба забони {language} доранд',
  wikidata: 'Воҳидҳои бо Wikidata пайвастшуда',
  geonames: 'Воҳидҳои бо GeoNames пайвастшуда',
  freshness: 'Синни охирин рақам',
  days: '{n} рӯз то {date}',
  conformance: 'Аз санҷишҳо гузаштааст',
  yes: 'ҳа',
  no: 'не',
  tg: 'тоҷикӣ',
  ru: 'русӣ',
  en: 'англисӣ',
};

const ru: QualityStrings = {
  heading: 'Качество',
  coverageLink: 'Показатели качества этого набора',
  intro: 'Вычислено конвертером по опубликованным данным при сборке этой версии (словарь W3C Data Quality Vocabulary); в каталоге те же значения.',
  measure: 'Показатель',
  value: 'Значение',
  completeness: 'Единицы, представившие данные, {year}',
  names: 'Единицы с названием на языке: {language}',
  wikidata: 'Единицы, связанные с Wikidata',
  geonames: 'Единицы, связанные с GeoNames',
  freshness: 'Давность последнего значения',
  days: '{n} дн. на {date}',
  conformance: 'Проверки пройдены',
  yes: 'да',
  no: 'нет',
  tg: 'таджикский',
  ru: 'русский',
  en: 'английский',
};

export const QUALITY_STRINGS: Readonly<Record<'tg' | 'ru' | 'en', QualityStrings>> = { tg, ru, en };
