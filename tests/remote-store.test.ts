import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { buildApp } from '../src/server/app.js';
import { openReleaseStore } from '../src/store/open-release-store.js';
import { QueryFailedError, QueryTimeoutError, type LinkedDataStore } from '../src/store/store.js';
import { RemoteStoreError } from '../src/store/remote/errors.js';
import { LoadNames } from '../src/store/remote/graph-names.js';
import { chunks, readServiceRecord } from '../src/store/remote/load-release.js';
import { renameIris } from '../src/store/remote/rename-iris.js';
import { PROJECT_ROOT } from '../src/project.js';

/**
 * STORE=remote on the 'remote' project's Virtuoso (tests/remote-setup.ts), beside the shipped build
 * the other suites query there (each release is a load of its own; these tests' loads drop the
 * shipped build's, which the next suite's start loads again, 3 s): a release switched while readers in this process and in another
 * count, old loads dropped, a second instance on the same release, the graph names renamed in
 * queries and answers, the limits, blank nodes across chunks, credentials.
 */

const BASE = 'http://remote-test.example/';
const JSON_RESULTS = 'application/sparql-results+json';

let virtuoso: { queryUrl: string; updateUrl: string; user: string; password: string; env: Record<string, string> };
let work: string;

beforeAll(async () => {
  const env = inject('remoteStoreEnv');
  virtuoso = { queryUrl: env.STORE_QUERY_URL!, updateUrl: env.STORE_UPDATE_URL!, user: env.STORE_USER!, password: env.STORE_PASSWORD!, env };
  work = await mkdtemp(join(tmpdir(), 'lg-remote-test-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function config(env: Record<string, string> = {}): Config {
  return loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', ...virtuoso.env, ...env });
}

/** The same store, loading through SPARQL Update (STORE_UPDATE_URL) instead of the Graph Store Protocol. */
function updateConfig(): Config {
  const { STORE_GRAPH_STORE_URL: _, ...env } = virtuoso.env;
  return loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', ...env });
}

/** A release directory: data.nq with `perGraph[g]` quads in graph g, and what build-info.json would say. */
async function release(name: string, perGraph: Record<string, number>, extra: N3.Quad[] = []): Promise<{ n: null; dir: string; info: BuildInfo }> {
  const { namedNode, literal, quad } = N3.DataFactory;
  const quads: N3.Quad[] = [];
  for (const [g, count] of Object.entries(perGraph)) {
    for (let i = 0; i < count; i++) quads.push(quad(namedNode(`${BASE}id/${name}/${g}/${i}`), namedNode(`${BASE}def/value`), literal(String(i)), namedNode(`${BASE}graph/${g}`)));
  }
  quads.push(...extra);
  const dir = await mkdtemp(join(work, `${name}-`));
  await writeFile(join(dir, 'data.nq'), new N3.Writer({ format: 'N-Quads' }).quadsToString(quads));
  const graphs: Record<string, number> = {};
  for (const q of quads) graphs[q.graph.value] = (graphs[q.graph.value] ?? 0) + 1;
  const info = { dataVersion: `version-${name}`, quads: quads.length, graphs } as BuildInfo;
  await writeFile(join(dir, 'build-info.json'), JSON.stringify(info));
  return { n: null, dir, info };
}

async function open(cfg: Config, r: Awaited<ReturnType<typeof release>>, lines?: string[]): Promise<LinkedDataStore> {
  const { store, ready } = openReleaseStore(cfg, r, lines ? { log: { info: (_f, message) => lines.push(message) } } : {});
  await ready;
  return store;
}

async function count(store: LinkedDataStore, sparql: string, opts: { namedGraphs?: string[]; defaultGraphs?: string[] } = {}): Promise<number> {
  const json = JSON.parse(await store.query(sparql, { resultsFormat: JSON_RESULTS, ...opts })) as { results: { bindings: { n: { value: string } }[] } };
  return Number(json.results.bindings[0]!.n.value);
}

/** A reader in a process of its own (tests/remote-reader.ts) serving release `r` as a second instance without STORE_UPDATE_URL. */
function otherProcessReader(r: { dir: string }) {
  const { STORE_UPDATE_URL: _, STORE_GRAPH_STORE_URL: __, STORE_USER: ___, STORE_PASSWORD: ____, ...readOnly } = virtuoso.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'tests/remote-reader.ts'), JSON.stringify({ BASE_URI: BASE, ...readOnly }), r.dir], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  let onLine: (() => void) | undefined;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    onLine?.();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  /** Resolves once `n` answers (after `ready`) have come. */
  const answers = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (lines.filter((l) => l !== 'ready').length >= n ? resolve() : undefined);
      onLine = check;
      void exited.then((code) => reject(new Error(`the reader exited (${code}): ${stderr}`)));
      check();
    });
  return {
    lines,
    answers,
    async stop(): Promise<number | null> {
      child.stdin.end();
      return exited;
    },
  };
}

