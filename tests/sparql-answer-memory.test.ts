import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestInstance, W3C_BASE, queryUrl, startW3cInstance } from './sparql-helpers.js';
import { parseGraph, parseResults } from './sparql-parsers.js';

/**
 * Issue #14, item 10: the bytes of every answer are bounded where the answer is made (the store's
 * worker), the server's thread stays free meanwhile, and a worker left holding much memory by a
 * query is replaced. Real server and worker pool on the W3C test data, over loopback HTTP.
 */

const CAP = 65_536;
/** 10^4 solutions from VALUES alone, each a distinct subject: any data set will do. */
const VALUES = Array.from({ length: 4 }, (_, i) => `VALUES ?v${i} { 0 1 2 3 4 5 6 7 8 9 }`).join(' ');
const SUBJECT = 'BIND(IRI(CONCAT("urn:x-test:", STR(?v0), STR(?v1), STR(?v2), STR(?v3))) AS ?s)';
/** The probe's shape: a 300-triple template over 10,000 solutions (3 million triples uncut). */
const TEMPLATE = Array.from({ length: 300 }, (_, i) => `?s <http://example.org/p${i}> ?v0 .`).join(' ');
const HUGE_CONSTRUCT = `CONSTRUCT { ${TEMPLATE} } WHERE { ${VALUES} ${SUBJECT} } LIMIT 10000`;
const WIDE_SELECT = `SELECT ?s ?v0 ?v1 ?v2 ?v3 WHERE { ${VALUES} ${SUBJECT} }`;
const GRAPH_TYPES = ['application/n-triples', 'text/turtle', 'application/ld+json', 'application/rdf+xml', 'application/n-quads', 'application/trig'];
const RESULT_TYPES = ['application/sparql-results+json', 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'];

let small: TestInstance;
let big: TestInstance;
beforeAll(async () => {
  [small, big] = await Promise.all([
    startW3cInstance({ env: { MAX_RESULT_BYTES: String(CAP) } }),
    // The default cap (10 MiB); a low memory bound, so that a query building a large string
    // leaves its worker above it (a fresh worker holds little more than 30 MB here).
    startW3cInstance({ env: { QUERY_WORKER_MEMORY_MB: '128' }, workers: 1 }),
  ]);
});
afterAll(async () => Promise.all([small.close(), big.close()]));

async function post(origin: string, query: string, accept: string): Promise<{ r: Response; bytes: Buffer }> {
  const r = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept, 'accept-language': 'en' }, body: query });
  return { r, bytes: Buffer.from(await r.arrayBuffer()) };
}

describe('every answer is within MAX_RESULT_BYTES', () => {
  it.each(GRAPH_TYPES)('a 300-triple template with LIMIT 10000 as %s: within the cap, valid, marked', async (type) => {
    const { r, bytes } = await post(small.origin, HUGE_CONSTRUCT, type);
    expect(r.status).toBe(200);
    expect(bytes.length).toBeLessThanOrEqual(CAP);
    expect(r.headers.get('x-sparql-results-truncated')).toBe('true');
    const graph = await parseGraph(type, bytes.toString('utf8'), W3C_BASE);
    expect(graph.size).toBeGreaterThan(0);
  });

  it.each(RESULT_TYPES)('10,000 rows as %s: within the cap, valid, marked', async (type) => {
    const { r, bytes } = await post(small.origin, WIDE_SELECT, type);
    expect(r.status).toBe(200);
    expect(bytes.length).toBeLessThanOrEqual(CAP);
    expect(r.headers.get('x-sparql-results-byte-limit')).toBe(String(CAP));
    expect((await parseResults(type, bytes.toString('utf8'))).rows.length).toBeGreaterThan(0);
  });

  it.each([['a table', WIDE_SELECT], ['a graph', HUGE_CONSTRUCT]])('the HTML results page with %s: within the cap, the page whole, the cut said', async (_what, query) => {
    const { r, bytes } = await post(small.origin, query, 'text/html');
    const page = bytes.toString('utf8');
    expect(r.status).toBe(200);
    expect(bytes.length).toBeLessThanOrEqual(CAP);
    expect(r.headers.get('x-sparql-results-truncated')).toBe('true');
    // The page around the results is all there: the notice, the form to edit the query, the end.
    expect(page).toMatch(/The answer was cut to (what fits in 64 KB|its first \d+ results)/);
    expect(page).toContain('<textarea id="sparql-query"');
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('a table page keeps whole rows and links our IRIs in the page language', async () => {
    const { bytes } = await post(small.origin, `SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) } LIMIT 3`, 'text/html');
    const page = bytes.toString('utf8');
    expect(page).toContain('Results: 3');
    expect((page.match(/<tr><td>/g) ?? []).length).toBe(3);
    expect(page).not.toContain('X-SPARQL-Results-Truncated');
  });
});

describe('the server thread and the worker memory', () => {
  it("the probe's CONSTRUCT with the default cap: within it, and the server's thread never blocked for long", async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const { r, bytes } = await post(big.origin, HUGE_CONSTRUCT, 'application/n-triples');
    delay.disable();
    expect(r.status).toBe(200);
    expect(bytes.length).toBeLessThanOrEqual(10 * 1024 * 1024);
    // The answer is made and cut in the worker; this thread (the server's, in this test) only
    // passes on bytes. Before, 307 MB crossed to it and froze it for 16.9 s. Generous for a
    // loaded machine: a second.
    expect(delay.max / 1e6).toBeLessThan(1000);
  });

  it('a worker whose memory stays above QUERY_WORKER_MEMORY_MB after a query is replaced, and the answer stands', async () => {
    const before = big.store.stats().recycled;
    const x16 = (v: string) => `CONCAT(${Array(16).fill(v).join(', ')})`;
    // 1 KiB x 16 x 16 x 16 x 4 = 16 MiB, built inside the engine a few times over.
    const query = `SELECT (STRLEN(?x) AS ?n) WHERE { BIND("${'x'.repeat(1024)}" AS ?a) BIND(${x16('?a')} AS ?b) BIND(${x16('?b')} AS ?c) BIND(${x16('?c')} AS ?d) BIND(CONCAT(${Array(16).fill('?d').join(', ')}) AS ?x) }`;
    const { r, bytes } = await post(big.origin, query, 'application/sparql-results+json');
    expect(r.status).toBe(200);
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ results: { bindings: [{ n: { value: String(64 * 1024 * 1024) } }] } });
    expect(big.store.stats().recycled).toBe(before + 1);
    // The replacement answers (the single worker's queue waits for it).
    const { r: next } = await post(big.origin, 'ASK { ?s ?p ?o }', 'application/sparql-results+json');
    expect(next.status).toBe(200);
    await expect.poll(() => big.store.stats(), { timeout: 20_000 }).toMatchObject({ workers: 1, ready: 1 });
  });

  it('a small query does not replace its worker', async () => {
    const before = big.store.stats().recycled;
    for (let i = 0; i < 3; i++) expect((await post(big.origin, `ASK { ?s ?p ?o } # ${i}`, 'application/sparql-results+json')).r.status).toBe(200);
    expect(big.store.stats().recycled).toBe(before);
  });
});
