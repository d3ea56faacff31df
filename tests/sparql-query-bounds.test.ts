import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nestingDepth } from '../src/sparql/query-shape.js';
import { type TestInstance, queryUrl, startW3cInstance } from './sparql-helpers.js';

/**
 * Issue #11, "a big or deeply nested query freezes the whole server": the size and nesting of a
 * query are bounded before sparqljs parses it on the server's thread. Real server, real pool, on
 * loopback; every request here ends by itself.
 */

const JSON_TYPE = 'application/sparql-results+json';

let w3c: TestInstance;
beforeAll(async () => {
  w3c = await startW3cInstance();
});
afterAll(async () => w3c.close());

async function post(body: string): Promise<{ status: number; code: string | undefined }> {
  const res = await fetch(`${w3c.origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: JSON_TYPE }, body });
  const text = await res.text();
  return { status: res.status, code: res.status === 200 ? undefined : (JSON.parse(text) as { code: string }).code };
}

/** The probe's query: VALUES with 150k rows, about 1 MB (just under the framework's body limit). */
function valuesQuery(bytes: number): string {
  const rows: string[] = [];
  let size = 40;
  for (let i = 0; size < bytes; i++) {
    const row = `(${i}) `;
    rows.push(row);
    size += row.length;
  }
  return `SELECT ?x WHERE { VALUES (?x) { ${rows.join('')}} }`;
}

describe('a query past MAX_QUERY_BYTES or MAX_QUERY_DEPTH is refused before parsing', () => {
  it('refuses a 1 MB VALUES query with 413 LG_ERR_QUERY_TOO_LARGE while /health answers', async () => {
    const query = valuesQuery(1_000_000);
    expect(Buffer.byteLength(query)).toBeGreaterThan(990_000);
    const [answer, health] = await Promise.all([post(query), fetch(`${w3c.origin}/health`)]);
    expect(answer).toEqual({ status: 413, code: 'LG_ERR_QUERY_TOO_LARGE' });
    expect(health.status).toBe(200);
  });

  it('refuses a 2,500-deep nested group with 400 LG_ERR_QUERY_TOO_DEEP while /health answers', async () => {
    const query = `SELECT * WHERE ${'{ '.repeat(2500)}?s ?p ?o ${'} '.repeat(2500)}`;
    const [answer, health] = await Promise.all([post(query), fetch(`${w3c.origin}/health`)]);
    expect(answer).toEqual({ status: 400, code: 'LG_ERR_QUERY_TOO_DEEP' });
    expect(health.status).toBe(200);
  });

  it('gives a body past the framework limit the same code, not a framework error', async () => {
    expect(await post(valuesQuery(2_000_000))).toEqual({ status: 413, code: 'LG_ERR_QUERY_TOO_LARGE' });
  });

  it('answers queries within the bounds, nested 40 deep or with brackets in strings, IRIs and comments', async () => {
    const deep = `SELECT * WHERE ${'{ '.repeat(40)}?s ?p ?o ${'} '.repeat(40)} LIMIT 1`;
    expect((await post(deep)).status).toBe(200);
    const text = `SELECT * WHERE { ?s ?p ?o FILTER(?o != "${'{'.repeat(100)}" && ?o != <urn:x:${'('.repeat(100)}>) } # ${'['.repeat(100)}\nLIMIT 1`;
    expect((await post(text)).status).toBe(200);
    const res = await fetch(queryUrl(w3c.origin, 'ASK { ?s ?p ?o FILTER(1 < 2 && 2 <= 3) }'), { headers: { accept: JSON_TYPE } });
    expect(res.status).toBe(200);
  });
});

describe('nestingDepth', () => {
  it('counts { ( [ outside strings, IRIs and comments', () => {
    expect(nestingDepth('SELECT * WHERE { { ?s ?p ?o FILTER((1)) } }')).toBe(4);
    expect(nestingDepth(`ASK { ?s ?p "{{{" . ?s ?p '((' . ?s ?p """a "{{" b""" . ?s ?p '''[['''. ?s ?p "\\"{{" }`)).toBe(1);
    expect(nestingDepth('ASK { ?s ?p <urn:a(b[c> } # {{{{{')).toBe(1);
    expect(nestingDepth('ASK { FILTER(?a < (?b)) FILTER(?a <= ?c) }')).toBe(3);
  });

  it('stops counting once past the bound', () => {
    expect(nestingDepth('{'.repeat(10_000), 64)).toBe(65);
  });
});
