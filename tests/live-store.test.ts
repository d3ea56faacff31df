import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BuildInfo } from '../src/convert/convert.js';
import { LiveStore, type LoadedRelease } from '../src/releases/live-store.js';
import { createWorkerStore } from '../src/store/worker-pool.js';

/**
 * The live store over two real worker pools: a switch makes new requests answer from the new
 * release, while a request that began before it (pinned) answers from the old one to its end.
 */
const ASK = 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }';
let dir: string;
let one: LoadedRelease;
let two: LoadedRelease;
let live: LiveStore;

beforeAll(async () => {
  const buildDir = inject('buildDir');
  const info = JSON.parse(await readFile(join(buildDir, 'build-info.json'), 'utf8')) as BuildInfo;
  one = { n: 1, dir: buildDir, info, store: await createWorkerStore({ nquadsPath: join(buildDir, 'data.nq'), dataVersion: info.dataVersion, timeoutMs: 5000, workers: 1 }) };
  dir = await mkdtemp(join(tmpdir(), 'lg-live-'));
  await writeFile(join(dir, 'data.nq'), '<http://localhost:3000/id/x> <http://localhost:3000/def/lg#p> "2" <http://localhost:3000/graph/units> .\n');
  two = { n: 2, dir, info: { ...info, dataVersion: 'second' }, store: await createWorkerStore({ nquadsPath: join(dir, 'data.nq'), dataVersion: 'second', timeoutMs: 5000, workers: 1 }) };
  live = new LiveStore(one, 60_000);
});

afterAll(async () => {
  await live?.close();
  await rm(dir, { recursive: true, force: true });
});

const count = async (s: LiveStore) => (JSON.parse(await s.query(ASK, { resultsFormat: 'application/sparql-results+json' })) as { results: { bindings: { n: { value: string } }[] } }).results.bindings[0]?.n.value;

describe('LiveStore', () => {
  it('a request pinned before a switch reads the old release to its end; new requests read the new one', async () => {
    const before = await count(live);
    expect(Number(before)).toBeGreaterThan(1000);
    const pinned = live.pin(async () => {
      const version = live.dataVersion;
      await count(live); // an await before the switch...
      live.switchTo(two);
      await new Promise((r) => setTimeout(r, 20)); // ...and after it
      return { version, after: live.dataVersion, release: live.release.n, n: await count(live) };
    });
    const seen = await pinned;
    expect(seen).toEqual({ version: one.info.dataVersion, after: one.info.dataVersion, release: 1, n: before });
    // Outside the pinned request, and in requests pinned after the switch: the new release.
    expect(live.dataVersion).toBe('second');
    expect(await live.pin(() => count(live))).toBe('1');
    expect(live.release.n).toBe(2);
  });
});
