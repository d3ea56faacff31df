import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latinKey, skeleton } from '../src/describe/latin-key.js';
import { BASE, startApp } from './server-helpers.js';

/**
 * Issue #10: search understands how people type. Most jamoats have only an English name, so a
 * reader typing Cyrillic found nothing ("Норин"); Latin spellings differ (Gafurov, Ghafurov;
 * Kulyab, Kulob). Datasets, indicators and hukumats are found too.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app?.close());

type Hit = { iri: string; kind: string };
async function search(q: string): Promise<Hit[]> {
  const r = await app.inject({ url: `/search?q=${encodeURIComponent(q)}`, headers: { accept: 'application/json' } });
  expect(r.statusCode).toBe(200);
  return (r.json() as { hits: Hit[] }).hits;
}

describe('one Latin spelling, both ways', () => {
  it.each([
    ['Норин', 'Norin'], ['Gafurov', 'Ghafurov'], ['Худжанд', 'Khujand'], ['Хуҷанд', 'Hujand'], ['Qurghonteppa', 'Kurghonteppa'], ['Кулоб', 'Kulob'],
  ])('%s and %s meet', (a, b) => {
    expect(latinKey(a)).toBe(latinKey(b));
  });
  it.each([['Kulyab', 'Kulob'], ['Ёвон', 'Yovon']])('%s and %s meet by their consonants', (a, b) => {
    expect(skeleton(latinKey(a))).toBe(skeleton(latinKey(b)));
  });
  it('short words and codes have no skeleton (they would match too much)', () => {
    expect(skeleton('vose')).toBe('vs');
    expect(skeleton('abc')).toBeUndefined();
    expect(skeleton('tj06')).toBeUndefined();
  });
});

describe('/search', () => {
  it('"Норин" finds the jamoat Norin, whose only name is English', async () => {
    const hits = await search('Норин');
    expect(hits[0]?.iri).toBe(`${BASE}id/jamoat/TJ-KT-06-06`);
  });

  it('"Gafurov" finds Bobojon Ghafurov district, and "Kulyab" finds Kulob', async () => {
    expect((await search('Gafurov')).map((h) => h.iri)).toContain(`${BASE}id/district/TJ-SU-02`);
    const kulob = await search('Kulyab');
    expect(kulob.length).toBeGreaterThan(0);
    expect(kulob.some((h) => h.kind === 'City' || h.kind === 'District')).toBe(true);
  });

  it('an exact name ranks before a name found through another spelling', async () => {
    const hits = await search('Yovon');
    expect(hits[0]?.iri).toBe(`${BASE}id/district/TJ-KT-06`);
  });

  it('finds datasets, indicators and hukumats, not only units', async () => {
    expect((await search('education')).map((h) => `${h.kind} ${h.iri}`)).toContain(`Dataset ${BASE}id/dataset/education`);
    expect((await search('Хонандагон')).map((h) => `${h.kind} ${h.iri}`)).toContain(`Indicator ${BASE}def/indicator/pupils`);
    const yovon = await search('Hukumat of Yovon');
    expect(yovon.map((h) => `${h.kind} ${h.iri}`)).toContain(`Hukumat ${BASE}id/hukumat/TJ-KT-06`);
  });

  it("the page shows a found indicator with its kind, in the reader's language", async () => {
    const page = (await app.inject({ url: `/search?q=${encodeURIComponent('pupils')}&lang=ru`, headers: { accept: 'text/html' } })).body;
    expect(page).toContain('href="/def/indicator/pupils?lang=ru"');
    expect(page).toContain('Показатель');
  });
});
