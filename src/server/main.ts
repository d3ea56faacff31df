import { ConfigError, loadConfig } from '../config.js';
import { loadManifest } from '../convert/layout.js';
import { ProblemsError, formatProblem } from '../errors.js';
import { createWorkerStore } from '../store/worker-pool.js';
import { buildIfStale } from './build-if-stale.js';

/**
 * `npm start`: configuration, build if stale, load the store, listen. Everything else is in
 * buildApp, so tests never go through this file.
 */
async function main(): Promise<void> {
  const t0 = performance.now();
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
    build = await buildIfStale(config);
  } catch (e) {
    if (!(e instanceof ProblemsError)) throw e;
    for (const p of e.problems) console.error(formatProblem(p));
    console.error(`\n${e.problems.length} problem(s) in ${config.DATA_DIR}; the server does not start on data that does not convert. Fix the cells above (npm run validate).`);
    process.exit(1);
  }
  // The workers load the data while this thread loads the web framework: start-up is the longer of the two.
  const storeLoading = createWorkerStore({
    nquadsPath: build.nquadsPath,
    dataVersion: build.info.dataVersion,
    timeoutMs: config.QUERY_TIMEOUT_MS,
    readyWhen: 'first',
    ...(config.QUERY_WORKERS !== undefined ? { workers: config.QUERY_WORKERS } : {}),
  });
  const [{ buildApp }, manifest] = await Promise.all([import('./app.js'), loadManifest(config.DATA_DIR)]);
  const store = await storeLoading;
  const app = await buildApp({ config, store, ...(manifest.expected ? { jamoatsExpected: manifest.expected.jamoat.count } : {}) });
  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info({ dataVersion: build.info.dataVersion, triples: store.info().triples, rebuilt: build.rebuilt, startupMs: Math.round(performance.now() - t0) }, `serving ${config.BASE_URI}`);

  const stop = async (signal: string) => {
    app.log.info(`${signal}: closing`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

await main();
