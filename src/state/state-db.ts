/**
 * The service's durable state (accounts, sessions, tokens, uploads, reviews, releases, audit):
 * one SQLite database under STATE_DIR, opened by one process. No server to run, and every write is
 * a transaction: after a kill -9 the database holds what was committed and nothing half-done.
 *
 * Each feature owns its tables and declares them as a numbered list of migrations under its own
 * name (`migrate(db, 'accounts', [...])`); the applied numbers are kept in `schema_migrations`, so a
 * newer version adds tables and columns without touching what is stored.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type StateDb = Database.Database;

export const STATE_DB_FILE = 'state.db';

/** Opens (creating if needed) STATE_DIR/state.db with the settings the durability promise rests on. */
export function openStateDb(stateDir: string): StateDb {
  mkdirSync(stateDir, { recursive: true });
  const db = new Database(join(stateDir, STATE_DB_FILE));
  // WAL: readers never wait for a writer; synchronous=FULL: a transaction that returned is on disk
  // (an acknowledged upload, review or release survives a crash of the machine, not only of the process).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (feature TEXT NOT NULL, n INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (feature, n))');
  return db;
}

/** An in-memory database with the same settings, for tests of one feature. */
export function memoryStateDb(): StateDb {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (feature TEXT NOT NULL, n INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (feature, n))');
  return db;
}

/**
 * Applies the feature's migrations that are not applied yet, each in its own transaction with its
 * record in schema_migrations. Migrations are append-only: never edit one that has shipped.
 */
export function migrate(db: StateDb, feature: string, steps: readonly string[]): void {
  const done = new Set(
    (db.prepare('SELECT n FROM schema_migrations WHERE feature = ?').all(feature) as { n: number }[]).map((r) => r.n),
  );
  steps.forEach((sql, i) => {
    const n = i + 1;
    if (done.has(n)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (feature, n, applied_at) VALUES (?, ?, ?)').run(feature, n, new Date().toISOString());
    })();
  });
}
