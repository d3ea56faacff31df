import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { formatOf, routeFamily } from '../src/metrics/labels.js';
import { buildApp } from '../src/server/app.js';
import { type Services, openServices } from '../src/server/services.js';
import { type WorkerStore, createWorkerStore } from '../src/store/worker-pool.js';
import { BASE, makeDataDir, wideSheet, writeXlsx } from './helpers.js';
import { listenLoopback } from './server-helpers.js';

/**
 * /metrics and request ids (issue #12, operations), on the real app and store over loopback. The
 * app's pino logger writes to a stream the test reads, as an operator's log collector would.
 * MAX_QUERY_RESULTS is 5 so that a plain query is cut (truncated), and QUERY_TIMEOUT_MS 2 s so
 * that a runaway one is stopped soon.
 */

const TOKEN = 'test-metrics-token-0123456789';
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

/** 10^8 solutions from VALUES alone: slow on any data, stopped at the time limit. */
const HEAVY = `SELECT (COUNT(*) AS ?n) WHERE { ${Array.from({ length: 8 }, (_, i) => `VALUES ?v${i} { 0 1 2 3 4 5 6 7 8 9 }`).join(' ')} }`;

let store: WorkerStore;
/** The releases feature on a small data folder of its own, for the publication counts. */
let services: Services;
let dataDir: string;
let stateDir: string;
let app: FastifyInstance;
let withoutToken: FastifyInstance;
let origin: string;
beforeAll(async () => {
  const dir = inject('buildDir');
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  const env = { BASE_URI: BASE, BUILD_DIR: dir, MAX_QUERY_RESULTS: '5', QUERY_TIMEOUT_MS: '2000' };
  store = await createWorkerStore({ nquadsPath: join(dir, 'data.nq'), dataVersion: info.dataVersion, timeoutMs: 2000, built: { quads: info.quads, graphs: info.graphs } });
  dataDir = await makeDataDir();
  stateDir = await mkdtemp(join(tmpdir(), 'lg-metrics-state-'));
  const config = loadConfig({ ...env, METRICS_TOKEN: TOKEN, DATA_DIR: dataDir, STATE_DIR: stateDir, QUERY_WORKERS: '1' });
  services = openServices(config);
  app = await buildApp({ config, store, services, logger: { level: 'info', stream: sink } as { level: string } });
  // The same store behind an app configured without a token (closing either closes the store once).
  withoutToken = await buildApp({ config: loadConfig(env), store, logger: false });
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
  // The first query loads what queries need (the parse worker, the answer shaping), which on a
  // busy machine can take longer than the time limit: not under test here, so tried until it answers.
  for (let i = 0; i < 5 && (await sparql('ASK {}')).status !== 200; i++);
});
afterAll(async () => {
  await app?.close();
  await withoutToken?.close();
  await rm(stateDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

const sparql = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/sparql?${new URLSearchParams({ query })}`, { headers: { accept: 'application/sparql-results+json', ...headers } });

async function scrape(): Promise<Response> {
  return fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
}

/**
 * The Prometheus text format (0.0.4), read strictly: every line is a HELP, a TYPE or a sample
 * `name{label="value",…} number`, a blank line only between families; each sample's name belongs
 * to the family its TYPE declared. Returns the samples by `name{labels sorted}`.
 */
function parseExposition(text: string): Map<string, number> {
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const help = new RegExp(`^# HELP (${name}) .+$`);
  const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`);
  const sample = new RegExp(`^(${name})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*",?)*)\\})? (-?(?:\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|[Nn]a[Nn]|\\+Inf|-Inf))$`);
  const samples = new Map<string, number>();
  expect(text.endsWith('\n')).toBe(true);
  let family: { name: string; type: string } | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    let m = help.exec(line);
    if (m) continue;
    m = type.exec(line);
    if (m) {
      family = { name: m[1]!, type: m[2]! };
      continue;
    }
    m = sample.exec(line);
    expect(m, `not a Prometheus text line: ${line}`).not.toBeNull();
    const [, metric, labelText, value] = m!;
    const suffixes = family?.type === 'histogram' ? ['_bucket', '_sum', '_count'] : family?.type === 'summary' ? ['', '_sum', '_count'] : [''];
    expect(suffixes.map((s) => `${family?.name}${s}`), line).toContain(metric);
    const labels = [...(labelText ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}=${l[2]}`).sort();
    samples.set(`${metric}{${labels.join(',')}}`, Number(value));
  }
  return samples;
}

async function metrics(): Promise<Map<string, number>> {
  const r = await scrape();
  expect(r.status).toBe(200);
  return parseExposition(await r.text());
}

const delta = (before: Map<string, number>, after: Map<string, number>, key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

describe('/metrics access', () => {
  it('is 404 when no METRICS_TOKEN is configured, token or not', async () => {
    const r = await withoutToken.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.statusCode).toBe(404);
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['the token under another scheme', { authorization: `Basic ${TOKEN}` }],
  ])('is 401 with %s, never cached', async (_what, headers: Record<string, string>) => {
    const r = await fetch(`${origin}/metrics`, { headers: { accept: 'application/json', ...headers } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(r.headers.get('cache-control')).toBe('no-store');
    // The app's error format (src/server/errors.ts), not the framework's.
    expect(await r.json()).toEqual({ statusCode: 401, code: 'LG_ERR_UNAUTHENTICATED', message: expect.stringContaining('Authorization: Bearer') });
  });

  it('answers the token with the Prometheus text format, never cached', async () => {
    const r = await scrape();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const samples = parseExposition(await r.text());
    for (const outcome of ['ok', 'truncated', 'refused', 'busy', 'timeout', 'error']) expect(samples.has(`lg_sparql_queries_total{outcome=${outcome}}`)).toBe(true);
    expect(samples.get('lg_query_workers{}')).toBeGreaterThanOrEqual(1);
    expect(samples.get('lg_query_workers_busy{}')).toBe(0);
    expect(samples.get('lg_query_queued{}')).toBe(0);
    // The remote store's gate is not there: its gauges say 0.
    expect(samples.get('lg_store_requests_in_flight{}')).toBe(0);
    expect(samples.get('lg_store_requests_queued{}')).toBe(0);
    expect(samples.get('process_resident_memory_bytes{}')).toBeGreaterThan(0);
  });
});

describe('what /metrics counts', () => {
  it('counts each request and each query outcome by exactly what was sent', async () => {
    const before = await metrics();
    const doc = await fetch(`${origin}/doc/jamoat/TJ-KT-06-06.ttl`);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('x-request-id')).toBeTruthy();
    await doc.arrayBuffer();
    const ok = await sparql('ASK { ?s ?p ?o }');
    expect(ok.status, await ok.clone().text()).toBe(200);
    const refused = await sparql('SELECT * WHERE { ?s ?p }');
    expect(refused.status).toBe(400);
    const cut = await sparql('SELECT ?s WHERE { ?s ?p ?o }');
    expect(cut.status).toBe(200);
    expect(cut.headers.get('x-sparql-results-truncated')).toBe('true');
    await Promise.all([ok.arrayBuffer(), refused.arrayBuffer(), cut.arrayBuffer()]);
    const after = await metrics();

    const queries = (outcome: string) => delta(before, after, `lg_sparql_queries_total{outcome=${outcome}}`);
    expect(['ok', 'truncated', 'refused', 'busy', 'timeout', 'error'].map((o) => [o, queries(o)])).toEqual([
      ['ok', 1], ['truncated', 1], ['refused', 1], ['busy', 0], ['timeout', 0], ['error', 0],
    ]);
    const requests = (family: string, status: string, format: string) => delta(before, after, `lg_http_requests_total{family=${family},format=${format},status=${status}}`);
    expect(requests('document', '2xx', 'ttl')).toBe(1);
    expect(requests('sparql', '2xx', 'srj')).toBe(2);
    expect(requests('sparql', '4xx', 'json')).toBe(1);
    // The scrape before is counted by the one after: the same family, answered as text.
    expect(requests('other', '2xx', 'text')).toBe(1);
    expect(delta(before, after, 'lg_http_request_duration_seconds_count{family=document}')).toBe(1);
    expect(delta(before, after, 'lg_http_request_duration_seconds_count{family=sparql}')).toBe(3);
    expect(delta(before, after, 'lg_http_request_duration_seconds_bucket{family=sparql,le=+Inf}')).toBe(3);
    expect(delta(before, after, 'lg_http_request_duration_seconds_sum{family=sparql}')).toBeGreaterThan(0);
  });

  it('counts a query stopped at its time limit, and the store logs it with the request id', async () => {
    const before = await metrics();
    const id = 'timeout-check.42_a';
    const r = await sparql(HEAVY, { 'x-request-id': id });
    expect(r.status).toBe(503);
    expect(r.headers.get('x-request-id')).toBe(id);
    expect(await r.json()).toMatchObject({ code: 'LG_ERR_QUERY_TIMEOUT' });
    const after = await metrics();
    expect(delta(before, after, 'lg_sparql_queries_total{outcome=timeout}')).toBe(1);
    const ours = lines.map((l) => JSON.parse(l) as { reqId?: string; msg: string; worker?: number; level: number }).filter((l) => l.reqId === id);
    // The worker pool's line (the thread stopped and replaced) and the route's refusal line.
    expect(ours.find((l) => /its worker thread is ended and replaced/.test(l.msg))).toMatchObject({ level: 40, worker: expect.any(Number) });
    expect(ours.find((l) => /^query refused/.test(l.msg))).toMatchObject({ level: 40 });
  });

  it('gives the triples of each named graph as a COUNT over /sparql does, and the data version', async () => {
    const samples = await metrics();
    const gauges = [...samples].filter(([k]) => k.startsWith('lg_graph_triples{'));
    expect(gauges.length).toBeGreaterThan(1);
    const graphs = await sparql('SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }');
    const count = (body: unknown) => Number((body as { results: { bindings: { n: { value: string } }[] } }).results.bindings[0]!.n.value);
    expect(count(await graphs.json())).toBe(gauges.length);
    for (const [key, value] of gauges) {
      const graph = /graph=(.*)\}$/.exec(key)![1]!;
      const r = await sparql(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${graph}> { ?s ?p ?o } }`);
      expect(count(await r.json()), graph).toBe(value);
    }
    const health = (await (await fetch(`${origin}/health`)).json()) as { dataVersion: string; triples: number };
    expect(samples.get(`lg_data_version_info{data_version=${health.dataVersion},release=}`)).toBe(1);
    expect(samples.get('lg_store_triples{}')).toBe(health.triples);
  });
});

