import type { FastifyInstance } from 'fastify';
import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, startApp } from './server-helpers.js';

/**
 * Issue #15: the schema.org JSON-LD embedded in every page expands offline (its context is inline,
 * not "https://schema.org", which a processor must fetch), and an observation is a
 * schema:Observation with what it is about, what it measures, when, and the figure.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => app?.close());

const SCHEMA = 'http://schema.org/';
/** A loader that fetches nothing: what an offline processor has. */
const offline = async (url: string): Promise<never> => {
  throw new Error(`offline: refusing to load ${url}`);
};

async function embedded(path: string): Promise<{ compact: Record<string, unknown>; expanded: Record<string, unknown[]>[] }> {
  const page = (await app.inject({ url: path, headers: { accept: 'text/html' } })).body;
  const script = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)?.[1];
  expect(script, path).toBeDefined();
  const compact = JSON.parse(script ?? '{}') as Record<string, unknown>;
  const expanded = (await jsonld.expand(compact as jsonld.JsonLdDocument, { documentLoader: offline })) as Record<string, unknown[]>[];
  return { compact, expanded };
}

describe('embedded schema.org JSON-LD', () => {
  it.each(['/', '/doc/jamoat/TJ-KT-06-06', '/doc/district/TJ-KT-06', '/doc/dataset/education', '/def/lg', '/doc/hukumat/TJ-KT-06'])('%s expands without fetching anything, links as IRIs', async (path) => {
    const { expanded } = await embedded(path);
    expect(expanded).toHaveLength(1);
    const node = expanded[0] ?? {};
    expect(String((node['@type'] as string[] | undefined)?.[0])).toMatch(new RegExp(`^${SCHEMA}`));
    expect(node[`${SCHEMA}url`]).toEqual([{ '@id': expect.stringMatching(/^http:\/\/localhost:3000\//) as unknown }]);
  });

  it('an observation is a schema:Observation: about its unit, measuring its indicator, in its year, with its figure', async () => {
    const list = (await app.inject({ url: `/sparql?query=${encodeURIComponent(`SELECT ?o ?v WHERE { ?o <http://purl.org/linked-data/cube#measureType> <${BASE}def/indicator/pupils> ; <${BASE}def/indicator/pupils> ?v ; <${BASE}def/lg#refArea> <${BASE}id/jamoat/TJ-KT-06-06> } LIMIT 1`)}`, headers: { accept: 'application/sparql-results+json' } })).json() as { results: { bindings: { o: { value: string }; v: { value: string } }[] } };
    const row = list.results.bindings[0];
    expect(row).toBeDefined();
    const path = `/doc/${(row?.o.value ?? '').slice(`${BASE}id/`.length)}`;
    const { compact, expanded } = await embedded(path);
    expect(compact['@type']).toBe('Observation');
    const node = expanded[0] ?? {};
    expect(node['@type']).toEqual([`${SCHEMA}Observation`]);
    expect(node[`${SCHEMA}observationAbout`]).toEqual([expect.objectContaining({ '@id': `${BASE}id/jamoat/TJ-KT-06-06` })]);
    expect(node[`${SCHEMA}variableMeasured`]).toEqual([expect.objectContaining({ '@id': `${BASE}def/indicator/pupils` })]);
    expect(node[`${SCHEMA}value`]).toEqual([{ '@value': Number(row?.v.value) }]);
    expect(node[`${SCHEMA}observationDate`]).toEqual([{ '@value': expect.stringMatching(/^\d{4}$/) as unknown }]);
  });
});
