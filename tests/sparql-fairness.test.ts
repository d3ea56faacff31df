import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestInstance, queryUrl, startW3cInstance } from './sparql-helpers.js';

/**
 * Fair use of /sparql (issue #11): one client (by address) holds at most one worker while others
 * wait. Run over real loopback HTTP against the real worker pool; the clients differ by source
 * address (127.0.0.1 and 127.0.0.2 are both loopback on Linux), which is what request.ip sees.
 */

/** 10^8 solutions from VALUES alone: slow on any data, stopped at the time limit. */
const HEAVY = `SELECT (COUNT(*) AS ?n) WHERE { ${Array.from({ length: 8 }, (_, i) => `VALUES ?v${i} { 0 1 2 3 4 5 6 7 8 9 }`).join(' ')} }`;
const JSON_TYPE = 'application/sparql-results+json';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

/** GET `url` from the source address `from`: node:http, since fetch cannot choose it. */
function getFrom(from: string, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { localAddress: from, headers: { accept: JSON_TYPE } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const code = res.statusCode === 200 ? undefined : (JSON.parse(body) as { code: string }).code;
        const retry = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retry === 'string' ? retry : undefined, code });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let w3c: TestInstance;
beforeAll(async () => {
  // Two workers, the case of the report: without the rule, client A's two queries took both.
  w3c = await startW3cInstance({ env: { QUERY_TIMEOUT_MS: '1500' }, workers: 2, maxQueued: 2 });
});
afterAll(async () => w3c.close());

describe('one client holds at most one worker while others wait', () => {
  it("another client's ASK is answered before one client's two heavy queries", async () => {
    const finished: string[] = [];
    const track = (name: string, p: Promise<Answer>) => p.then((a) => (finished.push(name), a));
    const heavy1 = track('heavy1', getFrom('127.0.0.1', queryUrl(w3c.origin, `${HEAVY} # 1`)));
    // The second waits behind the first (not on the idle worker), so it is queued, not running.
    await vi.waitFor(() => expect(w3c.store.stats()).toMatchObject({ busy: 1 }));
    const heavy2 = track('heavy2', getFrom('127.0.0.1', queryUrl(w3c.origin, `${HEAVY} # 2`)));
    await vi.waitFor(() => expect(w3c.store.stats()).toMatchObject({ busy: 1, queued: 1 }));
    const ask = await track('ask', getFrom('127.0.0.2', queryUrl(w3c.origin, 'ASK { ?s ?p ?o }')));
    expect(ask.status).toBe(200);
    const [a1, a2] = await Promise.all([heavy1, heavy2]);
    // Order of completion, not times: the ASK did not wait for either heavy query.
    expect(finished[0]).toBe('ask');
    // The second never started: its time, counted from its arrival, ran out while it waited behind
    // the first, so it was refused then with Retry-After (issue #14) rather than run after it.
    expect([a1.code, a2.code]).toEqual(['LG_ERR_QUERY_TIMEOUT', 'LG_ERR_BUSY']);
    expect(Number(a2.retryAfter)).toBeGreaterThan(0);
    await vi.waitFor(() => expect(w3c.store.stats()).toMatchObject({ ready: 2, busy: 0, queued: 0 }), { timeout: 20_000 });
  });

  it("beyond its share of the queue a client gets 503 with Retry-After; other clients and documents do not", async () => {
    // maxQueued 2: one query of a client may wait.
    const running = getFrom('127.0.0.1', queryUrl(w3c.origin, `${HEAVY} # 3`));
    await vi.waitFor(() => expect(w3c.store.stats()).toMatchObject({ busy: 1 }));
    const waiting = getFrom('127.0.0.1', queryUrl(w3c.origin, `${HEAVY} # 4`));
    await vi.waitFor(() => expect(w3c.store.stats()).toMatchObject({ queued: 1 }));
    const refused = await getFrom('127.0.0.1', queryUrl(w3c.origin, 'ASK { ?s ?p ?o } # 5'));
    expect(refused).toMatchObject({ status: 503, code: 'LG_ERR_BUSY' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // Another address is answered meanwhile, and so is a look-up of the site's own (no client).
    expect(await getFrom('127.0.0.2', queryUrl(w3c.origin, 'ASK { ?s ?p ?o } # 6'))).toMatchObject({ status: 200 });
    expect(JSON.parse(await w3c.store.query('ASK { ?s ?p ?o }', { resultsFormat: JSON_TYPE }))).toMatchObject({ boolean: true });
    expect((await Promise.all([running, waiting])).map((a) => a.code)).toEqual(['LG_ERR_QUERY_TIMEOUT', 'LG_ERR_BUSY']);
  });
});
