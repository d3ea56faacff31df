/**
 * A/B of the remote store's request path: this tree's store and another commit's (BEFORE, a
 * worktree with node_modules linked), both opened in this process on one Virtuoso (each loads the
 * build its own way), the same queries sent to each in turn (the order alternating), p50 of RUNS.
 * The figures in README ("A remote SPARQL store", Figures) compare per-load graph names with the
 * commit before them:
 *
 *   git worktree add /tmp/wt-before cba9f22^ && ln -s "$PWD/node_modules" /tmp/wt-before/node_modules
 *   BEFORE=/tmp/wt-before RUNS=20 npx tsx bench/remote-ab.ts
 *
 * Both stores must take openRemoteStore(config, { dir, info }); the other tree's loader may be
 * slower (SPARQL Update only before STORE_GRAPH_STORE_URL).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { documentQuery, figuresBelowQuery } from '../src/describe/document-query.js';
import { PROJECT_ROOT } from '../src/project.js';
import { EXAMPLES, exampleQuery } from '../src/sparql/examples.js';
import { openRemoteStore as openAfter } from '../src/store/remote/open-remote-store.js';
import { startVirtuoso } from '../tests/virtuoso-helpers.js';

const beforeTree = process.env.BEFORE;
if (!beforeTree) throw new Error('BEFORE=<path of a worktree of the other commit> is needed');
const { openRemoteStore: openBefore } = (await import(join(beforeTree, 'src/store/remote/open-remote-store.ts'))) as { openRemoteStore: typeof openAfter };
// The build benchmarks use (bench/build-if-stale.ts): BUILD_DIR's current build.
const dir = join(PROJECT_ROOT, process.env.BUILD_DIR ?? 'build', 'current');
const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8'));
const base = info.baseUri;
const v = await startVirtuoso();
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };
try {
  const cfg = loadConfig({ BASE_URI: base, ...v.env });
  let t = performance.now();
  const b = openBefore(cfg as never, { dir, info }); await b.ready;
  console.log(`before loaded ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const a = openAfter(cfg, { dir, info }); await a.ready;
  console.log(`after loaded ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const NT = { resultsFormat: 'application/n-triples' };
  const JS = { resultsFormat: 'application/sparql-results+json' };
  const list = JSON.parse(await b.store.query(`SELECT ?j WHERE { ?j a <${base}def/lg#Jamoat> } ORDER BY ?j`, JS)).results.bindings.map((x: { j: { value: string } }) => x.j.value) as string[];
  const districts = JSON.parse(await b.store.query(`SELECT ?j WHERE { ?j a <${base}def/lg#District> } ORDER BY ?j`, JS)).results.bindings.map((x: { j: { value: string } }) => x.j.value) as string[];
  const stores = { before: b.store, after: a.store };
  const cases: [string, (i: number) => [string, typeof NT]][] = [
    ['jamoat document', (i) => [documentQuery(list[i % list.length]!, base), NT]],
    ['district document', (i) => [documentQuery(districts[i % districts.length]!, base), NT]],
    ['district figuresBelow', (i) => [figuresBelowQuery(districts[i % districts.length]!, base), NT]],
    ...EXAMPLES.map((e) => [`example ${e.id}`, () => [exampleQuery(e, base), JS]] as [string, (i: number) => [string, typeof NT]]),
  ];
  const runs = Number(process.env.RUNS ?? 20);
  const rows = [];
  for (const [name, q] of cases) {
    const times: Record<string, number[]> = { before: [], after: [] };
    let bytes = 0;
    for (let i = 0; i < 2; i++) for (const s of Object.values(stores)) await s.query(...q(i));
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      for (const k of order) {
        const t0 = performance.now();
        const out = await stores[k as 'before'].query(...q(i + 2));
        times[k]!.push(performance.now() - t0);
        bytes = out.length;
      }
    }
    rows.push({ case: name, 'answer chars': bytes, 'before p50 ms': +pct(times.before!, 50).toFixed(1), 'after p50 ms': +pct(times.after!, 50).toFixed(1), 'after/before': +(pct(times.after!, 50) / pct(times.before!, 50)).toFixed(2) });
  }
  console.table(rows);
} finally {
  await v.stop();
}
