/**
 * The officials' accounts, their API tokens and their login sessions, in the state database.
 *
 * - Accounts are created by an administrator (`npm run users -- add`), each with a one-time
 *   password the official must replace at the first login. There is no default password.
 * - Passwords are scrypt hashes (password-hash.ts); API tokens and session ids are stored as
 *   SHA-256 fingerprints only, so a copy of state.db lets nobody sign in or call the API.
 * - Every change writes its audit row in the same transaction (src/state/audit.ts).
 * - Each account has a session epoch, stored in its sessions: changing or resetting the password
 *   and disabling the account raise it, so every session made before is dead even if a request
 *   that was in flight writes its session back afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Lang } from '../html/models.js';
import type { AuditLog } from '../state/audit.js';
import { type StateDb, migrate } from '../state/state-db.js';
import { AccountError, type Role, newAccountProblem, normalizeName, oneTimePassword, passwordProblem } from './account-rules.js';
import { DEFAULT_SCRYPT, type ScryptParams, hashPassword, needsRehash, verifyPassword } from './password-hash.js';
import { SqliteSessionStore, sessionFingerprint } from './session-store.js';

export {
  AccountError, type AccountProblem, NAME_RULE, PASSWORD_MAX, PASSWORD_MIN, type PasswordProblem, ROLES, type Role, isPasswordProblem, isRole,
  newAccountProblem, normalizeName, passwordProblem,
} from './account-rules.js';

export interface Official {
  id: number;
  name: string;
  role: Role;
  /** A region or district code for publishers (`TJ-KT`, `TJ-KT-06`); null for the other roles. */
  area: string | null;
  /** Signed in with a one-time password: may do nothing but choose a password. */
  mustChangePassword: boolean;
  /** The language the official chose for the area; null: from the browser. */
  lang: Lang | null;
}

/** An account as the administrator's list shows it. */
export interface OfficialRecord extends Official {
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

/** Who does something, for the audit log: an official, or the command line. */
export interface Actor {
  userId: number | null;
  userName: string;
  /** request.ip, or 'cli'. */
  from: string;
}

export interface ApiToken {
  id: number;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** What a session stores to name its official; see `officialForSession`. */
export interface SessionClaims {
  officialId: number;
  epoch: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** API tokens: a prefix that says what the string is (and lets secret scanners find it), then 32 random bytes. */
const TOKEN = /^lgt_[A-Za-z0-9_-]{43}$/;

interface UserRow {
  id: number; name: string; role: Role; area: string | null; password_hash: string; must_change_password: number;
  lang: Lang | null; session_epoch: number; created_at: string; last_login_at: string | null; disabled_at: string | null;
}

const toRecord = (r: UserRow): OfficialRecord => ({
  id: r.id, name: r.name, role: r.role, area: r.area, mustChangePassword: r.must_change_password === 1, lang: r.lang,
  disabled: r.disabled_at !== null, createdAt: r.created_at, lastLoginAt: r.last_login_at,
});

const toOfficial = (r: UserRow): Official => ({
  id: r.id, name: r.name, role: r.role, area: r.area, mustChangePassword: r.must_change_password === 1, lang: r.lang,
});

export interface AccountsOptions {
  /** scrypt parameters for new hashes; tests may lower them, production keeps the default. */
  scrypt?: ScryptParams;
  /** The clock, for tests. */
  now?: () => Date;
}

export class Accounts {
  private readonly scrypt: ScryptParams;
  private readonly now: () => Date;
  /** Verified against when the name is unknown, so an unknown name takes as long as a wrong password. */
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly db: StateDb, private readonly audit: AuditLog, opts: AccountsOptions = {}) {
    this.scrypt = opts.scrypt ?? DEFAULT_SCRYPT;
    this.now = opts.now ?? (() => new Date());
    migrate(db, 'accounts', [
      `CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('publisher', 'reviewer', 'administrator')),
        area TEXT,
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL,
        lang TEXT CHECK (lang IN ('tg', 'ru', 'en')),
        session_epoch INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        password_changed_at TEXT,
        last_login_at TEXT,
        disabled_at TEXT,
        CHECK ((role = 'publisher') = (area IS NOT NULL))
      )`,
      `CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users (id),
        label TEXT NOT NULL,
        token_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_id)`,
      `CREATE TABLE sessions (
        sid_sha256 TEXT PRIMARY KEY,
        user_id INTEGER REFERENCES users (id),
        data TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE INDEX sessions_expiry ON sessions (expires_at)`,
    ]);
  }

  /** The @fastify/session store over the sessions table (created by the migrations above). */
  sessionStore(opts: { ttlMs: number; now?: () => number }): SqliteSessionStore {
    return new SqliteSessionStore(this.db, opts);
  }

