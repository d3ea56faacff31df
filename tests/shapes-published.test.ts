import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, startApp } from './server-helpers.js';

/**
 * Issue #15: the SHACL shapes the data is checked with are published at /def/lg-shapes (negotiated,
 * named by every dataset's dct:conformsTo, in the catalog and VoID), generated indicator shapes
 * included, so others can check their own data against ours.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app?.close());

const SH = 'http://www.w3.org/ns/shacl#';
const DCT = 'http://purl.org/dc/terms/';
const parse = (body: string, format = 'text/turtle') => new N3.Store(new N3.Parser({ format, baseIRI: BASE }).parse(body));

describe('/def/lg-shapes', () => {
  it('answers the shapes in Turtle, the written ones and one generated per indicator', async () => {
    const r = await app.inject({ url: '/def/lg-shapes', headers: { accept: 'text/turtle' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/turtle/);
    const shapes = parse(r.body);
    const nodeShapes = shapes.getSubjects(`http://www.w3.org/1999/02/22-rdf-syntax-ns#type`, `${SH}NodeShape`, null).map((s) => s.value);
    expect(nodeShapes.length).toBeGreaterThan(10);
    expect(nodeShapes).toContain(`${BASE}def/lg-shapes#Observation-pupils`);
    for (const ext of ['jsonld', 'nt', 'rdf']) expect((await app.inject({ url: `/def/lg-shapes.${ext}` })).statusCode, ext).toBe(200);
  });

  it('lets another publisher check their data: a negative count of pupils violates the published shape', async () => {
    const shapes = parse((await app.inject({ url: '/def/lg-shapes.ttl' })).body);
    const theirs = parse(`
      @prefix qb: <http://purl.org/linked-data/cube#> .
      <http://example.org/obs/1> a qb:Observation ; qb:measureType <${BASE}def/indicator/pupils> ;
        <${BASE}def/indicator/pupils> -5 .`);
    const report = await new SHACLValidator(shapes).validate(theirs);
    expect(report.conforms).toBe(false);
    expect(report.results.map((x) => x.sourceShape?.value ?? '').some((v) => v.length > 0)).toBe(true);
    expect(report.results.some((x) => x.message.some((m) => /Pupils|pupils/.test(m.value)))).toBe(true);
  });

  it('is a page in Tajik, Russian and English listing each shape', async () => {
    for (const [lang, title] of [['tg', 'Шаклҳои SHACL'], ['ru', 'Формы SHACL'], ['en', 'SHACL shapes']] as const) {
      const page = (await app.inject({ url: `/def/lg-shapes?lang=${lang}`, headers: { accept: 'text/html' } })).body;
      expect(page, lang).toContain(`<h1>${title}</h1>`);
      expect(page, lang).toContain('Observation-pupils');
      expect(page, lang).toContain('href="/def/lg-shapes.ttl"');
    }
  });

  it('every dataset conforms to it; the catalog says what it is; VoID names it', async () => {
    const catalog = parse((await app.inject({ url: '/catalog.ttl' })).body);
    const shapes = `${BASE}def/lg-shapes`;
    const datasets = catalog.getSubjects('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'http://www.w3.org/ns/dcat#Dataset', null);
    expect(datasets.length).toBeGreaterThan(3);
    for (const d of datasets) expect(catalog.getObjects(d, `${DCT}conformsTo`, null).map((o) => o.value), d.value).toContain(shapes);
    expect(catalog.getObjects(shapes, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', null).map((o) => o.value)).toContain(`${DCT}Standard`);
    const voidDoc = parse((await app.inject({ url: '/.well-known/void.ttl' })).body);
    expect(voidDoc.getSubjects(`${DCT}conformsTo`, shapes, null).length).toBeGreaterThan(0);
  });
});
