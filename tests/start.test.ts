import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildServer } from '../src/cli/build-server.js';
import type { BuildInfo } from '../src/convert/convert.js';
import { PROJECT_ROOT } from '../src/project.js';
import { freePort, stop, waitFor } from '../bench/processes.js';

/**
 * What `npm start` runs: the esbuild bundle in a process of its own, on a build that is current
 * (so it serves without converting) or on one whose data.nq was changed by hand.
 */
const BUNDLE = join(PROJECT_ROOT, 'dist', 'test-server');
const BASE = 'http://localhost:3000/';

let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  await buildServer(BUNDLE);
  dir = await mkdtemp(join(tmpdir(), 'lg-start-'));
});

afterAll(async () => {
  await Promise.all(children.map(stop));
  await rm(dir, { recursive: true, force: true });
  await rm(BUNDLE, { recursive: true, force: true });
});

/** A copy of the tests' build of the shipped data (made with BASE, as the server below is configured). */
async function copyBuild(name: string): Promise<string> {
  const to = join(dir, name);
  await cp(inject('buildDir'), to, { recursive: true });
  return to;
}

function startServer(buildDir: string, port: number): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [join(BUNDLE, 'main.js')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', BASE_URI: BASE, BUILD_DIR: buildDir, LOG_LEVEL: 'info', QUERY_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  children.push(child);
  return { child, output: () => output };
}

describe('npm start (the bundle)', () => {
  it('serves a current build without converting it: /health reports what build-info.json describes, documents answer', async () => {
    const buildDir = await copyBuild('current');
    const info = JSON.parse(await readFile(join(buildDir, 'build-info.json'), 'utf8')) as BuildInfo;
    const port = await freePort();
    const { child, output } = startServer(buildDir, port);
    await waitFor(`http://127.0.0.1:${port}/health`, child, 60_000);

    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { dataVersion: string; triples: number; graphs: Record<string, number> };
    expect(health).toMatchObject({ dataVersion: info.dataVersion, triples: info.quads, graphs: info.graphs });
    expect(output()).toMatch(/"rebuilt":false/);

    const res = await fetch(`http://127.0.0.1:${port}/doc/jamoat/TJ-KT-06-06.ttl`);
    expect(res.status).toBe(200);
    const quads = new N3.Parser({ baseIRI: BASE }).parse(await res.text());
    const labels = quads.filter((q) => q.subject.value === `${BASE}id/jamoat/TJ-KT-06-06` && q.predicate.value === 'http://www.w3.org/2004/02/skos/core#prefLabel');
    expect(labels.map((q) => q.object.value)).toContain('Norin');

    // The home page counts against the sourced number of jamoats, which now comes from build-info.json.
    const home = await (await fetch(`http://127.0.0.1:${port}/?lang=en`)).text();
    expect(home).toContain(String(info.expected?.jamoat.count));
  });

  it('converts a stale build first, then serves the new one', async () => {
    const buildDir = await copyBuild('stale');
    const infoPath = join(buildDir, 'build-info.json');
    const old = JSON.parse(await readFile(infoPath, 'utf8')) as BuildInfo;
    // As if data/ had changed since: the digest of the inputs no longer matches.
    await writeFile(infoPath, JSON.stringify({ ...old, inputsDigest: 'stale' }));
    const port = await freePort();
    const { child, output } = startServer(buildDir, port);
    await waitFor(`http://127.0.0.1:${port}/health`, child, 120_000);
    const info = JSON.parse(await readFile(infoPath, 'utf8')) as BuildInfo;
    expect(info.inputsDigest).not.toBe('stale');
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { dataVersion: string; triples: number };
    expect(health).toMatchObject({ dataVersion: info.dataVersion, triples: info.quads });
    expect(output()).toMatch(/"rebuilt":true/);
  });

  it('refuses to serve a data.nq changed since it was converted, and says what to do', async () => {
    const buildDir = await copyBuild('tampered');
    await appendFile(join(buildDir, 'data.nq'), `<${BASE}id/x> <${BASE}def/lg#p> "not converted" <${BASE}graph/units> .\n`);
    const port = await freePort();
    const { child, output } = startServer(buildDir, port);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output()).toContain(`the server does not start: could not load ${join(buildDir, 'data.nq')} into a store worker: its content is data version`);
    expect(output()).toContain('convert again (npm run convert)');
  });
});
