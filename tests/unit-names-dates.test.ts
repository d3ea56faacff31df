import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { establishedOn, officialName } from '../src/tools/reference-names.js';
import { BASE, startApp } from './server-helpers.js';
import { FIXTURES, makeDataDir, problemsOf } from './helpers.js';

/**
 * Issue #15, data: one preferred label per language (the reference joined two Russian names with
 * "/" for three districts; two Tajik names began in lower case), the others as skos:altLabel; and
 * the day a unit was established (lg:validFrom) where the source gives it, shown on its page.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app?.close());

const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const ask = async (q: string): Promise<boolean> => {
  const r = await app.inject({ url: `/sparql?query=${encodeURIComponent(q)}`, headers: { accept: 'application/sparql-results+json' } });
  return (r.json() as { boolean: boolean }).boolean;
};

describe('the import tool', () => {
  it('splits "A/B" into the preferred name and the others, and capitalises', () => {
    expect(officialName('Пархарский район/Фархорский район', 'Фархорский район')).toEqual({ name: 'Фархорский район', others: 'Пархарский район' });
    expect(officialName('Район Кушониён/Кушониёнский район')).toEqual({ name: 'Район Кушониён', others: 'Кушониёнский район' });
    expect(officialName('ноҳияи Восеъ')).toEqual({ name: 'Ноҳияи Восеъ', others: '' });
  });
  it('reads the day a unit was established from the source note, and nothing else', () => {
    expect(establishedOn("tg.wikipedia: area 2651.7 km2, established 31 Jan 1957, code TJ.SU.GA")).toBe('1957-01-31');
    expect(establishedOn('formed 19 Aug 1957 as Aral District, renamed after Vose in 1961')).toBe('1957-08-19');
    expect(establishedOn('created 1996, centre Shahidon')).toBe('1996');
    expect(establishedOn('official district site yovon.tj (Tajik passport page): est. 11 Jun 1934, area 976.2 km2')).toBe('1934-06-11');
    expect(establishedOn('population 388,600 (2022), renamed Zarafshon in 2021')).toBe('');
  });
});

describe('the published names and dates', () => {
  it('no preferred label holds "/" or begins in lower case; one per language', async () => {
    expect(await ask(`ASK { ?u <${BASE}def/lg#code> ?c ; <${SKOS}prefLabel> ?l . FILTER(CONTAINS(?l, "/") || REGEX(?l, "^\\\\p{Ll}")) }`)).toBe(false);
    expect(await ask(`ASK { ?u <${SKOS}prefLabel> ?a , ?b . FILTER(?a != ?b && LANG(?a) = LANG(?b)) }`)).toBe(false);
  });

  it('Farkhor is Фархорский район in Russian, Пархарский район an other name; Vose is Ноҳияи Восеъ', async () => {
    const farkhor = `<${BASE}id/district/TJ-KT-14>`;
    expect(await ask(`ASK { ${farkhor} <${SKOS}prefLabel> "Фархорский район"@ru ; <${SKOS}altLabel> "Пархарский район"@ru }`)).toBe(true);
    expect(await ask(`ASK { <${BASE}id/district/TJ-KT-04> <${SKOS}prefLabel> "Ноҳияи Восеъ"@tg }`)).toBe(true);
    // Found by its other name too.
    const hits = (await app.inject({ url: `/search?q=${encodeURIComponent('Пархарский')}`, headers: { accept: 'application/json' } })).json() as { hits: { iri: string }[] };
    expect(hits.hits[0]?.iri).toBe(`${BASE}id/district/TJ-KT-14`);
  });

  it('a unit established on a day the source gives says so, in RDF and on its page in each language', async () => {
    expect(await ask(`ASK { <${BASE}id/district/TJ-SU-02> <${BASE}def/lg#validFrom> "1957-01-31"^^<http://www.w3.org/2001/XMLSchema#date> }`)).toBe(true);
    expect(await ask(`ASK { <${BASE}id/jamoat/TJ-KT-01-04> <${BASE}def/lg#validFrom> "1996"^^<http://www.w3.org/2001/XMLSchema#gYear> }`)).toBe(true);
    for (const [lang, label, text] of [['en', 'Established', 'January 31, 1957'], ['ru', 'Дата образования', '31 января 1957'], ['tg', 'Санаи таъсис', '1957']] as const) {
      const page = (await app.inject({ url: `/doc/district/TJ-SU-02?lang=${lang}`, headers: { accept: 'text/html' } })).body;
      expect(page, lang).toContain(`<dt>${label}</dt><dd><time datetime="1957-01-31">`);
      expect(page, lang).toContain(text);
    }
    const russian = (await app.inject({ url: '/doc/district/TJ-KT-14?lang=ru', headers: { accept: 'text/html' } })).body;
    expect(russian).toContain('<dt>Другие названия</dt><dd>Пархарский район</dd>');
  });
});

describe('coordinates in the page\'s language (issue #10: they read "N/E" in every language)', () => {
  it.each([
    ['en', /<dt>Coordinates<\/dt><dd>38\.\d+° N, 69(?:\.\d+)?° E<\/dd>/],
    ['ru', /<dt>Координаты<\/dt><dd>38,\d+° с\. ш\., 69(?:,\d+)?° в\. д\.<\/dd>/],
    ['tg', /<dt>Координатаҳо<\/dt><dd>38,\d+° арзи шимолӣ, 69(?:,\d+)?° тӯли шарқӣ<\/dd>/],
  ] as const)('%s', async (lang, expected) => {
    const page = (await app.inject({ url: `/doc/district/TJ-KT-06?lang=${lang}`, headers: { accept: 'text/html' } })).body;
    expect(page).toMatch(expected);
  });
});

describe('notes on Tajik and Russian pages (issue #10: English maintainer notes, unmarked)', () => {
  it.each(['tg', 'ru'])('every English note is marked [EN] on the %s page, and none names a file readers cannot open', async (lang) => {
    const page = (await app.inject({ url: `/doc/district/TJ-KT-06?lang=${lang}`, headers: { accept: 'text/html' } })).body;
    const notes = page.slice(page.indexOf('<section aria-labelledby="notes">'));
    const english = [...notes.slice(0, notes.indexOf('</section>')).matchAll(/<span lang="en">[^<]*<\/span>( <small class="fb"[^>]*>\[EN\]<\/small>)?/g)];
    expect(english.length).toBeGreaterThan(0);
    for (const m of english) expect(m[1], m[0].slice(0, 80)).toBeDefined();
    expect(page).not.toContain('SOURCES.md');
  });
  it.each(['tg', 'ru', 'en'])('the provenance of the figures names no file of ours readers cannot open (%s)', async (lang) => {
    for (const url of ['/doc/dataset/population', '/def/indicator/population']) {
      const page = (await app.inject({ url: `${url}?lang=${lang}`, headers: { accept: 'text/html' } })).body;
      expect(page, url).toContain('2015');
      expect(page, url).not.toMatch(/shared\/reference|SOURCES\.md/);
    }
  });
});

describe('the converter refuses what would bring them back', () => {
  it('a name with "/" and a name in lower case, naming the cell', async () => {
    const csv = (await readFile(join(FIXTURES, 'units', 'districts.csv'), 'utf8'));
    const lines = csv.trimEnd().split('\n');
    const header = lines[0] ?? '';
    const cols = header.split(',');
    const tg = cols.indexOf('Name (Tajik)');
    const row = (lines[1] ?? '').split(',');
    row[tg] = 'ноҳияи Тестобод/Ноҳияи Тест';
    const problems = await problemsOf((await makeDataDir({ files: { 'units/districts.csv': [header, row.join(','), ...lines.slice(2)].join('\n') + '\n' } })));
    const name = problems.filter((p) => p.column === 'Name (Tajik)');
    expect(name).toHaveLength(1);
    expect(name[0]).toMatchObject({ code: 'LG_ERR_BAD_VALUE', file: 'units/districts.csv', row: 2 });
    expect(name[0]?.reason).toMatch(/one name per cell/);
    row[tg] = 'ноҳияи Тестобод';
    const lower = await problemsOf((await makeDataDir({ files: { 'units/districts.csv': [header, row.join(','), ...lines.slice(2)].join('\n') + '\n' } })));
    expect(lower.filter((p) => p.column === 'Name (Tajik)').map((p) => p.reason)).toEqual(['a name begins with a capital letter']);
  });
});
