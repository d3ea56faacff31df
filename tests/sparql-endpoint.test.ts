import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { EXAMPLES, exampleQuery, prefixLines } from '../src/sparql/examples.js';
import { BASE, startApp } from './server-helpers.js';
import { listen, queryUrl } from './sparql-helpers.js';
import { parseBoolean, parseGraph, parseResults, setContextLoader, valuesOnly } from './sparql-parsers.js';

/** The endpoint on the real store with the shipped data, over inject() and a real loopback port. */

let app: FastifyInstance;
let origin: string;
/** A loopback server the endpoint must never contact: SERVICE, LOAD and FROM point at it. */
let trap: Server;
let trapUrl: string;
let trapHits = 0;

beforeAll(async () => {
  app = await startApp();
  origin = await listen(app);
  setContextLoader(origin, BASE);
  trap = createServer((_req, res) => {
    trapHits++;
    res.end();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/data`;
});
afterAll(async () => {
  await app.close();
  await new Promise((resolve) => trap.close(resolve));
});

const get = (query: string, accept: string, params: Record<string, string | string[]> = {}) => fetch(queryUrl(origin, query, params), { headers: { accept } });
const PREFIXES = prefixLines(BASE, ['lg', 'skos', 'qb']);
const RESULT_TYPES = ['application/sparql-results+json', 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'];
const RDF_TYPES = ['text/turtle', 'application/ld+json', 'application/n-triples', 'application/rdf+xml', 'application/n-quads', 'application/trig'];

describe('the example queries', () => {
  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s returns rows from the shipped data', async (_id, example) => {
    const r = await app.inject({ method: 'POST', url: '/sparql', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, payload: exampleQuery(example, BASE) });
    expect(r.statusCode, r.body).toBe(200);
    const rows = (r.json() as { results: { bindings: unknown[] } }).results.bindings;
    expect(rows.length).toBeGreaterThan(0);
    expect(r.headers['x-sparql-results-truncated']).toBeUndefined();
  });

  it('the latest-year statistics say for every figure whether it is sample data', async () => {
    const example = EXAMPLES.find((e) => e.id === 'latest-year-statistics');
    const r = await get(exampleQuery(example!, BASE), 'application/sparql-results+json');
    const table = await parseResults('application/sparql-results+json', await r.text());
    expect(table.rows.every((row) => row.sampleData === '"true"^^http://www.w3.org/2001/XMLSchema#boolean' || row.sampleData === '"false"^^http://www.w3.org/2001/XMLSchema#boolean')).toBe(true);
    expect(new Set(table.rows.map((row) => row.sampleData)).size).toBe(2); // sourced population and sample statistics
  });

  it('are each in README.md, verbatim', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const e of EXAMPLES) expect(readme, e.id).toContain(exampleQuery(e, BASE));
  });
});

describe('answers in every format, read by independent parsers', () => {
  const select = exampleQuery(EXAMPLES[0]!, BASE);

  it('SELECT as SPARQL JSON, XML, CSV and TSV: the same rows', async () => {
    const tables = [];
    for (const type of RESULT_TYPES) {
      const r = await get(select, type);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
      tables.push(await parseResults(type, await r.text()));
    }
    const [json, xml, csv, tsv] = tables;
    expect(json!.rows.length).toBe(9);
    expect(json!.vars).toEqual(['jamoat', 'code', 'name', 'population', 'year']);
    expect(xml).toEqual(json);
    expect(tsv).toEqual(json);
    expect(csv).toEqual(valuesOnly(json!));
  });

  it('ASK as SPARQL JSON and XML', async () => {
    for (const type of RESULT_TYPES.slice(0, 2)) {
      expect(await parseBoolean(type, await (await get(`${PREFIXES}\nASK { ?d lg:code "TJ-KT-06" }`, type)).text())).toBe(true);
      expect(await parseBoolean(type, await (await get(`${PREFIXES}\nASK { ?d lg:code "TJ-XX-99" }`, type)).text())).toBe(false);
    }
  });

  it.each(RDF_TYPES)('CONSTRUCT and DESCRIBE as %s: the same triples', async (type) => {
    const construct = `${PREFIXES}\nCONSTRUCT { ?j lg:within ?d ; skos:prefLabel ?n } WHERE { ?d lg:code "TJ-KT-06" . ?j lg:within ?d ; skos:prefLabel ?n }`;
    const r = await get(construct, type);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
    const triples = await parseGraph(type, await r.text(), BASE);
    const reference = await parseGraph('application/n-triples', await (await get(construct, 'application/n-triples')).text(), BASE);
    expect(triples.size).toBeGreaterThan(9);
    expect(triples).toEqual(reference);
    const describe = await get(`DESCRIBE <${BASE}id/jamoat/TJ-KT-06-06>`, type);
    expect([...(await parseGraph(type, await describe.text(), BASE))].some((t) => t.includes('"Norin"@en'))).toBe(true);
  });

  it('answers 406 with the types a query form has, and JSON to */* or no Accept', async () => {
    const r = await get('ASK {}', 'text/csv');
    expect(r.status).toBe(406);
    expect(await r.text()).toContain('application/sparql-results+xml');
    expect((await get('SELECT * {}', '*/*')).headers.get('content-type')).toMatch(/^application\/sparql-results\+json/);
    expect((await get('CONSTRUCT WHERE { ?s a ?t } LIMIT 1', '*/*')).headers.get('content-type')).toMatch(/^text\/turtle/);
    expect((await get('SELECT * {}', 'application/json')).headers.get('content-type')).toMatch(/^application\/sparql-results\+json/);
  });
});

describe('the dataset: the union by default, our named graphs on request', () => {
  const count = async (query: string, params: Record<string, string | string[]> = {}) => {
    const r = await get(query, 'text/csv', params);
    expect(r.status, await r.clone().text()).toBe(200);
    return Number((await r.text()).split('\r\n')[1]);
  };

  it('the default graph is the union of the named graphs; each is addressable', async () => {
    const graphs = (await (await fetch(`${origin}/health`)).json()) as { graphs: Record<string, number> };
    const units = `${BASE}graph/units`;
    const union = await count('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }');
    const named = await count('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }');
    expect(named).toBe(Object.values(graphs.graphs).reduce((a, b) => a + b, 0));
    expect(union).toBeGreaterThan(named * 0.9);
    expect(await count(`SELECT (COUNT(*) AS ?n) FROM <${units}> WHERE { ?s ?p ?o }`)).toBe(graphs.graphs[units]);
    expect(await count('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }', { 'default-graph-uri': units })).toBe(graphs.graphs[units]);
    expect(await count('SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }', { 'named-graph-uri': [units, `${BASE}graph/health`] })).toBe(2);
  });

  it('a graph we do not have is empty, and nothing is fetched for it', async () => {
    expect(await count(`SELECT (COUNT(*) AS ?n) FROM <${trapUrl}> WHERE { ?s ?p ?o }`)).toBe(0);
    expect(await count(`SELECT (COUNT(*) AS ?n) FROM NAMED <${trapUrl}> WHERE { GRAPH ?g { ?s ?p ?o } }`)).toBe(0);
    expect(await count('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }', { 'default-graph-uri': trapUrl })).toBe(0);
    expect(trapHits).toBe(0);
  });
});

describe('refusals: read-only, no SERVICE, no LOAD, clear errors', () => {
  const json = async (r: Response) => (await r.json()) as { statusCode: number; code: string; message: string };

  it.each([
    ['update= in a form', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `update=${encodeURIComponent(`LOAD <${'TRAP'}>`)}` }, 403, 'LG_ERR_READ_ONLY'],
    ['application/sparql-update', { method: 'POST', headers: { 'content-type': 'application/sparql-update' }, body: 'INSERT DATA { <urn:a> <urn:b> <urn:c> }' }, 403, 'LG_ERR_READ_ONLY'],
    ['LOAD sent as a query', { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: 'LOAD <TRAP>' }, 403, 'LG_ERR_READ_ONLY'],
    ['SERVICE', { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: 'SELECT * WHERE { ?s ?p ?o . OPTIONAL { SERVICE <TRAP> { ?s ?q ?r } } }' }, 403, 'LG_ERR_SERVICE_REFUSED'],
    ['SERVICE in FILTER EXISTS', { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: 'ASK { ?s ?p ?o FILTER EXISTS { SERVICE SILENT <TRAP> { ?s ?p ?o } } }' }, 403, 'LG_ERR_SERVICE_REFUSED'],
    ['a PUT', { method: 'PUT', headers: { 'content-type': 'application/sparql-query' }, body: 'ASK {}' }, 405, 'LG_ERR_METHOD_NOT_ALLOWED'],
  ] as const)('%s', async (_name, init, status, code) => {
    const r = await fetch(`${origin}/sparql`, { ...init, body: Buffer.from(init.body.replace('TRAP', trapUrl)) });
    expect(r.status).toBe(status);
    expect((await json(r)).code).toBe(code);
    if (status === 405) expect(r.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(trapHits).toBe(0);
  });

  it('a syntax error is a 400 giving the parser\'s message and position', async () => {
    const r = await get(`${PREFIXES}\nSELECT ?x WHERE {\n  ?x lg:code "TJ" \n  FILTER(\n}`, 'application/sparql-results+json');
    expect(r.status).toBe(400);
    const body = await json(r);
    expect(body.code).toBe('LG_ERR_QUERY_SYNTAX');
    // sparqljs points at the last token it could read: the open FILTER( on line 6 of the query.
    expect(body.message).toMatch(/^error at 6:9: Parse error on line 6:\n/);
    const missing = await fetch(`${origin}/sparql?query=%20%20`, { headers: { accept: 'application/sparql-results+json' } });
    expect(missing.status).toBe(400);
    expect((await json(missing)).code).toBe('LG_ERR_QUERY_MISSING');
  });
});

describe('HTTP: validators, caching, compression, CORS', () => {
  it('a repeated query with its ETag is a 304, keyed on the data version', async () => {
    const q = exampleQuery(EXAMPLES[1]!, BASE);
    const first = await get(q, 'application/sparql-results+json');
    const etag = first.headers.get('etag') as string;
    const health = (await (await fetch(`${origin}/health`)).json()) as { dataVersion: string };
    expect(etag).toMatch(new RegExp(`^W/"${health.dataVersion}-`));
    expect(first.headers.get('cache-control')).toContain('max-age');
    expect(first.headers.get('vary')).toContain('Accept');
    const again = await fetch(queryUrl(origin, q), { headers: { accept: 'application/sparql-results+json', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const other = await fetch(queryUrl(origin, q), { headers: { accept: 'text/csv', 'if-none-match': etag } });
    expect(other.status).toBe(200);
  });

  it('compresses a large answer and allows any origin', async () => {
    const r = await app.inject({ url: `/sparql?query=${encodeURIComponent(exampleQuery(EXAMPLES[4]!, BASE))}`, headers: { accept: 'text/csv', 'accept-encoding': 'gzip', origin: 'https://example.org' } });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(r.rawPayload).toString('utf8').split('\r\n').length).toBeGreaterThan(200);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const preflight = await app.inject({ method: 'OPTIONS', url: '/sparql', headers: { origin: 'https://example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
  });
});

describe('for people: the query editor and readable results', () => {
  it('/sparql in a browser is the editor: YASGUI from our origin, our prefixes, the examples, a form without JavaScript', async () => {
    const r = await app.inject({ url: '/sparql?lang=en', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(r.statusCode).toBe(200);
    const page = r.body;
    expect(page).toContain('<script src="/sparql/assets/yasgui.min.js" defer></script>');
    expect(page).toMatch(/<form id="sparql-form" method="get" action="\/sparql">/);
    expect(page).toContain('<noscript>');
    // Nothing is loaded from another origin.
    // Nothing from another origin (our own absolute URLs, the hreflang alternates, are this one).
    const foreign = (page.match(/<(script|link|img|iframe)[^>]+(src|href)="(https?:)?\/\/[^"]*"/g) ?? []).filter((m) => !m.includes(`="${BASE}`));
    expect(foreign).toEqual([]);
    for (const e of EXAMPLES) expect(page).toContain(e.title.en);
    expect(page).toContain(`PREFIX lg:     &lt;${BASE}def/lg#&gt;`);
    for (const asset of ['yasgui.min.js', 'yasgui.min.css', 'editor.js', 'prefixes.json']) {
      expect((await app.inject({ url: `/sparql/assets/${asset}` })).statusCode, asset).toBe(200);
    }
    const prefixes = (await app.inject({ url: '/sparql/assets/prefixes.json' })).json() as Record<string, string>;
    expect(prefixes.lg).toBe(`${BASE}def/lg#`);
  });

  it('a query from the form gives an HTML table, in the page language', async () => {
    const r = await app.inject({ url: `/sparql?lang=ru&query=${encodeURIComponent(exampleQuery(EXAMPLES[0]!, BASE))}`, headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-language']).toBe('ru');
    expect(r.body.match(/<tr>/g)?.length).toBe(10); // header + 9 jamoats
    expect(r.body).toContain(`<a href="/id/jamoat/TJ-KT-06-06?lang=ru">${BASE}id/jamoat/TJ-KT-06-06</a>`);
  });

  it('an RDF client gets the Service Description instead', async () => {
    const r = await app.inject({ url: '/sparql', headers: { accept: 'text/turtle' } });
    expect(r.headers['content-type']).toMatch(/^text\/turtle/);
    expect(r.body).toContain('sd:UnionDefaultGraph');
    expect(r.body).toContain(`<${BASE}graph/units>`);
  });
});
