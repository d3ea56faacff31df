/**
 * Opens a release in the remote store (STORE=remote): loads it there unless the store already holds
 * a whole load of it, and makes that load the current one (load-release.ts); without
 * STORE_UPDATE_URL, finds the whole load of it another instance made. Then checks what that load
 * holds against build-info.json, graph by graph, with one count query, and fills info() from it. `ready` rejects when the store cannot be reached,
 * refuses our credentials, or holds other counts than the build says.
 */
import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { BuildInfo } from '../../convert/convert.js';
import { RemoteStoreError } from './errors.js';
import { EMPTY_GRAPH, LoadNames } from './graph-names.js';
import { loadRelease, readServiceRecord, servedLoad, type LoadLog } from './load-release.js';
import { readJsonResults } from './normalise.js';
import { postQuery } from './protocol.js';
import { RemoteStore } from './remote-store.js';

/** One request while loading (a chunk of quads, the switch): far more than any takes on the shipped data. */
const LOAD_REQUEST_TIMEOUT_MS = 120_000;

export function openRemoteStore(config: Config, release: { dir: string; info: BuildInfo }, log?: LoadLog): { store: RemoteStore; ready: Promise<void> } {
  const { info, dir } = release;
  const queryUrl = config.STORE_QUERY_URL;
  if (queryUrl === undefined) throw new Error('STORE=remote needs STORE_QUERY_URL');
  const graphs = Object.keys(info.graphs).sort();
  const store = new RemoteStore({ queryUrl, dataVersion: info.dataVersion, timeoutMs: config.QUERY_TIMEOUT_MS, graphs, concurrency: config.STORE_CONCURRENCY });
  const ready = (async () => {
    const target = {
      queryUrl,
      updateUrl: config.STORE_UPDATE_URL ?? '',
      timeoutMs: LOAD_REQUEST_TIMEOUT_MS,
      ...(config.STORE_GRAPH_STORE_URL !== undefined ? { graphStoreUrl: config.STORE_GRAPH_STORE_URL } : {}),
      ...(config.STORE_USER !== undefined ? { user: config.STORE_USER, password: config.STORE_PASSWORD ?? '' } : {}),
    };
    let names: LoadNames;
    if (config.STORE_UPDATE_URL === undefined) {
      const load = servedLoad(await readServiceRecord(target), info.dataVersion);
      if (load === undefined) throw new RemoteStoreError(`the SPARQL store holds no whole load of data version ${info.dataVersion}, and without STORE_UPDATE_URL this instance cannot load it`);
      names = new LoadNames(load);
    } else {
      names = (await loadRelease(target, { nquadsPath: join(dir, 'data.nq'), dataVersion: info.dataVersion }, log)).names;
    }
    const counts = await countGraphs(queryUrl, graphs, names);
    const wrong = graphs.filter((g) => counts[g] !== info.graphs[g]);
    if (wrong.length > 0) {
      const g = wrong[0]!;
      throw new RemoteStoreError(`the SPARQL store holds ${counts[g] ?? 0} quads in ${g} where build-info.json says ${info.graphs[g]} (${wrong.length} graph(s) differ): the store was changed after the release was loaded, or it merged or refused some quads`);
    }
    // The named graphs hold what the build says; the quads outside them (in the union only) are taken from it.
    store.setLoaded({ dataVersion: info.dataVersion, triples: info.quads, graphs: Object.fromEntries(graphs.map((g) => [g, counts[g]!])), loadedAt: new Date() }, names);
  })();
  ready.catch(() => store.close());
  return { store, ready };
}

/** Quads per graph of the load, by the graphs' public names. */
async function countGraphs(queryUrl: string, graphs: readonly string[], names: LoadNames): Promise<Record<string, number>> {
  const sparql = 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g';
  const answer = await postQuery({ endpoint: queryUrl, sparql, accept: 'application/sparql-results+json', defaultGraphs: [EMPTY_GRAPH], namedGraphs: graphs.map((g) => names.graph(g)), timeoutMs: LOAD_REQUEST_TIMEOUT_MS });
  const out: Record<string, number> = {};
  for (const row of readJsonResults(answer.text).results?.bindings ?? []) out[names.publicOf(row.g!.value) ?? row.g!.value] = Number(row.n!.value);
  return out;
}
