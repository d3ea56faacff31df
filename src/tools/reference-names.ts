/**
 * Names and dates of the reference as the converter takes them (npm run import-reference): one
 * official name per cell, capitalised, the others as "Other names"; the day a unit was established
 * when the reference's note gives it. Pure functions, tested on their own.
 */
/**
 * Where the reference gives two Russian names joined with "/", the one we publish as the name; the
 * other becomes an "Other names (Russian)" entry (skos:altLabel). Chosen, not invented: both are in
 * the reference. The adjectival "-ский район" is how the other districts' Russian names are
 * written; for Farkhor, Фархорский is today's name (the Tajik is Фархор), Пархарский the older one.
 */
export const PREFERRED_RU: Readonly<Record<string, string>> = {
  'TJ-KT.kushoniyon': 'Кушониёнский район',
  'TJ-KT.nosiri-khusrav': 'Носири-Хусравский район',
  'TJ-KT.farkhor': 'Фархорский район',
};

/** A Tajik or Russian name as the converter wants it: one name, capitalised; the rest as other names. */
export function officialName(raw: string, preferred?: string): { name: string; others: string } {
  const parts = raw.split('/').map((p) => p.trim()).filter((p) => p !== '');
  const name = preferred && parts.includes(preferred) ? preferred : (parts[0] ?? '');
  const capital = (x: string) => x.charAt(0).toLocaleUpperCase('ru') + x.slice(1);
  return { name: capital(name), others: parts.filter((p) => p !== name).map(capital).join('; ') };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * When the reference's note says a unit was established ("established 31 Jan 1957", "est. 11 Jun
 * 1934", "formed 19 Aug 1957 as Aral District", "founded 26 Feb 1918", "created 1996"): the day in
 * ISO form, or the year.
 * Only these words, so a date of something else (a census, a renaming) is never taken for it.
 */
export function establishedOn(notes: string): string {
  const m = /\b(?:established|est\.|formed|founded|created) (?:(\d{1,2}) ([A-Z][a-z]{2}) )?(\d{4})\b/.exec(notes);
  if (!m) return '';
  const [, day, month, year] = m;
  if (!day || !month) return year ?? '';
  const mm = MONTHS.indexOf(month.toLowerCase()) + 1;
  if (mm === 0) return year ?? '';
  return `${year}-${String(mm).padStart(2, '0')}-${day.padStart(2, '0')}`;
}