describe('a release switched in one step', () => {
  it('readers in this process and in another, counting all through the load and the switch, see their own release, never a mix', async () => {
    const a = await release('a', { g1: 1200, g2: 900 });
    const b = await release('b', { g1: 1500, g3: 700 });
    const old = await open(config(), a);
    const both = 'SELECT ?u ?n WHERE { { SELECT (COUNT(*) AS ?u) WHERE { ?s ?p ?o } } { SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } } }';
    const seen: string[] = [];
    let loading = true;
    const reader = async () => {
      while (loading) {
        const json = JSON.parse(await old.query(both, { resultsFormat: JSON_RESULTS })) as { results: { bindings: { u: { value: string }; n: { value: string } }[] } };
        const row = json.results.bindings[0]!;
        seen.push(`${row.u.value}/${row.n.value}`);
      }
    };
    // A second instance in another process, on release a, with no way to load or switch.
    const other = otherProcessReader(a);
    await other.answers(1);
    const readers = [reader(), reader()];
    const lines: string[] = [];
    // Release b through SPARQL Update: many requests, seconds long, beside the readers.
    const next = await open(updateConfig(), b, lines);
    const during = other.lines.length;
    await other.answers(during + 3);
    loading = false;
    await Promise.all(readers);
    expect(await other.stop()).toBe(0);
    expect(lines.slice(0, 2)).toEqual([expect.stringContaining('loaded into the SPARQL store'), expect.stringContaining('switched to this release')]);
    // Release a: 2,100 triples in its union and in its own graphs, before, during and after b's switch.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s !== '2100/2100')).toEqual([]);
    expect(other.lines.filter((l) => l !== 'ready' && l !== '2100/2100')).toEqual([]);
    // After the switch: the new release in the store opened on it.
    expect(await count(next, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')).toBe(2200);
    expect(next.info()).toMatchObject({ dataVersion: 'version-b', triples: 2200, graphs: { [`${BASE}graph/g1`]: 1500, [`${BASE}graph/g3`]: 700 } });
    // g2 is not in release b.
    expect(await count(next, 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }', { namedGraphs: [`${BASE}graph/g2`] })).toBe(0);
    // A reader starting now (another instance, no STORE_UPDATE_URL) on release b is served b.
    const later = otherProcessReader(b);
    await later.answers(1);
    expect(await later.stop()).toBe(0);
    expect(later.lines.filter((l) => l !== 'ready')[0]).toBe('2200/2200');
    await old.close();
    await next.close();
  });

  it('the store keeps the current load and the previous one; older loads are dropped at the next switch', async () => {
    const [p, q, r] = [await release('p', { g1: 20 }), await release('q', { g1: 30 }), await release('r', { g1: 40 })];
    const onP = await open(config(), p);
    const onQ = await open(config(), q);
    // p is the previous load: an instance still on it reads it whole.
    expect(await count(onP, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')).toBe(20);
    const record = await readServiceRecord({ queryUrl: virtuoso.queryUrl, timeoutMs: 10_000 });
    const loadOf = (version: string) => [...record.loads].find(([, l]) => l.dataVersion === version)?.[0];
    expect(record.current).toBe(loadOf('version-q'));
    expect(record.previous).toBe(loadOf('version-p'));
    const onR = await open(config(), r);
    // p's load is gone (graphs and record); q's is the previous one now.
    expect(await count(onP, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')).toBe(0);
    expect(await count(onQ, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')).toBe(30);
    const after = await readServiceRecord({ queryUrl: virtuoso.queryUrl, timeoutMs: 10_000 });
    expect([...after.loads.values()].map((l) => l.dataVersion).sort()).toEqual(['version-q', 'version-r']);
    expect(after.previous).toBe(loadOf('version-q'));
    // Back to q (a release rolled back): its load is there, so only the pointer moves.
    const lines: string[] = [];
    await (await open(config(), q, lines)).close();
    expect(lines).toEqual([expect.stringContaining('already holds this release'), expect.stringContaining('switched to this release')]);
    for (const s of [onP, onQ, onR]) await s.close();
  });

  it('queries and answers name the graphs by their public names, however the query writes them', async () => {
    const s = await release('s', { g1: 5, g2: 7 });
    const store = await open(config(), s);
    const g1 = `${BASE}graph/g1`;
    const asked = [
      `SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${g1}> { ?s ?p ?o } }`,
      `PREFIX gr: <${BASE}graph/> SELECT (COUNT(*) AS ?n) WHERE { GRAPH gr:g1 { ?s ?p ?o } }`,
      `BASE <${BASE}> SELECT (COUNT(*) AS ?n) WHERE { GRAPH <graph/g1> { ?s ?p ?o } }`,
      `SELECT (COUNT(*) AS ?n) WHERE { VALUES ?g { <${g1}> } GRAPH ?g { ?s ?p ?o } }`,
      `SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g = <${g1}>) }`,
      `SELECT (COUNT(*) AS ?n) FROM <${g1}> WHERE { ?s ?p ?o }`,
      `SELECT (COUNT(*) AS ?n) FROM NAMED <${g1}> WHERE { GRAPH ?g { ?s ?p ?o } }`,
    ];
    for (const q of asked) expect([q, await count(store, q)]).toEqual([q, 5]);
    expect(await count(store, 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }', { namedGraphs: [g1] })).toBe(5);
    const json = JSON.parse(await store.query('SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g', { resultsFormat: JSON_RESULTS })) as { results: { bindings: { g: { value: string } }[] } };
    expect(json.results.bindings.map((b) => b.g.value)).toEqual([g1, `${BASE}graph/g2`]);
    const nt = await store.query(`CONSTRUCT { ?g <${BASE}def/size> ?n } WHERE { { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g } }`, { resultsFormat: 'application/n-triples' });
    expect(nt).toContain(`<${g1}> <${BASE}def/size> "5"^^<http://www.w3.org/2001/XMLSchema#integer>`);
    expect(nt).not.toContain('urn:x-lg-store');
    await store.close();
  });

  it('the renaming touches IRI tokens only: not strings, comments, prefix declarations or other IRIs', () => {
    const names = new LoadNames('urn:x-lg-store:load:t');
    const g = 'http://x.example/graph/g';
    const rename = (iri: string) => (iri === g ? names.graph(iri) : undefined);
    const to = `<${names.graph(g)}>`;
    expect(renameIris(`SELECT * { GRAPH <${g}> { ?s ?p "<${g}>" } } # <${g}>`, rename)).toBe(`SELECT * { GRAPH ${to} { ?s ?p "<${g}>" } } # <${g}>`);
    expect(renameIris(`PREFIX gr: <http://x.example/graph/> PREFIX g: <${g}> ASK { GRAPH gr:g { ?s ?p gr:g. } FILTER(?x < 3) }`, rename)).toBe(`PREFIX gr: <http://x.example/graph/> PREFIX g: <${g}> ASK { GRAPH ${to} { ?s ?p ${to}. } FILTER(?x < 3) }`);
    expect(renameIris(`ASK { <${g}x> ?p ?o . ?gr:g ?p """<${g}>""" }`, rename)).toBe(`ASK { <${g}x> ?p ?o . ?gr:g ?p """<${g}>""" }`);
  });

  it('a second instance starting on the release the store holds loads nothing, and checks the counts', async () => {
    const c = await release('c', { g1: 300 });
    const lines: string[] = [];
    await (await open(config(), c, lines)).close();
    expect(lines[0]).toContain('loaded into the SPARQL store');
    const second: string[] = [];
    const store = await open(config(), c, second);
    expect(second).toEqual([expect.stringContaining('already holds this release')]);
    expect(store.info().triples).toBe(300);
    // Nothing was loaded again, so a quad added behind the service's back (into the load's g1) is
    // still there, and the count check at the next start refuses the store rather than serve what
    // the build does not say.
    const names = new LoadNames((await readServiceRecord({ queryUrl: virtuoso.queryUrl, timeoutMs: 10_000 })).current!);
    const add = `INSERT DATA { GRAPH <${names.graph(`${BASE}graph/g1`)}> { <${BASE}x> <${BASE}y> "z" } }`;
    const res = await new (await import('digest-fetch')).default(virtuoso.user, virtuoso.password).fetch(virtuoso.updateUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ update: add }).toString() });
    expect(res.status).toBe(200);
    await expect(open(config(), c)).rejects.toThrow(/holds 301 quads in http:\/\/remote-test\.example\/graph\/g1 where build-info\.json says 300/);
    await store.close();
  });

  it("the earlier loader's record on the service itself is no load: a store it loaded is loaded again, its pointer kept", async () => {
    const legacy = await release('legacy', { g1: 12 });
    // What the loader before per-load names wrote: the version, graphs and count on the service.
    const old = `INSERT DATA { GRAPH <urn:x-lg-store:service> { <urn:x-lg-store:service> <urn:x-lg-store:dataVersion> "version-legacy" ; <urn:x-lg-store:graph> <${BASE}graph/g1> ; <urn:x-lg-store:quads> 12 } }`;
    const res = await new (await import('digest-fetch')).default(virtuoso.user, virtuoso.password).fetch(virtuoso.updateUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ update: old }).toString() });
    expect(res.status).toBe(200);
    const lines: string[] = [];
    const store = await open(config(), legacy, lines);
    expect(lines[0]).toContain('loaded into the SPARQL store');
    expect(await count(store, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')).toBe(12);
    const record = await readServiceRecord({ queryUrl: virtuoso.queryUrl, timeoutMs: 10_000 });
    expect(record.loads.get(record.current!)).toMatchObject({ dataVersion: 'version-legacy', quads: 12 });
    expect(record.loads.has('urn:x-lg-store:service')).toBe(false);
    await store.close();
  });

  it('without STORE_UPDATE_URL an instance only serves the release the store already holds', async () => {
    const d = await release('d', { g1: 10 });
    const { STORE_UPDATE_URL: _, STORE_GRAPH_STORE_URL: ____, STORE_USER: __, STORE_PASSWORD: ___, ...readOnly } = virtuoso.env;
    const cfg = loadConfig({ BASE_URI: BASE, ...readOnly });
    await expect(open(cfg, d)).rejects.toThrow(/holds no whole load of data version version-d, and without STORE_UPDATE_URL this instance cannot load it/);
  });

  it('wrong credentials are refused with a message that names the keys', async () => {
    const e = await release('e', { g1: 10 });
    await expect(open(config({ STORE_PASSWORD: 'not-the-password' }), e)).rejects.toThrow(/check STORE_USER and STORE_PASSWORD/);
  });
});

describe('blank nodes', () => {
  it('quads sharing a blank node go in one update request, so the node stays one node', () => {
    const { blankNode, namedNode, literal, quad } = N3.DataFactory;
    const g = namedNode(`${BASE}graph/g`);
    const plain = Array.from({ length: 900 }, (_, i) => quad(namedNode(`${BASE}s${i}`), namedNode(`${BASE}p`), literal(String(i)), g));
    // A chain _:b0 -> _:b1 -> ... -> _:b449: one connected set of 450 quads.
    const chain = Array.from({ length: 450 }, (_, i) => quad(blankNode(`b${i}`), namedNode(`${BASE}next`), blankNode(`b${i + 1}`), g));
    const lone = [quad(blankNode('x'), namedNode(`${BASE}p`), literal('x'), g)];
    const out = [...chunks([...chain.slice(0, 200), ...plain, ...lone, ...chain.slice(200)])];
    expect(out.flat()).toHaveLength(900 + 450 + 1);
    const holding = out.filter((c) => c.some((q) => q.subject.termType === 'BlankNode' && q.subject.value === 'b0'));
    expect(holding).toHaveLength(1);
    expect(holding[0]!.filter((q) => q.predicate.value === `${BASE}next`)).toHaveLength(450);
  });

  it('a release with blank nodes is loaded with its blank nodes joined as in the file', async () => {
    const { blankNode, namedNode, literal, quad } = N3.DataFactory;
    const g = namedNode(`${BASE}graph/g1`);
    const extra = Array.from({ length: 450 }, (_, i) => quad(blankNode(`b${i}`), namedNode(`${BASE}next`), blankNode(`b${i + 1}`), g));
    extra.push(quad(blankNode('b450'), namedNode(`${BASE}def/value`), literal('end'), g));
    const f = await release('f', { g1: 500 }, extra);
    const store = await open(config(), f);
    // The chain from its start reaches the end only if every link joined the same nodes.
    const path = `SELECT (COUNT(*) AS ?n) WHERE { ?start <${BASE}next>+ ?end . ?end <${BASE}def/value> "end" . FILTER NOT EXISTS { ?x <${BASE}next> ?start } }`;
    expect(await count(store, path)).toBe(1);
    await store.close();
  });
});

describe('the request id', () => {
  it("a SPARQL request's X-Request-Id reaches the remote store with its query", async () => {
    // A plain forwarding proxy between the service and Virtuoso, which notes the header it sees.
    const seen: (string | undefined)[] = [];
    const target = new URL(virtuoso.queryUrl);
    const proxy = createServer((req, res) => {
      seen.push(req.headers['x-request-id'] as string | undefined);
      const out = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(out);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const cfg = config({ STORE_QUERY_URL: `http://127.0.0.1:${port}/sparql` });
      const store = await open(cfg, await release('g', { g1: 3000 }));
      const app = await buildApp({ config: cfg, store, logger: false });
      seen.length = 0;
      const r = await app.inject({ url: `/sparql?query=${encodeURIComponent('ASK { ?s ?p ?o }')}`, headers: { accept: JSON_RESULTS, 'x-request-id': 'remote-test-42' } });
      expect(r.statusCode).toBe(200);
      expect(seen).toContain('remote-test-42');
      await app.close();
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

/**
 * 9 million solutions over 3,000 triples, each with string work: seconds on Virtuoso, and below its
 * MaxQueryCostEstimationTime (a three-way product is refused before it runs).
 */
const HEAVY = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(CONCAT(STR(?c), STR(?f), STR(?a))) > 3) }';

// The queries Virtuoso keeps running after we abort them (to its MaxQueryExecutionTime) slowed every
// later query on a busy machine: the two that time out come last in the file.
describe('limits in remote mode', () => {
  let store: LinkedDataStore;
  beforeAll(async () => {
    store = await open(config({ QUERY_TIMEOUT_MS: '3000' }), await release('g', { g1: 3000 }));
  });
  afterAll(async () => store?.close());

  it('an answer larger than MAX_RESULT_BYTES is read only up to the cap, cut to whole rows and marked', async () => {
    const maxBytes = 4096;
    const answer = await store.answer('SELECT * WHERE { ?s ?p ?o }', { resultsFormat: JSON_RESULTS }, { kind: 'results', format: JSON_RESULTS, maxBytes });
    expect(answer.body.byteLength).toBeLessThanOrEqual(maxBytes);
    expect(answer.byteLimit).toBe(maxBytes);
    const json = JSON.parse(new TextDecoder().decode(answer.body)) as { results: { bindings: unknown[] }; truncated: { results: number } };
    expect(json.results.bindings.length).toBe(answer.truncatedAt);
    expect(json.truncated.results).toBe(answer.truncatedAt);
  });

  it('the row bound marks a cut answer as the embedded store does', async () => {
    const answer = await store.answer('SELECT ?s WHERE { ?s ?p ?o } LIMIT 11', { resultsFormat: 'text/csv' }, { kind: 'results', format: 'text/csv', maxBytes: 1 << 20, rowBound: 10 });
    expect(answer.truncatedAt).toBe(10);
    expect(new TextDecoder().decode(answer.body).trimEnd().split('\r\n')).toHaveLength(11);
  });

  it('a results format for a CONSTRUCT query is refused as the embedded store refuses it', async () => {
    await expect(store.query('CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1', { resultsFormat: JSON_RESULTS })).rejects.toBeInstanceOf(QueryFailedError);
  });

  it('an endpoint that is not there is a StoreUnavailableError, not a hang', async () => {
    const gone = loadConfig({ BASE_URI: BASE, STORE: 'remote', STORE_QUERY_URL: 'http://127.0.0.1:9/sparql' });
    await expect(open(gone, await release('h', { g1: 1 }))).rejects.toThrow(/cannot be reached/);
  });

  it('QUERY_TIMEOUT_MS stops a query the remote store is still running: a QueryTimeoutError', async () => {
    await expect(store.query(HEAVY, { resultsFormat: JSON_RESULTS })).rejects.toBeInstanceOf(QueryTimeoutError);
  });

  it("Virtuoso's partial 'anytime' answer (an endpoint URL with ?timeout=) is refused as a timeout, never passed on as complete", async () => {
    // Virtuoso answers 200 with what it found so far and X-SQL-State: S1TAT (measured on 7.2).
    const anytime = await open(config({ STORE_QUERY_URL: `${virtuoso.queryUrl}?timeout=200`, QUERY_TIMEOUT_MS: '20000' }), await release('g', { g1: 3000 }));
    await expect(anytime.query(HEAVY, { resultsFormat: JSON_RESULTS })).rejects.toThrow(/partial answer \(X-SQL-State S1TAT\)/);
    await anytime.close();
  });
});

describe('configuration', () => {
  it('STORE=remote without STORE_QUERY_URL is refused with a clear message', () => {
    expect(() => loadConfig({ STORE: 'remote' })).toThrow(/STORE=remote needs STORE_QUERY_URL/);
  });

  it('STORE_PASSWORD is never repeated in an error', () => {
    expect(() => loadConfig({ STORE: 'remote', STORE_QUERY_URL: 'http://127.0.0.1:1/sparql', STORE_PASSWORD: 'hunter2-secret' })).toThrow(/STORE_USER and STORE_PASSWORD go together/);
    try {
      loadConfig({ STORE: 'remote', STORE_QUERY_URL: 'http://127.0.0.1:1/sparql', STORE_PASSWORD: 'hunter2-secret' });
    } catch (err) {
      expect(String(err)).not.toContain('hunter2-secret');
    }
  });

  it('an error of the remote store is a StoreError with its own code', () => {
    expect(new RemoteStoreError('x')).toMatchObject({ code: 'LG_ERR_REMOTE_STORE', statusCode: 502 });
  });
});
