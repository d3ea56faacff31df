import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { boundariesToQuads } from '../src/convert/geometry-to-quads.js';
import { graphIri } from '../src/rdf/mint-uri.js';
import { minted } from '../src/rdf/namespaces.js';
import { type MapArea, renderMap } from '../src/maps/svg-map.js';
import { parseWktPolygons } from '../src/maps/wkt.js';
import { codesByReferenceKey, formatBoundaryFile, importBoundaries } from '../src/tools/import-geometry.js';
import { ARTIFACTS, launchChromium } from './browser-helpers.js';
import { BASE, listenLoopback, startApp } from './server-helpers.js';

/**
 * Issue #10, maps: boundaries from Who's On First brought in by `npm run import-geometry`,
 * published as GeoSPARQL polygons beside the points, and drawn by the server as inline SVG on the
 * home, country, region, district and jamoat pages. One server for the file.
 */
let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => {
  await app?.close();
});

const BOUNDARIES = join(PROJECT_ROOT, 'data', 'geometry', 'boundaries.json');
const REFERENCE = join(PROJECT_ROOT, '..', 'shared', 'reference', 'geometry', 'boundaries.geojson');
const page = async (path: string) => (await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } })).text();
const svgOf = (body: string) => /<figure class="lgmap">[\s\S]*?<svg[\s\S]*?<\/svg>/.exec(body)?.[0].replace(/^[\s\S]*?(<svg)/, '$1') ?? '';
const figureOf = (body: string) => /<figure class="lgmap">[\s\S]*?<\/figure>/.exec(body)?.[0] ?? '';

describe('npm run import-geometry', () => {
  it.runIf(existsSync(REFERENCE))('matches every reference feature to a unit, and the committed file is what it writes now', () => {
    const reference = JSON.parse(readFileSync(REFERENCE, 'utf8')) as Parameters<typeof importBoundaries>[0];
    const out = importBoundaries(reference, codesByReferenceKey(join(PROJECT_ROOT, 'data', 'units')));
    expect(out.unmatched).toEqual([]);
    expect(out.features).toHaveLength(reference.features.length);
    expect(formatBoundaryFile(out)).toBe(readFileSync(BOUNDARIES, 'utf8'));
  });

  it('reports a feature whose reference id names no unit, and leaves it out', () => {
    const square = { type: 'Polygon' as const, coordinates: [[[68, 38], [69, 38], [69, 39], [68, 39], [68, 38]]] };
    const feature = (ids: string[], wofId: number) => ({
      type: 'Feature' as const, geometry: square,
      properties: { reference_ids: ids, level: 'district', wof_id: wofId, wof_name: `n${wofId}`, wof_path: `data/${wofId}.geojson` },
    });
    const units = new Map([['TJ-KT.yovon', { code: 'TJ-KT-06', level: 'district' as const }], ['TJ-KT', { code: 'TJ-KT', level: 'region' as const }]]);
    const out = importBoundaries({ type: 'FeatureCollection', features: [feature(['TJ-XX.nowhere'], 1), feature(['TJ-KT.yovon'], 2), feature(['TJ-KT'], 3)] }, units);
    expect(out.features.map((f) => f.properties.code)).toEqual(['TJ-KT-06']);
    expect(out.unmatched).toEqual([
      { referenceIds: ['TJ-XX.nowhere'], wofId: 1, wofName: 'n1', reason: 'no unit has this reference key' },
      { referenceIds: ['TJ-KT'], wofId: 3, wofName: 'n3', reason: 'a district boundary, but TJ-KT is a region' },
    ]);
  });

  it('the converter refuses a boundary whose code names no unit, and writes WKT in lon lat order', () => {
    const ns = minted(BASE);
    const ring = [[69.1, 38.2], [69.3, 38.2], [69.3, 38.4], [69.1, 38.2]];
    const b = { credit: 'c', license: 'https://creativecommons.org/publicdomain/zero/1.0/', features: [
      { properties: { code: 'TJ-KT-06', source: 'https://example.org/1' }, geometry: { type: 'MultiPolygon' as const, coordinates: [[ring], [ring]] } },
      { properties: { code: 'TJ-ZZ-99', source: 'https://example.org/2' }, geometry: { type: 'Polygon' as const, coordinates: [ring] } },
    ] };
    const { quads, problems } = boundariesToQuads(b, { ns, graph: graphIri(ns, 'units'), levels: new Map([['TJ-KT-06', 'district' as const]]) });
    expect(problems.map((p) => [p.code, p.file, p.value])).toEqual([['LG_ERR_UNKNOWN_CODE', 'geometry/boundaries.json', 'TJ-ZZ-99']]);
    expect(quads.find((q) => q.predicate.value.endsWith('asWKT'))?.object.value).toBe('MULTIPOLYGON(((69.1 38.2,69.3 38.2,69.3 38.4,69.1 38.2)),((69.1 38.2,69.3 38.2,69.3 38.4,69.1 38.2)))');
    expect(new Set(quads.map((q) => q.subject.value))).toEqual(new Set([`${BASE}id/district/TJ-KT-06`, `${BASE}id/district/TJ-KT-06#boundary`]));
  });

  it('is small: the whole file under 50 KB, the five regions (the country map) under 10 KB', () => {
    // Measured: 47,662 bytes; the regions' features 8,969 (the reference: 1,391,947).
    const text = readFileSync(BOUNDARIES, 'utf8');
    expect(text.length).toBeLessThan(50_000);
    const file = JSON.parse(text) as { credit: string; license: string; features: { properties: { level: string } }[] };
    expect(file.credit).toBe("Data from Who's On First");
    expect(file.license).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    const regions = file.features.filter((f) => f.properties.level === 'region');
    expect(regions).toHaveLength(5);
    expect(JSON.stringify(regions).length).toBeLessThan(10_000);
  });
});

