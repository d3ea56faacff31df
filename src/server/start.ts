import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Config, ConfigError, loadConfig } from '../config.js';
import type { BuildInfo } from '../convert/convert.js';
import { inputsDigest } from '../convert/inputs-digest.js';
import { formatProblem } from '../errors.js';
import { PROJECT_ROOT, projectVersion } from '../project.js';
import { sweepReleaseTemps } from '../releases/build-release.js';
import { LiveStore } from '../releases/live-store.js';
import type { Release } from '../releases/release-store.js';
import type { EarlyWorker } from '../store/spawn-worker.js';
import { openWorkerStore } from '../store/worker-pool.js';
import { type Services, openServices } from './services.js';

/**
 * `npm start` after main.ts: configuration, the durable state, the release to serve, load, listen.
 * Everything else is in buildApp, so tests never go through this file. `early` is the store worker
 * main.ts started on the release it guessed was live; it is used only if that is the one served.
 *
 * Which release is served (design.md, "Data flow"): the live one, if it was built from the data/
 * that is here now; otherwise data/ is converted into a new release (with the approved uploads of
 * the live one on top) first. If that fails, the last good release is served and /health says so;
 * only when there is no good release at all does the server refuse to start.
 */
export async function start(early: EarlyWorker | undefined): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const services = openServices(config);
  const { releases } = services;
  await sweepReleaseTemps(releases.releasesDir);
  services.blobs.sweepTemps();
  const interrupted = releases.recoverInterrupted();

  const seedDigest = await inputsDigest({
    dataDir: config.DATA_DIR,
    vocabDir: join(PROJECT_ROOT, 'vocab'),
    shapesDir: join(PROJECT_ROOT, 'shapes'),
    base: config.BASE_URI,
    version: await projectVersion(),
  });
  let live = releases.store.live();
  let rebuilt = false;
  if (!live || live.seedDigest !== seedDigest || !existsSync(join(releases.dirOf(live.n), 'build-info.json'))) {
    // A worker loading the old release would hold its memory through the whole conversion.
    void early?.worker.terminate();
    early = undefined;
    const outcome = await releases.publish({
      kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: live?.overlays ?? [], from: 'service',
    });
    if (outcome.release.status === 'complete') {
      live = outcome.release;
      rebuilt = true;
    } else {
      for (const p of outcome.problems) console.error(formatProblem(p));
      if (!live) {
        console.error(`\n${outcome.problems.length > 0 ? `${outcome.problems.length} problem(s) in ${config.DATA_DIR}` : outcome.error}; there is no earlier release to serve, so the server does not start. Fix the cells above (npm run validate).`);
        process.exit(1);
      }
      releases.degraded = {
        since: new Date().toISOString(),
        reason: `${config.DATA_DIR} did not convert (${outcome.problems.length > 0 ? `${outcome.problems.length} problem(s)` : outcome.error}); serving release ${live.n}, the last one that did`,
        problems: outcome.problems.slice(0, 50),
      };
      console.error(`\n${releases.degraded.reason}. Fix the cells above (npm run validate); the next start converts again.`);
    }
  }
  await serve(config, services, live, { early, rebuilt, interrupted });
}

async function serve(config: Config, services: Services, live: Release, opts: { early: EarlyWorker | undefined; rebuilt: boolean; interrupted: Release[] }): Promise<void> {
  const { releases } = services;
  const dir = releases.dirOf(live.n);
  const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
  // Start-up is the longer of two things done at once: a worker thread loads the data into Oxigraph
  // while this thread loads the web framework and builds the application on the store that is
  // still loading (nothing in buildApp queries it). The port opens when both are done, so the first
  // request, /health included, finds the data loaded.
  const { store, ready } = openWorkerStore({
    nquadsPath: join(dir, 'data.nq'),
    dataVersion: info.dataVersion,
    timeoutMs: config.QUERY_TIMEOUT_MS,
    readyWhen: 'first',
    built: { quads: info.quads, graphs: info.graphs },
    ...(opts.early ? { early: opts.early } : {}),
    ...(config.QUERY_WORKERS !== undefined ? { workers: config.QUERY_WORKERS } : {}),
  });
  // A replaced release keeps answering what it started for longer than any query may run.
  const liveStore = new LiveStore({ n: live.n, dir, info, store }, config.QUERY_TIMEOUT_MS + 5_000);
  releases.attach(liveStore);
  const building = (async () => {
    const { buildApp } = await import('./app.js');
    const expected = info.expected?.jamoat.count;
    const app = await buildApp({ config, store: liveStore, services, ...(expected !== undefined ? { jamoatsExpected: expected } : {}) });
    await app.ready();
    return app;
  })();
  // When each half was done, in ms since the process started: the log line below reports them,
  // so an operator (and the benchmark) sees which half start-up waited for.
  const doneAt: { storeMs?: number; appMs?: number } = {};
  const timed = <T>(p: Promise<T>, key: keyof typeof doneAt) => p.then((v) => ((doneAt[key] = Math.round(performance.now())), v));
  let app: Awaited<typeof building>;
  try {
    [app] = await Promise.all([timed(building, 'appMs'), timed(ready, 'storeMs')]);
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (e) {
    // A build that does not load, or a port in use: one line that says what. Anything else is a
    // bug, shown with its stack.
    const foreseen = e instanceof Error && ('code' in e || e.message.startsWith('could not load'));
    console.error(foreseen ? `the server does not start: ${e.message}` : e);
    process.exit(1);
  }
  app.log.info(
    { release: live.n, dataVersion: info.dataVersion, triples: store.info().triples, rebuilt: opts.rebuilt, listeningMs: Math.round(performance.now()), ...doneAt, ...(releases.degraded ? { degraded: releases.degraded.reason } : {}) },
    `serving ${config.BASE_URI}`,
  );
  if (releases.degraded) app.log.error({ problems: releases.degraded.problems.length }, releases.degraded.reason);

  // What a crash interrupted is done now, with the server up: approved uploads are published.
  void services.resumeAfterCrash(opts.interrupted, app.log);

  const stop = async (signal: string) => {
    app.log.info(`${signal}: closing`);
    await app.close();
    services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
