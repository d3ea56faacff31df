import type { Lang } from '../html/models.js';

/** The maps' texts (src/maps): under every map, in its legend, and the titles of the pages' maps. */
const en = {
  map: 'Map',
  /** Who's On First asks for this credit (its LICENSE.md); the boundaries are CC0. */
  credit: "Data from Who's On First",
  approximate: 'Boundaries are approximate and have no legal force.',
  shownAsPoints: 'Shown as a point (no boundary published):',
  notOnMap: 'Not on the map (no location published):',
  noData: 'no data',
  marked: 'marked: {name}',
  countryTitle: 'Map: {name} and its regions',
  regionTitle: 'Map: {name}, its districts and cities',
  markedTitle: '{parent}: {name} marked on the map',
};
export type MapStrings = typeof en;

const ru: MapStrings = {
  map: 'Карта',
  credit: 'Данные Who\'s On First',
  approximate: 'Границы приблизительны и не имеют юридической силы.',
  shownAsPoints: 'Показаны точкой (граница не опубликована):',
  notOnMap: 'Нет на карте (местоположение не опубликовано):',
  noData: 'нет данных',
  marked: 'отмечено: {name}',
  countryTitle: 'Карта: {name}, регионы',
  regionTitle: 'Карта: {name}, районы и города',
  markedTitle: '{parent}: на карте отмечено «{name}»',
};

const tg: MapStrings = {
  map: 'Харита',
  credit: 'Маълумот аз Who\'s On First',
  approximate: 'Сарҳадҳо тақрибӣ мебошанд ва эътибори ҳуқуқӣ надоранд.',
  shownAsPoints: 'Ҳамчун нуқта нишон дода шудаанд (сарҳад нашр нашудааст):',
  notOnMap: 'Дар харита нестанд (ҷойгиршавӣ нашр нашудааст):',
  noData: 'маълумот нест',
  marked: 'ишора шудааст: {name}',
  countryTitle: 'Харита: {name} ва вилоятҳои он',
  regionTitle: 'Харита: {name}, ноҳияҳо ва шаҳрҳо',
  markedTitle: '{parent}: дар харита «{name}» ишора шудааст',
};

export const MAP_STRINGS: Record<Lang, MapStrings> = { tg, ru, en };

export function ms(lang: Lang): MapStrings {
  return MAP_STRINGS[lang];
}
