import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepLanguage } from '../src/html/layout.js';
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

describe.each(['tg', 'ru', 'en'])('the SPARQL page in %s: every example link', (lang) => {
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

  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s: the link carries the whole query and the language', (id, example) => {
    const url = new URL(links.get(id) ?? '/missing', origin);
    expect(url.searchParams.get('query')).toBe(exampleQuery(example, BASE));
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