  private row(where: 'id' | 'name', value: number | string): UserRow | undefined {
    return this.db.prepare(`SELECT * FROM users WHERE ${where} = ?`).get(value) as UserRow | undefined;
  }

  private iso(): string {
    return this.now().toISOString();
  }

  private record(actor: Actor, action: string, target: string, detail: Record<string, unknown> = {}): void {
    this.audit.record({ userId: actor.userId, userName: actor.userName, action, target, detail, from: actor.from, at: this.iso() });
  }

  async add(name: string, role: Role, area: string | null, actor: Actor): Promise<{ official: Official; oneTimePassword: string }> {
    const invalid = newAccountProblem(name, role, area);
    if (invalid) throw invalid;
    const n = normalizeName(name);
    if (this.row('name', n)) throw new AccountError('name-taken', `an account named "${n}" exists already`);
    const password = oneTimePassword();
    const hash = await hashPassword(password, this.scrypt);
    const id = this.db.transaction(() => {
      const at = this.iso();
      const r = this.db
        .prepare('INSERT INTO users (name, role, area, password_hash, must_change_password, created_at) VALUES (?, ?, ?, ?, 1, ?)')
        .run(n, role, area, hash, at);
      this.record(actor, 'user-added', `user:${n}`, { role, area });
      return Number(r.lastInsertRowid);
    })();
    return { official: toOfficial(this.row('id', id) as UserRow), oneTimePassword: password };
  }

