import { request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { buildApp } from '../src/server/app.js';
import { warmParsePool } from '../src/sparql/prepare-for-client.js';
import { openReleaseStore } from '../src/store/open-release-store.js';
import type { RemoteStore } from '../src/store/remote/remote-store.js';
import { listen, queryUrl } from './sparql-helpers.js';

/**
 * Fair use of /sparql in remote mode (src/store/remote/fair-gate.ts, the embedded pool's rules of
 * src/store/fair-use.ts): with STORE_CONCURRENCY 2, one client (by source address) holds at most
 * one place in flight to the store while another client may come; its further queries wait, and
 * beyond its share of the queue it gets 503 with Retry-After. On the remote project's Virtuoso with
 * the shipped build (tests/remote-setup.ts), over real loopback HTTP from two source addresses.
 */

/**
 * Seconds of work on Virtuoso over the shipped build: 25 million pairs, each with string work, under
 * its cost estimate (a product of the whole data is refused before it runs). Stopped by our
 * QUERY_TIMEOUT_MS; Virtuoso finishes it on its own thread after we abort.
 */
const HEAVY = 'SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a ?c WHERE { ?a ?b ?c } LIMIT 5000 } { SELECT ?f WHERE { ?d ?e ?f } LIMIT 5000 } FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?a))) > 3) }';
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

const METRICS = 'remote-fairness-metrics-token';
let app: FastifyInstance;
let store: RemoteStore;
let origin: string;
beforeAll(async () => {
  const dir = inject('buildDir');
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  const config = loadConfig({ BASE_URI: 'http://localhost:3000/', LOG_LEVEL: 'silent', BUILD_DIR: dir, ...inject('remoteStoreEnv'), STORE_CONCURRENCY: '2', QUERY_TIMEOUT_MS: '1500', METRICS_TOKEN: METRICS });
  const opened = openReleaseStore(config, { n: null, dir, info });
  await opened.ready;
  store = opened.store as RemoteStore;
  app = await buildApp({ config, store, logger: false });
  await warmParsePool();
  origin = await listen(app);
});
afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe('remote mode: one client holds at most one place in flight to the store while others may come', () => {
  it("another client's ASK is answered before one client's two heavy queries", async () => {
    const finished: string[] = [];
    const track = (name: string, p: Promise<Answer>) => p.then((a) => (finished.push(name), a));
    const heavy1 = track('heavy1', getFrom('127.0.0.1', queryUrl(origin, `${HEAVY} # 1`)));
    await vi.waitFor(() => expect(store.gateStats()).toMatchObject({ busy: 1 }));
    // The second waits behind the first (not in the free place), so it is queued, not sent.
    const heavy2 = track('heavy2', getFrom('127.0.0.1', queryUrl(origin, `${HEAVY} # 2`)));
    await vi.waitFor(() => expect(store.gateStats()).toMatchObject({ busy: 1, queued: 1 }));
    const ask = await track('ask', getFrom('127.0.0.2', queryUrl(origin, 'ASK { ?s ?p ?o }')));
    expect(ask.status).toBe(200);
    const [a1, a2] = await Promise.all([heavy1, heavy2]);
    // Order of completion, not times: the ASK waited for neither heavy query.
    expect(finished[0]).toBe('ask');
    // The first was stopped at its limit; the second's time, counted from its arrival, ran out while
    // it waited behind the first, so it was refused with Retry-After rather than sent after it.
    expect([a1.code, a2.code]).toEqual(['LG_ERR_QUERY_TIMEOUT', 'LG_ERR_BUSY']);
    expect(Number(a2.retryAfter)).toBeGreaterThan(0);
    expect(store.gateStats()).toEqual({ busy: 0, queued: 0 });
  });

  it('beyond its share of the queue a client gets 503 with Retry-After; other clients and documents do not', async () => {
    const running = getFrom('127.0.0.1', queryUrl(origin, `${HEAVY} # 3`));
    await vi.waitFor(() => expect(store.gateStats()).toMatchObject({ busy: 1 }));
    // The default queue: 16 waiting client queries, 8 of one client.
    const waiting = Array.from({ length: 8 }, (_, i) => getFrom('127.0.0.1', queryUrl(origin, `ASK { ?s ?p ?o } # wait ${i}`)));
    await vi.waitFor(() => expect(store.gateStats()).toMatchObject({ busy: 1, queued: 8 }));
    // What an operator sees meanwhile: the gate's counts on /metrics.
    const metrics = await (await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } })).text();
    expect(metrics).toMatch(/^lg_store_requests_in_flight 1$/m);
    expect(metrics).toMatch(/^lg_store_requests_queued 8$/m);
    const refused = await getFrom('127.0.0.1', queryUrl(origin, 'ASK { ?s ?p ?o } # refused'));
    expect(refused).toMatchObject({ status: 503, code: 'LG_ERR_BUSY' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // Another address is answered meanwhile, and so is a look-up of the site's own (no client).
    expect(await getFrom('127.0.0.2', queryUrl(origin, 'ASK { ?s ?p ?o } # other'))).toMatchObject({ status: 200 });
    expect(JSON.parse(await store.query('ASK { ?s ?p ?o }', { resultsFormat: JSON_TYPE }))).toMatchObject({ boolean: true });
    const [first, ...rest] = await Promise.all([running, ...waiting]);
    expect(first!.code).toBe('LG_ERR_QUERY_TIMEOUT');
    // The waiting ones run one at a time after it (the client's one place) or are refused once their
    // time is nearly out, with Retry-After: none is stopped at its limit.
    for (const a of rest) expect(a.status === 200 || a.code === 'LG_ERR_BUSY', JSON.stringify(a)).toBe(true);
    expect(store.gateStats()).toEqual({ busy: 0, queued: 0 });
  });
});
