import Negotiator from 'negotiator';
import { LANGS, type Labels, type Lang } from './models.js';
import { en, type StringKey, type Strings } from './strings-en.js';
import { ru } from './strings-ru.js';
import { tg } from './strings-tg.js';

export type { StringKey, Strings };

/** The interface text, all of it in the three languages (design.md, "Languages"). */
export const STRINGS: Record<Lang, Strings> = { tg, ru, en };

export function t(lang: Lang): Strings {
  return STRINGS[lang];
}

/** Fills {name} placeholders: fmt('Regions: {n}', { n: 5 }). */
export function fmt(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Names of the languages as written on the switch: each in itself. */
export const ENDONYMS: Record<Lang, string> = { tg: 'Тоҷикӣ', ru: 'Русский', en: 'English' };

export function isLang(value: string | undefined): value is Lang {
  return value !== undefined && (LANGS as readonly string[]).includes(value);
}

export interface PickedLabel {
  text: string;
  /** The language of `text`. */
  lang: Lang;
  /** True when `text` is not in the requested language. */
  fallback: boolean;
}

/** The fallback order after the requested language: tg -> ru -> en, skipping the requested one. */
export function fallbackOrder(lang: Lang): Lang[] {
  return [lang, ...LANGS.filter((l) => l !== lang)];
}

/**
 * The label to show in `lang`: that language if the data has it, else the first of tg, ru, en
 * that it has, marked as a fallback. Undefined when there is no label at all (never invented).
 */
export function pickLabel(labels: Labels, lang: Lang): PickedLabel | undefined {
  for (const l of fallbackOrder(lang)) {
    const text = labels[l];
    if (text !== undefined && text !== '') return { text, lang: l, fallback: l !== lang };
  }
  return undefined;
}

/**
 * The page language: `?lang=` when it is tg, ru or en (a region subtag such as tg-TJ counts as
 * tg); else the best match of Accept-Language among tg, ru, en (q-values honoured, tg-TJ matches
 * tg); else tg.
 */
export function chooseLanguage(queryLang: string | undefined, acceptLanguage: string | undefined): Lang {
  const q = queryLang?.trim().toLowerCase().split(/[-_]/)[0];
  if (isLang(q)) return q;
  if (acceptLanguage && acceptLanguage.trim() !== '') {
    const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages([...LANGS])[0];
    if (isLang(best)) return best;
  }
  return 'tg';
}

const NNBSP = '\u202f';

/**
 * A number in the page language, from its lexical form (no rounding, no float conversion): tg and
 * ru group thousands with a narrow no-break space and use a decimal comma; en uses comma and point.
 */
export function formatNumber(value: string | number, lang: Lang): string {
  const lexical = String(value).trim();
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(lexical);
  if (!m) return lexical;
  const sign = m[1] === '-' ? '−' : '';
  const int = (m[2] ?? '0').replace(/^0+(?=\d)/, '');
  const group = lang === 'en' ? ',' : NNBSP;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const frac = m[3] ? (lang === 'en' ? '.' : ',') + m[3] : '';
  return sign + grouped + frac;
}
