/**
 * A second instance's reader, in a process of its own (tests/remote-store.test.ts): opens a release
 * in the remote store as an instance without STORE_UPDATE_URL does (openReleaseStore, so through
 * the service's own query path), prints `ready`, then counts the union and the named graphs in one
 * query, over and over, one line per answer (`union/named`), until its stdin closes.
 *
 * argv: the configuration's environment as JSON, the release directory.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { openReleaseStore } from '../src/store/open-release-store.js';

const BOTH = 'SELECT ?u ?n WHERE { { SELECT (COUNT(*) AS ?u) WHERE { ?s ?p ?o } } { SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } } }';

async function main(): Promise<void> {
  const env = JSON.parse(process.argv[2]!) as Record<string, string>;
  const dir = process.argv[3]!;
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  const { store, ready } = openReleaseStore(loadConfig(env), { n: null, dir, info });
  await ready;
  let open = true;
  process.stdin.on('close', () => (open = false)).on('end', () => (open = false)).resume();
  process.stdout.write('ready\n');
  while (open) {
    const json = JSON.parse(await store.query(BOTH, { resultsFormat: 'application/sparql-results+json' })) as { results: { bindings: { u: { value: string }; n: { value: string } }[] } };
    const row = json.results.bindings[0]!;
    process.stdout.write(`${row.u.value}/${row.n.value}\n`);
  }
  await store.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
