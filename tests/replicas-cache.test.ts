import { spawn } from 'node:child_process';
import { appendFile, chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { PROJECT_ROOT } from '../src/project.js';
import type { Upload } from '../src/publish/uploads.js';
import type { Release } from '../src/releases/release-store.js';
import { type LaunchedReplica, launchReplica } from '../src/replica/launch.js';
import { wideSheet, writeXlsx } from './helpers.js';
import { freePort, waitFor } from '../bench/processes.js';
import { type RunningNginx, startNginx } from './nginx-helpers.js';
import { BASE, type Publishing, type TestOfficial, addOfficial, apiReview, apiUpload, launchPublishing } from './publish-helpers.js';

/**
 * Two read-only replicas behind a real HTTP cache (Debian's nginx with the repository's
 * deploy/nginx/cache.conf), following a publishing instance through its STATE_DIR as a shared
 * directory: the whole service on the shipped data publishes release 1, the replicas serve it, the
 * cache keeps their answers; then an approved upload publishes release 2, and through the cache
 * every answer comes to carry release 2's data version, none mixing the two.
 *
 * The data version an answer carries is the one its ETag begins with ("V-hash", the identity or
 * -gzip/-br body); an HTML page also shows it in its footer, and a document's or a SPARQL answer's
 * body holds the figure the upload changes, so a body is checked against the version its ETag names.
 */
const NORIN = 'TJ-KT-06-06';
const OBSERVATION = `${BASE}id/observation/education/${NORIN}/pupils/2022`;
const PUPILS = `${BASE}def/indicator/pupils`;
/** Seconds the cache keeps an answer before revalidating it (the replicas' s-maxage). */
const SHARED_MAX_AGE = 2;
/** How long convergence may take: the replicas' poll and load, then the cache's SHARED_MAX_AGE. */
const CONVERGE_MS = 60_000;

const numberAfter = (body: string, re: RegExp) => {
  const m = re.exec(body);
  return m?.[1] !== undefined ? Number(m[1].replace(/,/g, '')) : undefined;
};

interface Target {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** The figure of Norin's pupils in 2022 as this body gives it. */
  figure: (body: string) => number | undefined;
}

const TARGETS: Target[] = [
  { name: 'HTML', path: `/doc/jamoat/${NORIN}.html?lang=en`, headers: { 'accept-encoding': 'gzip' }, figure: (b) => numberAfter(b, new RegExp(`/doc/observation/education/${NORIN}/pupils/2022\\?lang=en">([\\d,]+)<`)) },
  { name: 'Turtle', path: `/doc/jamoat/${NORIN}.ttl`, figure: (b) => numberAfter(b, /pupils\/2022> a qb:Observation;[^.]*?ind:pupils (\d+)/) },
  // A file of the release's directory on the shared volume (the replica reads downloads from there).
  { name: 'CSV download', path: '/download/education.csv', figure: (b) => numberAfter(b, new RegExp(`^${NORIN},[^,]*,[^,]*,pupils,2022,(\\d+),`, 'm')) },
  {
    name: 'SPARQL SELECT', path: `/sparql?query=${encodeURIComponent(`SELECT ?v WHERE { <${OBSERVATION}> <${PUPILS}> ?v }`)}`, headers: { accept: 'application/sparql-results+json' },
    figure: (b) => {
      const v = (JSON.parse(b) as { results: { bindings: { v?: { value: string } }[] } }).results.bindings[0]?.v?.value;
      return v === undefined ? undefined : Number(v);
    },
  },
];

interface Answer {
  target: string;
  status: number;
  cache: string | null;
  /** The data version the ETag names. */
  version: string | undefined;
  /** The data version an HTML page shows in its footer. */
  shown: string | undefined;
  figure: number | undefined;
}

/** The data version at the start of an ETag: "V-hash", W/"V-hash", "V-hash-gzip". */
const versionOf = (etag: string | null) => (etag ? /^(?:W\/)?"([0-9a-f]+)-/.exec(etag)?.[1] : undefined);
const shownVersion = (body: string) => /<code>([0-9a-f]+)<\/code> · /.exec(body)?.[1];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let pub: Publishing;
let publisher: TestOfficial;
let reviewer: TestOfficial;
const replicas: { launched: LaunchedReplica; url: string }[] = [];
let nginx: RunningNginx;
let cacheUrl: string;
let work: string;

/** The repository's cache.conf with the three deployment-specific lines put to this test's: each must be there exactly once. */
async function templatedCacheConf(replicaPorts: number[], publisherPort: number, cacheDir: string): Promise<string> {
  let conf = await readFile(join(PROJECT_ROOT, 'deploy', 'nginx', 'cache.conf'), 'utf8');
  const swap = (from: string, to: string) => {
    expect(conf.split(from).length - 1, `deploy/nginx/cache.conf has "${from}" once`).toBe(1);
    conf = conf.replace(from, to);
  };
  swap('listen 80;', 'listen 127.0.0.1:{{PORT}};');
  swap('proxy_cache_path /var/cache/nginx/lg ', `proxy_cache_path ${cacheDir} `);
  const upstreams = `
upstream lg_replicas {
${replicaPorts.map((p) => `    server 127.0.0.1:${p};`).join('\n')}
    keepalive 8;
}
upstream lg_publisher {
    server 127.0.0.1:${publisherPort};
}
`;
  return upstreams + conf;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ res: Response; body: string }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(20_000) });
  return { res, body: await res.text() };
}

