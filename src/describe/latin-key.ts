import { foldText } from './fold-text.js';

/**
 * Search keys that meet across scripts and spellings: people type a unit's name in Tajik or
 * Russian Cyrillic or in one of several Latin transliterations ("Норин" for Norin, "Gafurov" for
 * Ghafurov, "Kulyab" for Kulob, "Khujand"/"Hujand"). Both the names and the query are turned into
 * one Latin spelling (latinKey) and, as a last resort, into consonant skeletons (skeleton). A key
 * helps search only: it is never shown as anyone's name.
 */

/** Cyrillic (Russian and Tajik, after foldText has turned Tajik letters into Russian look-alikes) to Latin. */
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/**
 * What the usual transliterations write differently for one sound, made one: kh/x/h (х, ҳ), gh/g
 * (ғ), q/k (қ), zh/dzh/dj/ch/j (ж, ҷ, ч), y-vowels (ё, ю, я, й), w/v; Russian -iy endings. Order matters:
 * longer spellings first.
 */
const SPELLINGS: [RegExp, string][] = [
  // ҷ is folded into ч (people type it so on Russian keyboards): Tajik j and Russian ch meet here.
  [/dzh|dj|zh|ch/g, 'j'],
  [/kh|x/g, 'h'],
  [/gh/g, 'g'],
  [/q/g, 'k'],
  [/w/g, 'v'],
  [/ts/g, 's'],
  [/iy\b|yi\b|ij\b/g, 'i'],
  [/y([aeiou])/g, '$1'],
  [/([aeiou])y\b/g, '$1'],
];

/** "Ноҳияи Ёвон" -> "nohiai ovon"; "Bobojon Ghafurov" -> "bobojon gafurov"; "Норин" -> "norin". */
export function latinKey(s: string): string {
  let out = '';
  for (const ch of foldText(s)) out += CYRILLIC[ch] ?? ch;
  for (const [from, to] of SPELLINGS) out = out.replace(from, to);
  return out;
}

/**
 * A word without its vowels and doubled letters: transliterations differ most in vowels (Kulob,
 * Kulyab: "klb"). Only for words of four letters or more, and compared whole, so that it finds a
 * misspelt name without matching half the country.
 */
export function skeleton(word: string): string | undefined {
  if (word.length < 4 || /\d/.test(word)) return undefined;
  const s = word.replace(/[aeiouy]/g, '').replace(/(.)\1+/g, '$1');
  return s.length >= 2 ? s : undefined;
}
