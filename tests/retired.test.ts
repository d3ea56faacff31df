import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { writeBuild } from '../src/convert/write-build.js';
import { buildApp } from '../src/server/app.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import { BASE, FIXTURES, convertDir, makeDataDir, problemsOf, storeOf, wideSheet } from './helpers.js';

/**
 * A unit that no longer exists (design.md, "A URI that no longer names anything answers 410 Gone
 * or redirects to its successor"): officials keep its row and fill "Retired on" and, if another
 * unit took its place, "Replaced by".
 */
const LG = `${BASE}def/lg#`;
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const DCT = 'http://purl.org/dc/terms/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const jamoat = (code: string) => `${BASE}id/jamoat/${code}`;
/** A JSON-LD answer as N-Quads, its context (ours, /context.jsonld) given inline: no network. */
async function jsonLdToNQuads(app: FastifyInstance, body: string): Promise<string> {
  const doc = JSON.parse(body) as Record<string, unknown>;
  const context = (await app.inject('/context.jsonld')).json() as { '@context': unknown };
  return (await jsonld.toRDF({ ...doc, '@context': context['@context'] } as jsonld.JsonLdDocument, { format: 'application/n-quads' })) as unknown as string;
}

/** The fixture jamoats with the retirement columns, and extra rows. */
async function jamoatsWith(...rows: string[]): Promise<string> {
  const [header, ...lines] = (await readFile(join(FIXTURES, 'units', 'jamoats.csv'), 'utf8')).trimEnd().split('\n');
  return [`${header},Retired on,Replaced by,Retirement note`, ...lines.map((l) => `${l},,,`), ...rows].join('\n') + '\n';
}

const GAMMA = 'TJ-SU-01-03,Gamma,Гамма,jamoat,TJ-SU-01,,,https://example.org/decree,2025-01-01,TJ-SU-01-01,Merged into Alpha by decree 12';
const DELTA = 'TJ-SU-01-04,Delta,,jamoat,TJ-SU-01,,,https://example.org/decree,01.07.2024,,Abolished; its villages joined two jamoats';

/** The fixture's education figures, and Gamma's from the years before it was retired. */
const EDUCATION = [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 310, 320], ['TJ-SU-01-02', 'Beta', 450, 470], ['TJ-SU-01-03', 'Gamma', 40, 41]])];

