import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Upload } from '../src/publish/uploads.js';
import type { Release } from '../src/releases/release-store.js';
import { LoadNames } from '../src/store/remote/graph-names.js';
import { readServiceRecord } from '../src/store/remote/load-release.js';
import { wideSheet, writeXlsx } from './helpers.js';
import { BASE, type Publishing, type TestOfficial, addOfficial, apiReview, apiUpload, launchPublishing } from './publish-helpers.js';

/**
 * The publishing path with STORE=remote: the whole service as `npm start` runs it (launchPublishing)
 * on the 'remote' project's Virtuoso (tests/remote-setup.ts), an official's upload approved by a
 * reviewer, and the new release loaded into Virtuoso through the service's own loader, switched to,
 * and served: /health, a document and a SPARQL query give the new figure, and Virtuoso's service
 * graph names the new release's load as current, the one before as previous.
 */
const NORIN = 'TJ-KT-06-06';
const OBSERVATION = `${BASE}id/observation/education/${NORIN}/pupils/2022`;
const PUPILS = `${BASE}def/indicator/pupils`;
const SELECT = `/sparql?query=${encodeURIComponent(`SELECT ?v ?g WHERE { GRAPH ?g { <${OBSERVATION}> <${PUPILS}> ?v } }`)}`;

let pub: Publishing;
let publisher: TestOfficial;
let reviewer: TestOfficial;
let work: string;
const storeEnv = inject('remoteStoreEnv');

beforeAll(async () => {
  pub = await launchPublishing({ env: storeEnv });
  work = await mkdtemp(join(tmpdir(), 'lg-remote-publish-'));
  publisher = await addOfficial(pub.services, 'remote-publisher', 'publisher', 'TJ-KT-06');
  reviewer = await addOfficial(pub.services, 'remote-reviewer', 'reviewer');
});

afterAll(async () => {
  await pub?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function figureBySparql(): Promise<{ v: number; g: string }> {
  const res = await fetch(`${pub.url}${SELECT}`, { headers: { accept: 'application/sparql-results+json' } });
  expect(res.status).toBe(200);
  const row = ((await res.json()) as { results: { bindings: { v: { value: string }; g: { value: string } }[] } }).results.bindings[0]!;
  return { v: Number(row.v.value), g: row.g.value };
}

describe('publishing with STORE=remote', () => {
  it("an approved upload is loaded into the remote store, switched to and served", async () => {
    const before = (await (await fetch(`${pub.url}/health`)).json()) as { release: number; dataVersion: string };
    const old = await figureBySparql();
    expect(old.g).toBe(`${BASE}graph/education`);
    const figure = old.v + 4_321;

    const path = join(work, 'education-yovon.xlsx');
    await writeXlsx(path, [wideSheet('Yovon', [[NORIN, 'Norin', figure]], { years: [2022] })]);
    const up = await apiUpload(pub.url, publisher.token, await readFile(path), { dataset: 'education', filename: 'education-yovon.xlsx' });
    const upload = (await up.json()) as Upload;
    expect(up.status, JSON.stringify(upload.problems)).toBe(201);
    const res = await apiReview(pub.url, reviewer.token, upload.id, 'approve', { wait: true });
    expect(res.status).toBe(200);
    const { release } = (await res.json()) as { release: Release };
    expect(release).toMatchObject({ n: before.release + 1, status: 'complete', uploadId: upload.id });

    // Served: /health, SPARQL (the graph by its public name) and a document.
    const health = (await (await fetch(`${pub.url}/health`)).json()) as { release: number; dataVersion: string };
    expect(health).toMatchObject({ release: release.n, dataVersion: release.dataVersion });
    expect(health.dataVersion).not.toBe(before.dataVersion);
    expect(await figureBySparql()).toEqual({ v: figure, g: `${BASE}graph/education` });
    const doc = await fetch(`${pub.url}/doc/jamoat/${NORIN}.nt`);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('etag')).toContain(release.dataVersion!);
    expect(await doc.text()).toContain(`<${OBSERVATION}> <${PUPILS}> "${figure}"^^<http://www.w3.org/2001/XMLSchema#integer>`);

    // In Virtuoso: the new release's load is current, release 1's the previous one, both whole.
    const record = await readServiceRecord({ queryUrl: storeEnv.STORE_QUERY_URL!, timeoutMs: 10_000 });
    expect(record.loads.get(record.current!)).toMatchObject({ dataVersion: release.dataVersion });
    expect(record.loads.get(record.previous!)).toMatchObject({ dataVersion: before.dataVersion });
    // The figure is in the new load's education graph, not in release 1's.
    const ask = async (load: string) => {
      const q = `ASK { GRAPH <${new LoadNames(load).graph(`${BASE}graph/education`)}> { <${OBSERVATION}> <${PUPILS}> ${figure} } }`;
      const r = await fetch(storeEnv.STORE_QUERY_URL!, { method: 'POST', headers: { accept: 'application/sparql-results+json' }, body: new URLSearchParams({ query: q }) });
      return ((await r.json()) as { boolean: boolean | number }).boolean;
    };
    expect([await ask(record.current!), await ask(record.previous!)].map(Boolean)).toEqual([true, false]);
  }, 180_000);
});
