/**
 * The texts of the slices (issue #13, "Slices and an offline mirror"): the links on the district
 * and region pages, the catalog's titles and descriptions, the spreadsheet's sample note. Real
 * Tajik and Russian, the same keys in each language.
 */

const en = {
  /** The heading of the download links on a district's page. */
  downloadDistrict: 'Download all data of this district',
  downloadRegion: 'Download all data of this region',
  /** What the files hold, under the links. */
  downloadNote: 'The unit, every unit within it and all their figures (reported and computed) in one file.',
  csv: 'CSV',
  turtle: 'Turtle',
  xlsx: 'XLSX',
  /** dct:title of a slice's dataset; {name} is the unit's name. */
  datasetTitle: 'All data: {name}',
  datasetDescription: 'The unit {name} ({code}), every unit within it and all their statistics (figures as reported and totals computed by this service, marked), in one download. Made from the published datasets at conversion time.',
  datasetSampleNote: 'Includes SAMPLE DATA: the rows marked sample are generated figures, not official statistics.',
  /** dct:title of a distribution: {name}, then the format. */
  distributionTitle: 'All data: {name} ({format})',
  /** The first row of the statistics sheet where sample data is included. */
  sheetSampleNote: 'SAMPLE DATA - not official figures: the rows with sample = true were generated for demonstration.',
  sheetUnits: 'units',
  sheetStatistics: 'statistics',
};

export type SliceStrings = typeof en;

const ru: SliceStrings = {
  downloadDistrict: 'Скачать все данные этого района',
  downloadRegion: 'Скачать все данные этого региона',
  downloadNote: 'Единица, все единицы в её составе и все их показатели (представленные и вычисленные) одним файлом.',
  csv: 'CSV',
  turtle: 'Turtle',
  xlsx: 'XLSX',
  datasetTitle: 'Все данные: {name}',
  datasetDescription: 'Единица {name} ({code}), все единицы в её составе и вся их статистика (показатели в том виде, как они представлены, и итоги, вычисленные этим сервисом, с пометкой) одним файлом. Составлено из опубликованных наборов данных при преобразовании.',
  datasetSampleNote: 'Содержит ПРИМЕРНЫЕ ДАННЫЕ (SAMPLE DATA): строки с пометкой sample — сгенерированные цифры, а не официальная статистика.',
  distributionTitle: 'Все данные: {name} ({format})',
  sheetSampleNote: 'ПРИМЕРНЫЕ ДАННЫЕ — не официальные цифры: строки с sample = true сгенерированы для демонстрации.',
  sheetUnits: 'units',
  sheetStatistics: 'statistics',
};

const tg: SliceStrings = {
  downloadDistrict: 'Ҳамаи маълумоти ин ноҳияро боргирӣ кунед',
  downloadRegion: 'Ҳамаи маълумоти ин минтақаро боргирӣ кунед',
  downloadNote: 'Воҳид, ҳамаи воҳидҳои дохили он ва ҳамаи рақамҳои онҳо (пешниҳодшуда ва ҳисобшуда) дар як файл.',
  csv: 'CSV',
  turtle: 'Turtle',
  xlsx: 'XLSX',
  datasetTitle: 'Ҳамаи маълумот: {name}',
  datasetDescription: 'Воҳиди {name} ({code}), ҳамаи воҳидҳои дохили он ва ҳамаи омори онҳо (рақамҳо, чӣ тавре ки пешниҳод шудаанд, ва ҷамъҳое, ки ин хидмат ҳисоб кардааст, бо нишона) дар як файл. Ҳангоми табдилдиҳӣ аз маҷмӯаҳои нашршуда тартиб дода шудааст.',
  datasetSampleNote: 'Маълумоти НАМУНАВӢ (SAMPLE DATA) дорад: сатрҳое, ки бо sample қайд шудаанд, рақамҳои сохташуда мебошанд, на омори расмӣ.',
  distributionTitle: 'Ҳамаи маълумот: {name} ({format})',
  sheetSampleNote: 'МАЪЛУМОТИ НАМУНАВӢ — рақамҳои расмӣ нестанд: сатрҳое, ки sample = true доранд, барои намоиш сохта шудаанд.',
  sheetUnits: 'units',
  sheetStatistics: 'statistics',
};

export const SLICE_STRINGS: Readonly<Record<'tg' | 'ru' | 'en', SliceStrings>> = { tg, ru, en };

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}