describe('published as GeoSPARQL', () => {
  it("a district's Turtle document has its boundary polygon and still its point", async () => {
    const ttl = await (await fetch(`${origin}/doc/district/TJ-KT-06.ttl`)).text();
    expect(ttl).toMatch(/geo:asWKT "(MULTI)?POLYGON\(\(\(?[-\d. ,]+/);
    expect(ttl).toMatch(/geo:asWKT "POINT\([-\d.]+ [-\d.]+\)"/);
    expect(ttl).toContain('https://github.com/whosonfirst-data/whosonfirst-data-admin-tj/blob/');
    expect(ttl).toContain('creativecommons.org/publicdomain/zero/1.0/');
  });

  it('the SPARQL endpoint answers a GeoSPARQL query for the polygons of a region\'s districts', async () => {
    const query = `PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX lg: <${BASE}def/lg#>
SELECT ?unit ?wkt WHERE {
  ?unit lg:within <${BASE}id/region/TJ-KT> ; geo:hasGeometry ?g .
  ?g a geo:Geometry ; geo:asWKT ?wkt .
  FILTER(DATATYPE(?wkt) = geo:wktLiteral && REGEX(STR(?wkt), "^(MULTI)?POLYGON"))
}`;
    const res = await fetch(`${origin}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
    const rows = ((await res.json()) as { results: { bindings: { unit: { value: string }; wkt: { value: string } }[] } }).results.bindings;
    expect(rows.map((r) => r.unit.value)).toContain(`${BASE}id/district/TJ-KT-06`);
    expect(rows.length).toBeGreaterThan(15);
    for (const r of rows) expect(parseWktPolygons(r.wkt.value)?.length).toBeGreaterThan(0);
  });
});

describe('maps on the pages', () => {
  it('a region page draws each district with a boundary as a link, lists those shown as points or not at all, and credits Who\'s On First', async () => {
    const body = await page('/doc/region/TJ-KT?lang=en');
    const svg = svgOf(body);
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 600 \d+"/);
    // every district-level unit of Khatlon: drawn (a link in the SVG), or named under the map
    const units = [...body.matchAll(/<td><a href="\/doc\/district\/(TJ-KT-\d+)\?lang=en"/g)].map((m) => m[1]);
    expect(units.length).toBeGreaterThan(20);
    const figure = figureOf(body);
    for (const code of units) expect(figure).toContain(`href="/doc/district/${code}?lang=en"`);
    const drawn = [...svg.matchAll(/<a href="\/doc\/district\/(TJ-KT-\d+)\?lang=en"><title>[^<]+<\/title><path /g)].map((m) => m[1]);
    expect(drawn).toContain('TJ-KT-06');
    // Nosiri Khusrav at its point, Jomi at its administrative centre's; Levakant has neither
    expect(figure).toMatch(/Shown as a point \(no boundary published\): <a href="\/doc\/district\/TJ-KT-10\?lang=en">Nosiri Khusrav \(TJ-KT-10\)<\/a>, <a [^>]+>Jomi/);
    expect(figure).toMatch(/Not on the map \(no location published\): <a [^>]+>Levakant/);
    expect(figure).toContain("Data from Who&#39;s On First");
    expect((await page('/doc/region/TJ-KT?lang=tg'))).toContain('Маълумот аз Who&#39;s On First');
    // A name in another language than the page's is marked as such, on the map and under it.
    expect(figureOf(await page('/doc/region/TJ-KT?lang=ru'))).toMatch(/>Levakant \[EN\] \(TJ-KT-25\)</);
  });

  it('a district page marks the district on its region; a jamoat page marks its point, or its district when it has none', async () => {
    const district = figureOf(await page('/doc/district/TJ-KT-06?lang=ru'));
    expect(district).toMatch(/<a href="\/doc\/district\/TJ-KT-06\?lang=ru" aria-current="true"><title>[^<]+<\/title><path class="a hl"/);
    expect(district).toContain('отмечено: Яванский район (TJ-KT-06)');
    // Norin has no point published: its district is marked
    const norin = figureOf(await page('/doc/jamoat/TJ-KT-06-06?lang=en'));
    expect(norin).toMatch(/aria-current="true"><title>Yovon \(TJ-KT-06\)<\/title><path class="a hl"/);
    // Yovon town has one
    const yovon = figureOf(await page('/doc/jamoat/TJ-KT-06-01?lang=en'));
    expect(yovon).toMatch(/<a href="\/doc\/jamoat\/TJ-KT-06-01\?lang=en" aria-current="true"><title>[^<]+<\/title><circle class="hl"/);
  });

  it('the unit page still shows the point as coordinates, not the polygon', async () => {
    const body = await page('/doc/district/TJ-KT-06?lang=en');
    expect(body).toMatch(/<dt>Coordinates<\/dt><dd>[\d.]+° N, [\d.]+° E<\/dd>/);
  });

  it('the home and country pages show the country with its five regions, a few KB of SVG', async () => {
    for (const path of ['/?lang=en', '/doc/country/TJ?lang=en']) {
      const svg = svgOf(await page(path));
      expect([...svg.matchAll(/<a href="\/doc\/region\/TJ-[A-Z]{2}\?lang=en"><title>/g)]).toHaveLength(5);
      // Measured: 4,525 bytes, 1,918 gzipped, its stylesheet included (README, "Maps").
      expect(svg.length).toBeLessThan(6_000);
      expect(gzipSync(svg).length).toBeLessThan(2_500);
    }
  });

  it('a map page makes no request to anyone but us, and its SVG links work in Chromium', async () => {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: 360, height: 780 } });
      const requests: string[] = [];
      tab.on('request', (r) => requests.push(r.url()));
      await tab.goto(`${origin}/doc/region/TJ-SU?lang=tg`);
      expect(requests.filter((u) => !u.startsWith(origin))).toEqual([]);
      const box = await tab.locator('figure.lgmap svg').boundingBox();
      expect(box?.width).toBeLessThanOrEqual(360);
      await tab.locator('figure.lgmap svg a[href^="/doc/district/TJ-SU-02"]').click();
      expect(tab.url()).toContain('/doc/district/TJ-SU-02');
      // Screenshots of the maps as test artefacts (issue #10): the country, a region, a district marked, at phone and desktop width.
      for (const [width, lang] of [360, 1280].flatMap((w) => (['tg', 'ru', 'en'] as const).map((l) => [w, l] as const))) {
        await tab.setViewportSize({ width, height: 900 });
        for (const [name, path] of [['country', '/doc/country/TJ'], ['region', '/doc/region/TJ-KT'], ['district', '/doc/district/TJ-SU-02']]) {
          await tab.goto(`${origin}${path}?lang=${lang}`);
          await tab.locator('figure.lgmap').screenshot({ path: join(ARTIFACTS, `map-${name}-${width}-${lang}.png`) });
        }
      }
    } finally {
      await browser.close();
    }
  });
});

describe('renderMap', () => {
  const square = (x: number, y: number) => `POLYGON((${x} ${y},${x + 1} ${y},${x + 1} ${y + 1},${x} ${y + 1},${x} ${y}))`;
  const areas: MapArea[] = [
    { iri: 'u:a', href: '/doc/district/A', name: 'Alpha', code: 'A', wkt: square(68, 38) },
    { iri: 'u:b', href: '/doc/district/B', name: 'Beta', code: 'B', wkt: square(69, 38) },
    { iri: 'u:c', href: '/doc/district/C', name: 'Gamma', code: 'C', wkt: square(70, 38) },
    { iri: 'u:d', href: '/doc/district/D', name: 'Delta', code: 'D', point: { lat: 38.5, lon: 71.5 } },
    { iri: 'u:e', href: '/doc/district/E', name: 'Epsilon <e>', code: 'E' },
  ];

  it('draws polygons as linked paths, a unit without one as a point, and says so under the map', () => {
    const out = renderMap(areas, { lang: 'en', title: 'Test map' }).html;
    expect(out).toContain('<figcaption>Test map</figcaption>');
    expect(out).toMatch(/<a href="\/doc\/district\/A"><title>Alpha \(A\)<\/title><path class="a" fill-rule="evenodd" d="M\d+ \d+l[-\d ]+z"\/><\/a>/);
    expect(out).toMatch(/<a href="\/doc\/district\/D"><title>Delta \(D\)<\/title><circle cx="\d+" cy="\d+" r="5"\/><\/a>/);
    expect(out).toContain('Shown as a point (no boundary published): <a href="/doc/district/D">Delta (D)</a>');
    expect(out).toContain('Not on the map (no location published): <a href="/doc/district/E">Epsilon &lt;e&gt; (E)</a>');
    expect(out).not.toContain('<ul>');
  });

  it('colours a choropleth in quantile classes with a legend in the page language, and a no-data class', () => {
    const values = new Map([['u:a', 10], ['u:b', 2000], ['u:c', 30000]]);
    const out = renderMap(areas, { lang: 'ru', title: 'Население', values, valueLabel: 'Население, человек', highlight: 'u:b' }).html;
    expect(out).toContain('<p>Население, человек</p>');
    expect(out).toMatch(/<path class="a c0" [^>]*>/);
    expect(out).toMatch(/<path class="a c1 hlc" [^>]*>/);
    expect(out).toMatch(/<path class="a c2" [^>]*>/);
    expect(out).toContain('<li><span class="sw c0"></span>10</li>');
    expect(out).toContain('<li><span class="sw c2"></span>30\u202f000</li>');
    expect(out).toContain('<li><span class="sw nd"></span>нет данных</li>');
    expect(out).toContain('<title>Delta (D): нет данных</title>');
    expect(out).toContain('отмечено: Beta (B)');
  });

  it('draws nothing when nothing has a place', () => {
    expect(renderMap([areas[4]!], { lang: 'tg', title: 'x' }).html).toBe('');
  });
});