describe('publications', () => {
  it('counts a release published and one refused by the checks', async () => {
    const before = await metrics();
    const seed = () => services.releases.publish({ kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: [], from: 'service' });
    expect((await seed()).release.status).toBe('complete');
    // A negative count of pupils: the checks refuse the data, the release fails.
    await writeXlsx(join(dataDir, 'statistics', 'education.xlsx'), [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', -5, 1020]])]);
    expect((await seed()).problems.map((p) => p.code)).toContain('LG_ERR_BAD_VALUE');
    const after = await metrics();
    const publications = (outcome: string) => delta(before, after, `lg_publications_total{kind=seed,outcome=${outcome}}`);
    expect([publications('published'), publications('refused'), publications('failed')]).toEqual([1, 1, 0]);
  });
});

describe('request ids', () => {
  const logged = (id: string) => lines.map((l) => JSON.parse(l) as { reqId?: string; code?: string }).filter((l) => l.reqId === id);

  it('keeps a sane X-Request-Id: in the answer and in the request\'s log line', async () => {
    const id = 'Client-7.trace_0001';
    const r = await sparql('SELECT * WHERE { ?s ?p }', { 'x-request-id': id });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-request-id')).toBe(id);
    expect(logged(id)).toEqual([expect.objectContaining({ code: 'LG_ERR_QUERY_SYNTAX' })]);
  });

  it.each([
    ['spaces and a forged log field', 'x", "level": 60, "y'],
    ['more than 64 characters', 'a'.repeat(65)],
    ['an empty one', ''],
  ])('replaces an id with %s by a fresh one', async (_what, given) => {
    const r = await sparql('SELECT * WHERE { ?s ?p }', { 'x-request-id': given });
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(logged(id!)).toHaveLength(1);
  });

  it('leaves it out of the line that sums up refusals of many requests', async () => {
    // More refusals of one code in a second than are logged one by one: the rest are summed up
    // when the second is over (src/server/refusal-log.ts), in a line of the app, not of a request.
    const ids = Array.from({ length: 12 }, (_, i) => `burst-${i}`);
    const from = lines.length;
    // Asked for as a page: the app's error handler answers and logs it (a program's JSON refusal is logged by the endpoint, one line each).
    await Promise.all(ids.map(async (id) => (await sparql('SELECT * WHERE { ?s ?p }', { 'x-request-id': id, accept: 'text/html' })).arrayBuffer()));
    await new Promise((r) => setTimeout(r, 1100));
    const burst = lines.slice(from).map((l) => JSON.parse(l) as { reqId?: string; suppressed?: number; code?: string });
    const summary = burst.find((l) => l.suppressed !== undefined && l.code === 'LG_ERR_QUERY_SYNTAX');
    expect(summary?.suppressed).toBeGreaterThan(0);
    expect(summary).not.toHaveProperty('reqId');
    for (const l of burst.filter((x) => x.suppressed === undefined && x.code === 'LG_ERR_QUERY_SYNTAX')) expect(ids).toContain(l.reqId);
  });

  it('gives every answer one, different each time', async () => {
    const [a, b] = await Promise.all([fetch(`${origin}/health`), fetch(`${origin}/no/such/page`)]);
    expect(a.headers.get('x-request-id')).toBeTruthy();
    expect(b.status).toBe(404);
    expect(b.headers.get('x-request-id')).toBeTruthy();
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('metric labels stay a closed set', () => {
  it.each([
    ['/doc/jamoat/TJ-KT-06-06.ttl', 'document'], ['/id/district/TJ-KT-06', 'document'], ['/catalog.ttl', 'document'],
    ['/.well-known/void', 'document'], ['/def/lg', 'def'], ['/sparql?query=x', 'sparql'], ['/download/all.nq.gz', 'download'],
    ['/releases/3/download/all.nq.gz', 'download'], ['/releases/3', 'pages'], ['/use-data?lang=ru', 'pages'], ['/', 'pages'], ['/?lang=tg', 'pages'],
    ['/search?q=x', 'search'], ['/publish/login', 'publish'], ['/health', 'other'], ['/anything/%00', 'other'],
  ])('%s is %s', (url, family) => expect(routeFamily(url)).toBe(family));

  it.each([
    ['text/html; charset=utf-8', 'html'], ['application/ld+json', 'jsonld'], ['application/sparql-results+json', 'srj'],
    [undefined, 'none'], ['image/svg+xml', 'other'], ['text/plain; version=0.0.4; charset=utf-8', 'text'],
  ])('%s is the format %s', (type, format) => expect(formatOf(type)).toBe(format));
});
