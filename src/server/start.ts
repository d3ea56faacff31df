import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Config, ConfigError, loadConfig } from '../config.js';
import type { BuildInfo } from '../convert/convert.js';
import { type Problem, formatProblem } from '../errors.js';
import { sweepReleaseTemps } from '../releases/build-release.js';
import { LiveStore } from '../releases/live-store.js';
import type { Release } from '../releases/release-store.js';
import type { EarlyWorker } from '../store/spawn-worker.js';
import { openReleaseStore } from '../store/open-release-store.js';
import { type Services, openServices } from './services.js';
import { keepServing } from './keep-serving.js';

/** Nothing can be served: data/ does not convert and there is no earlier release. */
export class NothingToServeError extends Error {
  constructor(message: string, readonly problems: Problem[]) {
    super(message);
    this.name = 'NothingToServeError';
  }
}

/**
 * The live release's files do not load: most often its data.nq no longer hashes to the data version
 * its build-info.json (and the state database) recorded, i.e. it was changed by hand or damaged.
 * Start-up refuses to serve it rather than rebuild it silently: ETags, caches and /health are keyed
 * on that version, and a release's files changing under it is something an operator must see.
 * Moving the directory away makes the next start convert data/ again into a new release.
 */
export class ReleaseNotLoadedError extends Error {
  /** What to do, for the operator. */
  readonly advice: string;

  constructor(readonly n: number, readonly dir: string, cause: unknown) {
    // The pool's own advice ("build it again") is general; for a release, `advice` says how.
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/; the build's files were changed after it was made: build it again$/, '');
    super(`release ${n} (${dir}) does not load: ${reason}`, { cause });
    this.name = 'ReleaseNotLoadedError';
    const changed = /its content is data version|where build-info\.json says/.test(reason);
    this.advice = changed
      ? `Its files are not the ones that were built (changed by hand, or damaged), and nothing is served in their place. ` +
        `Restore ${dir} from a backup, or move it away: the next start then converts the data again (data/ with the release's approved uploads on top) into a new release.`
      : `Nothing is served in its place. If its files are damaged, move ${dir} away: the next start then converts the data again into a new release.`;
  }
}

export interface Launched {
  app: FastifyInstance;
  services: Services;
  live: LiveStore;
  /** The release served at start. */
  release: Release;
  /** True when this start converted data/ into a new release. */
  rebuilt: boolean;
  /** Releases a crash interrupted: `services.resumeAfterCrash` publishes them again. */
  interrupted: Release[];
  /** Resolves when the first store worker has loaded the release (the app is built meanwhile). */
  ready: Promise<void>;
  /** When each half of start-up was done, in ms since the process started. */
  doneAt: { storeMs?: number; appMs?: number };
}

/**
 * Which release is served (design.md, "Data flow"): the live one, if it was built from the data/
 * that is here now; otherwise data/ is converted into a new release (with the approved uploads of
 * the live one on top) first. If that fails, the last good release is served and /health says so;
 * only when there is no good release at all does this throw NothingToServeError.
 *
 * Then the store starts loading that release while the app is built: start-up is the longer of the
 * two, not their sum (one worker loads meanwhile; the store's others start when the app listens).
 * `early` is the worker main.ts started on the release it guessed was live; it is adopted only if
 * that is the one served. Tests call this with their own configuration.
 */