describe('retiring a unit: the converter', () => {
  it('keeps the retired unit as its code, names, day, successor and note, and as a retired unit, not one that exists', async () => {
    const out = await convertDir(await makeDataDir({ files: { 'units/jamoats.csv': await jamoatsWith(GAMMA, DELTA) }, education: EDUCATION }));
    const store = storeOf(out.nquads);
    const about = (code: string, p: string) => store.getObjects(jamoat(code), p, null).map((o) => o.termType === 'Literal' ? `${o.value}|${(o as N3.Literal).datatype.value}` : o.value);
    expect(about('TJ-SU-01-03', `${LG}retiredOn`)).toEqual(['2025-01-01|http://www.w3.org/2001/XMLSchema#date']);
    expect(about('TJ-SU-01-03', `${DCT}isReplacedBy`)).toEqual([jamoat('TJ-SU-01-01')]);
    expect(about('TJ-SU-01-03', `${SKOS}changeNote`)).toEqual(['Merged into Alpha by decree 12|http://www.w3.org/2001/XMLSchema#string']);
    expect(store.getObjects(jamoat('TJ-SU-01-03'), `${SKOS}prefLabel`, null).map((o) => o.value).sort()).toEqual(['Gamma', 'Гамма']);
    expect(about('TJ-SU-01-04', `${LG}retiredOn`)).toEqual(['2024-07-01|http://www.w3.org/2001/XMLSchema#date']);
    expect(about('TJ-SU-01-04', `${DCT}isReplacedBy`)).toEqual([]);
    for (const code of ['TJ-SU-01-03', 'TJ-SU-01-04']) {
      // Nothing that lists or counts the units that exist finds it.
      expect(about(code, RDF_TYPE)).toEqual([`${LG}RetiredUnit`]);
      expect(about(code, `${LG}within`)).toEqual([]);
      expect(about(code, `${LG}adminLevel`)).toEqual([]);
      expect(about(code, `${LG}governingBody`)).toEqual([]);
    }
    expect(about('TJ-SU-01-01', RDF_TYPE)).toEqual([`${LG}Jamoat`]);
    // The figures of the years it existed keep it as their area.
    expect(store.getSubjects(`${LG}refArea`, jamoat('TJ-SU-01-03'), null).map((o) => o.value).sort()).toEqual([
      `${BASE}id/observation/education/TJ-SU-01-03/pupils/2022`,
      `${BASE}id/observation/education/TJ-SU-01-03/pupils/2023`,
    ]);
  });

  it.each([
    ['a successor that does not exist', 'TJ-SU-01-09', 'LG_ERR_UNKNOWN_CODE', 'no jamoat has this code'],
    ['a successor of another level', 'TJ-SU-01', 'LG_ERR_WRONG_LEVEL', 'a jamoat is replaced by a jamoat, but this code is a district'],
    ['a successor that was retired too', 'TJ-SU-01-04', 'LG_ERR_RETIRED_CODE', '"Delta" was retired too (on 2024-07-01); give the unit that exists today'],
    ['itself', 'TJ-SU-01-03', 'LG_ERR_BAD_VALUE', 'a unit cannot replace itself'],
  ])('refuses %s, naming the cell', async (_what, successor, code, reason) => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await jamoatsWith(GAMMA.replace(',TJ-SU-01-01,', `,${successor},`), DELTA) } });
    expect(await problemsOf(dir)).toEqual([{ code, file: 'units/jamoats.csv', row: 4, column: 'Replaced by', columnLetter: 'J', value: successor, reason }]);
  });

  it('refuses a successor on a unit that is not retired, and a day that does not exist', async () => {
    const dir = await makeDataDir({ files: { 'units/jamoats.csv': await jamoatsWith(GAMMA.replace(',2025-01-01,', ',,'), DELTA.replace('01.07.2024', '31.02.2024')) } });
    expect(await problemsOf(dir)).toEqual([
      expect.objectContaining({ code: 'LG_ERR_BAD_VALUE', row: 5, column: 'Retired on', value: '31.02.2024', reason: expect.stringContaining('no such day') }),
      { code: 'LG_ERR_BAD_VALUE', file: 'units/jamoats.csv', row: 4, column: 'Replaced by', columnLetter: 'J', value: 'TJ-SU-01-01', reason: 'only a retired unit has a successor: fill "Retired on" too, or empty this cell' },
    ]);
  });

  it('refuses a unit within a retired one, and figures for the years after a unit was retired', async () => {
    const districts = (await readFile(join(FIXTURES, 'units', 'districts.csv'), 'utf8')).trimEnd().split('\n');
    const dir = await makeDataDir({
      files: {
        'units/districts.csv': [`${districts[0]},Retired on`, ...districts.slice(1).map((l) => `${l},`), 'TJ-SU-02,Oldobod,,,district,TJ-SU,,,,https://example.org/decree,,,,2020-01-01'].join('\n'),
        'units/jamoats.csv': await jamoatsWith(GAMMA.replace('2025-01-01', '2023-01-01'), 'TJ-SU-02-01,Epsilon,,jamoat,TJ-SU-02,,,https://example.org/x,,,'),
      },
      education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 310, 320], ['TJ-SU-01-03', 'Gamma', 10, 20]])],
    });
    expect(await problemsOf(dir)).toEqual([
      {
        code: 'LG_ERR_RETIRED_CODE', file: 'units/jamoats.csv', row: 5, column: 'Parent code', columnLetter: 'E', value: 'TJ-SU-02',
        reason: '"Oldobod" was retired on 2020-01-01; give this unit the district it now belongs to',
      },
      {
        code: 'LG_ERR_RETIRED_CODE', file: 'statistics/education.xlsx', sheet: 'Testobod', row: 5, column: 'D', value: '20',
        reason: 'a figure for 2023, but TJ-SU-01-03 was retired on 2023-01-01; give it to TJ-SU-01-01, the unit that replaced it',
      },
    ]);
  });
});

