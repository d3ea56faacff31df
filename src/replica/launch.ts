/**
 * Start-up of a read-only replica (RELEASES_FROM set; src/server/start.ts branches here): no state
 * database, no conversion, no publication. It waits for the publisher's first live.json if there is
 * none yet, loads the release it names (checked against build-info.json's data version, as the
 * publisher's start-up does) while the app is built, then follows live.json (follower.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { LiveStore } from '../releases/live-store.js';
import { keepServing } from '../server/keep-serving.js';
import type { ReleaseHealth } from '../routes/health.js';
import type { EarlyWorker } from '../store/spawn-worker.js';
import { ReleaseFollower } from './follower.js';
import { registerReplicaNotice } from './notice.js';
import { registerSharedMaxAge } from './shared-max-age.js';
import { openSharedRelease, readLivePointer } from './shared-releases.js';

export type ReplicaConfig = Config & { RELEASES_FROM: string };

export function isReplica(config: Config): config is ReplicaConfig {
  return config.RELEASES_FROM !== undefined;
}

export interface LaunchedReplica {
  app: FastifyInstance;
  live: LiveStore;
  follower: ReleaseFollower;
  /** Resolves when the first store worker has loaded the release (the app is built meanwhile). */
  ready: Promise<void>;
}

/** The first release the publisher's live.json names, waiting (every RELEASES_POLL_MS) while there is none. */
async function firstRelease(config: ReplicaConfig, waiting: () => void): Promise<number> {
  for (let told = false; ; told = true) {
    const n = await readLivePointer(config.RELEASES_FROM);
    if (n !== undefined) return n;
    if (!told) waiting();
    await sleep(config.RELEASES_POLL_MS);
  }
}

export async function launchReplica(
  config: ReplicaConfig,
  opts: { early?: EarlyWorker; logger?: boolean; waiting?: () => void } = {},
): Promise<LaunchedReplica> {
  const appModule = import('../server/app.js');
  appModule.catch(() => undefined); // awaited below, unless the release does not open first
  const n = await firstRelease(config, opts.waiting ?? (() => undefined));
  const readAt = new Date();
  let opened = () => {};
  const listening = new Promise<void>((resolve) => (opened = resolve));
  const { release, ready } = await openSharedRelease(config, config.RELEASES_FROM, n, { readyWhen: 'first', othersAfter: listening, ...(opts.early ? { early: opts.early } : {}) });
  // As at the publisher's start-up: the failure is the caller's, through `ready`, never unhandled meanwhile.
  ready.catch(() => undefined);
  const live = new LiveStore(release, config.QUERY_TIMEOUT_MS + 5_000);
  let follower: ReleaseFollower | undefined;
  const health = (): ReleaseHealth => {
    const r = follower?.health();
    const behind = r?.failed && r.failed.release === r.publisherRelease ? r.failed : null;
    return {
      release: live.release.n,
      building: null,
      // Serving an older release than the publisher's live one, because that one does not load.
      degraded: behind ? { since: behind.at, reason: `release ${behind.release}, live at the publisher, does not load here: ${behind.error}; serving release ${live.release.n}`, problems: 0 } : null,
      ...(r ? { replica: r } : {}),
    };
  };
  try {
    const { buildApp } = await appModule;
    const expected = release.info.expected?.jamoat.count;
    const app = await buildApp({
      config,
      store: live,
      replica: {
        health,
        setup: (a, ctx) => {
          registerSharedMaxAge(a, config.SHARED_MAX_AGE);
          registerReplicaNotice(a, ctx);
        },
      },
      ...(expected !== undefined ? { jamoatsExpected: expected } : {}),
      ...(opts.logger === false ? { logger: false } : {}),
    });
    const f = new ReleaseFollower({ config, live, log: app.log, started: { n, at: readAt } });
    follower = f;
    app.addHook('onListen', async () => opened());
    // Before the app's onClose closes the live store: a release being loaded is closed, not switched to.
    app.addHook('preClose', async () => f.stop());
    await app.ready();
    // Following starts once the first release answers: a new one meanwhile is found by the first check.
    const followed = ready.then(() => f.start());
    followed.catch(() => undefined);
    return { app, live, follower: f, ready };
  } catch (e) {
    await live.close();
    throw e;
  }
}

/** `npm start` with RELEASES_FROM set (start.ts, once the configuration is valid): launch, listen, log, stop on a signal. */
export async function startReplica(config: ReplicaConfig, early: EarlyWorker | undefined): Promise<void> {
  let launched: LaunchedReplica;
  try {
    launched = await launchReplica(config, {
      ...(early ? { early } : {}),
      waiting: () => console.error(`waiting for the publisher's first release: ${config.RELEASES_FROM}/live.json does not exist yet`),
    });
    await launched.ready;
    await launched.app.listen({ port: config.PORT, host: config.HOST });
  } catch (e) {
    console.error(`the replica does not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  const { app, live } = launched;
  app.log.info({ release: live.release.n, dataVersion: live.dataVersion, following: config.RELEASES_FROM, listeningMs: Math.round(performance.now()) }, `replica serving ${config.BASE_URI}`);
  keepServing(app);
}
