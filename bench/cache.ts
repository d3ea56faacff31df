/**
 * Replicas behind a cache (`npm run bench -- --part cache [--seconds N]`): requests/s and p99 of a
 * jamoat document through nginx's cache (deploy/nginx/cache.conf, Debian's nginx) in front of two
 * replicas, against one instance alone, in the same run; the ratio does not depend on the machine.
 *
 * Every process is what `npm start` runs (the bundle): a publisher builds release 1 in a state
 * directory made for the benchmark, two replicas follow it (RELEASES_FROM), and nginx is started
 * as tests/replicas-cache.test.ts starts it. Loads are autocannon, 2 connections, loopback, the
 * two sides alternating per document so a change in the machine's load touches both alike. The
 * instance alone is one of the replicas, asked directly.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { PROJECT_ROOT } from '../src/project.js';
import { NGINX, type RunningNginx, startNginx } from '../tests/nginx-helpers.js';
import { SERVER_ENTRY, compile, freePort, stop, waitFor } from './processes.js';
import { type Load, load } from './server.js';

const JAMOAT = '/doc/jamoat/TJ-KT-06-06';
const REPLICAS = 2;
const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** One GET with exactly these headers (fetch would add Accept-Encoding): its cache status and bytes on the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ cache: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (b: Buffer) => (bytes += b.length));
      res.on('end', () => resolve({ cache: String(res.headers['x-cache-status'] ?? ''), bytes }));
    }).on('error', reject);
  });
}

/** deploy/nginx/cache.conf with its listen, cache directory and upstreams put to this run's (as the test does). */
async function cacheConf(replicaPorts: number[], publisherPort: number, cacheDir: string): Promise<string> {
  const conf = (await readFile(join(PROJECT_ROOT, 'deploy', 'nginx', 'cache.conf'), 'utf8'))
    .replace('listen 80;', 'listen 127.0.0.1:{{PORT}};')
    .replace('proxy_cache_path /var/cache/nginx/lg ', `proxy_cache_path ${cacheDir} `);
  return `upstream lg_replicas {\n${replicaPorts.map((p) => `  server 127.0.0.1:${p};`).join('\n')}\n  keepalive 16;\n}\nupstream lg_publisher { server 127.0.0.1:${publisherPort}; }\n${conf}`;
}

export async function cacheBench(opts: { seconds: number }): Promise<void> {
  // In the default set of parts: without nginx (.ci/install-test-deps installs it) the rest still runs.
  if (spawnSync(NGINX, ['-v']).error) {
    console.log(`\nReplicas behind a cache: skipped, no nginx (${NGINX}); Debian's nginx-light is what .ci/install-test-deps installs`);
    return;
  }
  await compile();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const work = await mkdtemp(join(tmpdir(), 'lg-bench-cache-'));
  const children: ChildProcess[] = [];
  let nginx: RunningNginx | undefined;
  try {
    const env = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'silent', BASE_URI: config.BASE_URI };
    const serve = async (extra: Record<string, string>): Promise<string> => {
      const port = await freePort();
      const child = spawn(process.execPath, [SERVER_ENTRY], { cwd: PROJECT_ROOT, env: { ...env, ...extra, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      await waitFor(`http://127.0.0.1:${port}/health`, child, 300_000);
      return `http://127.0.0.1:${port}`;
    };
    const stateDir = join(work, 'publisher');
    const publisher = await serve({ STATE_DIR: stateDir });
    const replicas: string[] = [];
    for (let i = 0; i < REPLICAS; i++) replicas.push(await serve({ RELEASES_FROM: stateDir, STATE_DIR: join(work, `replica-${i}`) }));
    const health = (await (await fetch(`${replicas[0]}/health`)).json()) as { release: number; dataVersion: string };

    // nginx run as root hands its workers to nobody: the cache directory must be theirs to write.
    const cacheDir = join(work, 'nginx-cache');
    await chmod(work, 0o755);
    await mkdir(cacheDir, { mode: 0o777 });
    await chmod(cacheDir, 0o777);
    nginx = await startNginx(await cacheConf(replicas.map((r) => Number(new URL(r).port)), Number(new URL(publisher).port), cacheDir));
    const cache = `http://127.0.0.1:${nginx.port}`;
    const alone = replicas[0] ?? '';

    const cases: { name: string; path: string; headers: Record<string, string> }[] = [
      { name: 'Turtle', path: `${JAMOAT}.ttl`, headers: {} },
      { name: 'HTML, gzip', path: `${JAMOAT}.html?lang=tg`, headers: { 'accept-encoding': 'gzip' } },
      { name: 'negotiated JSON-LD', path: JAMOAT, headers: { accept: 'application/ld+json' } },
    ];
    const rows: Record<string, string | number>[] = [];
    for (const c of cases) {
      // Warmed on both sides (the replica's representation, the cache's entry), with autocannon's own headers.
      for (const origin of [alone, cache]) await rawGet(`${origin}${c.path}`, c.headers);
      const warm = await rawGet(`${cache}${c.path}`, c.headers);
      const one: Load[] = [];
      const through: Load[] = [];
      // Alternating, each side first in turn: on a shared machine the neighbours' load moves both alike.
      for (let i = 0; i < ROUNDS; i++) {
        if (i % 2 === 0) one.push(await load(`${alone}${c.path}`, c.headers, opts.seconds));
        through.push(await load(`${cache}${c.path}`, c.headers, opts.seconds));
        if (i % 2 === 1) one.push(await load(`${alone}${c.path}`, c.headers, opts.seconds));
      }
      const rps = (xs: Load[]) => median(xs.map((x) => x.rps));
      const p99 = (xs: Load[]) => median(xs.map((x) => x.p99));
      rows.push({
        document: c.name, 'body KB': Number((warm.bytes / 1024).toFixed(1)),
        'instance req/s': Math.round(rps(one)), 'instance p99 ms': p99(one),
        'cache req/s': Math.round(rps(through)), 'cache p99 ms': p99(through),
        'ratio cache / instance': Number((rps(through) / rps(one)).toFixed(2)),
        'warm cache status': warm.cache,
        errors: [...one, ...through].reduce((n, x) => n + x.errors, 0),
      });
    }
    console.log(`\nReplicas behind a cache: a jamoat document through nginx's proxy_cache (deploy/nginx/cache.conf, 1 worker) before ${REPLICAS} replicas, against one replica alone (autocannon, 2 connections, loopback; medians of ${ROUNDS} loads of ${opts.seconds} s per side; release ${health.release}, data version ${health.dataVersion}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs at the end)`);
    console.table(rows);
  } finally {
    await nginx?.stop();
    for (const c of children) await stop(c);
    await rm(work, { recursive: true, force: true });
  }
}
