import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server/app.js';
import { warmParsePool } from '../src/sparql/prepare-for-client.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { openReleaseStore } from '../src/store/open-release-store.js';
import { type WorkerStore, createWorkerStore } from '../src/store/worker-pool.js';
import { inject } from 'vitest';
import { SHARED } from './helpers.js';

/**
 * A test instance of the endpoint on the W3C test data instead of ours: the SPARQL 1.1 Protocol
 * suite's data1-3.nt in their named graphs (the dataset tests need them), and the data of the
 * result-format suites each in a graph of its own, which a test selects with default-graph-uri.
 */
export const W3C = join(SHARED, 'standards');
export const PROTOCOL_DIR = join(W3C, 'sparql11-protocol');
export const RESULTS_DIR = join(W3C, 'sparql11-results');
export const W3C_BASE = 'http://localhost:3000/';

/** The graph a result-format suite's data file is loaded into, e.g. `csv-tsv-res/data2.ttl`. */
export function fixtureGraph(relativePath: string): string {
  return `urn:x-w3c-test:${relativePath}`;
}

const FIXTURE_DATA = ['csv-tsv-res/data.ttl', 'csv-tsv-res/data2.ttl', 'json-res/data.ttl'];

async function w3cNquads(): Promise<string> {
  const { namedNode, quad } = N3.DataFactory;
  const writer = new N3.Writer({ format: 'N-Quads' });
  const quads: N3.Quad[] = [];
  for (const n of [1, 2, 3]) {
    const g = namedNode(`http://kasei.us/2009/09/sparql/data/data${n}.rdf`);
    const text = await readFile(join(PROTOCOL_DIR, `data${n}.nt`), 'utf8');
    for (const q of new N3.Parser({ format: 'N-Triples' }).parse(text)) quads.push(quad(q.subject, q.predicate, q.object, g));
  }
  for (const path of FIXTURE_DATA) {
    const g = namedNode(fixtureGraph(path));
    const text = await readFile(join(RESULTS_DIR, path), 'utf8');
    // Blank nodes of each file stay distinct: the parser prefixes them per parse.
    for (const q of new N3.Parser({ baseIRI: `http://example.org/${path}` }).parse(text)) quads.push(quad(q.subject, q.predicate, q.object, g));
  }
  return writer.quadsToString(quads);
}

export interface TestInstance {
  app: FastifyInstance;
  store: WorkerStore;
  origin: string;
  close(): Promise<void>;
}

/**
 * The real app and worker store on the W3C data, listening on a loopback port. `apps` builds more
 * apps on the same store (other settings, e.g. a small MAX_QUERY_RESULTS), listening too.
 */
export async function startW3cInstance(opts: { env?: Record<string, string>; workers?: number; maxQueued?: number } = {}): Promise<TestInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-sparql-w3c-'));
  const nquadsPath = join(dir, 'data.nq');
  await writeFile(nquadsPath, await w3cNquads());
  if (process.env.LG_TEST_STORE === 'remote') return startRemoteW3cInstance(dir, nquadsPath, opts.env ?? {});
  const config = loadConfig({ BASE_URI: W3C_BASE, LOG_LEVEL: 'silent', ...opts.env });
  const store = await createWorkerStore({
    nquadsPath,
    dataVersion: 'w3c-test',
    timeoutMs: config.QUERY_TIMEOUT_MS,
    maxWorkerMemoryMb: config.QUERY_WORKER_MEMORY_MB,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.maxQueued !== undefined ? { maxQueued: opts.maxQueued } : {}),
  });
  const app = await buildApp({ config, store, logger: false });
  // The parse workers (one pool per process) start with the first query, whose time limit counts
  // their start: through tsx on a busy machine that can exceed a test's short QUERY_TIMEOUT_MS.
  await warmParsePool();
  const origin = await listen(app);
  return {
    app, store, origin,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The W3C instance in the vitest project 'remote' (LG_TEST_STORE=remote): the same data in the
 * project's Virtuoso (tests/remote-setup.ts), loaded through the service's loading path. Beside the
 * shipped build the other suites query: each release is a load with graph names of its own, and
 * the store keeps the current load and the previous one (src/store/remote/load-release.ts), so the
 * two are served side by side. One Virtuoso start less (25 s on a busy CI machine).
 */
async function startRemoteW3cInstance(dir: string, nquadsPath: string, env: Record<string, string>): Promise<TestInstance> {
  const env_ = inject('remoteStoreEnv');
  const quads = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(nquadsPath, 'utf8'));
  const graphs: Record<string, number> = {};
  for (const q of quads) graphs[q.graph.value] = (graphs[q.graph.value] ?? 0) + 1;
  const config = loadConfig({ BASE_URI: W3C_BASE, LOG_LEVEL: 'silent', ...env_, ...env });
  const info = { dataVersion: 'w3c-test', quads: quads.length, graphs } as BuildInfo;
  const { store, ready } = openReleaseStore(config, { n: null, dir, info });
  await ready;
  const app = await buildApp({ config, store, logger: false });
  await warmParsePool();
  const origin = await listen(app);
  return {
    // No suite of the 'remote' project reads the worker pool's stats (only embedded-only suites do).
    app, store: store as unknown as WorkerStore, origin,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A SPARQL query as GET with the given Accept header. */
export function queryUrl(origin: string, query: string, params: Record<string, string | string[]> = {}): string {
  const search = new URLSearchParams({ query });
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) search.append(k, x);
  return `${origin}/sparql?${search.toString()}`;
}
