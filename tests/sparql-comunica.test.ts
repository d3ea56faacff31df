import { QueryEngine } from '@comunica/query-sparql';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, exampleQuery, prefixLines } from '../src/sparql/examples.js';
import { BASE, startApp } from './server-helpers.js';
import { type TestInstance, listen, queryUrl, startW3cInstance } from './sparql-helpers.js';
import { parseResults } from './sparql-parsers.js';

/**
 * Comunica, an independent SPARQL engine, using the endpoint as a SPARQL source over real loopback
 * HTTP, as a researcher's client would; and federating it with a second endpoint (a test instance
 * on the W3C data), as README shows. Comunica decides itself what to send (it splits the query
 * into the patterns each source answers, probes with ASK and COUNT, and joins locally).
 */

let app: FastifyInstance;
let origin: string;
let other: TestInstance;
const engine = new QueryEngine();

beforeAll(async () => {
  [app, other] = await Promise.all([startApp(), startW3cInstance()]);
  origin = await listen(app);
});
afterAll(async () => Promise.all([app.close(), other.close()]));

describe('Comunica queries the endpoint as a SPARQL source', () => {
  it('gets the same rows as the endpoint gives directly', async () => {
    const query = exampleQuery(EXAMPLES.find((e) => e.id === 'jamoats-of-district')!, BASE);
    const bindings = await (await engine.queryBindings(query, { sources: [{ type: 'sparql', value: `${origin}/sparql` }] })).toArray();
    const direct = await parseResults('application/sparql-results+json', await (await fetch(queryUrl(origin, query), { headers: { accept: 'application/sparql-results+json' } })).text());
    expect(bindings).toHaveLength(direct.rows.length);
    expect(bindings.map((b) => b.get('code')?.value).sort()).toEqual(direct.rows.map((r) => r.code?.replace(/^"|"$/g, '')).sort());
  });

  it('federates our endpoint with another one: each pattern from its own source, joined by Comunica', async () => {
    const query = `${prefixLines(BASE, ['lg', 'skos'])}
SELECT ?document ?region WHERE {
  ?document a <http://xmlns.com/foaf/0.1/Document> .
  ?region a lg:Region .
}`;
    const sources = [{ type: 'sparql', value: `${origin}/sparql` }, { type: 'sparql', value: `${other.origin}/sparql` }] as const;
    const bindings = await (await engine.queryBindings(query, { sources: [...sources] })).toArray();
    const documents = new Set(bindings.map((b) => b.get('document')?.value));
    const regions = new Set(bindings.map((b) => b.get('region')?.value));
    // data1-3 come from the W3C instance (ours has documents of its own too), the regions from ours.
    for (const n of [1, 2, 3]) expect(documents).toContain(`http://kasei.us/2009/09/sparql/data/data${n}.rdf`);
    expect(regions.size).toBe(5);
    expect(bindings).toHaveLength(documents.size * regions.size);
  });
});
