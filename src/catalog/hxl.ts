import type { Level } from '../convert/layout.js';
import { type Table, csvField, csvLines } from './csv-tables.js';

/**
 * The HXL-tagged form of a dataset's CSV (Humanitarian Exchange Language 1.1,
 * https://hxlstandard.org/standard/1-1final/): the same header row and data rows as the plain CSV,
 * with a second row of hashtags under the header, one per column (the "hashtag row" HXL tools
 * and HDX look for above the data). Each column's tag is declared beside the column
 * in csv-tables.ts; the value column's comes from the indicators' `lg:hxlTag` in the vocabulary.
 *
 * A tag is `#hashtag` then `+attribute`s, lower case, no spaces (HXL reads hashtags and attributes
 * case-insensitively, and the spaces some writers put before a `+` are optional: we write none, so
 * that the row is simple to compare). tests/hxl-quality.test.ts checks every hashtag and attribute
 * against the HXL core schema (tests/fixtures/hxl-core-hashtags.json).
 */

export const HXL_TAG = /^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$/;

/** The HXL place hashtag of each of our levels: Tajikistan's regions are admin level 1, districts 2, jamoats 3. */
const LEVEL_HASHTAG: Readonly<Record<Level, string>> = { country: '#country', region: '#adm1', district: '#adm2', jamoat: '#adm3' };

/**
 * The hashtag of a column of units: the level's when every row is of one level, else HXL's general
 * `#loc` (a column whose rows mix jamoats and districts is neither #adm3 nor #adm2).
 */
export function placeHashtag(levels: Iterable<string>): string {
  const set = new Set(levels);
  const only = set.size === 1 ? ([...set][0] as Level) : undefined;
  return only && only in LEVEL_HASHTAG ? LEVEL_HASHTAG[only] : '#loc';
}

/**
 * The tag of a column holding the figures of several indicators: what their own tags (lg:hxlTag)
 * share, the hashtag and the attributes common to all; where the hashtags differ, HXL's general
 * `#indicator+value`, `+num` kept if every indicator's tag has it.
 */
export function commonTag(tags: readonly string[]): string {
  if (tags.length === 0) return '#indicator+value+num';
  const parsed = tags.map(parseTag);
  const [first] = parsed as [{ hashtag: string; attributes: string[] }];
  const shared = (a: string) => parsed.every((p) => p.attributes.includes(a));
  if (parsed.every((p) => p.hashtag === first.hashtag)) return [first.hashtag, ...first.attributes.filter(shared)].join('+');
  return ['#indicator', 'value', ...(shared('num') ? ['num'] : [])].join('+');
}

export function parseTag(tag: string): { hashtag: string; attributes: string[] } {
  if (!HXL_TAG.test(tag)) throw new Error(`not an HXL tag in our form (#hashtag+attribute, lower case): ${JSON.stringify(tag)}`);
  const [hashtag, ...attributes] = tag.split('+') as [string, ...string[]];
  return { hashtag, attributes };
}

/** The table as HXL-tagged CSV: header row, hashtag row, then exactly the plain CSV's data rows. */
export function toHxlCsv(table: Table): string {
  const tags = table.columns.map((c) => {
    if (!c.hxl) throw new Error(`column ${c.name} has no HXL tag`);
    parseTag(c.hxl);
    return csvField(c.hxl);
  });
  const [header, ...rows] = csvLines(table);
  return `${[header, tags.join(','), ...rows].join('\r\n')}\r\n`;
}
