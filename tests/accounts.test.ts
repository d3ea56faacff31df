import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Session } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountError, Accounts, type Actor } from '../src/publish/accounts.js';
import { canUploadFor, unitInArea } from '../src/publish/area.js';
import { hashPassword, verifyPassword } from '../src/publish/password-hash.js';
import { PROJECT_ROOT } from '../src/project.js';
import { AuditLog } from '../src/state/audit.js';
import { type StateDb, openStateDb } from '../src/state/state-db.js';

const ADMIN: Actor = { userId: null, userName: 'test', from: 'cli' };

let dir: string;
let db: StateDb;
let audit: AuditLog;
let accounts: Accounts;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lg-accounts-'));
  db = openStateDb(dir);
  audit = new AuditLog(db);
  accounts = new Accounts(db, audit);
});

afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const storedHash = (name: string) => (db.prepare('SELECT password_hash FROM users WHERE name = ?').get(name) as { password_hash: string }).password_hash;
const actions = () => audit.list({ limit: 100 }).map((e) => `${e.action} ${e.target} ${e.from}`).reverse();

/** The bytes SQLite has written so far: the database file and its write-ahead log. */
async function dbBytes(): Promise<string> {
  const parts = await Promise.all(['state.db', 'state.db-wal'].map((f) => readFile(join(dir, f)).catch(() => Buffer.alloc(0))));
  return Buffer.concat(parts).toString('latin1');
}

