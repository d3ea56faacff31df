/**
 * `npm start`'s entry. Loading the data into Oxigraph is the longest part of start-up, so a store
 * worker starts on the build before anything else is even loaded (the configuration code, the web
 * framework); start.ts then validates the configuration, checks that the build is current and
 * adopts that worker if it is loading the right file, or stops it and starts over.
 */
import { join } from 'node:path';
import { DEFAULT_BUILD_DIR } from '../config-defaults.js';
import { startEarlyWorker } from '../store/spawn-worker.js';

// The environment as given, not yet validated: a wrong guess costs only the work of one thread.
const early = startEarlyWorker(join(process.env.BUILD_DIR || DEFAULT_BUILD_DIR, 'data.nq'));
const { start } = await import('./start.js');
await start(early);
