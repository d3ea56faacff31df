/**
 * The remote store beside the embedded one (part of `npm run bench`: `--part remote`): the same
 * build served by two servers in one run, `STORE=embedded` and `STORE=remote` on a Virtuoso
 * started for the benchmark (tests/virtuoso-helpers.ts), each figure given as a ratio to the
 * embedded one, which does not depend on the machine.
 *
 * - Start-up: from spawn to /health answering 200, the release already made (and already in the
 *   remote store): a restart. The first start with an empty Virtuoso, which loads it, is timed apart.
 * - Documents, cold: the first request of each of --docs jamoat documents in Turtle, 2 at a time
 *   (each one's queries reach the store; a repeat is served from the representation cache): req/s, p50, p99.
 * - Documents, warm: one jamoat's Turtle under autocannon (bench/beside-document.ts), served from
 *   the representation cache in both modes: the store is out of the path.
 * - SPARQL: each example query (src/sparql/examples.ts) through the endpoint, median and p99 of --runs.
 * - Loading: the build's data.nq loaded into a new load of the same Virtuoso through each path the
 *   loader has, SPARQL Update (STORE_UPDATE_URL) and the Graph Store Protocol (STORE_GRAPH_STORE_URL):
 *   seconds and quads per second, and their ratio.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { PROJECT_ROOT } from '../src/project.js';
import { EXAMPLES, exampleQuery } from '../src/sparql/examples.js';
import { loadRelease } from '../src/store/remote/load-release.js';
import { type Virtuoso, startVirtuoso } from '../tests/virtuoso-helpers.js';
import { measure } from './beside-document.js';
import { buildIfStale } from './build-if-stale.js';
import { SERVER_ENTRY, compile, freePort, stop, waitFor } from './processes.js';

const JSON_TYPE = 'application/sparql-results+json';
const JAMOAT = '/doc/jamoat/TJ-KT-06-06.ttl';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

interface Server {
  origin: string;
  child: ChildProcess;
  startMs: number;
}

async function startServer(env: Record<string, string>, stateDir: string, limitMs = 600_000): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', STATE_DIR: stateDir, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const startMs = await waitFor(`${origin}/health`, child, limitMs);
  return { origin, child, startMs };
}

/** The first request of each path, `parallel` at a time: every one misses the representation cache. */
async function cold(origin: string, paths: string[], parallel: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: parallel }, async () => {
    for (let i = next++; i < paths.length; i = next++) {
      const t = performance.now();
      const r = await fetch(`${origin}${paths[i]}`, { headers: { accept: 'text/turtle' } });
      await r.arrayBuffer();
      if (!r.ok) errors++;
      times.push(performance.now() - t);
    }
  }));
  return { rps: paths.length / ((performance.now() - t0) / 1000), p50: percentile(times, 50), p99: percentile(times, 99), errors };
}

async function sparqlTimes(origin: string, base: string, runs: number): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const example of EXAMPLES) {
    const q = exampleQuery(example, base);
    const send = async () => {
      const r = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: JSON_TYPE }, body: q });
      const text = await r.text();
      if (!r.ok) throw new Error(`example ${example.id}: ${r.status} ${text.slice(0, 200)}`);
    };
    for (let i = 0; i < 3; i++) await send(); // warm both sides' caches and JIT
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await send();
      times.push(performance.now() - t);
    }
    out[example.id] = times;
  }
  return out;
}

async function jamoatPaths(origin: string, base: string, count: number): Promise<string[]> {
  const q = `SELECT ?j WHERE { ?j a <${base}def/lg#Jamoat> } ORDER BY ?j LIMIT ${count}`;
  const r = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: JSON_TYPE }, body: q });
  const json = (await r.json()) as { results: { bindings: { j: { value: string } }[] } };
  return json.results.bindings.map((b) => `/doc/${b.j.value.slice(`${base}id/`.length)}.ttl`);
}

/** Seconds to load `nquadsPath` into a new load through SPARQL Update, then through the Graph Store Protocol. */
async function loadSpeeds(virtuoso: Virtuoso, nquadsPath: string): Promise<{ quads: number; updateS: number; graphStoreS: number }> {
  const quads = (await readFile(nquadsPath, 'utf8')).split('\n').filter((l) => l.trim() !== '').length;
  const target = { queryUrl: virtuoso.queryUrl, updateUrl: virtuoso.updateUrl, user: virtuoso.user, password: virtuoso.password, timeoutMs: 600_000 };
  const timed = async (t: typeof target & { graphStoreUrl?: string }, version: string) => {
    const t0 = performance.now();
    await loadRelease(t, { nquadsPath, dataVersion: version });
    return (performance.now() - t0) / 1000;
  };
  const updateS = await timed(target, 'bench-sparql-update');
  const graphStoreS = await timed({ ...target, graphStoreUrl: virtuoso.graphStoreUrl }, 'bench-graph-store');
  return { quads, updateS, graphStoreS };
}