describe('passwords', () => {
  it('are hashed with scrypt, salted (the same password gives two hashes) and slow', async () => {
    const a = await accounts.add('amina', 'reviewer', null, ADMIN);
    const b = await accounts.add('bahrom', 'reviewer', null, ADMIN);
    const same = 'the same long passphrase';
    await accounts.changePassword(a.official.id, a.oneTimePassword, same, '10.0.0.1');
    await accounts.changePassword(b.official.id, b.oneTimePassword, same, '10.0.0.2');
    const [ha, hb] = [storedHash('amina'), storedHash('bahrom')];
    expect(ha).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(ha).not.toBe(hb);
    expect(ha + hb).not.toContain(same);
    const started = performance.now();
    expect(await verifyPassword(same, ha)).toBe(true);
    // 32 MiB of memory-hard work: no machine does it in less than a few milliseconds.
    expect(performance.now() - started).toBeGreaterThan(20);
  });

  it('signs in with the right password only, whatever the case of the name', async () => {
    const { official, oneTimePassword } = await accounts.add('Amina', 'publisher', 'TJ-KT-06', ADMIN);
    expect(official).toEqual({ id: official.id, name: 'amina', role: 'publisher', area: 'TJ-KT-06', mustChangePassword: true, lang: null });
    expect(await accounts.verifyLogin(' AMINA ', oneTimePassword, '10.0.0.1')).toMatchObject({ name: 'amina', mustChangePassword: true });
    expect(await accounts.verifyLogin('amina', `${oneTimePassword}x`, '10.0.0.1')).toBeUndefined();
    expect(await accounts.verifyLogin('nobody', oneTimePassword, '10.0.0.2')).toBeUndefined();
    expect(actions()).toEqual(['user-added user:amina cli', 'login user:amina 10.0.0.1', 'login-failed user:amina 10.0.0.1', 'login-failed user:nobody 10.0.0.2']);
    expect(audit.list({ limit: 2 }).map((e) => e.detail)).toEqual([{ reason: 'unknown-name' }, { reason: 'wrong-password' }]);
  });

  it('refuses a disabled account, even with the right password, and stops its tokens', async () => {
    const { official, oneTimePassword } = await accounts.add('amina', 'reviewer', null, ADMIN);
    await accounts.changePassword(official.id, oneTimePassword, 'a good long password', 'x');
    const token = accounts.createToken(official.id, 'script', 'x');
    accounts.disable('amina', ADMIN);
    expect(await accounts.verifyLogin('amina', 'a good long password', 'x')).toBeUndefined();
    expect(accounts.officialByToken(token)).toBeUndefined();
    expect(accounts.get(official.id)).toMatchObject({ disabled: true });
    expect(audit.list({ limit: 1 })[0]).toMatchObject({ action: 'login-failed', detail: { reason: 'disabled' } });
  });

  it('enforces the policy with a code for each rule, and checks the current password', async () => {
    const { official, oneTimePassword } = await accounts.add('khurshedjon', 'reviewer', null, ADMIN);
    const refusal = (oldPw: string, newPw: string) =>
      accounts.changePassword(official.id, oldPw, newPw, 'x').then(() => undefined, (e: AccountError) => [e.problem, e.code]);
    expect(await refusal(oneTimePassword, 'short')).toEqual(['too-short', 'LG_ERR_PASSWORD_POLICY']);
    expect(await refusal(oneTimePassword, 'Khurshedjon')).toEqual(['same-as-name', 'LG_ERR_PASSWORD_POLICY']);
    expect(await refusal(oneTimePassword, oneTimePassword)).toEqual(['unchanged', 'LG_ERR_PASSWORD_POLICY']);
    expect(await refusal(oneTimePassword, 'x'.repeat(1001))).toEqual(['too-long', 'LG_ERR_PASSWORD_POLICY']);
    expect(await refusal('wrong current password', 'a good long password')).toEqual(['wrong-password', 'LG_ERR_BAD_LOGIN']);
    // Ten characters are enough, counted as characters (Cyrillic letters are two bytes each).
    const changed = await accounts.changePassword(official.id, oneTimePassword, 'Ҷумъаи хуш', 'x');
    expect(changed.mustChangePassword).toBe(false);
    expect(await accounts.verifyLogin('khurshedjon', oneTimePassword, 'x')).toBeUndefined();
    expect(await accounts.verifyLogin('khurshedjon', 'Ҷумъаи хуш', 'x')).toMatchObject({ mustChangePassword: false });
    // The same password typed with a decomposed ӣ (и + combining macron) is the same password.
    await accounts.changePassword(official.id, 'Ҷумъаи хуш', 'Тоҷикӣ забони ман', 'x');
    expect(await accounts.verifyLogin('khurshedjon', 'Тоҷики\u0304 забони ман', 'x')).toBeDefined();
  });

  it('replaces a hash made with weaker parameters at the next login', async () => {
    const { official } = await accounts.add('amina', 'reviewer', null, ADMIN);
    db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?').run(await hashPassword('an older long password', { log2N: 10, r: 8, p: 1 }), official.id);
    expect(await accounts.verifyLogin('amina', 'an older long password', 'x')).toBeDefined();
    expect(storedHash('amina')).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$/);
    expect(await accounts.verifyLogin('amina', 'an older long password', 'x')).toBeDefined();
  });

  it('resets to a new one-time password that must be changed', async () => {
    const { official, oneTimePassword } = await accounts.add('amina', 'reviewer', null, ADMIN);
    await accounts.changePassword(official.id, oneTimePassword, 'a good long password', 'x');
    const fresh = await accounts.resetPassword('amina', ADMIN);
    expect(fresh).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await accounts.verifyLogin('amina', 'a good long password', 'x')).toBeUndefined();
    expect(await accounts.verifyLogin('amina', fresh, 'x')).toMatchObject({ mustChangePassword: true });
    await expect(accounts.resetPassword('nobody', ADMIN)).rejects.toMatchObject({ problem: 'no-such-user' });
  });

  it('refuses accounts whose role and area do not fit', async () => {
    const problem = (name: string, role: 'publisher' | 'reviewer', area: string | null) =>
      accounts.add(name, role, area, ADMIN).then(() => undefined, (e: AccountError) => e.problem);
    expect(await problem('amina', 'publisher', null)).toBe('area-required');
    expect(await problem('amina', 'reviewer', 'TJ-KT')).toBe('area-refused');
    expect(await problem('amina', 'publisher', 'TJ-KT-6')).toBe('bad-area');
    expect(await problem('a b', 'reviewer', null)).toBe('bad-name');
    expect(await problem('amina', 'publisher', 'TJ-KT')).toBeUndefined();
    expect(await problem('AMINA', 'reviewer', null)).toBe('name-taken');
    expect(accounts.list().map((o) => o.name)).toEqual(['amina']);
  });
});

