import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { buildApp } from '../src/server/app.js';
import { type WorkerStore, createWorkerStore } from '../src/store/worker-pool.js';
import { BASE } from './server-helpers.js';
import { listen } from './sparql-helpers.js';

/**
 * Issue #11, "a crawler gets 503s": 400 connections over documents not yet cached got 64,406 503s
 * of 105,041, because the SPARQL queue bound applied to the site's own look-ups. Documents are
 * never refused for load. Real app and pool on the shipped data, over loopback; a bounded load
 * (200 cold documents at once, each fetched once) against a pool whose SPARQL queue holds two.
 */

let app: FastifyInstance;
let store: WorkerStore;
let origin: string;

beforeAll(async () => {
  const dir = inject('buildDir');
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: dir });
  store = await createWorkerStore({
    nquadsPath: join(dir, 'data.nq'),
    dataVersion: info.dataVersion,
    timeoutMs: config.QUERY_TIMEOUT_MS,
    built: { quads: info.quads, graphs: info.graphs },
    workers: 2,
    maxQueued: 2,
  });
  app = await buildApp({ config, store, logger: false });
  origin = await listen(app);
});
afterAll(async () => app.close());

/** The documents the sitemap lists, as paths on this server. */
async function documentPaths(): Promise<string[]> {
  const xml = await (await fetch(`${origin}/sitemap.xml`)).text();
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replace(BASE, '/'));
}

describe('documents are never refused for load', () => {
  it('answers 200 cold documents requested at once, every one 2xx, with a SPARQL queue of two', async () => {
    const paths = (await documentPaths()).filter((p) => p !== '/' && !p.startsWith('/sparql'));
    expect(paths.length).toBeGreaterThanOrEqual(200);
    const picked = paths.slice(0, 200);
    // RDF where the page has it, HTML for the pages that are only HTML (/coverage).
    const accepts = ['text/turtle, text/html;q=0.1', 'application/ld+json, text/html;q=0.1', 'text/html'];
    const statuses = await Promise.all(picked.map(async (path, i) => {
      const res = await fetch(`${origin}${path}`, { headers: { accept: accepts[i % accepts.length]! } });
      await res.arrayBuffer();
      return { path, status: res.status };
    }));
    const failed = statuses.filter((s) => s.status < 200 || s.status > 299);
    expect(failed).toEqual([]);
    // Nothing left waiting once every answer is in.
    expect(store.stats()).toMatchObject({ queued: 0 });
  }, 120_000);

  it('still bounds what SPARQL clients may queue (the bound applies to them only)', async () => {
    const heavy = `SELECT (COUNT(*) AS ?n) WHERE { ${Array.from({ length: 8 }, (_, i) => `VALUES ?v${i} { 0 1 2 3 4 5 6 7 8 9 }`).join(' ')} }`;
    const runs = Array.from({ length: 6 }, (_, i) => store.query(`${heavy} # ${i}`, { resultsFormat: 'application/sparql-results+json', client: `10.0.0.${i}`, timeoutMs: 300 }).then(() => 'ok', (e: Error) => e.name));
    const outcomes = await Promise.all(runs);
    expect(outcomes).toContain('StoreBusyError');
  });
});
