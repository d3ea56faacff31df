import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestInstance, W3C_BASE, queryUrl, startW3cInstance } from './sparql-helpers.js';
import { parseGraph, parseResults } from './sparql-parsers.js';

/**
 * The byte cap (MAX_RESULT_BYTES, issue #11 "Fair use"): a REPLACE-inflated answer is cut to the
 * whole rows or triples that fit, stays a valid document, and says it was cut (headers, and the
 * body where the format has room). Real server and worker pool on the W3C test data.
 */

const CAP = 16_384;
/** Every character of every object becomes 100 Tajik letters (200 bytes of UTF-8): ~2 KB a row. */
const INFLATED = 'BIND(REPLACE(REPLACE(STR(?o), ".", "xxxxxxxxxx"), "x", "ҷҷҷҷҷҷҷҷҷҷ") AS ?big)';
const SELECT = `SELECT ?s ?big WHERE { GRAPH ?g { ?s ?p ?o } ${INFLATED} } ORDER BY ?s ?big`;
const CONSTRUCT = `CONSTRUCT { ?s <http://example.org/big> ?big } WHERE { GRAPH ?g { ?s ?p ?o } ${INFLATED} }`;
const RESULT_TYPES = ['application/sparql-results+json', 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'];

let w3c: TestInstance;
beforeAll(async () => {
  w3c = await startW3cInstance({ env: { MAX_RESULT_BYTES: String(CAP), MAX_QUERY_RESULTS: '20' } });
});
afterAll(async () => w3c.close());

async function get(query: string, accept: string): Promise<{ r: Response; text: string }> {
  const r = await fetch(queryUrl(w3c.origin, query), { headers: { accept } });
  return { r, text: await r.text() };
}

describe('MAX_RESULT_BYTES', () => {
  it.each(RESULT_TYPES)('cuts a REPLACE-inflated SELECT to whole rows within the cap in %s, and says so', async (type) => {
    // The whole answer, straight from the store: what the cut one must be a prefix of.
    const whole = await parseResults(type, await w3c.store.query(SELECT, { resultsFormat: type }));
    const { r, text } = await get(SELECT, type);
    expect(r.status).toBe(200);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CAP);
    expect(r.headers.get('x-sparql-results-truncated')).toBe('true');
    expect(r.headers.get('x-sparql-results-byte-limit')).toBe(String(CAP));
    expect(r.headers.get('x-sparql-results-limit')).toBeNull();
    const table = await parseResults(type, text);
    expect(table.vars).toEqual(['s', 'big']);
    expect(table.rows.length).toBeGreaterThan(0);
    expect(table.rows.length).toBeLessThan(whole.rows.length);
    expect(table.rows).toEqual(whole.rows.slice(0, table.rows.length));
    if (type === 'application/sparql-results+json') {
      expect((JSON.parse(text) as { truncated: unknown }).truncated).toEqual({ limit: CAP, unit: 'bytes', results: table.rows.length });
    } else if (type === 'application/sparql-results+xml') {
      expect(text).toContain(`<!-- X-SPARQL-Results-Truncated: cut to ${table.rows.length} results to fit in ${CAP} bytes (MAX_RESULT_BYTES) -->`);
    } else {
      // CSV/TSV: nothing but the header line and rows (no comment, no trailing marker row).
      expect(text.split(type === 'text/csv' ? '\r\n' : '\n').filter(Boolean)).toHaveLength(table.rows.length + 1);
    }
  });

  it.each(['text/turtle', 'application/n-triples', 'application/ld+json', 'application/rdf+xml'])('cuts a REPLACE-inflated CONSTRUCT to whole triples within the cap in %s', async (type) => {
    const whole = await parseGraph('application/n-triples', await w3c.store.query(CONSTRUCT, { resultsFormat: 'application/n-triples' }), W3C_BASE);
    const { r, text } = await get(CONSTRUCT, type);
    expect(r.status).toBe(200);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CAP);
    expect(r.headers.get('x-sparql-results-truncated')).toBe('true');
    expect(r.headers.get('x-sparql-results-byte-limit')).toBe(String(CAP));
    const graph = await parseGraph(type, text, W3C_BASE);
    expect(graph.size).toBeGreaterThan(0);
    expect(graph.size).toBeLessThan(whole.size);
    for (const t of graph) expect(whole.has(t)).toBe(true);
  });

  it('an answer within the cap is sent whole and unmarked', async () => {
    const { r, text } = await get('SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 3', 'application/sparql-results+json');
    expect(r.headers.get('x-sparql-results-truncated')).toBeNull();
    expect(JSON.parse(text)).not.toHaveProperty('truncated');
  });

  it('the result limit marks SPARQL JSON with the same member, in results', async () => {
    const { r, text } = await get('SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }', 'application/sparql-results+json');
    expect(r.headers.get('x-sparql-results-limit')).toBe('20');
    const json = JSON.parse(text) as { truncated: unknown; results: { bindings: unknown[] } };
    expect(json.results.bindings).toHaveLength(20);
    expect(json.truncated).toEqual({ limit: 20, unit: 'results' });
  });

  it('the results page says the answer was cut to fit the size limit', async () => {
    const r = await fetch(queryUrl(w3c.origin, SELECT), { headers: { accept: 'text/html', 'accept-language': 'en' } });
    const text = await r.text();
    expect(r.status).toBe(200);
    expect(r.headers.get('x-sparql-results-byte-limit')).toBe(String(CAP));
    expect(text).toContain('The answer was cut to what fits in 16 KB');
  });
});
