/**
 * A statistics header names an indicator by its notation, any of its skos:prefLabels or any of its
 * skos:altLabels (the wordings departments really use), issue #11.
 */
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convert } from '../src/convert/convert.js';
import { PROJECT_ROOT } from '../src/project.js';
import { type Problem, ProblemsError } from '../src/errors.js';
import { BASE, LIMITS, makeDataDir, wideSheet } from './helpers.js';

/** A copy of vocab/ whose pupils indicator has two altLabels, as a department's wording would add. */
async function vocabWithAltLabels(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-vocab-'));
  await cp(join(PROJECT_ROOT, 'vocab'), dir, { recursive: true });
  await appendFile(join(dir, 'indicators.ttl'), '\nind:pupils skos:altLabel "Schoolchildren"@en , "Шумораи хонандагон"@tg .\n');
  return dir;
}

async function problemsWith(header: string, vocabDir?: string): Promise<Problem[]> {
  const dataDir = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 310, 320], ['TJ-SU-01-02', 'Beta', 450, 470]], { header })] });
  try {
    await convert({ dataDir, base: BASE, limits: LIMITS, ...(vocabDir !== undefined ? { vocabDir } : {}) });
    return [];
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems;
    throw e;
  }
}

describe('indicator headers', () => {
  it('an altLabel, in any language and with its unit in parentheses, names the indicator', async () => {
    const vocab = await vocabWithAltLabels();
    expect(await problemsWith('Schoolchildren (persons)', vocab)).toEqual([]);
    expect(await problemsWith('шумораи  ХОНАНДАГОН', vocab)).toEqual([]);
  });

  it('without the altLabel the same header is unknown; the notation and a prefLabel still match', async () => {
    expect(await problemsWith('Schoolchildren (persons)')).toContainEqual(expect.objectContaining({ code: 'LG_ERR_UNKNOWN_COLUMN', value: 'Schoolchildren (persons)' }));
    expect(await problemsWith('pupils')).toEqual([]);
    expect(await problemsWith('Учащиеся общеобразовательных школ (человек)')).toEqual([]);
  });
});
