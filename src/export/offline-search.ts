import { foldText } from '../describe/fold-text.js';
import { latinKey, skeleton } from '../describe/latin-key.js';
import type { OfflineEntry, OfflineIndex } from './search-data.js';

/**
 * The offline copy's search, run in the browser (bundled into search.js with the folding code of
 * the server's search, src/describe/fold-text.ts and latin-key.ts, so both fold a name alike).
 * Every word of the query must occur in one name; ranked as the server ranks (search-index.ts):
 * the whole name, a whole word, a prefix, inside; the same in one Latin spelling; last, a word
 * with the same consonant skeleton. Among equals the index's order holds (bigger units first).
 */
interface Keyed {
  entry: OfflineEntry;
  keys: string[];
  latin: string[];
  skeletons: Set<string>;
}

export function prepare(index: OfflineIndex): Keyed[] {
  return index.entries.map((entry) => {
    const keys = [...new Set([...Object.values(entry.n), ...(entry.a ?? []), ...(entry.c ? [entry.c] : [])].map(foldText))];
    const latin = [...new Set(keys.map(latinKey))];
    const skeletons = new Set(latin.flatMap((k) => k.split(' ')).map(skeleton).filter((s): s is string => s !== undefined));
    return { entry, keys, latin, skeletons };
  });
}

function scoreKey(key: string, words: string[], whole: string): number {
  if (!words.every((w) => key.includes(w))) return -1;
  return key === whole ? 3 : key.split(' ').some((part) => part === whole) ? 2 : key.startsWith(whole) ? 1 : 0;
}

export function searchOffline(keyed: readonly Keyed[], q: string, limit = 50): { hits: OfflineEntry[]; truncated: boolean } {
  const words = foldText(q).split(' ').filter((w) => w !== '');
  if (words.length === 0) return { hits: [], truncated: false };
  const whole = words.join(' ');
  const latinWords = latinKey(q).split(' ').filter((w) => w !== '');
  const latinWhole = latinWords.join(' ');
  const wanted = latinWords.map(skeleton);
  const scored: { entry: OfflineEntry; score: number; at: number }[] = [];
  keyed.forEach((k, at) => {
    let score = Math.max(-1, ...k.keys.map((key) => scoreKey(key, words, whole) * 2 + 10));
    if (score < 10) score = Math.max(-1, ...k.latin.map((key) => scoreKey(key, latinWords, latinWhole) * 2 + 1));
    if (score < 0 && wanted.every((s) => s !== undefined && k.skeletons.has(s))) score = 0;
    if (score >= 0) scored.push({ entry: k.entry, score, at });
  });
  scored.sort((a, b) => b.score - a.score || a.at - b.at);
  return { hits: scored.slice(0, limit).map((s) => s.entry), truncated: scored.length > limit };
}
