import type { Lang } from '../html/models.js';

/**
 * What a replica answers on the paths only the publishing instance serves (src/replica/notice.ts),
 * in the three languages (design.md, "Languages"). `{url}` is BASE_URI + the path asked for.
 */
const en = {
  title: 'Publishing is done on the publishing instance',
  text: 'This server is a read-only replica of the published data. The officials\' area, the list of releases and readers\' error reports are served by the publishing instance; through the public address they reach it.',
  link: 'Open it at the public address: {url}',
};

export type ReplicaStrings = typeof en;

const ru: ReplicaStrings = {
  title: 'Публикация выполняется на публикующем экземпляре сервиса',
  text: 'Этот сервер — реплика опубликованных данных только для чтения. Раздел для должностных лиц, список выпусков и сообщения читателей об ошибках обслуживает публикующий экземпляр; по публичному адресу запросы попадают к нему.',
  link: 'Откройте по публичному адресу: {url}',
};

const tg: ReplicaStrings = {
  title: 'Нашр дар нусхаи нашркунандаи хидмат анҷом дода мешавад',
  text: 'Ин сервер нусхаи маълумоти нашршуда танҳо барои хондан аст. Бахши мансабдорон, рӯйхати нашрҳо ва гузоришҳои хонандагон дар бораи хатоҳоро нусхаи нашркунанда хизмат мерасонад; тавассути суроғаи умумӣ дархостҳо ба он мерасанд.',
  link: 'Онро дар суроғаи умумӣ кушоед: {url}',
};

const STRINGS: Record<Lang, ReplicaStrings> = { tg, ru, en };

export function replicaStrings(lang: Lang): ReplicaStrings {
  return STRINGS[lang];
}
