import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParsePool } from '../src/sparql/parse-pool.js';
import { QueryTimeoutError, StoreBusyError } from '../src/store/store.js';
import { type TestInstance, startW3cInstance } from './sparql-helpers.js';

/**
 * Issue #11, fault probe: "parse where it cannot block the server". A query within MAX_QUERY_BYTES
 * still takes sparqljs 0.2 s (VALUES rows, used here) to 1.1 s (triple patterns); parsed on the
 * server's thread, every other request waited.
 * Compared within one run (no absolute times): while maximum-size queries are parsed, /health
 * answers in a small fraction of the time the burst takes.
 */

const JSON_TYPE = 'application/sparql-results+json';
const MAX_QUERY_BYTES = 64 * 1024;

/** The probe's kind of query at the largest size allowed: an ASK over thousands of VALUES rows (slowest to parse, fast to run). */
function maxValuesQuery(seed: number): string {
  const head = `ASK WHERE { VALUES (?x) { (${seed}) `;
  const rows: string[] = [];
  let size = head.length + 4;
  for (let i = 0; ; i++) {
    const row = `(${i}) `;
    if (size + row.length > MAX_QUERY_BYTES) break;
    rows.push(row);
    size += row.length;
  }
  return `${head}${rows.join('')}} }`;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

const PROBE_EVERY_MS = 10;

/**
 * Asks for `url` every PROBE_EVERY_MS from a thread of its own, without waiting for answers: this
 * test's thread is the server's, so its own timers would stop while the server is blocked and
 * it would never ask during a block.
 */
function probeHealth(url: string): { stop(): Promise<number[]> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const latencies = [];
    const pending = new Set();
    const timer = setInterval(() => {
      const t = performance.now();
      const p = fetch(workerData.url).then((r) => r.arrayBuffer()).then(() => latencies.push(performance.now() - t));
      pending.add(p);
      p.finally(() => pending.delete(p));
    }, workerData.every);
    parentPort.once('message', async () => {
      clearInterval(timer);
      await Promise.allSettled([...pending]);
      parentPort.postMessage(latencies);
    });`;
  const worker = new Worker(code, { eval: true, workerData: { url, every: PROBE_EVERY_MS } });
  return {
    async stop() {
      const done = new Promise<number[]>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const latencies = await done;
      await worker.terminate();
      return latencies;
    },
  };
}

describe('a maximum-size query is parsed off the server thread', () => {
  let w3c: TestInstance;
  beforeAll(async () => {
    // One client's queries are parsed one after another; on a busy machine 8 of them can take
    // longer than the default 10 s, which is not what is measured here.
    w3c = await startW3cInstance({ env: { QUERY_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => w3c.close());

  it('keeps /health fast while several maximum-size queries are parsed', async () => {
    const queries = Array.from({ length: 8 }, (_, i) => maxValuesQuery(1_000_000 + i));
    for (const q of queries) expect(Buffer.byteLength(q)).toBeGreaterThan(MAX_QUERY_BYTES - 16);
    // Warm the parse pool (it starts with the first query) with a small one.
    expect((await fetch(`${w3c.origin}/sparql?query=${encodeURIComponent('ASK {}')}`, { headers: { accept: JSON_TYPE } })).status).toBe(200);

    const prober = probeHealth(`${w3c.origin}/health`);
    const t0 = performance.now();
    const answers = await Promise.all(queries.map(async (body) => {
      const res = await fetch(`${w3c.origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: JSON_TYPE }, body });
      return { status: res.status, body: await res.text() };
    }));
    const burstMs = performance.now() - t0;
    const health = await prober.stop();
    console.log(`burst of ${queries.length} queries of 64 KiB: ${burstMs.toFixed(0)} ms; /health during it (asked every ${PROBE_EVERY_MS} ms from another thread): ${health.length} answers, p50 ${pct(health, 50).toFixed(1)} ms, p90 ${pct(health, 90).toFixed(1)} ms, max ${Math.max(...health).toFixed(0)} ms`);
    for (const a of answers) expect(a).toEqual({ status: 200, body: expect.stringContaining('"boolean":true') });
    // Parsed on the server's thread, the parses held it in one block of most of the burst, and
    // every /health asked meanwhile waited for its end: p50 992 ms and p90 1849 ms of a 3133 ms
    // burst (here: p50 0.9 ms, p90 4.5 ms of 2208 ms).
    expect(health.length).toBeGreaterThanOrEqual(10);
    expect(pct(health, 50)).toBeLessThan(burstMs / 20);
    expect(pct(health, 90)).toBeLessThan(burstMs / 10);
  });

  it('keeps the codes of refusals found by the parser, with positions in the client\'s lines', async () => {
    const post = async (body: string) => {
      const res = await fetch(`${w3c.origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: JSON_TYPE }, body });
      return { status: res.status, ...(await res.json() as { code: string; message: string }) };
    };
    const syntax = await post('SELECT * WHERE {\n  ?s ?p ?o ?x\n}');
    expect(syntax).toMatchObject({ status: 400, code: 'LG_ERR_QUERY_SYNTAX' });
    expect(syntax.message).toMatch(/^error at 2:/);
    expect(await post('INSERT DATA { <urn:a> <urn:b> <urn:c> }')).toMatchObject({ status: 403, code: 'LG_ERR_READ_ONLY' });
    expect(await post('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')).toMatchObject({ status: 403, code: 'LG_ERR_SERVICE_REFUSED' });
    expect(await post(`ASK ${'{ '.repeat(70)}${'} '.repeat(70)}`)).toMatchObject({ status: 400, code: 'LG_ERR_QUERY_TOO_DEEP' });
  });
});

describe('ParsePool', () => {
  const opts = { baseIri: 'http://localhost:3000/sparql', maxResults: 100 };
  const job = (client: string, timeoutMs = 10_000) => ({ client, arrivedAt: performance.now(), timeoutMs });
  const crashing = new URL('./fixtures/parse-worker-crashing.ts', import.meta.url);

  it('replaces a worker that dies while parsing; the next query is served', async () => {
    const pool = new ParsePool({ workers: 1, workerUrl: crashing });
    try {
      // The fixture's worker dies on this marker; parsed again on the replacement, it dies again: 400.
      await expect(pool.prepare('ASK {} # crash-the-parser', opts, job('a'))).rejects.toMatchObject({ code: 'LG_ERR_QUERY_FAILED', statusCode: 400 });
      expect(pool.stats().replaced).toBe(2);
      const next = await pool.prepare('SELECT ?s WHERE { ?s ?p ?o }', opts, job('b'));
      expect(next).toMatchObject({ form: 'SELECT', bound: 100 });
    } finally {
      await pool.close();
    }
  });

  it('stops a parse at the query\'s deadline (counted from arrival) and serves the next query', async () => {
    const pool = new ParsePool({ workers: 1 });
    try {
      await pool.prepare('ASK {}', opts, job('a')); // the worker started
      // 30 ms to parse 64 KiB of VALUES (~0.2 s): stopped, with its worker.
      const late = pool.prepare(maxValuesQuery(1), opts, { client: 'a', arrivedAt: performance.now(), timeoutMs: 30 });
      await expect(late).rejects.toBeInstanceOf(QueryTimeoutError);
      // A query that arrived with less than its minimum run time left is refused before parsing.
      await expect(pool.prepare('ASK {}', opts, { client: 'a', arrivedAt: performance.now() - 9_999, timeoutMs: 10_000 })).rejects.toBeInstanceOf(StoreBusyError);
      expect(await pool.prepare('ASK { ?s ?p ?o }', opts, job('a'))).toMatchObject({ form: 'ASK' });
      expect(pool.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  });

  it('parses another client\'s query while one client\'s big queries wait for each other', async () => {
    const pool = new ParsePool({ workers: 2 });
    try {
      await Promise.all([pool.prepare('ASK {}', opts, job('x')), pool.prepare('ASK {}', opts, job('y'))]);
      const order: string[] = [];
      const big = [1, 2, 3].map((i) => pool.prepare(maxValuesQuery(i), opts, job('heavy')).then(() => order.push(`heavy${i}`)));
      const light = pool.prepare('ASK { ?s ?p ?o }', opts, job('light')).then(() => order.push('light'));
      await Promise.all([...big, light]);
      expect(order.indexOf('light')).toBeLessThan(order.indexOf('heavy2'));
      expect(order.filter((o) => o.startsWith('heavy'))).toEqual(['heavy1', 'heavy2', 'heavy3']);
    } finally {
      await pool.close();
    }
  });
});
