import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, startApp } from './server-helpers.js';

let app: FastifyInstance;
let urls: string[];
let body: string;
beforeAll(async () => {
  app = await startApp();
  const r = await app.inject({ url: '/sitemap.xml' });
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toMatch(/^application\/xml/);
  expect(r.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9" xmlns:xhtml="http:\/\/www\.w3\.org\/1999\/xhtml">/);
  body = r.body;
  urls = [...r.body.matchAll(/<url><loc>([^<]+)<\/loc>/g)].map((m) => m[1] ?? '');
});
afterAll(async () => app.close());

describe('/robots.txt and /sitemap.xml', () => {
  it('robots.txt points to the sitemap with an absolute URL and keeps crawlers off the query services', async () => {
    const r = await app.inject({ url: '/robots.txt' });
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toContain(`Sitemap: ${BASE}sitemap.xml`);
    expect(r.body).toMatch(/^User-agent: \*$/m);
    expect(r.body).toMatch(/^Disallow: \/sparql$/m);
    expect(r.body).toMatch(/^Disallow: \/publish\/$/m);
  });

  it('lists the home, the catalog, the vocabulary, every dataset page and every document we mint', async () => {
    expect(urls).toEqual(expect.arrayContaining([BASE, `${BASE}catalog`, `${BASE}def/lg`, `${BASE}coverage`, `${BASE}.well-known/void`, `${BASE}def/indicator/pupils`]));
    for (const id of ['units', 'population', 'education', 'health', 'infrastructure', 'budget']) expect(urls).toContain(`${BASE}doc/dataset/${id}`);
    expect(urls).toContain(`${BASE}doc/jamoat/TJ-KT-06-06`);
    expect(urls).toContain(`${BASE}graph/units`);
    expect(urls).toContain(`${BASE}doc/hukumat/TJ-KT-06`);
    expect(urls.filter((u) => u.includes('/doc/observation/')).length).toBeGreaterThan(1000);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.every((u) => u.startsWith(BASE))).toBe(true);
  });

  it('gives every URL its lastmod and its pages in Tajik, Russian and English, with x-default', () => {
    const entries = body.split('<url>').slice(1);
    expect(entries).toHaveLength(urls.length);
    for (const e of entries) {
      const loc = /<loc>([^<]+)<\/loc>/.exec(e)?.[1] ?? '';
      expect(e, loc).toMatch(/<lastmod>\d{4}-\d{2}-\d{2}<\/lastmod>/);
      for (const lang of ['tg', 'ru', 'en']) expect(e, loc).toContain(`<xhtml:link rel="alternate" hreflang="${lang}" href="${loc}?lang=${lang}"/>`);
      expect(e, loc).toContain(`<xhtml:link rel="alternate" hreflang="x-default" href="${loc}"/>`);
    }
  });

  it('lists only URLs that answer 200 (every one of them is fetched)', async () => {
    const failed: string[] = [];
    let next = 0;
    // A few requests at a time: the store's workers answer in parallel, pages are cached after.
    const worker = async () => {
      while (next < urls.length) {
        const url = urls[next++] ?? '';
        const r = await app.inject({ url: `/${url.slice(BASE.length)}` });
        if (r.statusCode !== 200) failed.push(`${r.statusCode} ${url}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(failed).toEqual([]);
  }, 120_000);
});
