import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../src/config.js';
import { LIVE_POINTER } from '../src/releases/release-service.js';
import { launch } from '../src/server/start.js';

/**
 * A STATE_DIR whose release 1 is already built from the shipped data/, for a test's own server:
 * start-up finds it current (same data/, vocabulary, shapes, base URI and converter) and only loads
 * it, instead of converting data/ again. Each publishing server on the shipped data converted it at
 * start (several seconds of a core each; hostile-requests alone started five).
 *
 * The first test of the run that asks makes it, as the service's own first start does (launch, then
 * stopped); the others wait for it, and each gets a copy of its own. Two test processes ask at once
 * at most: the one that creates the lock directory makes it, the other polls for the `ready` mark.
 */
const READY = 'ready';
const LOCK = '.making';
const WAIT_MS = 180_000;

async function seeded(base: string): Promise<string | undefined> {
  const template = inject('seededStateDir');
  if (template === undefined) return undefined;
  const state = join(template, 'state');
  if (existsSync(join(template, READY))) return state;
  mkdirSync(template, { recursive: true });
  let mine = false;
  try {
    mkdirSync(join(template, LOCK));
    mine = true;
  } catch {
    // another test process is making it
  }
  if (mine) {
    try {
      rmSync(state, { recursive: true, force: true });
      const launched = await launch(loadConfig({ BASE_URI: base, STATE_DIR: state, QUERY_WORKERS: '1', LOG_LEVEL: 'silent' }), { logger: false });
      await launched.ready;
      await launched.app.close();
      writeFileSync(join(template, READY), '');
      return state;
    } finally {
      rmSync(join(template, LOCK), { recursive: true, force: true });
    }
  }
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    if (existsSync(join(template, READY))) return state;
    // The maker failed (its lock is gone without the mark): this test converts on its own.
    if (!existsSync(join(template, LOCK)) || Date.now() - statSync(join(template, LOCK)).mtimeMs > WAIT_MS) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** Copies the seeded state into `dir` (an empty STATE_DIR); false if there is none (the server then converts data/ itself). */
export async function copySeededState(dir: string, base: string): Promise<boolean> {
  const from = await seeded(base);
  if (from === undefined) return false;
  cpSync(from, dir, { recursive: true });
  // The pointer names the live release's directory by its absolute path: this copy's own.
  const pointer = join(dir, LIVE_POINTER);
  if (existsSync(pointer)) {
    const { n } = JSON.parse(readFileSync(pointer, 'utf8')) as { n: number };
    writeFileSync(pointer, `${JSON.stringify({ n, dir: join(dir, 'releases', String(n)) })}\n`);
  }
  return true;
}