describe('API tokens', () => {
  it('are stored as fingerprints only, found by the plaintext, and revocable by their owner only', async () => {
    const a = await accounts.add('amina', 'publisher', 'TJ-KT-06', ADMIN);
    const b = await accounts.add('bahrom', 'reviewer', null, ADMIN);
    const token = accounts.createToken(a.official.id, 'monthly upload', '10.0.0.1');
    expect(token).toMatch(/^lgt_[A-Za-z0-9_-]{43}$/);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = await dbBytes();
    expect(bytes).not.toContain(token);
    expect(bytes).not.toContain(token.slice(4));
    expect(accounts.officialByToken(token)).toMatchObject({ name: 'amina', role: 'publisher' });
    expect(accounts.officialByToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(accounts.officialByToken('Bearer nonsense')).toBeUndefined();
    const [listed] = accounts.tokens(a.official.id);
    expect(listed).toMatchObject({ label: 'monthly upload' });
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(accounts.revokeToken(b.official.id, listed?.id ?? 0, 'x')).toBe(false);
    expect(accounts.officialByToken(token)).toBeDefined();
    expect(accounts.revokeToken(a.official.id, listed?.id ?? 0, 'x')).toBe(true);
    expect(accounts.officialByToken(token)).toBeUndefined();
    expect(accounts.tokens(a.official.id)).toEqual([]);
    expect(actions().filter((x) => x.startsWith('token'))).toEqual([`token-created token:${listed?.id} 10.0.0.1`, `token-revoked token:${listed?.id} x`]);
    expect(() => accounts.createToken(a.official.id, '  ', 'x')).toThrow(AccountError);
  });
});

describe('sessions', () => {
  const session = (officialId?: number) => ({ cookie: { originalMaxAge: 1000 }, officialId }) as unknown as Session;
  const get = (store: ReturnType<Accounts['sessionStore']>, sid: string) =>
    new Promise<Session | null | undefined>((resolve, reject) => store.get(sid, (err, s) => (err ? reject(err) : resolve(s))));
  const set = (store: ReturnType<Accounts['sessionStore']>, sid: string, s: Session) =>
    new Promise<void>((resolve, reject) => store.set(sid, s, (err) => (err ? reject(err) : resolve())));

  it('expire a fixed time after their last use, and store no session id', async () => {
    let now = 1_000_000;
    const store = accounts.sessionStore({ ttlMs: 60_000, now: () => now });
    await set(store, 'sid-one', session());
    now += 59_000;
    expect(await get(store, 'sid-one')).toMatchObject({ cookie: { originalMaxAge: 1000 } });
    await set(store, 'sid-one', session()); // used again: another 60 s from now
    now += 59_000;
    expect(await get(store, 'sid-one')).not.toBeNull();
    now += 1_001;
    expect(await get(store, 'sid-one')).toBeNull();
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    await set(store, 'sid-two', session());
    expect(await dbBytes()).not.toContain('sid-two');
    await new Promise<void>((resolve) => store.destroy('sid-two', () => resolve()));
    expect(await get(store, 'sid-two')).toBeNull();
  });

  it('end when the password changes or the account is disabled', async () => {
    const { official, oneTimePassword } = await accounts.add('amina', 'reviewer', null, ADMIN);
    const store = accounts.sessionStore({ ttlMs: 60_000 });
    const claims = accounts.sessionClaims(official.id);
    await set(store, 'laptop', session(official.id));
    expect(accounts.officialForSession(claims)).toMatchObject({ name: 'amina' });
    await accounts.changePassword(official.id, oneTimePassword, 'a good long password', 'x');
    expect(await get(store, 'laptop')).toBeNull();
    // A request that was in flight and writes its session back cannot revive the old login.
    expect(accounts.officialForSession(claims)).toBeUndefined();
    const fresh = accounts.sessionClaims(official.id);
    expect(accounts.officialForSession(fresh)).toBeDefined();
    accounts.disable('amina', ADMIN);
    expect(accounts.officialForSession(fresh)).toBeUndefined();
  });
});

describe('areas', () => {
  it.each([
    ['TJ-KT-06', 'TJ-KT-06', true],
    ['TJ-KT-06-03', 'TJ-KT-06', true],
    ['TJ-KT-06-03', 'TJ-KT', true],
    ['TJ-KT-16', 'TJ-KT-1', false],
    ['TJ-KT-07-01', 'TJ-KT-06', false],
    ['TJ-SU-06', 'TJ-KT', false],
    ['TJ-KTX', 'TJ-KT', false],
  ])('%s in %s: %s', (unit, area, inside) => {
    expect(unitInArea(unit, area)).toBe(inside);
  });

  it('lets only publishers upload, inside their own area', () => {
    expect(canUploadFor({ role: 'publisher', area: 'TJ-KT' }, 'TJ-KT-06')).toBe(true);
    expect(canUploadFor({ role: 'publisher', area: 'TJ-KT-06' }, 'TJ-KT')).toBe(false);
    expect(canUploadFor({ role: 'reviewer', area: null }, 'TJ-KT-06')).toBe(false);
    expect(canUploadFor({ role: 'administrator', area: null }, 'TJ-KT')).toBe(false);
  });
});

describe('npm run users', () => {
  async function users(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/users.ts'), ...args], {
        cwd: PROJECT_ROOT, env: { ...process.env, STATE_DIR: dir },
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it('adds an account and prints a one-time password that signs in once and must be changed', async () => {
    const out = await users(['add', 'amina', '--role', 'publisher', '--area', 'TJ-KT-06']);
    expect(out.code).toBe(0);
    const password = /One-time password: (\S+)/.exec(out.stdout)?.[1] ?? '';
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(await accounts.verifyLogin('amina', password, 'x')).toMatchObject({ role: 'publisher', area: 'TJ-KT-06', mustChangePassword: true });
    expect(audit.list({ limit: 10 }).map((e) => [e.action, e.from]).reverse()).toEqual([['user-added', 'cli'], ['login', 'x']]);
    expect((await users(['list'])).stdout).toMatch(/^amina\s+publisher\s+TJ-KT-06\s+one-time password/m);
  });

  it('refuses wrong usage with exit code 2 and a refusal with 1, each with a clear message', async () => {
    const noArea = await users(['add', 'amina', '--role', 'publisher']);
    expect(noArea).toMatchObject({ code: 2 });
    expect(noArea.stderr).toContain('a publisher needs --area');
    const badRole = await users(['add', 'amina', '--role', 'king']);
    expect(badRole).toMatchObject({ code: 2 });
    expect(badRole.stderr).toContain('unknown role "king"');
    expect((await users(['add', 'amina', '--role', 'reviewer', '--area', 'TJ-KT'])).stderr).toContain('a reviewer has no area');
    expect((await users(['add', 'amina', '--role', 'publisher', '--area', 'Khatlon'])).code).toBe(2);
    expect((await users(['frobnicate'])).code).toBe(2);
    expect((await users(['add', 'amina', '--role', 'reviewer', '--colour', 'red'])).code).toBe(2);
    expect(accounts.list()).toEqual([]);
    expect((await users(['add', 'amina', '--role', 'reviewer'])).code).toBe(0);
    const again = await users(['add', 'amina', '--role', 'reviewer']);
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toContain('exists already');
    expect(await users(['disable', 'nobody'])).toMatchObject({ code: 1 });
  });

  it('resets a password and disables an account', async () => {
    await users(['add', 'amina', '--role', 'reviewer']);
    const reset = await users(['reset-password', 'amina']);
    const password = /: (\S+)\n/.exec(reset.stdout)?.[1] ?? '';
    expect(await accounts.verifyLogin('amina', password, 'x')).toMatchObject({ mustChangePassword: true });
    expect((await users(['disable', 'amina'])).code).toBe(0);
    expect(await accounts.verifyLogin('amina', password, 'x')).toBeUndefined();
    expect(actions()).toEqual(expect.arrayContaining(['password-reset user:amina cli', 'user-disabled user:amina cli']));
  });
});