async function ask(target: Target): Promise<Answer> {
  const { res, body } = await get(`${cacheUrl}${target.path}`, target.headers ?? {});
  return {
    target: target.name,
    status: res.status,
    cache: res.headers.get('x-cache-status'),
    version: versionOf(res.headers.get('etag')),
    shown: target.name === 'HTML' ? shownVersion(body) : undefined,
    figure: res.status === 200 ? target.figure(body) : undefined,
  };
}

interface Health { status: string; release: number; dataVersion: string; degraded: unknown; replica?: { following: string; publisherRelease: number | null; loading: number | null; failed: unknown } }
const health = async (url: string) => JSON.parse((await get(`${url}/health`)).body) as Health;

beforeAll(async () => {
  pub = await launchPublishing();
  work = await mkdtemp(join(tmpdir(), 'lg-replicas-'));
  publisher = await addOfficial(pub.services, 'replica-publisher', 'publisher', 'TJ-KT-06');
  reviewer = await addOfficial(pub.services, 'replica-reviewer', 'reviewer');
  for (let i = 0; i < 2; i++) {
    // Each replica has its own STATE_DIR, which it never opens: the shared one is the publisher's.
    const config = loadConfig({
      BASE_URI: BASE, RELEASES_FROM: pub.stateDir, RELEASES_POLL_MS: '200', SHARED_MAX_AGE: String(SHARED_MAX_AGE),
      STATE_DIR: join(work, `replica-${i}-state`), QUERY_WORKERS: '1', LOG_LEVEL: 'silent',
    });
    const launched = await launchReplica({ ...config, RELEASES_FROM: pub.stateDir }, { logger: false });
    await launched.ready;
    await launched.app.listen({ port: 0, host: '127.0.0.1' });
    replicas.push({ launched, url: `http://127.0.0.1:${(launched.app.server.address() as AddressInfo).port}` });
  }
  const ports = replicas.map((r) => Number(new URL(r.url).port));
  // Not under nginx's prefix directory: that is private to the user who started it (mkdtemp's
  // 0700), and nginx started as root runs its workers as nobody, who must write the cache.
  const cacheDir = join(work, 'nginx-cache');
  await mkdir(cacheDir, { mode: 0o777 });
  await chmod(work, 0o755);
  await chmod(cacheDir, 0o777);
  nginx = await startNginx(await templatedCacheConf(ports, Number(new URL(pub.url).port), cacheDir));
  cacheUrl = `http://127.0.0.1:${nginx.port}`;
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
  for (const r of replicas) await r.launched.app.close();
  await pub?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('replicas following a shared directory', () => {
  it('serve the publisher\'s live release, say so on /health, and keep no state of their own', async () => {
    const p = await health(pub.url);
    for (const r of replicas) {
      const h = await health(r.url);
      expect(h).toMatchObject({ status: 'ok', release: p.release, dataVersion: p.dataVersion, degraded: null, replica: { following: pub.stateDir, publisherRelease: p.release, loading: null, failed: null } });
    }
    // No state database, uploads or releases were made where a replica's STATE_DIR points.
    await expect(readFile(join(work, 'replica-0-state', 'state.db'))).rejects.toThrow(/ENOENT/);
  });

  it('answer what only the publisher serves with 421 and a link to it, in the reader\'s language or as JSON', async () => {
    const r = replicas[0]?.url ?? '';
    const page = await get(`${r}/publish/?lang=ru`, { accept: 'text/html' });
    expect(page.res.status).toBe(421);
    expect(page.res.headers.get('cache-control')).toBe('no-store');
    expect(page.body).toContain('Публикация выполняется на публикующем экземпляре сервиса');
    expect(page.body).toContain(`href="${BASE}publish/"`);
    const tg = await get(`${r}/releases`, { accept: 'text/html', 'accept-language': 'tg' });
    expect(tg.res.status).toBe(421);
    expect(tg.body).toContain('<html lang="tg"');
    // An upload is refused before its body is read, whatever its type.
    const upload = await fetch(`${r}/publish/api/uploads?dataset=education`, { method: 'POST', headers: { authorization: `Bearer ${publisher.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(1024) });
    expect(upload.status).toBe(421);
    expect(await upload.json()).toMatchObject({ statusCode: 421, code: 'LG_ERR_REPLICA_READ_ONLY', publisher: `${BASE}publish/api/uploads` });
    // Through the cache the same paths reach the publisher.
    const releases = await get(`${cacheUrl}/releases`, { accept: 'application/json' });
    expect(releases.res.status).toBe(200);
    expect(releases.res.headers.get('cache-control')).toBe('public, max-age=60, must-revalidate');
    expect((JSON.parse(releases.body) as { live: number }).live).toBe(1);
    expect((await fetch(`${cacheUrl}/publish/login`)).status).toBe(200);
  });
});

describe('the cache in front (deploy/nginx/cache.conf)', () => {
  it('serves repeat requests itself, answers If-None-Match with 304, and revalidates with the ETag once s-maxage has passed', async () => {
    for (const t of TARGETS) {
      const first = await ask(t);
      const again = await ask(t);
      expect(first.status, t.name).toBe(200);
      expect(['MISS', 'EXPIRED', 'REVALIDATED', 'HIT'], t.name).toContain(first.cache);
      expect(again, t.name).toMatchObject({ status: 200, cache: 'HIT', version: first.version });
    }
    const html = TARGETS[0] as Target;
    const res = await fetch(`${cacheUrl}${html.path}`, { headers: html.headers ?? {} });
    await res.arrayBuffer();
    const etag = res.headers.get('etag') ?? '';
    expect(res.headers.get('cache-control')).toBe(`public, max-age=300, must-revalidate, s-maxage=${SHARED_MAX_AGE}`);
    // A fixed variant (.html) varies with the coding and the language; nginx keeps each apart.
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Accept-Language');
    // A client holding the page: the cache answers 304 itself.
    const conditional = await fetch(`${cacheUrl}${html.path}`, { headers: { ...html.headers, 'if-none-match': etag } });
    expect(conditional.status).toBe(304);
    expect(conditional.headers.get('x-cache-status')).toBe('HIT');
    expect(conditional.headers.get('etag')).toBe(etag);
    // Vary honoured: one negotiated URL, two types asked in turn, each answered in its own, the second time from the cache.
    const doc = `${cacheUrl}/doc/jamoat/${NORIN}`;
    for (let i = 0; i < 2; i++) {
      for (const type of ['text/turtle', 'application/ld+json']) {
        const r = await fetch(doc, { headers: { accept: type } });
        await r.arrayBuffer();
        expect(r.headers.get('content-type')).toContain(type);
        if (i === 1) expect(r.headers.get('x-cache-status'), type).toBe('HIT');
      }
    }
    // Past s-maxage the cache asks a replica with If-None-Match; the replica answers 304 and the cache keeps its body.
    await sleep(SHARED_MAX_AGE * 1000 + 1100);
    const after = await fetch(`${cacheUrl}${html.path}`, { headers: html.headers ?? {} });
    const body = await after.text();
    expect(after.headers.get('x-cache-status')).toBe('REVALIDATED');
    expect(after.headers.get('etag')).toBe(etag);
    expect(shownVersion(body)).toBe(versionOf(etag));
  });

  it('does not store what must not be: POST, no-store, the officials\' area', async () => {
    const q = `SELECT ?v WHERE { <${OBSERVATION}> <${PUPILS}> ?v }`;
    for (let i = 0; i < 2; i++) {
      const post = await fetch(`${cacheUrl}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: q });
      expect(post.status).toBe(200);
      await post.arrayBuffer();
      expect(post.headers.get('x-cache-status')).toBeNull();
    }
    // A SPARQL GET is kept as its Cache-Control allows: an answer is (above), a refusal (no-store) is not.
    for (let i = 0; i < 2; i++) {
      const bad = await fetch(`${cacheUrl}/sparql?query=${encodeURIComponent('SELECT ?x WHERE {')}`, { headers: { accept: 'application/sparql-results+json' } });
      await bad.arrayBuffer();
      expect(bad.status).toBe(400);
      expect(bad.headers.get('x-cache-status')).toBe('MISS');
    }
    for (let i = 0; i < 2; i++) {
      const h = await fetch(`${cacheUrl}/health`);
      expect((await h.json()) as Health).toMatchObject({ replica: { following: pub.stateDir } });
      expect(h.headers.get('x-cache-status')).toBe('MISS');
    }
    for (let i = 0; i < 2; i++) {
      const login = await fetch(`${cacheUrl}/publish/login`);
      await login.arrayBuffer();
      expect(login.headers.get('x-cache-status')).toBeNull();
    }
    expect((await fetch(`${cacheUrl}/metrics`)).status).toBe(404);
  });
});

describe('a new release, published while the cache holds the old one', () => {
  it('reaches every answer through the cache, and no answer mixes two releases', async () => {
    const before = await health(pub.url);
    const oldVersion = before.dataVersion;
    const warm = await Promise.all(TARGETS.map(ask));
    expect(warm.map((a) => a.version)).toEqual(TARGETS.map(() => oldVersion));
    const old = warm.find((a) => a.target === 'SPARQL SELECT')?.figure ?? 0;
    expect(old).toBeGreaterThan(0);
    const figure = old + 4_321;

    const path = join(work, 'education-yovon.xlsx');
    await writeXlsx(path, [wideSheet('Yovon', [[NORIN, 'Norin', figure]], { years: [2022] })]);
    const up = await apiUpload(pub.url, publisher.token, await readFile(path), { dataset: 'education', filename: 'education-yovon.xlsx' });
    const upload = (await up.json()) as Upload;
    expect(up.status, JSON.stringify(upload.problems)).toBe(201);
    const res = await apiReview(pub.url, reviewer.token, upload.id, 'approve', { wait: true });
    expect(res.status).toBe(200);
    const { release } = (await res.json()) as { release: Release };
    const newVersion = release.dataVersion ?? '';
    expect(release.status).toBe('complete');
    expect(newVersion).not.toBe(oldVersion);

    // Through the cache, every target in turn until each answers with release 2 and both replicas say they serve it.
    const answers: Answer[] = [];
    const started = performance.now();
    let converged = false;
    while (!converged && performance.now() - started < CONVERGE_MS) {
      const round = await Promise.all(TARGETS.map(ask));
      answers.push(...round);
      const states = await Promise.all(replicas.map((r) => health(r.url)));
      converged = round.every((a) => a.version === newVersion) && states.every((h) => h.release === release.n && h.dataVersion === newVersion);
      if (!converged) await sleep(200);
    }
    const tookMs = performance.now() - started;
    const last = answers.slice(-TARGETS.length).map((a) => `${a.target}: ${a.version === newVersion ? 'new' : a.version === oldVersion ? 'old' : a.version} (${a.cache})`);
    expect(converged, `not converged within ${CONVERGE_MS} ms; last answers: ${last.join(', ')}; replicas: ${JSON.stringify(await Promise.all(replicas.map((r) => health(r.url))))}`).toBe(true);

    // After convergence: rounds of every target, each asked twice, all release 2, the repeats from the cache.
    const after: Answer[] = [];
    for (let i = 0; i < 3; i++) {
      for (const t of TARGETS) after.push(await ask(t), await ask(t));
      await sleep(SHARED_MAX_AGE * 500);
    }
    console.log(`replicas-cache: converged in ${tookMs.toFixed(0)} ms (${answers.length} answers meanwhile: ${answers.filter((a) => a.version === oldVersion).length} old, ${answers.filter((a) => a.version === newVersion).length} new); after it ${after.length} answers, ${after.filter((a) => a.cache === 'HIT').length} cache hits`);
    expect(after.filter((a) => a.status !== 200 || a.version !== newVersion).map((a) => `${a.target}: ${a.status} ${a.version}`)).toEqual([]);
    const repeats = after.filter((_, i) => i % 2 === 1);
    expect(repeats.filter((a) => a.cache !== 'HIT').map((a) => `${a.target}: ${a.cache}`)).toEqual([]);

    // No answer, during convergence or after, mixes the releases: its body is that of the version its ETag names.
    const mixed = [...answers, ...after].filter((a) => {
      if (a.status !== 200) return true;
      if (a.version !== oldVersion && a.version !== newVersion) return true;
      if (a.target === 'HTML' && a.shown !== a.version) return true;
      return a.figure !== (a.version === oldVersion ? old : figure);
    });
    expect(mixed.map((a) => `${a.target}: ${a.status}, ETag version ${a.version}, shown ${a.shown}, figure ${a.figure}`)).toEqual([]);
  }, 180_000);
});

describe('a release that does not load', () => {
  it('is logged on /health and not switched to; the replicas keep serving the one they had', async () => {
    const p = await health(pub.url);
    const next = p.release + 1;
    // Release n+1 on the shared volume as a bad copy leaves it: build-info.json of the live one, data.nq changed.
    const dir = join(pub.stateDir, 'releases', String(next));
    await cp(join(pub.stateDir, 'releases', String(p.release)), dir, { recursive: true });
    await appendFile(join(dir, 'data.nq'), '<urn:x:damaged> <urn:x:p> "changed after the build" .\n');
    const pointer = join(pub.stateDir, 'live.json');
    const good = await readFile(pointer, 'utf8');
    try {
      await writeFile(pointer, `${JSON.stringify({ n: next, dir })}\n`);
      const deadline = performance.now() + CONVERGE_MS;
      let states = await Promise.all(replicas.map((r) => health(r.url)));
      while (!states.every((h) => h.replica?.failed) && performance.now() < deadline) {
        await sleep(200);
        states = await Promise.all(replicas.map((r) => health(r.url)));
      }
      for (const h of states) {
        expect(h).toMatchObject({ status: 'degraded', release: p.release, dataVersion: p.dataVersion, replica: { publisherRelease: next, loading: null, failed: { release: next } } });
        expect((h.replica?.failed as { error: string }).error).toMatch(/data version|hash/i);
      }
      const through = await ask(TARGETS[1] as Target);
      expect(through).toMatchObject({ status: 200, version: p.dataVersion });
    } finally {
      await writeFile(pointer, good);
      await rm(dir, { recursive: true, force: true });
    }
    // The publisher's pointer back: the replicas are where it is, and no longer degraded.
    await sleep(600);
    for (const r of replicas) expect(await health(r.url)).toMatchObject({ status: 'ok', release: p.release, degraded: null, replica: { publisherRelease: p.release } });
  }, 120_000);
});

describe('npm start with RELEASES_FROM', () => {
  it('starts a replica process that serves the publisher\'s live release and stops on SIGTERM', async () => {
    const p = await health(pub.url);
    const port = await freePort();
    let output = '';
    // src/server/main.ts as npm start runs it (through tsx here: the bundle is start.test's).
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'server', 'main.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, RELEASES_FROM: pub.stateDir, STATE_DIR: join(work, 'process-state'), PORT: String(port), HOST: '127.0.0.1', BASE_URI: BASE, LOG_LEVEL: 'info', QUERY_WORKERS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, child, 120_000);
      expect(await health(`http://127.0.0.1:${port}`)).toMatchObject({ status: 'ok', release: p.release, dataVersion: p.dataVersion, replica: { following: pub.stateDir, publisherRelease: p.release } });
      expect((await fetch(`http://127.0.0.1:${port}/publish/`)).status).toBe(421);
      for (let i = 0; i < 100 && !/"msg":"replica serving /.test(output); i++) await sleep(20);
      expect(output).toMatch(/"msg":"replica serving http:\/\/localhost:3000\/"/);
      // Nothing of the publisher's kind was made where its own STATE_DIR points.
      await expect(readFile(join(work, 'process-state', 'state.db'))).rejects.toThrow(/ENOENT/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  }, 120_000);
});
