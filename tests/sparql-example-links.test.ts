import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepLanguage } from '../src/html/layout.js';
import type { Lang } from '../src/html/models.js';
import { EXAMPLES, exampleQuery, prefixLines } from '../src/sparql/examples.js';
import { BASE, startApp, listenLoopback } from './server-helpers.js';

/**
 * Issue #11, item 4: the "Run" link of example 2 was broken in every language: keepLanguage put
 * `lang=` inside the `&#39;` of "figure's", which cut the query. Every example link of the SPARQL
 * page, in every language, followed as a browser follows it, on the real server.
 */

let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => app.close());

/** An attribute value as a browser reads it (the references our escaping writes). */
function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[name] ?? '');
}

describe('keepLanguage', () => {
  it('does not take a character reference for a fragment', () => {
    expect(keepLanguage('<a href="/sparql?query=a%20figure&#39;s%20x">', 'ru')).toBe('<a href="/sparql?query=a%20figure&#39;s%20x&amp;lang=ru">');
    expect(keepLanguage('<a href="/doc/x?a=1&amp;b=2#top">', 'en')).toBe('<a href="/doc/x?a=1&amp;b=2&amp;lang=en#top">');
    expect(keepLanguage('<a href="/def/lg#District">', 'tg')).toBe('<a href="/def/lg?lang=tg#District">');
  });
});

describe.each(['tg', 'ru', 'en'] as const)('the SPARQL page in %s: every example link', (lang: Lang) => {
  let links: Map<string, string>;

  beforeAll(async () => {
    const r = await fetch(`${origin}/sparql?lang=${lang}`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    const page = await r.text();
    links = new Map([...page.matchAll(/<li id="example-([^"]+)">[\s\S]*?<a href="([^"]+)">/g)].map((m) => [m[1] as string, unescapeAttribute(m[2] as string)]));
  });

  it('has one link per example', () => {
    expect([...links.keys()].sort()).toEqual(EXAMPLES.map((e) => e.id).sort());
  });

  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s: the link carries the whole query, its comment in the language, and the language', (id, example) => {
    const url = new URL(links.get(id) ?? '/missing', origin);
    expect(url.searchParams.get('query')).toBe(exampleQuery(example, BASE, lang));
    expect(url.searchParams.get('lang')).toBe(lang);
  });

  it.each(EXAMPLES.map((e) => [e.id] as const))('%s: followed, answers 200 with results, in the language', async (id) => {
    const href = links.get(id) ?? '/missing';
    const page = await fetch(`${origin}${href}`, { headers: { accept: 'text/html' } });
    expect(page.status, href).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<html lang="${lang}"`);
    expect(html).toMatch(/<tbody><tr>/);

    const json = await fetch(`${origin}${href}`, { headers: { accept: 'application/sparql-results+json' } });
    expect(json.status).toBe(200);
    const body = (await json.json()) as { results: { bindings: unknown[] } };
    expect(body.results.bindings.length).toBeGreaterThan(0);
  });
});

describe('a query made only of prefixes and comments', () => {
  it.each([
    prefixLines(BASE, ['lg', 'skos']),
    `${prefixLines(BASE, ['lg'])}# the query was deleted\n`,
    'BASE <http://example.org/>\n# nothing else',
  ])('is LG_ERR_QUERY_MISSING, not a parse error: %j', async (query) => {
    for (const r of [
      await fetch(`${origin}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' } }),
      await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/json' }, body: query }),
    ]) {
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ statusCode: 400, code: 'LG_ERR_QUERY_MISSING' });
    }
  });
});

/**
 * Issue #10, language: a reader of the Tajik or Russian SPARQL page reads no English, neither in
 * the page's text nor in the `#` comments of the example queries (they were English on every
 * page). What stays Latin is code: the query language's keywords and names (VALUES, lg:computed),
 * codes, media types, and the names of formats and standards.
 */
describe.each(['tg', 'ru'] as const)('the SPARQL page in %s carries no English prose', (lang) => {
  let main: string;

  beforeAll(async () => {
    const r = await fetch(`${origin}/sparql?lang=${lang}`, { headers: { accept: 'text/html' } });
    main = (await r.text()).match(/<main[^>]*>([\s\S]*)<\/main>/)?.[1] ?? '';
  });

  /** Names that are the same in every language (formats, protocols, a proper name) and SPARQL's own words. */
  const SAME_IN_EVERY_LANGUAGE = new Set(['SPARQL', 'JSON', 'XML', 'CSV', 'TSV', 'RDF', 'Turtle', 'GET', 'POST', 'Accept', 'JavaScript', 'Service', 'Description', 'Wikidata', 'VALUES', 'true']);

  /** The Latin words of `text` that are neither code (a token with : / ? = or a digit) nor in the list above. */
  function englishWords(text: string): string[] {
    return text
      .split(/\s+/)
      // A Tajik ending on a name ("JavaScript-ро") is Tajik grammar, not English.
      .map((w) => w.replace(/-[\u0400-\u04FF]+$/, '').replace(/^[(«"'“]+|[)»"'”.,;:]+$/g, ''))
      .filter((w) => /[A-Za-z]{2,}/.test(w) && !/[:/?=…\d]/.test(w) && !SAME_IN_EVERY_LANGUAGE.has(w));
  }

  const text = (fragment: string) => unescapeAttribute(fragment.replace(/<[^>]+>/g, ' '));

  it('in its own text: headings, help, example titles, buttons', () => {
    // The queries (in <pre> and the form's textarea) are code, read below.
    const prose = text(main.replace(/<pre>[\s\S]*?<\/pre>|<textarea[\s\S]*?<\/textarea>/g, ' '));
    expect(prose).toMatch(/[А-Яа-яЁё]/);
    expect(englishWords(prose)).toEqual([]);
  });

  it('in the comments of each example query, written in the language itself', () => {
    const queries = [...main.matchAll(/<li id="example-([^"]+)">[\s\S]*?<pre><code>([\s\S]*?)<\/code><\/pre>/g)];
    expect(queries).toHaveLength(EXAMPLES.length);
    for (const [, id, code] of queries) {
      const comment = text(code ?? '').split('\n').filter((l) => l.startsWith('#')).join(' ');
      expect(comment, id).toMatch(/[А-Яа-яЁё]/);
      expect(englishWords(comment), id).toEqual([]);
      // Tajik, not Russian, on the Tajik page: letters Russian does not have.
      if (lang === 'tg') expect(comment, id).toMatch(/[ҳӣӯқғҷ]/);
      else expect(comment, id).not.toMatch(/[ҳӣӯқғҷ]/);
    }
  });
});
