import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './server-helpers.js';
import { type TestInstance, W3C_BASE, listen, queryUrl, startW3cInstance } from './sparql-helpers.js';
import { parseGraph, parseResults } from './sparql-parsers.js';

/**
 * Safety under load, over real loopback HTTP: the result limit (with the header saying an answer
 * was cut), the time limit (the runaway query is stopped and documents keep answering meanwhile),
 * and the bound on concurrent queries (503 with Retry-After, not an unbounded queue).
 */

/** W3C test data (22 triples), MAX_QUERY_RESULTS 4, one worker and a queue of one. */
let small: TestInstance;
/** The shipped data with a short time limit. */
let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  [small, app] = await Promise.all([
    startW3cInstance({ env: { MAX_QUERY_RESULTS: '4', QUERY_TIMEOUT_MS: '1500' }, workers: 1, maxQueued: 1 }),
    // Long enough for three cold documents on the other worker even on a loaded machine: the test
    // asserts an order (documents before the stopped runaway), which a tight limit made flaky.
    startApp({ QUERY_TIMEOUT_MS: '3000' }),
  ]);
  origin = await listen(app);
});
afterAll(async () => Promise.all([small.close(), app.close()]));

const TRUNCATED = 'x-sparql-results-truncated';
const ALL_QUADS = 'SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }';
const RESULT_TYPES = ['application/sparql-results+json', 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'];

describe('the result limit (MAX_QUERY_RESULTS = 4)', () => {
  it.each(RESULT_TYPES)('a SELECT with more rows is cut to 4 in %s, says so, and still parses', async (type) => {
    const r = await fetch(queryUrl(small.origin, ALL_QUADS), { headers: { accept: type } });
    expect(r.status).toBe(200);
    expect(r.headers.get(TRUNCATED)).toBe('true');
    expect(r.headers.get('x-sparql-results-limit')).toBe('4');
    const table = await parseResults(type, await r.text());
    expect(table.vars).toEqual(['s', 'p', 'o']);
    expect(table.rows).toHaveLength(4);
  });

  it.each([
    ['exactly 4 rows', 'SELECT ?x WHERE { VALUES ?x { 1 2 3 4 } }', 4, false],
    ['5 rows', 'SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 } }', 4, true],
    ['its own LIMIT 3', `${ALL_QUADS} LIMIT 3`, 3, false],
    ['its own LIMIT 100', `${ALL_QUADS} LIMIT 100`, 4, true],
    ['an OFFSET near the end', `${ALL_QUADS} ORDER BY ?s ?p ?o OFFSET 20`, 2, false],
    ['a subquery with its own LIMIT', `SELECT * WHERE { { ${ALL_QUADS} LIMIT 10 } }`, 4, true],
    ['a line break inside a CSV value', 'SELECT ?x WHERE { VALUES ?x { "a\\nb" "c,d" "e\\"f" "g" "h" } }', 4, true],
  ] as const)('%s', async (_name, query, rows, truncated) => {
    for (const type of RESULT_TYPES) {
      const r = await fetch(queryUrl(small.origin, query), { headers: { accept: type } });
      expect((await parseResults(type, await r.text())).rows, type).toHaveLength(rows);
      expect(r.headers.get(TRUNCATED), type).toBe(truncated ? 'true' : null);
    }
  });

  it('CONSTRUCT and DESCRIBE count the solutions of WHERE, and say when there were more', async () => {
    const cases = [
      ['CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }', 4, true],
      // One distinct triple from 22 solutions: only the probe can tell that solutions were cut.
      ['CONSTRUCT { <urn:x> <urn:y> <urn:z> } WHERE { GRAPH ?g { ?s ?p ?o } }', 1, true],
      ['CONSTRUCT { ?s a ?o } WHERE { GRAPH ?g { ?s a ?o } }', 3, false],
      ['CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 2', 2, false],
      ['DESCRIBE ?s WHERE { GRAPH ?g { ?s a ?t } }', 3, false],
      [`DESCRIBE <http://kasei.us/2009/09/sparql/data/data1.rdf>`, 1, false],
    ] as const;
    for (const [query, triples, truncated] of cases) {
      const r = await fetch(queryUrl(small.origin, query), { headers: { accept: 'text/turtle' } });
      expect(r.status, query).toBe(200);
      expect((await parseGraph('text/turtle', await r.text(), W3C_BASE)).size, query).toBe(triples);
      expect(r.headers.get(TRUNCATED), query).toBe(truncated ? 'true' : null);
    }
  });

  it('the HTML table says the answer was cut', async () => {
    const r = await fetch(`${queryUrl(small.origin, ALL_QUADS)}&lang=en`, { headers: { accept: 'text/html' } });
    expect(r.headers.get(TRUNCATED)).toBe('true');
    const page = await r.text();
    expect(page).toContain('The answer was cut to its first 4 results');
    expect(page.match(/<tr>/g)).toHaveLength(5);
  });
});

describe('the time limit and the bound on concurrent queries', () => {
  it('a runaway query is stopped with a clear 503, while documents keep answering', async () => {
    const finished: string[] = [];
    const runaway = fetch(queryUrl(origin, 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }'), { headers: { accept: 'application/sparql-results+json' } })
      .then(async (r) => { finished.push('runaway'); return { status: r.status, body: (await r.json()) as { code: string; message: string } }; });
    await new Promise((r) => setTimeout(r, 50));
    const docs = ['/doc/jamoat/TJ-KT-06-06', '/doc/district/TJ-KT-06', '/doc/region/TJ-KT'].map((path) =>
      fetch(`${origin}${path}`, { headers: { accept: 'text/turtle' } }).then((r) => { finished.push(path); return r.status; }));
    expect(await Promise.all(docs)).toEqual([200, 200, 200]);
    const stopped = await runaway;
    expect(stopped.status).toBe(503);
    expect(stopped.body.code).toBe('LG_ERR_QUERY_TIMEOUT');
    expect(stopped.body.message).toContain('stopped after 3000 ms');
    // Ordering, not absolute times: every document answered before the runaway was stopped.
    expect(finished.indexOf('runaway')).toBe(3);
    // The stopped worker is replaced: queries run again.
    const next = await fetch(queryUrl(origin, 'ASK { ?s ?p ?o }'), { headers: { accept: 'application/sparql-results+json' } });
    expect(next.status).toBe(200);
  });

  it('beyond the workers and the queue, a query gets 503 with Retry-After at once', async () => {
    // 10^8 solutions from VALUES alone: slow on any data; stopped at the 1.5 s limit.
    const slow = `SELECT (COUNT(*) AS ?n) WHERE { ${Array.from({ length: 8 }, (_, i) => `VALUES ?v${i} { 0 1 2 3 4 5 6 7 8 9 }`).join(' ')} }`;
    const t0 = Date.now();
    const answers = await Promise.all(Array.from({ length: 4 }, async () => {
      const r = await fetch(queryUrl(small.origin, `${slow} # ${Math.random()}`), { headers: { accept: 'application/sparql-results+json' } });
      const body = (await r.json()) as { code: string; message: string };
      return { status: r.status, retryAfter: r.headers.get('retry-after'), code: body.code, message: body.message, ms: Date.now() - t0 };
    }));
    const busy = answers.filter((a) => a.code === 'LG_ERR_BUSY').sort((a, b) => a.ms - b.ms);
    // One runs on the single worker, one waits in the queue of one: the other two are refused at
    // once. The waiting one cannot start before its time, which counts from its arrival, is up:
    // it is refused too (issue #14), when that is certain, instead of running on borrowed time.
    expect(busy).toHaveLength(3);
    for (const b of busy) {
      expect(b.status).toBe(503);
      expect(Number(b.retryAfter)).toBeGreaterThan(0);
    }
    for (const b of busy.slice(0, 2)) expect(b.ms).toBeLessThan(1500);
    expect(busy[2]!.message).toContain('waited for a worker');
    expect(answers.filter((a) => a.code === 'LG_ERR_QUERY_TIMEOUT')).toHaveLength(1);
  });
});
