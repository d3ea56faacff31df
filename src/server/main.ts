/**
 * `npm start`'s entry. Loading the data into Oxigraph is the longest part of start-up, so a store
 * worker starts on the live release before anything else is even loaded (the configuration code, the web
 * framework); start.ts then validates the configuration, checks that the release is current and
 * adopts that worker if it is loading the right file, or stops it and starts over.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEarlyWorker } from '../store/spawn-worker.js';

/**
 * The live release's directory as STATE_DIR/live.json names it (release-service.ts writes it each
 * time a release goes live). The environment as given, not yet validated, and the file not yet
 * checked against the state database: a wrong guess costs only the work of one thread.
 */
function guessLiveDir(): string | undefined {
  // A replica reads the publisher's pointer, and finds release n under its own mount of the shared
  // volume: the pointer's dir is a path on the publisher's (src/replica/shared-releases.ts).
  const replicaOf = process.env.RELEASES_FROM;
  try {
    const pointer = JSON.parse(readFileSync(join(replicaOf || process.env.STATE_DIR || 'state', 'live.json'), 'utf8')) as { n?: unknown; dir?: unknown };
    if (replicaOf) return typeof pointer.n === 'number' ? join(replicaOf, 'releases', String(pointer.n)) : undefined;
    return typeof pointer.dir === 'string' ? pointer.dir : undefined;
  } catch {
    return undefined; // first start: no release yet
  }
}

// With STORE=remote no worker holds the data: the remote store answers (src/store/remote/).
const dir = process.env.STORE === 'remote' ? undefined : guessLiveDir();
const early = dir ? startEarlyWorker(join(dir, 'data.nq')) : undefined;
const { start } = await import('./start.js');
await start(early);
