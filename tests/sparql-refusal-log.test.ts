import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server/app.js';
import { type TestInstance, W3C_BASE, listen, queryUrl, startW3cInstance } from './sparql-helpers.js';

/**
 * Refused queries are logged as one line each with their code, no stack (issue #11: 12.9 KB of
 * log for 9 refusals). The real app's Fastify (pino) logger writes to a stream the test reads; the
 * store is the real worker pool with one worker and a queue of one, so busy and timeout happen.
 */

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

/** 10^8 solutions from VALUES alone: slow on any data, stopped at the time limit. */
const HEAVY = `SELECT (COUNT(*) AS ?n) WHERE { ${Array.from({ length: 8 }, (_, i) => `VALUES ?v${i} { 0 1 2 3 4 5 6 7 8 9 }`).join(' ')} }`;

let w3c: TestInstance;
let app: FastifyInstance;
let origin: string;
beforeAll(async () => {
  w3c = await startW3cInstance({ env: { QUERY_TIMEOUT_MS: '500' }, workers: 1, maxQueued: 1 });
  const logger = { level: 'info', stream: sink };
  app = await buildApp({ config: loadConfig({ BASE_URI: W3C_BASE, QUERY_TIMEOUT_MS: '500' }), store: w3c.store, logger });
  origin = await listen(app);
  // The first request logs, once, what the app found at start (e.g. no downloads in this build):
  // not a refusal, so it is out of the way before the tests count lines.
  expect(await status(`${origin}${queryUrl('', 'ASK {}')}`)).toBe(200);
});
afterAll(async () => {
  await app.close();
  await w3c.close();
});

interface LogLine { level: number; code?: string; msg: string; err?: unknown; stack?: unknown }

/** The lines logged while `fn` ran, parsed. */
async function logged(fn: () => Promise<unknown>): Promise<{ raw: string[]; parsed: LogLine[] }> {
  const from = lines.length;
  await fn();
  const raw = lines.slice(from);
  return { raw, parsed: raw.map((l) => JSON.parse(l) as LogLine) };
}

async function status(url: string, init: RequestInit = {}): Promise<number> {
  const r = await fetch(url, { ...init, headers: { accept: 'application/sparql-results+json', ...init.headers } });
  await r.arrayBuffer();
  return r.status;
}

describe('refused queries in the log', () => {
  it.each([
    ['a syntax error', queryUrl('', 'SELECT * WHERE { ?s ?p }'), 400, 'LG_ERR_QUERY_SYNTAX'],
    ['an update', `/sparql?update=${encodeURIComponent('CLEAR ALL')}`, 403, 'LG_ERR_READ_ONLY'],
    ['a SERVICE clause', queryUrl('', 'SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }'), 403, 'LG_ERR_SERVICE_REFUSED'],
    ['no query', queryUrl('', '# only a comment'), 400, 'LG_ERR_QUERY_MISSING'],
  ])('%s: one line at info with the code, no stack', async (_what, path, expected, code) => {
    const { raw, parsed } = await logged(async () => expect(await status(`${origin}${path}`)).toBe(expected));
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({ level: 30, code, statusCode: expected });
    expect(parsed[0]!.msg).toMatch(/^query refused: /);
    expect(parsed[0]).not.toHaveProperty('err');
    expect(raw[0]).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frame anywhere in the line
    expect(Buffer.byteLength(raw[0]!)).toBeLessThan(1000);
  });

  it('busy and timeout: one line each at warn with the code, no stack', async () => {
    const { raw, parsed } = await logged(async () => {
      // One runs and times out, one waits (the queue of one) and is refused when its time, which
      // counts from arrival, can no longer suffice; the third is refused at once.
      const answers = await Promise.all([1, 2, 3].map(async (n) => {
        const s = status(`${origin}${queryUrl('', `${HEAVY} # ${n}`)}`);
        // In order, so which one is refused is known.
        await new Promise((r) => setTimeout(r, 50));
        return s;
      }));
      expect(answers).toEqual([503, 503, 503]);
    });
    const refusals = parsed.filter((l) => /^query refused/.test(l.msg));
    expect(refusals.map((l) => [l.level, l.code]).sort()).toEqual([
      [40, 'LG_ERR_BUSY'],
      [40, 'LG_ERR_BUSY'],
      [40, 'LG_ERR_QUERY_TIMEOUT'],
    ]);
    // Besides them, at most the worker pool's line about the thread it stopped, with the code too.
    const others = parsed.filter((l) => !refusals.includes(l));
    expect(others.length).toBeLessThanOrEqual(1);
    for (const l of others) expect(l).toMatchObject({ level: 40, code: 'LG_ERR_QUERY_TIMEOUT', msg: expect.stringMatching(/worker thread is ended and replaced/) as string });
    for (const line of parsed) expect(line).not.toHaveProperty('err');
    for (const line of raw) expect(Buffer.byteLength(line)).toBeLessThan(1000);
  });

  it('a long refused query is logged shortened', async () => {
    // The error comes early: parsing 2,000 triple patterns first (~0.3 s, in a parse worker) would
    // count against the 500 ms limit, which runs from the request's arrival.
    const long = `SELECT * WHERE { ?s ?p } # ${'?s ?p ?o . '.repeat(2000)}`;
    const { raw } = await logged(async () => expect(await status(`${origin}/sparql`, { method: 'POST', body: long, headers: { 'content-type': 'application/sparql-query' } })).toBe(400));
    expect(raw).toHaveLength(1);
    expect(Buffer.byteLength(raw[0]!)).toBeLessThan(1000);
  });
});