  /**
   * The official when the name and password match an enabled account; undefined otherwise, without
   * saying which part was wrong. Records 'login' or 'login-failed' (with the reason, for the
   * administrator). A hash made with weaker parameters than today's is replaced here.
   */
  async verifyLogin(name: string, password: string, from: string): Promise<Official | undefined> {
    const n = normalizeName(name).slice(0, 64);
    const row = this.row('name', n);
    this.dummyHash ??= hashPassword('not a password of anyone', this.scrypt);
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.dummyHash));
    const failure = !row ? 'unknown-name' : !ok ? 'wrong-password' : row.disabled_at !== null ? 'disabled' : undefined;
    if (failure || !row) {
      this.db.transaction(() => this.record({ userId: row?.id ?? null, userName: n, from }, 'login-failed', `user:${n}`, { reason: failure }))();
      return undefined;
    }
    const rehash = needsRehash(row.password_hash, this.scrypt) ? await hashPassword(password, this.scrypt) : null;
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET last_login_at = ?, password_hash = COALESCE(?, password_hash) WHERE id = ?').run(this.iso(), rehash, row.id);
      this.record({ userId: row.id, userName: row.name, from }, 'login', `user:${row.name}`, rehash ? { rehashed: true } : {});
    })();
    return toOfficial(row);
  }

  /**
   * Replaces the password after checking the current one and the policy; clears the one-time flag
   * and ends every session of the account (the caller starts a fresh one for the current browser).
   */
  async changePassword(id: number, oldPassword: string, newPassword: string, from: string): Promise<Official> {
    const row = this.row('id', id);
    if (!row || row.disabled_at !== null) throw new AccountError('no-such-user', `no enabled account with id ${id}`);
    if (!(await verifyPassword(oldPassword, row.password_hash))) {
      throw new AccountError('wrong-password', 'the current password is wrong');
    }
    const problem = passwordProblem(row.name, newPassword, oldPassword);
    if (problem) throw new AccountError(problem, `the new password breaks the policy: ${problem}`);
    const hash = await hashPassword(newPassword, this.scrypt);
    this.db.transaction(() => {
      // Only if nothing changed the password while we were hashing (another tab, a reset).
      const r = this.db
        .prepare('UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ?, session_epoch = session_epoch + 1 WHERE id = ? AND password_hash = ?')
        .run(hash, this.iso(), id, row.password_hash);
      if (r.changes !== 1) throw new AccountError('wrong-password', 'the password was changed meanwhile');
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      this.record({ userId: id, userName: row.name, from }, 'password-changed', `user:${row.name}`);
    })();
    return toOfficial(this.row('id', id) as UserRow);
  }

  /** A new one-time password (the official must change it at the next login); ends the account's sessions. API tokens stay valid. */
  async resetPassword(name: string, actor: Actor): Promise<string> {
    const row = this.existing(name);
    const password = oneTimePassword();
    const hash = await hashPassword(password, this.scrypt);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET password_hash = ?, must_change_password = 1, session_epoch = session_epoch + 1 WHERE id = ?').run(hash, row.id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(row.id);
      this.record(actor, 'password-reset', `user:${row.name}`);
    })();
    return password;
  }

  /** Disables the account: no login, its sessions end and its API tokens stop working. Rows stay for the audit trail. */
  disable(name: string, actor: Actor): void {
    const row = this.existing(name);
    if (row.disabled_at !== null) return;
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET disabled_at = ?, session_epoch = session_epoch + 1 WHERE id = ?').run(this.iso(), row.id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(row.id);
      this.record(actor, 'user-disabled', `user:${row.name}`);
    })();
  }

  private existing(name: string): UserRow {
    const n = normalizeName(name);
    const row = this.row('name', n);
    if (!row) throw new AccountError('no-such-user', `no account named "${n}"`);
    return row;
  }

  list(): OfficialRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toRecord);
  }

  /** Any account, disabled ones included (an upload's author stays known). */
  get(id: number): OfficialRecord | undefined {
    const row = this.row('id', id);
    return row ? toRecord(row) : undefined;
  }

  byName(name: string): OfficialRecord | undefined {
    const row = this.row('name', normalizeName(name));
    return row ? toRecord(row) : undefined;
  }

  /** The official's own language for the area (null: follow the browser). */
  setLanguage(id: number, lang: Lang | null, from: string): void {
    const row = this.row('id', id);
    if (!row) throw new AccountError('no-such-user', `no account with id ${id}`);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET lang = ? WHERE id = ?').run(lang, id);
      this.record({ userId: id, userName: row.name, from }, 'language-changed', `user:${row.name}`, { lang });
    })();
  }

  /** Logout: the session row goes, and the audit row says so, in one transaction. */
  endSession(sessionId: string, official: Official, from: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE sid_sha256 = ?').run(sessionFingerprint(sessionId));
      this.record({ userId: official.id, userName: official.name, from }, 'logout', `user:${official.name}`);
    })();
  }

  /** What to put into a new session for this account. */
  sessionClaims(id: number): SessionClaims {
    const row = this.row('id', id);
    if (!row) throw new AccountError('no-such-user', `no account with id ${id}`);
    return { officialId: id, epoch: row.session_epoch };
  }

  /** The official a session names, if the account is enabled and nothing has ended its sessions since. */
  officialForSession(claims: SessionClaims): Official | undefined {
    const row = this.row('id', claims.officialId);
    if (!row || row.disabled_at !== null || row.session_epoch !== claims.epoch) return undefined;
    return toOfficial(row);
  }

  /** A new API token for the official; the plaintext is returned once and only its SHA-256 is kept. */
  createToken(userId: number, label: string, from: string): string {
    const row = this.row('id', userId);
    if (!row || row.disabled_at !== null) throw new AccountError('no-such-user', `no enabled account with id ${userId}`);
    const l = label.trim();
    if (l.length < 1 || l.length > 80) throw new AccountError('bad-label', 'a token needs a name of 1 to 80 characters');
    const token = `lgt_${randomBytes(32).toString('base64url')}`;
    this.db.transaction(() => {
      const r = this.db.prepare('INSERT INTO api_tokens (user_id, label, token_sha256, created_at) VALUES (?, ?, ?, ?)').run(userId, l, sha256(token), this.iso());
      this.record({ userId, userName: row.name, from }, 'token-created', `token:${r.lastInsertRowid}`, { label: l });
    })();
    return token;
  }

  /** Revokes one of the official's own tokens; false when it is not theirs or already revoked. */
  revokeToken(userId: number, tokenId: number, from: string): boolean {
    const row = this.row('id', userId);
    if (!row) return false;
    return this.db.transaction(() => {
      const r = this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL').run(this.iso(), tokenId, userId);
      if (r.changes === 1) this.record({ userId, userName: row.name, from }, 'token-revoked', `token:${tokenId}`);
      return r.changes === 1;
    })();
  }

  /** The official's tokens that still work, newest first. */
  tokens(userId: number): ApiToken[] {
    return (this.db.prepare('SELECT id, label, created_at, last_used_at FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY id DESC').all(userId) as {
      id: number; label: string; created_at: string; last_used_at: string | null;
    }[]).map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
  }

  /**
   * The official an API token belongs to, if the token is valid, not revoked, and its account
   * enabled. The lookup is by fingerprint, so the time it takes says nothing about the token.
   */
  officialByToken(token: string): Official | undefined {
    if (!TOKEN.test(token)) return undefined;
    const row = this.db
      .prepare('SELECT u.*, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_sha256 = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL')
      .get(sha256(token)) as (UserRow & { token_id: number }) | undefined;
    if (!row) return undefined;
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(this.iso(), row.token_id);
    return toOfficial(row);
  }
}
