import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsonld from 'jsonld';
import N3 from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED } from './helpers.js';
import { type Loopback, contextLoader, parseTurtle, startLoopback } from './harvest-helpers.js';
import { BASE } from './server-helpers.js';

let lb: Loopback;
beforeAll(async () => {
  lb = await startLoopback();
});
afterAll(async () => lb.app.close());

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DATASETS = ['units', 'population', 'education', 'health', 'infrastructure', 'budget'];
const SAMPLE = new Set(['education', 'health', 'infrastructure', 'budget']);

describe('/catalog is negotiated like any document', () => {
  it.each([
    ['text/html', /^text\/html/, '/catalog.html'],
    ['*/*', /^text\/html/, '/catalog.html'],
    ['text/turtle', /^text\/turtle/, '/catalog.ttl'],
    ['application/ld+json', /^application\/ld\+json/, '/catalog.jsonld'],
    ['application/json', /^application\/ld\+json/, '/catalog.jsonld'],
    ['application/n-triples', /^application\/n-triples/, '/catalog.nt'],
    ['application/rdf+xml', /^application\/rdf\+xml/, '/catalog.rdf'],
  ])('Accept %s', async (accept, type, location) => {
    const r = await lb.app.inject({ url: '/catalog', headers: { accept } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(type);
    expect(r.headers['content-location']).toBe(location);
    expect(r.headers.vary).toMatch(/Accept/);
    expect(r.headers.etag).toBeTruthy();
  });

  it('serves the fixed variants and answers 406 with the alternatives', async () => {
    expect((await lb.app.inject({ url: '/catalog.ttl', headers: { accept: 'image/png' } })).statusCode).toBe(200);
    const r = await lb.app.inject({ url: '/catalog', headers: { accept: 'image/png' } });
    expect(r.statusCode).toBe(406);
    expect(r.body).toContain('text/turtle');
  });

  it('is a page for people: every dataset with its downloads, sample data marked', async () => {
    const page = (await lb.app.inject({ url: '/catalog?lang=en' })).body;
    for (const id of DATASETS) expect(page).toContain(`href="/doc/dataset/${id}?lang=en"`);
    expect(page).toContain('href="/download/units.csv"');
    expect(page).toContain('href="/download/units.csv-metadata.json"');
    expect(page).toContain('href="/download/all.nq.gz"');
    expect(page.match(/class="sample"/g)).toHaveLength(SAMPLE.size);
  });
});

describe('an aggregator harvests the catalog as JSON-LD (jsonld.js, over HTTP)', () => {
  type Node = Record<string, { '@id'?: string; '@value'?: string; '@language'?: string; '@type'?: string }[] | string | string[] | undefined>;
  let nodes: Map<string, Node>;

  beforeAll(async () => {
    const doc = (await (await lb.fetchOk(`${BASE}catalog`, 'application/ld+json')).json()) as Record<string, unknown>;
    expect(doc['@context']).toBe(`${BASE}context.jsonld`);
    const expanded = (await jsonld.expand(doc, { documentLoader: contextLoader(lb.origin) as never })) as Node[];
    nodes = new Map(expanded.map((n) => [String(n['@id']), n]));
  });

  const values = (n: Node | undefined, p: string) => (Array.isArray(n?.[p]) ? (n?.[p] as { '@id'?: string; '@value'?: string; '@language'?: string; '@type'?: string }[]) : []);
  const ids = (n: Node | undefined, p: string) => values(n, p).map((v) => v['@id'] ?? '');
  const langs = (n: Node | undefined, p: string) => values(n, p).map((v) => v['@language']).sort();
  const types = (n: Node | undefined) => (Array.isArray(n?.['@type']) ? (n?.['@type'] as string[]) : []);

  it('finds the catalog and its six datasets', () => {
    const catalog = nodes.get(`${BASE}catalog`);
    expect(types(catalog)).toContain(`${DCAT}Catalog`);
    expect(ids(catalog, `${DCAT}dataset`).sort()).toEqual(DATASETS.map((d) => `${BASE}id/dataset/${d}`).sort());
    expect(langs(catalog, `${DCT}title`)).toEqual(['en', 'ru', 'tg']);
    expect(ids(catalog, `${DCAT}service`)).toEqual([`${BASE}id/service/sparql`]);
  });

  it.each(DATASETS)('dataset %s has every property the issue asks for', (id) => {
    const ds = nodes.get(`${BASE}id/dataset/${id}`);
    expect(types(ds)).toContain(`${DCAT}Dataset`);
    expect(langs(ds, `${DCT}title`)).toEqual(['en', 'ru', 'tg']);
    expect(langs(ds, `${DCT}description`)).toEqual(['en', 'ru', 'tg']);
    // publisher: the Local Development Committee, an organisation with a name
    const publisher = nodes.get(ids(ds, `${DCT}publisher`)[0] ?? '');
    expect(types(publisher)).toEqual(expect.arrayContaining([`${FOAF}Organization`, `${FOAF}Agent`]));
    expect(values(publisher, `${FOAF}name`).find((v) => v['@language'] === 'en')?.['@value']).toBe('Local Development Committee');
    // contact point: a vcard:Kind with a URL (no email address is known, none is invented)
    const contact = nodes.get(ids(ds, `${DCAT}contactPoint`)[0] ?? '');
    expect(types(contact)).toContain(`${VCARD}Kind`);
    expect(ids(contact, `${VCARD}hasURL`)).toEqual([`${BASE}#report-an-error`]);
    expect(ids(ds, `${DCT}license`)).toEqual(['https://creativecommons.org/licenses/by/4.0/']);
    for (const p of ['issued', 'modified']) expect(values(ds, `${DCT}${p}`)[0]?.['@type']).toBe('http://www.w3.org/2001/XMLSchema#date');
    const spatial = ids(ds, `${DCT}spatial`);
    expect(spatial).toContain('http://publications.europa.eu/resource/authority/country/TJK');
    expect(spatial.filter((s) => /\/id\/(country|region|district)\//.test(s)).length).toBeGreaterThan(0);
    const period = nodes.get(ids(ds, `${DCT}temporal`)[0] ?? '');
    expect(values(period, `${DCAT}startDate`)[0]?.['@value']).toMatch(/^\d{4}-01-01$/);
    expect(values(period, `${DCAT}endDate`)[0]?.['@value']).toMatch(/^\d{4}-12-31$/);
    expect(ids(ds, `${DCAT}theme`).every((t) => t.startsWith('http://publications.europa.eu/resource/authority/data-theme/'))).toBe(true);
    expect(ids(ds, `${DCAT}theme`).length).toBeGreaterThan(0);
    expect(new Set(langs(ds, `${DCAT}keyword`))).toEqual(new Set(['en', 'ru', 'tg']));
    expect(ids(ds, `${DCT}language`).sort()).toEqual(['ENG', 'RUS', 'TGK'].map((c) => `http://publications.europa.eu/resource/authority/language/${c}`));
    expect(ids(ds, `${DCT}conformsTo`).sort()).toEqual([`${BASE}def/lg`, `${BASE}def/lg-shapes`]);
    expect(langs(nodes.get(ids(ds, `${DCT}provenance`)[0] ?? ''), 'http://www.w3.org/2000/01/rdf-schema#label')).toEqual(['en', 'ru', 'tg']);
    expect(values(ds, `${BASE}def/lg#sampleData`)[0]?.['@value']).toBe(String(SAMPLE.has(id)));
    if (SAMPLE.has(id)) expect(values(ds, 'http://www.w3.org/2004/02/skos/core#editorialNote').some((v) => /SAMPLE DATA/.test(v['@value'] ?? ''))).toBe(true);
  });

  it.each(DATASETS)('dataset %s has its distributions, each with media type, format, size, checksum and licence', (id) => {
    const ds = nodes.get(`${BASE}id/dataset/${id}`);
    const dists = ids(ds, `${DCAT}distribution`).map((d) => nodes.get(d));
    const files = dists.filter((d) => ids(d, `${DCAT}downloadURL`).length > 0);
    const names = files.map((d) => ids(d, `${DCAT}downloadURL`)[0]?.slice(`${BASE}download/`.length));
    expect(names).toEqual(expect.arrayContaining([`${id}.ttl`, `${id}.nt.gz`, `${id}.jsonld`, `${id}.csv`]));
    expect(names.some((n) => /\.xlsx$/.test(n ?? ''))).toBe(true);
    for (const d of files) {
      expect(ids(d, `${DCAT}mediaType`)[0]).toMatch(/^https:\/\/www\.iana\.org\/assignments\/media-types\//);
      expect(ids(d, `${DCT}format`)[0]).toMatch(/^http:\/\/publications\.europa\.eu\/resource\/authority\/file-type\//);
      expect(values(d, `${DCAT}byteSize`)[0]?.['@type']).toBe('http://www.w3.org/2001/XMLSchema#nonNegativeInteger');
      const checksum = nodes.get(ids(d, 'http://spdx.org/rdf/terms#checksum')[0] ?? '');
      expect(values(checksum, 'http://spdx.org/rdf/terms#checksumValue')[0]?.['@value']).toMatch(/^[0-9a-f]{64}$/);
      expect(ids(d, `${DCT}license`)).toEqual(['https://creativecommons.org/licenses/by/4.0/']);
    }
    const gz = files.find((d) => ids(d, `${DCAT}downloadURL`)[0]?.endsWith('.nt.gz'));
    expect(ids(gz, `${DCAT}mediaType`)).toEqual(['https://www.iana.org/assignments/media-types/application/n-triples']);
    expect(ids(gz, `${DCAT}compressFormat`)).toEqual(['https://www.iana.org/assignments/media-types/application/gzip']);
    const csv = files.find((d) => ids(d, `${DCAT}downloadURL`)[0]?.endsWith('.csv'));
    expect(ids(csv, `${DCT}conformsTo`)).toEqual([`${BASE}download/${id}.csv-metadata.json`]);
    // and the SPARQL endpoint, through the catalog's dcat:DataService
    const sparql = dists.find((d) => ids(d, `${DCAT}accessService`).length > 0);
    expect(ids(sparql, `${DCAT}accessURL`)).toEqual([`${BASE}sparql`]);
    const service = nodes.get(ids(sparql, `${DCAT}accessService`)[0] ?? '');
    expect(types(service)).toContain(`${DCAT}DataService`);
    expect(ids(service, `${DCAT}endpointURL`)).toEqual([`${BASE}sparql`]);
    expect(ids(service, `${DCAT}servesDataset`)).toContain(`${BASE}id/dataset/${id}`);
  });
});

/**
 * The official DCAT-AP 3.0.1 shapes (../shared/standards/dcat-ap-3.0.1/), both forms: the
 * single-file "reusable SHACL template" and the split files (shapes, ranges, controlled
 * vocabularies, deprecated URIs, recommended properties). owl:imports are dropped: they name the
 * vocabularies' own files, and what the shapes need of them (classes, schemes, labels of the values
 * we use) the catalog states itself. Violations fail; warnings are printed.
 */
describe('the served catalog conforms to DCAT-AP 3.0.1 (official SHACL shapes)', () => {
  const DIR = join(SHARED, 'standards', 'dcat-ap-3.0.1');
  const loadShapes = async (files: string[]) => {
    const shapes = new N3.Store();
    for (const f of files) {
      const quads = new N3.Parser().parse(await readFile(join(DIR, f), 'utf8'));
      shapes.addQuads(quads.filter((q) => q.predicate.value !== 'http://www.w3.org/2002/07/owl#imports'));
    }
    return shapes;
  };
  /**
   * The one known defect of the split files: mdr-vocabularies.shape.ttl wants checksum algorithms
   * to match "^https://spdx.org/rdf/terms", while SPDX's namespace, which DCAT-AP 3.0.1 itself
   * uses (spdx:checksumAlgorithm_sha256), is http://spdx.org/rdf/terms#. The single-file shapes
   * check the same property by class (spdx:ChecksumAlgorithm), and that passes.
   */
  const knownDefect = (r: { path?: { value: string } | null; value?: { value: string } | null; message: { value: string }[] }) =>
    r.path?.value === 'http://spdx.org/rdf/terms#algorithm' &&
    r.value?.value === 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256' &&
    r.message.some((m) => m.value.includes('ChecksumAlgorithmRestriction'));

  it.each([
    ['single file', ['shacl/dcat-ap-SHACL.ttl', 'shacl/ranges.ttl']],
    ['split files', ['shacl-html/shapes.ttl', 'shacl-html/range.ttl', 'shacl-html/mdr-vocabularies.shape.ttl', 'shacl-html/deprecateduris.ttl', 'shacl-html/shapes_recommended.ttl']],
  ])('%s: no violation', async (name, files) => {
    const data = new N3.Store(parseTurtle(await (await lb.fetchOk(`${BASE}catalog`, 'text/turtle')).text()));
    expect(data.size).toBeGreaterThan(500);
    const report = await new SHACLValidator(await loadShapes(files)).validate(data);
    const line = (r: (typeof report.results)[number]) =>
      `${r.severity?.value.replace(/.*#/, '')}: <${r.focusNode?.value}> ${r.path?.value ?? ''} ${r.value?.value ?? ''}: ${r.message.map((m) => m.value).join('; ') || r.sourceConstraintComponent?.value}`;
    const violations = report.results.filter((r) => r.severity?.value.endsWith('#Violation') && !knownDefect(r));
    const warnings = report.results.filter((r) => !r.severity?.value.endsWith('#Violation'));
    // Warnings are reported, one line per kind, with how often it occurs.
    const kinds = new Map<string, number>();
    for (const w of warnings) {
      const key = `${w.path?.value ?? ''}: ${w.message.map((m) => m.value).join('; ') || w.sourceConstraintComponent?.value}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    if (kinds.size > 0) console.info(`DCAT-AP ${name}: ${warnings.length} warning(s)\n${[...kinds].map(([k, n]) => `  ${n} x ${k}`).join('\n')}`);
    expect(violations.map(line)).toEqual([]);
  });

  it('would catch a violation: a distribution without dcat:accessURL, a dataset without a description', async () => {
    const quads = parseTurtle(await (await lb.fetchOk(`${BASE}catalog`, 'text/turtle')).text());
    const broken = quads.filter((q) => !(q.predicate.value === `${DCAT}accessURL` && q.subject.value.endsWith('units#distribution-ttl')) && !(q.predicate.value === `${DCT}description` && q.subject.value === `${BASE}id/dataset/units`));
    const report = await new SHACLValidator(await loadShapes(['shacl/dcat-ap-SHACL.ttl', 'shacl/ranges.ttl'])).validate(new N3.Store(broken));
    const paths = report.results.filter((r) => r.severity?.value.endsWith('#Violation')).map((r) => `${r.focusNode?.value.slice(BASE.length)} ${r.path?.value}`);
    expect(paths).toEqual(expect.arrayContaining([`id/dataset/units#distribution-ttl ${DCAT}accessURL`, `id/dataset/units ${DCT}description`]));
  });
});

describe('each dataset page embeds schema.org Dataset JSON-LD for Google Dataset Search', () => {
  it.each(['units', 'education'])('%s', async (id) => {
    const page = (await lb.app.inject({ url: `/doc/dataset/${id}?lang=en` })).body;
    const script = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}';
    const d = JSON.parse(script) as Record<string, unknown>;
    expect(d['@type']).toBe('Dataset');
    expect(d.name).toEqual(expect.arrayContaining([expect.objectContaining({ '@language': 'en' })]));
    expect(d.description).toEqual(expect.arrayContaining([expect.objectContaining({ '@language': 'en' })]));
    expect(d.license).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(d.creator).toEqual([expect.objectContaining({ '@type': 'Organization' })]);
    const downloads = d.distribution as { '@type': string; contentUrl: string; encodingFormat: string }[];
    expect(downloads.map((x) => x.contentUrl)).toEqual(expect.arrayContaining([`${BASE}download/${id}.csv`, `${BASE}download/${id}.ttl`]));
    expect(downloads.find((x) => x.contentUrl.endsWith('.csv'))?.encodingFormat).toBe('text/csv');
    expect(downloads.find((x) => x.contentUrl.endsWith('.nt.gz'))?.encodingFormat).toBe('application/gzip');
    expect((d.spatialCoverage as unknown[]).length).toBeGreaterThan(0);
    expect(d.temporalCoverage).toMatch(/^\d{4}-01-01\/\d{4}-12-31$/);
    expect(d.includedInDataCatalog).toMatchObject({ '@type': 'DataCatalog', url: `${BASE}catalog` });
    expect(page).toContain('<link rel="describedby" type="text/turtle" href="/catalog.ttl"');
  });
});

describe('a harvester that knows only the home page finds everything', () => {
  it('home links the catalog, the VoID, the dump, the SPARQL endpoint and the sitemap', async () => {
    const home = (await lb.app.inject({ url: '/?lang=en' })).body;
    for (const href of ['/catalog.ttl', '/catalog.jsonld', '/.well-known/void.ttl']) expect(home).toContain(`href="${href}"`);
    for (const href of ['/catalog?lang=en', '/download/all.nq.gz', '/sparql?lang=en', '/sitemap.xml', '/.well-known/void?lang=en']) expect(home).toContain(`href="${href}"`);
    expect(home).toContain('id="report-an-error"');
    expect(home.match(/<li><span aria-hidden="true">★+<\/span>/g)).toHaveLength(5);
  });

  it('the type of everything the catalog names is stated (no bare IRIs for DCAT-AP classes)', async () => {
    const store = new N3.Store(parseTurtle((await lb.app.inject({ url: '/catalog.ttl' })).body));
    for (const p of [`${DCT}license`, `${DCT}language`, `${DCT}format`, `${DCAT}mediaType`, `${DCT}spatial`, `${DCT}accessRights`]) {
      for (const o of store.getObjects(null, p, null)) expect(store.getObjects(o, RDF_TYPE, null).length, `${p} ${o.value}`).toBeGreaterThan(0);
    }
  });
});
