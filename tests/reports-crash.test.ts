import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/processes.js';
import { buildServer } from '../src/cli/build-server.js';
import { PROJECT_ROOT } from '../src/project.js';
import { STATE_DB_FILE } from '../src/state/state-db.js';
import { mulberry32 } from '../src/tools/mulberry32.js';
import { makeDataDir } from './helpers.js';

/**
 * Readers' error reports survive a kill -9 (the guide: state that must survive is durable and
 * transactional): the server as `npm start` runs it (the bundle, a child process on 127.0.0.1)
 * takes bursts of reports and is killed with SIGKILL at a moment drawn from a seeded PRNG (printed;
 * CRASH_SEED=... repeats it). After each restart every report the reader was told was received
 * (303 to the thanks page) is in state.db, whole, and nothing else is (a report either is stored
 * with all its fields or not at all).
 */
const BUNDLE = join(PROJECT_ROOT, 'dist', 'test-reports-crash');
const SEED = process.env.CRASH_SEED !== undefined ? Number(process.env.CRASH_SEED) >>> 0 : Date.now() % 2 ** 32;
const TRIES = 6;
const BURST = 40;
const PAGE = '/doc/jamoat/TJ-SU-01-01';

let dataDir: string;
let stateDir: string;
let port: number;
let child: ChildProcess | undefined;

function start(): ChildProcess {
  return spawn(process.execPath, [join(BUNDLE, 'main.js')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', BASE_URI: 'http://localhost:3000/', DATA_DIR: dataDir, STATE_DIR: stateDir,
      LOG_LEVEL: 'silent', QUERY_WORKERS: '1', REPORTS_PER_HOUR: '1000', REPORTS_PER_DAY: '100000',
    },
    stdio: 'ignore',
  });
}

async function healthy(c: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (c.exitCode !== null) throw new Error(`the server exited with ${c.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not answer /health');
}

/** One report; true when the server acknowledged it (303), false when the connection died first. */
async function report(text: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/report?lang=en`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ page: PAGE, text, contact: `${text}@example.org`, website: '' }).toString(),
    });
    return res.status === 303;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  await buildServer(BUNDLE);
  dataDir = await makeDataDir();
  stateDir = await mkdtemp(join(tmpdir(), 'lg-reports-crash-'));
  port = await freePort();
}, 120_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await rm(stateDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
  await rm(BUNDLE, { recursive: true, force: true });
});

describe('error reports and kill -9', () => {
  it('every acknowledged report is stored whole after a crash, and nothing half-written', async () => {
    console.log(`reports-crash: CRASH_SEED=${SEED}`);
    const random = mulberry32(SEED);
    const acknowledged = new Set<string>();
    const sent = new Set<string>();
    for (let t = 0; t < TRIES; t++) {
      child = start();
      await healthy(child);
      const burst = Array.from({ length: BURST }, (_, i) => {
        const text = `report ${t}-${i}: the population of 2015 is wrong`;
        sent.add(text);
        return report(text).then((ok) => { if (ok) acknowledged.add(text); });
      });
      // Killed while the burst is under way: at a moment between 0 and 150 ms after it began.
      await new Promise((r) => setTimeout(r, Math.floor(random() * 150)));
      const killed = child;
      const exited = new Promise((r) => killed.once('exit', r));
      killed.kill('SIGKILL');
      await Promise.all(burst);
      await exited;
    }
    // The state as the next start finds it.
    child = start();
    await healthy(child);
    const db = new Database(join(stateDir, STATE_DB_FILE), { readonly: true });
    try {
      const rows = db.prepare('SELECT text, contact, page, unit_code, status FROM error_reports').all() as { text: string; contact: string; page: string; unit_code: string; status: string }[];
      const stored = new Set(rows.map((r) => r.text));
      console.log(`reports-crash: ${sent.size} sent, ${acknowledged.size} acknowledged, ${rows.length} stored`);
      for (const text of acknowledged) expect(stored.has(text), text).toBe(true);
      for (const r of rows) {
        expect(sent.has(r.text), r.text).toBe(true);
        expect(r).toMatchObject({ contact: `${r.text}@example.org`, page: PAGE, unit_code: 'TJ-SU-01-01', status: 'open' });
      }
      expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length);
      expect(acknowledged.size).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  }, 240_000);
});
