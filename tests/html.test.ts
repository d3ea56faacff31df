import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Quad } from '@rdfjs/types';
import N3 from 'n3';
import oxigraph from 'oxigraph';
import { beforeAll, describe, expect, it } from 'vitest';
import { convert } from '../src/convert/convert.js';
import { documentQuery } from '../src/describe/document-query.js';
import { renderChart } from '../src/html/chart.js';
import { escapeHtml, html, jsonForScript, trustedHtml } from '../src/html/escape.js';
import { chooseLanguage, formatNumber, pickLabel, t } from '../src/html/i18n.js';
import type { Alternate, Lang, PageContext } from '../src/html/models.js';
import { renderCoveragePage, renderErrorPage, renderHomePage, renderResourcePage, renderSearchPage, renderVocabularyPage } from '../src/html/pages.js';
import { PROJECT_ROOT } from '../src/project.js';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';

const BASE = 'http://localhost:3000/';
const { namedNode, literal, quad } = N3.DataFactory;
const FORMATS: [string, string, string][] = [
  ['text/turtle', 'ttl', 'Turtle'],
  ['application/ld+json', 'jsonld', 'JSON-LD'],
  ['application/n-triples', 'nt', 'N-Triples'],
  ['application/rdf+xml', 'rdf', 'RDF/XML'],
  ['application/n-quads', 'nq', 'N-Quads'],
  ['application/trig', 'trig', 'TriG'],
];

let store: oxigraph.Store;
const docQuads = (path: string): Quad[] => {
  const nt = store.query(documentQuery(`${BASE}id/${path}`, BASE), { use_default_graph_as_union: true, results_format: 'application/n-triples' }) as string;
  return new N3.Parser({ format: 'N-Triples' }).parse(nt);
};
const ctx = (path: string, lang: Lang, alternates = true): PageContext => ({
  lang,
  base: BASE,
  path,
  alternates: alternates ? FORMATS.map(([type, ext, name]): Alternate => ({ type, href: `${path}.${ext}`, name })) : [],
  dataVersion: 'test-version',
});
const page = (path: string, lang: Lang) => renderResourcePage({ iri: `${BASE}id/${path}`, quads: docQuads(path) }, ctx(`/doc/${path}`, lang));

const JAMOAT = 'jamoat/TJ-KT-06-06';
let jamoatEn: string;
let jamoatTg: string;
let vocabQuads: Quad[];

beforeAll(async () => {
  const { nquads } = await convert({ dataDir: join(PROJECT_ROOT, 'data'), base: BASE, limits: fileLimits(loadConfig({})) });
  store = new oxigraph.Store();
  store.load(nquads, { format: 'application/n-quads' });
  const vocab = store.query(`CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <${BASE}graph/vocabulary> { ?s ?p ?o } }`, { results_format: 'application/n-triples' }) as string;
  vocabQuads = new N3.Parser({ format: 'N-Triples' }).parse(vocab);
  jamoatEn = page(JAMOAT, 'en');
  jamoatTg = page(JAMOAT, 'tg');
});

const between = (text: string, start: string, end: string) => {
  const i = text.indexOf(start);
  return i < 0 ? '' : text.slice(i, text.indexOf(end, i) + end.length);
};
const jsonLd = (text: string): Record<string, unknown> => JSON.parse(between(text, '<script type="application/ld+json">', '</script>').replace(/^<script[^>]*>|<\/script>$/g, '')) as Record<string, unknown>;
const tables = (text: string) => text.split('<table').slice(1).map((x) => x.slice(0, x.indexOf('</table>')));

