/**
 * SPARQL endpoint benchmark (part of `npm run bench`; alone: `npx tsx bench/sparql.ts [--seconds N]
 * [--runs N]`). Every figure is printed beside a baseline measured in the same run:
 *
 * - Latency of each example query (src/sparql/examples.ts), median and p99 over --runs runs,
 *   through the endpoint (HTTP on loopback to the server in a child process, SPARQL JSON) against
 *   the same query run directly on an Oxigraph store in this process (same data, same results
 *   format). The ratio is the endpoint's overhead: HTTP, parsing and limiting the query, the hop
 *   to a worker thread. Target: under 1.2.
 * - Throughput of a simple SELECT under load (autocannon, 4 connections, --seconds), against
 *   the same query run back to back on Oxigraph directly.
 * - p99 latency of document requests (a jamoat's Turtle) while a runaway query runs next to
 *   them (a cartesian product, stopped at QUERY_TIMEOUT_MS = 2000 and sent again at once, for the
 *   whole measurement), against the p99 without it.
 *
 * The server runs the bundle, as `npm start` does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import oxigraph from 'oxigraph';
import { loadConfig } from '../src/config.js';
import { PROJECT_ROOT } from '../src/project.js';
import { SERVER_ENTRY, compile, freePort, stop, waitFor } from './processes.js';
import { buildIfStale } from './build-if-stale.js';
import { EXAMPLES, exampleQuery, prefixLines } from '../src/sparql/examples.js';

const JSON_TYPE = 'application/sparql-results+json';
const RUNAWAY = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }';
const TIMEOUT_MS = 2000;




function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

const ms = (x: number) => Number(x.toFixed(2));

/** Times `runs` calls of `f` after untimed ones that warm the JIT (ours, the worker's, Oxigraph's); ms. */
async function timed(runs: number, f: () => unknown): Promise<number[]> {
  for (let i = 0; i < 20; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

async function viaEndpoint(origin: string, query: string): Promise<void> {
  const r = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: JSON_TYPE }, body: query });
  if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
  await r.text();
}

async function load(url: string, seconds: number, headers: Record<string, string>) {
  const r = await autocannon({ url, connections: 4, duration: seconds, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

export async function sparqlBench(opts: { seconds: number; runs: number }): Promise<void> {
  await compile();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const build = await buildIfStale(config);
  const base = config.BASE_URI;

  // The baseline: Oxigraph in this process, on the same quads, asked for the same format.
  const store = new oxigraph.Store();
  store.load(await readFile(join(PROJECT_ROOT, build.nquadsPath), 'utf8'), { format: 'application/n-quads' });
  const direct = (q: string) => store.query(q, { results_format: JSON_TYPE, use_default_graph_as_union: true });

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', BASE_URI: base, QUERY_TIMEOUT_MS: String(TIMEOUT_MS) };
  const server = spawn(process.execPath, [SERVER_ENTRY], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor(`${origin}/health`, server);
    // Both workers loaded (the pool starts the second after the first is ready).
    await new Promise((r) => setTimeout(r, 2000));

    const latency: Record<string, string | number>[] = [];
    for (const example of EXAMPLES) {
      const q = exampleQuery(example, base);
      const ours = await timed(opts.runs, () => viaEndpoint(origin, q));
      const bare = await timed(opts.runs, () => direct(q));
      latency.push({
        example: example.id,
        'endpoint median ms': ms(percentile(ours, 50)), 'endpoint p99 ms': ms(percentile(ours, 99)),
        'Oxigraph median ms': ms(percentile(bare, 50)), 'Oxigraph p99 ms': ms(percentile(bare, 99)),
        'overhead ms': ms(percentile(ours, 50) - percentile(bare, 50)),
        ratio: Number((percentile(ours, 50) / percentile(bare, 50)).toFixed(2)),
      });
    }

    const simple = `${prefixLines(base, ['lg', 'skos'])}\nSELECT ?region ?name WHERE { ?region a lg:Region ; skos:prefLabel ?name }`;
    const under = await load(`${origin}/sparql?query=${encodeURIComponent(simple)}`, opts.seconds, { accept: JSON_TYPE });
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 1000 * Math.min(opts.seconds, 3)) {
      direct(simple);
      n++;
    }
    const directRps = n / ((performance.now() - t0) / 1000);

    const doc = `${origin}/doc/jamoat/TJ-KT-06-06.ttl`;
    await fetch(doc); // prepared once, as in production
    const quiet = await load(doc, opts.seconds, {});
    let running = true;
    let stopped = 0;
    const runaway = (async () => {
      while (running) {
        const r = await fetch(`${origin}/sparql?query=${encodeURIComponent(RUNAWAY)}`, { headers: { accept: JSON_TYPE } });
        await r.text();
        if (r.status === 503) stopped++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const busy = await load(doc, opts.seconds, {});
    running = false;
    await runaway;

    console.log('\nSPARQL: the example queries, through the endpoint (HTTP, SPARQL JSON) vs Oxigraph directly in-process (%d runs each)', opts.runs);
    console.table(latency);
    console.log('Target: ratio under 1.2. The overhead is about constant (HTTP on loopback, parsing, the hop to a worker),\nso the ratio is near 1 only for queries that take tens of milliseconds themselves.');
    console.log('\nSPARQL: a simple SELECT under load (autocannon, 4 connections, %d s)', opts.seconds);
    console.table([{ 'req/s': Math.round(under.rps), 'p50 ms': under.p50, 'p99 ms': under.p99, errors: under.errors, 'Oxigraph alone, one thread, queries/s': Math.round(directRps) }]);
    console.log('\nDocuments next to a runaway query (stopped at %d ms and sent again, %d stopped):', TIMEOUT_MS, stopped);
    console.table([
      { case: 'documents alone', 'req/s': Math.round(quiet.rps), 'p50 ms': quiet.p50, 'p99 ms': quiet.p99, errors: quiet.errors },
      { case: 'beside a runaway query', 'req/s': Math.round(busy.rps), 'p50 ms': busy.p50, 'p99 ms': busy.p99, errors: busy.errors },
    ]);
    console.log(`p99 ratio: ${(busy.p99 / Math.max(quiet.p99, 1)).toFixed(2)} (on ${(await import('node:os')).cpus().length} cores: the runaway query holds one of them until it is stopped).`);
  } finally {
    await stop(server);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  await sparqlBench({ seconds: arg('seconds', 5), runs: arg('runs', 30) });
}