export async function launch(config: Config, opts: { early?: EarlyWorker; logger?: boolean } = {}): Promise<Launched> {
  let early = opts.early;
  // The web application's code (Fastify and every route: most of the JavaScript loaded at start)
  // is read and compiled while the checks below wait on the disk, not after them.
  const appModule = import('./app.js');
  appModule.catch(() => undefined); // awaited below, unless a check throws first
  const services = openServices(config);
  // Closed here if the app is never built; once it is, closing the app closes both.
  let liveStore: LiveStore | undefined;
  try {
    const { releases } = services;
    await sweepReleaseTemps(releases.releasesDir);
    services.blobs.sweepTemps();
    const interrupted = releases.recoverInterrupted();

    const seedDigest = await releases.seedDigest();
    let live = releases.store.live();
    let rebuilt = false;
    const hasFiles = (r: Release) => existsSync(join(releases.dirOf(r.n), 'build-info.json'));
    if (!live || live.seedDigest !== seedDigest || !hasFiles(live)) {
      // A worker loading the old release would hold its memory through the whole conversion.
      void early?.worker.terminate();
      early = undefined;
      const outcome = await releases.publish({ kind: 'seed', createdBy: { id: null, name: 'service' }, overlays: live?.overlays ?? [], from: 'service' });
      if (outcome.release.status === 'complete') {
        live = outcome.release;
        rebuilt = true;
      } else {
        const what = outcome.problems.length > 0 ? `${outcome.problems.length} problem(s) in ${config.DATA_DIR}` : (outcome.error ?? 'the conversion failed');
        if (!live) throw new NothingToServeError(`${what}; there is no earlier release to serve, so the server does not start`, outcome.problems);
        if (!hasFiles(live)) {
          throw new NothingToServeError(`${what}; release ${live.n}, the live one, has no build in ${releases.dirOf(live.n)}, so the server does not start`, outcome.problems);
        }
        releases.degraded = {
          since: new Date().toISOString(),
          reason: `${what}; serving release ${live.n}, the last one that converted`,
          problems: outcome.problems.slice(0, 50),
        };
      }
    }

    const dir = releases.dirOf(live.n);
    const info = JSON.parse(await readFile(join(dir, 'build-info.json'), 'utf8')) as BuildInfo;
    // One worker loads while the app is built; the others once the port is open (othersAfter).
    let opened = () => {};
    const listening = new Promise<void>((resolve) => (opened = resolve));
    // The app's logger does not exist yet: what the store says while it opens (a remote store's
    // loading of the release) is written as the app's pino lines would be.
    const startLog = {
      info(fields: object, message: string) {
        if (['trace', 'debug', 'info'].includes(config.LOG_LEVEL)) process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), ...fields, msg: message })}\n`);
      },
    };
    const { store, ready } = openReleaseStore(config, { n: live.n, dir, info }, { readyWhen: 'first', othersAfter: listening, log: startLog, ...(early ? { early } : {}) });
    // A replaced release keeps answering what it started for longer than any query may run.
    liveStore = new LiveStore({ n: live.n, dir, info, store }, config.QUERY_TIMEOUT_MS + 5_000);
    releases.attach(liveStore);
    const doneAt: Launched['doneAt'] = {};
    const timed = <T>(p: Promise<T>, key: keyof typeof doneAt) => p.then((v) => ((doneAt[key] = Math.round(performance.now())), v));
    const servedN = live.n;
    const storeReady = timed(ready.catch((e: unknown) => Promise.reject(new ReleaseNotLoadedError(servedN, dir, e))), 'storeMs');
    // The store may fail (a data.nq that does not hash to its version fails at once) while the app
    // is still being built below: the failure is the caller's, through Launched.ready, and must not
    // surface meanwhile as an unhandled rejection, which ends the process with a stack trace.
    storeReady.catch(() => undefined);
    const { buildApp } = await appModule;
    const expected = info.expected?.jamoat.count;
    const app = await timed(
      buildApp({ config, store: liveStore, services, ...(expected !== undefined ? { jamoatsExpected: expected } : {}), ...(opts.logger === false ? { logger: false } : {}) }).then(async (a) => {
        a.addHook('onListen', async () => opened());
        await a.ready();
        return a;
      }),
      'appMs',
    );
    return { app, services, live: liveStore, release: live, rebuilt, interrupted, ready: storeReady, doneAt };
  } catch (e) {
    await liveStore?.close();
    services.close();
    throw e;
  }
}

/** `npm start` after main.ts: configuration, launch, listen, and what a crash left to do. */
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
  // A read-only replica (RELEASES_FROM) serves what a publisher publishes: its own start-up.
  if (config.RELEASES_FROM !== undefined) {
    const { startReplica } = await import('../replica/launch.js');
    return startReplica({ ...config, RELEASES_FROM: config.RELEASES_FROM }, early);
  }
  let launched: Launched;
  try {
    launched = await launch(config, early ? { early } : {});
    await launched.ready;
    await launched.app.listen({ port: config.PORT, host: config.HOST });
  } catch (e) {
    if (e instanceof NothingToServeError) {
      for (const p of e.problems) console.error(formatProblem(p));
      console.error(`\n${e.message}.${e.problems.length > 0 ? ' Fix the cells above (npm run validate).' : ''}`);
      process.exit(1);
    }
    if (e instanceof ReleaseNotLoadedError) {
      console.error(`the server does not start: ${e.message}\n${e.advice}`);
      process.exit(1);
    }
    // A build that does not load, or a port in use: one line that says what. Anything else is a
    // bug, shown with its stack.
    const foreseen = e instanceof Error && ('code' in e || e.message.startsWith('could not load'));
    console.error(foreseen ? `the server does not start: ${e.message}` : e);
    process.exit(1);
  }
  const { app, services, live, release, rebuilt, interrupted, doneAt } = launched;
  const { degraded } = services.releases;
  app.log.info(
    { release: release.n, dataVersion: live.dataVersion, triples: live.info().triples, rebuilt, listeningMs: Math.round(performance.now()), ...doneAt, ...(degraded ? { degraded: degraded.reason } : {}) },
    `serving ${config.BASE_URI}`,
  );
  if (degraded) {
    for (const p of degraded.problems) app.log.error(formatProblem(p));
    app.log.error(`${degraded.reason}. Fix the data (npm run validate); the next start converts again.`);
  }
  // What a crash interrupted is done now, with the server up: approved uploads are published.
  void services.resumeAfterCrash(interrupted, app.log);
  keepServing(app);
}
