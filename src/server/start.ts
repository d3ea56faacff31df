import { ConfigError, loadConfig } from '../config.js';
import { ProblemsError, formatProblem } from '../errors.js';
import type { EarlyWorker } from '../store/spawn-worker.js';
import { openWorkerStore } from '../store/worker-pool.js';
import { buildIfStale } from './build-if-stale.js';

/**
 * `npm start` after main.ts: configuration, build if stale, load the store, listen. Everything else
 * is in buildApp, so tests never go through this file. `early` is the store worker main.ts started
 * on the build it guessed; it is used only if that is the build to serve.
 */
export async function start(early: EarlyWorker | undefined): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  let build;
  try {
    // A worker loading the old build would hold its memory through the whole conversion.
    build = await buildIfStale(config, {
      beforeConvert: () => {
        void early?.worker.terminate();
        early = undefined;
      },
    });
  } catch (e) {
    if (!(e instanceof ProblemsError)) throw e;
    for (const p of e.problems) console.error(formatProblem(p));
    console.error(`\n${e.problems.length} problem(s) in ${config.DATA_DIR}; the server does not start on data that does not convert. Fix the cells above (npm run validate).`);
    process.exit(1);
  }
  // Start-up is the longer of two things done at once: a worker thread loads the data into Oxigraph
  // while this thread loads the web framework and builds the application on the store that is
  // still loading (nothing in buildApp queries it). The port opens when both are done, so the first
  // request, /health included, finds the data loaded.
  const { store, ready } = openWorkerStore({
    nquadsPath: build.nquadsPath,
    dataVersion: build.info.dataVersion,
    timeoutMs: config.QUERY_TIMEOUT_MS,
    readyWhen: 'first',
    built: { quads: build.info.quads, graphs: build.info.graphs },
    ...(early ? { early } : {}),
    ...(config.QUERY_WORKERS !== undefined ? { workers: config.QUERY_WORKERS } : {}),
  });
  const building = (async () => {
    const { buildApp } = await import('./app.js');
    const expected = build.info.expected?.jamoat.count;
    const app = await buildApp({ config, store, ...(expected !== undefined ? { jamoatsExpected: expected } : {}) });
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
    { dataVersion: build.info.dataVersion, triples: store.info().triples, rebuilt: build.rebuilt, listeningMs: Math.round(performance.now()), ...doneAt },
    `serving ${config.BASE_URI}`,
  );

  const stop = async (signal: string) => {
    app.log.info(`${signal}: closing`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

