/**
 * Login sessions of the officials' area in the state database, as a store for @fastify/session
 * (its `set`/`get`/`destroy` callback interface, the one express-session stores use). Sessions
 * survive a restart of the service, and end SESSION_MINUTES after their last use: every request
 * that carries the cookie saves the session again (rolling), which moves `expires_at` on. The
 * expiry is checked here, on the server, whatever the browser does with the cookie's own date.
 *
 * The table (created by Accounts' migrations) holds the SHA-256 of each session id, never the id
 * itself: a copy of state.db does not let anyone take over a session. Also here: the secret that
 * signs the session cookie, made once per installation.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from 'fastify';
import type { StateDb } from '../state/state-db.js';

declare module 'fastify' {
  /** What a session of the officials' area holds besides the cookie and the CSRF secret. */
  interface Session {
    /** The signed-in official (absent before login). */
    officialId?: number;
    /** The account's session epoch at login; see Accounts.officialForSession. */
    epoch?: number;
  }
}

type Callback = (err?: Error | null) => void;
type GetCallback = (err: Error | null, session?: Session | null) => void;

/** How a session id is stored: its SHA-256, never the id. */
export const sessionFingerprint = (sessionId: string): string => createHash('sha256').update(sessionId).digest('hex');
/**
 * A session nobody has signed in to (it only holds the login form's CSRF secret) is kept at most an
 * hour, so clients that fetch the login page again and again leave rows that soon go.
 */
const ANONYMOUS_TTL_MS = 60 * 60_000;
/** Expired rows are deleted at most this often, on a write (reads ignore them anyway). */
const SWEEP_EVERY_MS = 60_000;

export class SqliteSessionStore {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(private readonly db: StateDb, opts: { ttlMs: number; now?: () => number }) {
    this.ttlMs = opts.ttlMs;
    this.now = opts.now ?? Date.now;
  }

  set(sessionId: string, session: Session, callback: Callback): void {
    try {
      const now = this.now();
      const officialId = typeof session.officialId === 'number' ? session.officialId : null;
      this.db
        .prepare(
          `INSERT INTO sessions (sid_sha256, user_id, data, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (sid_sha256) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`,
        )
        .run(sessionFingerprint(sessionId), officialId, JSON.stringify(session), now + (officialId === null ? Math.min(this.ttlMs, ANONYMOUS_TTL_MS) : this.ttlMs));
      if (now - this.lastSweep > SWEEP_EVERY_MS) {
        this.lastSweep = now;
        this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
      }
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  get(sessionId: string, callback: GetCallback): void {
    try {
      const key = sessionFingerprint(sessionId);
      const row = this.db.prepare('SELECT data, expires_at FROM sessions WHERE sid_sha256 = ?').get(key) as { data: string; expires_at: number } | undefined;
      if (!row) return callback(null, null);
      if (row.expires_at <= this.now()) {
        this.db.prepare('DELETE FROM sessions WHERE sid_sha256 = ?').run(key);
        return callback(null, null);
      }
      // Written by set() above from a session object; @fastify/session rebuilds its Session from it.
      callback(null, JSON.parse(row.data) as Session);
    } catch (e) {
      callback(e as Error);
    }
  }

  destroy(sessionId: string, callback: Callback): void {
    try {
      this.db.prepare('DELETE FROM sessions WHERE sid_sha256 = ?').run(sessionFingerprint(sessionId));
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }
}

export const SESSION_SECRET_FILE = 'session-secret';

/**
 * The secret that signs session cookies: STATE_DIR/session-secret, 32 random bytes as hex, made at
 * the first start and reused, so sessions survive a restart. Written to a temporary file (mode
 * 0600, flushed) and then linked into place: link() fails if the file exists, so of two processes
 * starting at once both end up using the one secret that won, and a secret on disk is never partial.
 */
export function loadSessionSecret(stateDir: string): string {
  const path = join(stateDir, SESSION_SECRET_FILE);
  const read = (): string | undefined => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
  let secret = read();
  if (secret === undefined) {
    mkdirSync(stateDir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
    secret = read();
  }
  if (secret === undefined || secret.length < 32) {
    throw new Error(`${path} must hold at least 32 characters (delete it to have a new secret made; every session then ends)`);
  }
  return secret;
}