describe('the page of a jamoat (TJ-KT-06-06, Norin in Yovon)', () => {
  it('has its English name as <h1> in English, and breadcrumbs country > region > district > jamoat', () => {
    expect(jamoatEn).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(jamoatEn).toContain('<h1>Norin</h1>');
    const crumbs = [...between(jamoatEn, '<nav class="bc"', '</nav>').matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(crumbs).toEqual([
      ['/doc/country/TJ', 'Tajikistan'],
      ['/doc/region/TJ-KT', 'Khatlon Region'],
      ['/doc/district/TJ-KT-06', 'Yovon'],
      ['/doc/jamoat/TJ-KT-06-06', 'Norin'],
    ]);
  });

  it('shows statistics as tables with 2021-2024 columns, unit, source and an inline SVG chart', () => {
    const edu = tables(jamoatEn).find((x) => x.includes('/def/indicator/pupils'));
    expect(edu).toBeDefined();
    for (const y of [2021, 2022, 2023, 2024]) expect(edu).toContain(`<th scope="col" class="n">${y}</th>`);
    expect(edu).toContain('<th scope="col">Unit</th>');
    expect(edu).toContain('<td data-label="Unit">persons</td>');
    expect(edu).toMatch(/<svg [^>]*role="img"[^>]*><title>Pupils in general education schools, 2021–2024: /);
    expect(jamoatEn).toContain('Source: <a href="/doc/dataset/education">');
    // 45 observations in 5 datasets; every figure links to its observation
    expect(jamoatEn.match(/href="\/doc\/observation\//g)?.length).toBeGreaterThanOrEqual(40);
  });

  it('marks every table of sample data, in the page language, and only those', () => {
    const sections = jamoatEn.split('<h3 id="stat-').slice(1);
    expect(sections.length).toBe(5);
    const marker = '<strong class="sample">Sample data — not official figures</strong>';
    const marked = sections.filter((x) => x.includes(marker));
    expect(marked.map((x) => x.slice(0, x.indexOf('"')))).toEqual(['education', 'health', 'infrastructure', 'budget']);
    for (const x of marked) {
      // visible above the table and tied to it
      const id = /<p id="(sample-[a-z]+)">/.exec(x)?.[1];
      expect(x).toContain(`<table class="cards" aria-describedby="${id}">`);
      expect(x.indexOf(marker)).toBeLessThan(x.indexOf('<table'));
    }
    expect(sections.find((x) => x.startsWith('population'))).not.toContain('sample');
    expect(jamoatTg).toContain('<strong class="sample">Маълумоти намунавӣ — на рақамҳои расмӣ</strong>');
  });

  it('embeds schema.org JSON-LD describing the place', () => {
    const ld = jsonLd(jamoatEn);
    expect(ld['@type']).toBe('AdministrativeArea');
    expect(ld['@id']).toBe(`${BASE}id/${JAMOAT}`);
    expect(ld.name).toContainEqual({ '@value': 'Norin', '@language': 'en' });
    expect(ld.identifier).toBe('TJ-KT-06-06');
    expect(ld.url).toBe(`${BASE}doc/${JAMOAT}`);
    const parent = ld.containedInPlace as Record<string, unknown>;
    expect(parent['@id']).toBe(`${BASE}id/district/TJ-KT-06`);
    expect(parent.name).toContainEqual({ '@value': 'Ноҳияи Ёвон', '@language': 'tg' });
  });

  it('in Tajik: <html lang="tg">, Tajik interface, the English name marked as a fallback', () => {
    expect(jamoatTg).toContain('<html lang="tg">');
    expect(jamoatTg).toContain('<h1><span lang="en">Norin</span> <small class="fb"');
    expect(jamoatTg).toContain('>[EN]</small></h1>');
    expect(jamoatTg).toContain('<p class="note">Дар манбаъҳо номи тоҷикӣ нест; ном бо забони англисӣ нишон дода шудааст.</p>');
    expect(jamoatTg).toContain('<h2 id="stats">Омор</h2>');
    expect(jamoatTg).toContain('>Ҷустуҷӯ</a>');
    expect(jamoatTg).toContain('<a href="/doc/district/TJ-KT-06">Ноҳияи Ёвон</a>');
    // tg figures: narrow no-break space between thousands
    expect(jamoatTg).toContain('>21\u202f314</a>');
  });

  it('links to the other two languages with hreflang, and to every alternate', () => {
    for (const l of ['tg', 'ru'] as const) {
      expect(jamoatEn).toContain(`<a href="/doc/${JAMOAT}?lang=${l}" hreflang="${l}" lang="${l}">`);
      expect(jamoatEn).toContain(`<link rel="alternate" hreflang="${l}" href="${BASE}doc/${JAMOAT}?lang=${l}">`);
    }
    // Absolute, as search engines require, and x-default: the page that follows Accept-Language.
    expect(jamoatEn).toContain(`<link rel="alternate" hreflang="x-default" href="${BASE}doc/${JAMOAT}">`);
    expect(jamoatEn).toContain(`hreflang="en" lang="en" aria-current="true">English</a>`);
    for (const [type, ext, name] of FORMATS) {
      expect(jamoatEn).toContain(`<link rel="alternate" type="${type}" href="/doc/${JAMOAT}.${ext}" title="${name}">`);
      expect(jamoatEn).toContain(`<a href="/doc/${JAMOAT}.${ext}" type="${type}">${name}</a>`);
    }
  });

  it('is small: under 30 KB gzipped', () => {
    for (const p of [jamoatEn, jamoatTg]) {
      const gz = gzipSync(p).length;
      console.log(`jamoat page: ${Buffer.byteLength(p)} bytes, ${gz} gzipped`);
      expect(gz).toBeLessThan(30 * 1024);
    }
  });
});

describe('other resource pages', () => {
  it('a district lists its jamoats and says the jamoat-list status in words', () => {
    const p = page('district/TJ-KT-06', 'ru');
    expect(p).toContain('<h1>Яванский район</h1>');
    expect(p).toContain('<dd>полный: известно, что список источника полон</dd>');
    expect(p.match(/<tr><td><a href="\/doc\/jamoat\/TJ-KT-06-\d\d">/g)?.length).toBe(9);
    expect(p).toContain('<a href="https://sws.geonames.org/8221240/">GeoNames 8221240</a>');
    expect(jsonLd(p).geo).toEqual({ '@type': 'GeoCoordinates', latitude: 38.25, longitude: 69 });
  });

  it('the country lists its regions and is a schema:Country', () => {
    const p = page('country/TJ', 'en');
    expect(p).toContain('<h1>Tajikistan</h1>');
    expect(p).toContain('<a href="/doc/region/TJ-KT">Khatlon Region</a>');
    expect(jsonLd(p)['@type']).toBe('Country');
  });

  it('a dataset, an observation and a hukumat get generic pages with the sample-data marker where it applies', () => {
    const ds = page('dataset/education', 'en');
    expect(ds).toContain('<h1>Education in the jamoats of the pilot districts (sample data)</h1>');
    expect(ds).toContain('<strong class="sample">Sample data — not official figures</strong>');
    expect(ds).toContain('<a href="/doc/district/TJ-KT-06">Yovon</a>');
    expect(jsonLd(ds)['@type']).toBe('Dataset');
    const obs = page('observation/education/TJ-KT-06-06/pupils/2023', 'en');
    expect(obs).toContain('<strong class="sample">');
    expect(obs).toContain('<strong>5,389</strong> persons');
    const huk = page('hukumat/TJ-KT-06', 'en');
    expect(huk).not.toContain('class="sample"');
    expect(between(huk, '<nav class="bc"', '</nav>')).toContain('<a href="/doc/district/TJ-KT-06">Yovon</a>');
  });

  it('the vocabulary page has an anchor per term with label and definition in the page language', () => {
    const en = renderVocabularyPage(vocabQuads, ctx('/def/lg', 'en'));
    expect(en).toContain('<section id="District">\n<h3>District <small><code>lg:District</code></small></h3>');
    expect(en).toContain('<a href="#DistrictLevelUnit">District-level unit</a>');
    expect(en).toContain('<a href="http://schema.org/AdministrativeArea"><code>schema:AdministrativeArea</code></a>');
    expect(en).toContain('id="list-complete"');
    expect(en).toContain('id="ind-pupils"');
    const ru = renderVocabularyPage(vocabQuads, ctx('/def/lg', 'ru'));
    expect(ru).toContain('<h3>Район <small><code>lg:District</code></small></h3>');
    expect(ru).toContain('<h2 id="classes">Классы</h2>');
  });
});

describe('escaping', () => {
  const lg = (x: string) => namedNode(`${BASE}def/lg#${x}`);
  const rdf = (x: string) => namedNode(`http://www.w3.org/1999/02/22-rdf-syntax-ns#${x}`);
  const skos = (x: string) => namedNode(`http://www.w3.org/2004/02/skos/core#${x}`);
  const unit = namedNode(`${BASE}id/jamoat/TJ-XX-01-01`);
  const parent = namedNode(`${BASE}id/district/TJ-XX-01`);
  const quads = [
    quad(unit, rdf('type'), lg('Jamoat')),
    quad(unit, skos('prefLabel'), literal('<script>alert(1)</script>', 'en')),
    quad(unit, lg('code'), literal('TJ-XX-01-01" onmouseover="x')),
    quad(unit, lg('within'), parent),
    quad(unit, namedNode('http://purl.org/dc/terms/source'), namedNode('javascript:alert(1)')),
    quad(parent, rdf('type'), lg('District')),
    quad(parent, skos('prefLabel'), literal('</script><!-- \u2028 & >', 'en')),
  ];
  const p = renderResourcePage({ iri: unit.value, quads }, ctx('/doc/jamoat/TJ-XX-01-01', 'en'));

  it('renders labels and attribute values inert', () => {
    expect(p).not.toContain('<script>alert');
    expect(p).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(p).not.toContain('" onmouseover="');
    expect(p).not.toContain('href="javascript:');
    expect(p).toContain('<li>javascript:alert(1)</li>');
  });

  it('keeps JSON-LD inside its <script> and still parseable', () => {
    const script = between(p, '<script type="application/ld+json">', '</script>');
    const inner = script.slice('<script type="application/ld+json">'.length, -'</script>'.length);
    expect(inner).not.toMatch(/<\/script|<!--|[<>&\u2028\u2029]/i);
    const ld = JSON.parse(inner) as { name: { '@value': string }[]; containedInPlace: { name: { '@value': string }[] } };
    expect(ld.name[0]?.['@value']).toBe('<script>alert(1)</script>');
    expect(ld.containedInPlace.name[0]?.['@value']).toBe('</script><!-- \u2028 & >');
  });

  it('escapes every interpolation unless it is SafeHtml', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['<', trustedHtml('<br>')]}${null}${undefined}${false}${0}</p>`.html).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;<br>0</p>',
    );
    expect(jsonForScript({ a: '</script><!--&\u2028\u2029' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029"}');
  });
});

describe('no asset from another origin', () => {
  it('no src=, no external stylesheet or script, every <link> on our origin; foreign hrefs only on anchors', () => {
    const pages = [jamoatEn, jamoatTg, page('district/TJ-KT-06', 'en'), page('region/TJ-KT', 'en'), page('dataset/education', 'en'), renderVocabularyPage(vocabQuads, ctx('/def/lg', 'en'))];
    for (const p of pages) {
      expect(p).not.toMatch(/\ssrc=/i);
      expect(p).not.toMatch(/<script(?![^>]*type="application\/ld\+json")/i);
      expect(p).not.toMatch(/rel="?stylesheet|@import|url\(/i);
      expect(p).not.toMatch(/<(img|iframe|object|embed|video|audio)\b/i);
      for (const m of p.matchAll(/<(\w+)\b[^>]*\shref="([^"]*)"/g)) {
        // Our own absolute URLs (the hreflang alternates must be absolute) are on our origin too.
        if (!/^(\/(?!\/)|#|\?)/.test(m[2] ?? '') && !(m[2] ?? '').startsWith(BASE)) expect(m[1], m[0]).toBe('a');
      }
    }
  });
});

describe('languages', () => {
  it('chooseLanguage: ?lang= first, then Accept-Language, then tg', () => {
    expect(chooseLanguage('ru', 'en-US,en;q=0.9')).toBe('ru');
    expect(chooseLanguage(undefined, 'ru-RU,ru;q=0.9')).toBe('ru');
    expect(chooseLanguage(undefined, 'en-US')).toBe('en');
    expect(chooseLanguage(undefined, 'tg-TJ,ru;q=0.5')).toBe('tg');
    expect(chooseLanguage(undefined, 'de-DE,ru;q=0.3,en;q=0.5')).toBe('en');
    expect(chooseLanguage(undefined, undefined)).toBe('tg');
    expect(chooseLanguage(undefined, 'de')).toBe('tg');
    expect(chooseLanguage('xx', 'en')).toBe('en');
    expect(chooseLanguage('xx', undefined)).toBe('tg');
    expect(chooseLanguage('tg-TJ', 'en')).toBe('tg');
  });

  it('pickLabel: the requested language, then tg -> ru -> en, marked as fallback', () => {
    expect(pickLabel({ tg: 'Ёвон', en: 'Yovon' }, 'en')).toEqual({ text: 'Yovon', lang: 'en', fallback: false });
    expect(pickLabel({ ru: 'Яван', en: 'Yovon' }, 'tg')).toEqual({ text: 'Яван', lang: 'ru', fallback: true });
    expect(pickLabel({ en: 'Norin' }, 'ru')).toEqual({ text: 'Norin', lang: 'en', fallback: true });
    expect(pickLabel({ tg: 'Ёвон', ru: 'Яван' }, 'en')).toEqual({ text: 'Ёвон', lang: 'tg', fallback: true });
    expect(pickLabel({}, 'tg')).toBeUndefined();
  });

  it('every interface string exists in the three languages; Tajik uses Tajik letters', () => {
    const keys = Object.keys(t('en'));
    for (const l of ['tg', 'ru'] as const) expect(Object.keys(t(l)).sort()).toEqual([...keys].sort());
    for (const l of ['tg', 'ru', 'en'] as const) for (const k of keys) expect(t(l)[k as keyof ReturnType<typeof t>], `${l}.${k}`).not.toBe('');
    expect(Object.values(t('tg')).join(' ')).toMatch(/[ӣӯҳқғҷ]/);
  });

  it('formats numbers per language', () => {
    expect(formatNumber('1234567.25', 'tg')).toBe('1\u202f234\u202f567,25');
    expect(formatNumber('1234567.25', 'ru')).toBe('1\u202f234\u202f567,25');
    expect(formatNumber('1234567.25', 'en')).toBe('1,234,567.25');
    expect(formatNumber('-950', 'en')).toBe('−950');
  });
});

describe('charts', () => {
  it('are deterministic inline SVG with a text alternative and rounded coordinates', () => {
    const series = [{ year: 2021, value: 10 }, { year: 2022, value: 11.333 }, { year: 2024, value: 12 }];
    const a = renderChart(series, { label: 'Schools', unit: 'count', lang: 'en' }).html;
    expect(a).toBe(renderChart([...series].reverse(), { label: 'Schools', unit: 'count', lang: 'en' }).html);
    expect(a).toMatch(/^<svg [^>]*width="220" height="60"[^>]*role="img"/);
    expect(a).toContain('<title>Schools, 2021–2024: 2021: 10; 2022: 11.333; 2024: 12 (count)</title>');
    for (const m of a.matchAll(/(?:points|cx|cy|x|y|x1|x2|y1|y2|width|height)="([^"]+)"/g)) expect(m[1]).toMatch(/^[\d.,\s-]+$/);
    expect(a.replace(/<title>.*<\/title>/, '')).not.toMatch(/\d\.\d\d/);
    expect(renderChart(series, { label: 'S', lang: 'en', kind: 'bar' }).html).toContain('<rect');
  });
});

describe('site pages', () => {
  const region = { tg: 'Вилояти Хатлон', ru: 'Хатлонская область', en: 'Khatlon Region' };
  const khatlon = { iri: `${BASE}id/region/TJ-KT`, code: 'TJ-KT', labels: region };
  it('home: what is published, the hierarchy, datasets (sample marked), SPARQL, fragments and catalog', () => {
    const p = renderHomePage(
      {
        triples: 17000,
        datasets: [
          { iri: `${BASE}id/dataset/units`, docPath: '/doc/dataset/units', title: { en: 'Administrative units' }, sample: false },
          { iri: `${BASE}id/dataset/education`, docPath: '/doc/dataset/education', title: { en: 'Education' }, sample: true, observations: 2400 },
        ],
        regions: [{ iri: `${BASE}id/region/TJ-KT`, docPath: '/doc/region/TJ-KT', labels: region, code: 'TJ-KT', districts: 24 }],
        counts: { regions: 5, districts: 69, jamoats: 120, jamoatsExpected: 370 },
      },
      ctx('/', 'ru', false),
    );
    expect(p).toContain('<a href="/" aria-current="page">Главная</a>');
    expect(p).toContain('<li>Единицы уровня джамоата: 120 из примерно 370');
    expect(p).toContain('<a href="/doc/region/TJ-KT">Хатлонская область</a>');
    expect(p).toContain('<a href="/doc/dataset/education"><span lang="en">Education</span> <small class="fb"');
    expect(p).toContain('<strong class="sample">Примерные данные — не официальные цифры</strong>');
    expect(p).toContain('<a href="/sparql">SPARQL</a>');
    expect(p).toContain('<a href="/catalog">Каталог</a>');
    expect(p).toContain('<li><a href="/fragments">Фрагменты по шаблону триплета</a>: все триплеты, отобранные по субъекту, предикату или объекту, постранично: для клиентов Linked Data Fragments, например Comunica</li>');
    // The home has no RDF variant of its own; it links the catalog and the VoID for harvesters.
    expect(p).toContain('<link rel="alternate" type="text/turtle" href="/catalog.ttl" title="DCAT-AP catalog">');
    expect(p).toContain('<link rel="describedby" type="text/turtle" href="/.well-known/void.ttl" title="VoID">');
    expect(jsonLd(p)['@type']).toBe('DataCatalog');
  });

  it('search: query prefilled (escaped), hits with kind, code and within chain, no-results text, look-alike note', () => {
    const p = renderSearchPage(
      {
        q: 'Ёвон"><script>',
        hits: [{ iri: `${BASE}id/district/TJ-KT-06`, docPath: '/doc/district/TJ-KT-06', labels: { tg: 'Ноҳияи Ёвон', en: 'Yovon' }, kind: 'District', code: 'TJ-KT-06', within: [region] }],
        truncated: false,
      },
      ctx('/search', 'tg', false),
    );
    expect(p).toContain('value="Ёвон&quot;&gt;&lt;script&gt;"');
    expect(p).not.toContain('"><script>');
    expect(p).toContain('<li><a href="/doc/district/TJ-KT-06">Ноҳияи Ёвон</a> <span class="meta">Ноҳия · <code>TJ-KT-06</code> · дар ҳайати Вилояти Хатлон</span></li>');
    expect(p).toContain('href="/search?q=%D0%81%D0%B2%D0%BE%D0%BD%22%3E%3Cscript%3E&amp;lang=ru" hreflang="ru"');
    expect(p).toContain(t('tg').lookalike);
    const none = renderSearchPage({ q: 'zzz', hits: [], truncated: false }, ctx('/search', 'en', false));
    expect(none).toContain('<p>Nothing found.</p>');
  });

  it('coverage: districts grouped by region with the list status in words; per indicator and year the units with a figure and those without', () => {
    const p = renderCoveragePage(
      {
        districts: [
          { iri: `${BASE}id/district/TJ-KT-04`, docPath: '/doc/district/TJ-KT-04', labels: { en: 'Vose' }, code: 'TJ-KT-04', region: khatlon, jamoatList: 'missing', jamoats: 0 },
          { iri: `${BASE}id/district/TJ-KT-06`, docPath: '/doc/district/TJ-KT-06', labels: { en: 'Yovon' }, code: 'TJ-KT-06', region: khatlon, jamoatList: 'complete', jamoats: 9 },
        ],
        statistics: [
          {
            dataset: { iri: `${BASE}id/dataset/education`, docPath: '/doc/dataset/education', title: { en: 'Education' }, sample: true },
            indicators: [{
              iri: `${BASE}def/indicator/pupils`, docPath: '/def/indicator/pupils', labels: { en: 'Pupils' },
              years: [
                { year: 2023, units: 27, missing: [] },
                { year: 2024, units: 26, missing: [{ docPath: '/doc/jamoat/TJ-KT-06-06', labels: { en: 'Norin' }, code: 'TJ-KT-06-06' }] },
              ],
            }],
            districts: [{ docPath: '/doc/district/TJ-KT-06', labels: { en: 'Yovon' }, code: 'TJ-KT-06' }],
          },
        ],
      },
      ctx('/coverage', 'en', false),
    );
    expect(p).toContain('<tr><th scope="colgroup" colspan="5">Khatlon Region</th></tr>');
    expect(p).toContain('<td><code>TJ-KT-06</code></td><td>complete</td><td class="n">9</td>');
    expect(p).toContain('<dt>missing (1)</dt><dd>missing: no list of its jamoats was found</dd>');
    expect(p).toContain('<tr><th scope="rowgroup" rowspan="2"><a href="/def/indicator/pupils">Pupils</a></th><td>2023</td><td class="n">27</td><td>none</td></tr>');
    expect(p).toContain('<tr><td>2024</td><td class="n">26</td><td><a href="/doc/jamoat/TJ-KT-06-06">Norin</a></td></tr>');
    expect(p).toContain('<strong class="sample">Sample data — not official figures</strong>');
  });

  it('errors: 404 helps (search, up the hierarchy, home), 406 lists media types, 410 links the successor', () => {
    const nf = renderErrorPage(
      { status: 404, message: 'No unit TJ-KT-06-99', upHierarchy: [{ docPath: '/doc/district/TJ-KT-06', labels: { en: 'Yovon' } }] },
      ctx('/doc/jamoat/TJ-KT-06-99', 'en', false),
    );
    expect(nf).toContain('<h1>Not found <small>(404)</small></h1>');
    expect(nf).toContain('<form action="/search" method="get" role="search"><input type="hidden" name="lang" value="en"><label for="q"');
    expect(nf).toContain('<li><a href="/doc/district/TJ-KT-06">Yovon</a></li>');
    expect(nf).toContain('<a href="/">Go to the home page</a>');
    const na = renderErrorPage({ status: 406, message: 'Not acceptable', alternatives: ['text/html', 'text/turtle'] }, ctx('/doc/x', 'ru', false));
    expect(na).toContain('<li><code>text/turtle</code></li>');
    expect(na).toContain('Формат недоступен');
    const gone = renderErrorPage({ status: 410, message: 'Merged', successor: '/doc/jamoat/TJ-KT-06-02' }, ctx('/doc/jamoat/TJ-KT-06-10', 'tg', false));
    expect(gone).toContain('Ҷойгузин: <a href="/doc/jamoat/TJ-KT-06-02">/doc/jamoat/TJ-KT-06-02</a>');
  });
});