export async function remoteBench(opts: { seconds: number; runs: number; docs: number }): Promise<void> {
  await compile();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const build = await buildIfStale(config);
  const base = config.BASE_URI;
  const virtuoso = await startVirtuoso();
  const dirs = [await mkdtemp(join(tmpdir(), 'lg-bench-embedded-')), await mkdtemp(join(tmpdir(), 'lg-bench-remote-'))];
  const servers: ChildProcess[] = [];
  try {
    // Each server's first start in its state directory makes release 1 (and the remote one loads it
    // into Virtuoso): not counted. The measured start finds the release ready, as a restart does.
    const building = await startServer({ BASE_URI: base }, dirs[0]!);
    await stop(building.child);
    const embedded = await startServer({ BASE_URI: base }, dirs[0]!);
    servers.push(embedded.child);
    // The first remote start loads the release into Virtuoso; the one measured finds it there.
    const t0 = performance.now();
    const loading = await startServer({ BASE_URI: base, ...virtuoso.env }, dirs[1]!);
    const firstLoadMs = performance.now() - t0;
    await stop(loading.child);
    const remote = await startServer({ BASE_URI: base, ...virtuoso.env }, dirs[1]!);
    servers.push(remote.child);
    // The embedded pool starts its second worker after the first is ready.
    await new Promise((r) => setTimeout(r, 2000));

    const paths = await jamoatPaths(embedded.origin, base, opts.docs * 2);
    // Each mode gets its own half, so neither finds the other's documents prepared (separate
    // processes anyway), and both see documents of the same kind.
    const coldEmbedded = await cold(embedded.origin, paths.slice(0, opts.docs), 2);
    const coldRemote = await cold(remote.origin, paths.slice(opts.docs), 2);
    const warm = async (origin: string) => {
      await fetch(`${origin}${JAMOAT}`);
      return measure(origin, () => JAMOAT, { accept: 'text/turtle' }, opts.seconds);
    };
    const warmEmbedded = await warm(embedded.origin);
    const warmRemote = await warm(remote.origin);
    const sparqlEmbedded = await sparqlTimes(embedded.origin, base, opts.runs);
    const sparqlRemote = await sparqlTimes(remote.origin, base, opts.runs);

    console.log(`\nSTORE=remote (Virtuoso 7.2, Debian's, loopback) beside STORE=embedded (Oxigraph worker threads), same build, one run`);
    console.log(`First start of the remote server (makes release 1 from the build, loads it into the empty Virtuoso): ${(firstLoadMs / 1000).toFixed(1)} s`);
    console.table([
      { case: 'start-up (release already loaded), ms', embedded: Math.round(embedded.startMs), remote: Math.round(remote.startMs), 'remote / embedded': round(remote.startMs / embedded.startMs, 2) },
      { case: `cold documents (${opts.docs} jamoats, 2 at a time), req/s`, embedded: round(coldEmbedded.rps), remote: round(coldRemote.rps), 'remote / embedded': round(coldRemote.rps / coldEmbedded.rps, 2) },
      { case: 'cold documents, p50 ms', embedded: round(coldEmbedded.p50), remote: round(coldRemote.p50), 'remote / embedded': round(coldRemote.p50 / coldEmbedded.p50, 2) },
      { case: 'cold documents, p99 ms', embedded: round(coldEmbedded.p99), remote: round(coldRemote.p99), 'remote / embedded': round(coldRemote.p99 / coldEmbedded.p99, 2) },
      { case: `warm document (cached), req/s (${opts.seconds} s)`, embedded: Math.round(warmEmbedded.rps), remote: Math.round(warmRemote.rps), 'remote / embedded': round(warmRemote.rps / warmEmbedded.rps, 2) },
      { case: 'warm document (cached), p99 ms', embedded: warmEmbedded.p99, remote: warmRemote.p99, 'remote / embedded': round(warmRemote.p99 / Math.max(warmEmbedded.p99, 1), 2) },
    ]);
    const errors = coldEmbedded.errors + coldRemote.errors + warmEmbedded.errors + warmRemote.errors;
    if (errors > 0) console.log(`errors (non-2xx or failed): ${errors}`);
    console.log(`SPARQL examples through the endpoint (${opts.runs} runs each, SPARQL JSON)`);
    console.table(EXAMPLES.map((e) => {
      const em = percentile(sparqlEmbedded[e.id]!, 50);
      const rm_ = percentile(sparqlRemote[e.id]!, 50);
      return { example: e.id, 'embedded median ms': round(em), 'remote median ms': round(rm_), 'embedded p99 ms': round(percentile(sparqlEmbedded[e.id]!, 99)), 'remote p99 ms': round(percentile(sparqlRemote[e.id]!, 99)), 'remote / embedded': round(rm_ / em, 2) };
    }));
    // Last: each load switches the store to it (the remote server's load becomes an old one).
    const load = await loadSpeeds(virtuoso, build.nquadsPath);
    console.log(`Loading the build (${load.quads} quads) into a new load of the same Virtuoso`);
    console.table([
      { path: 'SPARQL Update (400 quads a request, 3 at a time)', s: round(load.updateS), 'quads/s': Math.round(load.quads / load.updateS) },
      { path: 'Graph Store Protocol (10,000 triples a POST, 3 at a time)', s: round(load.graphStoreS), 'quads/s': Math.round(load.quads / load.graphStoreS) },
    ]);
    console.log(`Graph Store Protocol / SPARQL Update, quads/s: ${round(load.updateS / load.graphStoreS, 1)}`);
  } finally {
    for (const s of servers) await stop(s);
    await virtuoso.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  }
}