describe('retiring a unit: its URIs', () => {
  let app: FastifyInstance;
  let buildDir: string;

  beforeAll(async () => {
    const out = await convertDir(await makeDataDir({ files: { 'units/jamoats.csv': await jamoatsWith(GAMMA, DELTA) }, education: EDUCATION }));
    buildDir = await mkdtemp(join(tmpdir(), 'lg-retired-'));
    await writeBuild(buildDir, out);
    const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: buildDir });
    const store = await createWorkerStore({ nquadsPath: join(buildDir, 'data.nq'), dataVersion: out.info.dataVersion, timeoutMs: 10_000, built: { quads: out.info.quads, graphs: out.info.graphs } });
    app = await buildApp({ config, store, logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await rm(buildDir, { recursive: true, force: true });
  });

  it('a unit with a successor: 301 from its /id/ and /doc/ URLs to the same URL of the successor', async () => {
    const id = await app.inject('/id/jamoat/TJ-SU-01-03');
    expect(id.statusCode).toBe(301);
    expect(id.headers.location).toBe('/id/jamoat/TJ-SU-01-01');
    const doc = await app.inject('/doc/jamoat/TJ-SU-01-03.ttl?lang=ru');
    expect(doc.statusCode).toBe(301);
    expect(doc.headers.location).toBe('/doc/jamoat/TJ-SU-01-01.ttl?lang=ru');
    const followed = await app.inject({ url: '/id/jamoat/TJ-SU-01-01', headers: { accept: 'text/turtle' } });
    expect(followed.statusCode).toBe(303);
  });

  it('a unit without one: 410 Gone, to machines as JSON with a stable code', async () => {
    for (const url of ['/id/jamoat/TJ-SU-01-04', '/doc/jamoat/TJ-SU-01-04']) {
      const res = await app.inject({ url, headers: { accept: 'application/json' } });
      expect(res.statusCode, url).toBe(410);
      expect(res.json()).toEqual({
        statusCode: 410, code: 'LG_ERR_GONE',
        message: 'Delta (TJ-SU-01-04) was retired on 2024-07-01: Abolished; its villages joined two jamoats. No unit replaced it.',
      });
    }
  });

  it('and to RDF clients as the tombstone in the format they asked for: what it was, since when, why', async () => {
    const asked: [string, Record<string, string>, string][] = [
      ['/doc/jamoat/TJ-SU-01-04.ttl', {}, 'text/turtle'],
      ['/doc/jamoat/TJ-SU-01-04.nt', { accept: 'text/html' }, 'application/n-triples'],
      ['/doc/jamoat/TJ-SU-01-04.jsonld', { accept: 'application/json' }, 'application/ld+json'],
      ['/doc/jamoat/TJ-SU-01-04', { accept: 'text/turtle' }, 'text/turtle'],
      ['/id/jamoat/TJ-SU-01-04', { accept: 'application/n-triples' }, 'application/n-triples'],
    ];
    for (const [url, headers, type] of asked) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, url).toBe(410);
      expect(res.headers['content-type'], url).toContain(type);
      const format = type === 'application/ld+json' ? undefined : type;
      const quads = format
        ? new N3.Parser({ format, baseIRI: BASE }).parse(res.body)
        : new N3.Parser({ format: 'application/n-quads' }).parse(await jsonLdToNQuads(app, res.body));
      const store = new N3.Store(quads);
      const about = (p: string) => store.getObjects(jamoat('TJ-SU-01-04'), p, null).map((o) => o.value);
      expect(about(`${LG}retiredOn`), url).toEqual(['2024-07-01']);
      expect(about(RDF_TYPE), url).toEqual([`${LG}RetiredUnit`]);
      expect(about(`${SKOS}changeNote`), url).toEqual(['Abolished; its villages joined two jamoats']);
      expect(about(`${LG}code`), url).toEqual(['TJ-SU-01-04']);
    }
  });

  it('and to people as a page in their language that says what it was, since when and why, with the units above it', async () => {
    const res = await app.inject({ url: '/doc/jamoat/TJ-SU-01-04?lang=tg', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Delta');
    expect(res.body).toContain('Санаи барҳамдиҳӣ');
    expect(res.body).toContain('<time datetime="2024-07-01">2024-07-01</time>');
    expect(res.body).toContain('Abolished; its villages joined two jamoats');
    expect(res.body).toContain('href="/doc/district/TJ-SU-01?lang=tg"');
  });

  it('search finds it by its old name, as a retired unit whose link says what became of it', async () => {
    const res = await app.inject({ url: '/search?q=gamma', headers: { accept: 'application/json' } });
    const hits = (res.json() as { hits: { iri: string; kind: string; docPath: string }[] }).hits;
    expect(hits).toEqual([expect.objectContaining({ iri: jamoat('TJ-SU-01-03'), kind: 'RetiredUnit', docPath: '/doc/jamoat/TJ-SU-01-03' })]);
    const page = await app.inject({ url: '/search?q=gamma&lang=en', headers: { accept: 'text/html' } });
    expect(page.body).toContain('Retired unit');
  });

  it('no list or sitemap offers a retired unit any more', async () => {
    const district = await app.inject({ url: '/doc/district/TJ-SU-01.nt' });
    expect(district.statusCode).toBe(200);
    expect(district.body).toContain(jamoat('TJ-SU-01-01'));
    expect(district.body).not.toContain('TJ-SU-01-03');
    expect(district.body).not.toContain('TJ-SU-01-04');
    const sitemap = await app.inject('/sitemap.xml');
    expect(sitemap.body).toContain('/doc/jamoat/TJ-SU-01-01<');
    expect(sitemap.body).not.toContain('/doc/jamoat/TJ-SU-01-03<');
    expect(sitemap.body).not.toContain('/doc/jamoat/TJ-SU-01-04<');
    // Its figures from before are pages that answer 200.
    expect(sitemap.body).toContain('/doc/observation/education/TJ-SU-01-03/pupils/2022<');
  });

  it('its figures from before are still published, their area linking to its URI', async () => {
    const res = await app.inject({ url: '/doc/observation/education/TJ-SU-01-03/pupils/2022.nt' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<${BASE}def/lg#refArea> <${jamoat('TJ-SU-01-03')}>`);
  });

  it('the data still says what became of it, for SPARQL', async () => {
    const res = await app.inject({
      url: `/sparql?query=${encodeURIComponent(`SELECT ?next WHERE { <${jamoat('TJ-SU-01-03')}> <${DCT}isReplacedBy> ?next }`)}`,
      headers: { accept: 'application/sparql-results+json' },
    });
    expect(res.json().results.bindings).toEqual([{ next: { type: 'uri', value: jamoat('TJ-SU-01-01') } }]);
  });
});
