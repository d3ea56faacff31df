/**
 * Folds text for search: case, ё/е, and the Tajik letters people type as their Russian look-alikes
 * on Russian keyboards (ҳ/х, ӣ/и, ӯ/у, ғ/г, қ/к, ҷ/ч), plus Latin diacritics and punctuation.
 * "Ноҳияи Ёвон", "нохияи евон" and "НОҲИЯИ ЁВОН" all fold to the same key.
 */
const TAJIK_TO_RUSSIAN: Record<string, string> = { ҳ: 'х', ӣ: 'и', ӯ: 'у', ғ: 'г', қ: 'к', ҷ: 'ч', ё: 'е' };

export function foldText(s: string): string {
  const lower = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, (m, i: number, str: string) => {
    // Keep the combining breve/diaeresis of Cyrillic й and ё: NFKD splits them off.
    const prev = str[i - 1] ?? '';
    return /[иеИЕ]/.test(prev) ? m : '';
  }).normalize('NFC').toLowerCase();
  let out = '';
  for (const ch of lower) out += TAJIK_TO_RUSSIAN[ch] ?? ch;
  return out.replace(/['’`ʻʼ]/g, '').replace(/[\s\-‐–—".,()«»/]+/g, ' ').trim();
}
