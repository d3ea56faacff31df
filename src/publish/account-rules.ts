/**
 * The rules of the officials' accounts, without storage: roles, login names, the password policy,
 * the one-time passwords, and the refusals with a code for each rule (so a page can say it in the
 * reader's language and the command line can tell wrong usage from a refusal).
 */
import { randomInt } from 'node:crypto';
import { isAreaCode } from './area.js';
import { normalizePassword } from './password-hash.js';

export type Role = 'publisher' | 'reviewer' | 'administrator';
export const ROLES: readonly Role[] = ['publisher', 'reviewer', 'administrator'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export type PasswordProblem = 'too-short' | 'too-long' | 'same-as-name' | 'unchanged';
export type AccountProblem =
  | PasswordProblem
  | 'wrong-password' | 'name-taken' | 'no-such-user' | 'bad-name' | 'bad-role' | 'area-required' | 'area-refused' | 'bad-area' | 'bad-label';

/** A refused account operation; `problem` says which rule, for the message in the reader's language. */
export class AccountError extends Error {
  constructor(readonly problem: AccountProblem, message: string) {
    super(message);
    this.name = 'AccountError';
  }

  /** The HTTP error code for problems a browser or script can cause. */
  get code(): 'LG_ERR_BAD_LOGIN' | 'LG_ERR_PASSWORD_POLICY' | undefined {
    if (this.problem === 'wrong-password') return 'LG_ERR_BAD_LOGIN';
    if (isPasswordProblem(this.problem)) return 'LG_ERR_PASSWORD_POLICY';
    return undefined;
  }
}

const PASSWORD_PROBLEMS: readonly AccountProblem[] = ['too-short', 'too-long', 'same-as-name', 'unchanged'];
export function isPasswordProblem(p: AccountProblem): p is PasswordProblem {
  return PASSWORD_PROBLEMS.includes(p);
}

export const PASSWORD_MIN = 10;
/** Long enough for any passphrase; bounds the work a request can ask of scrypt's input stage. */
export const PASSWORD_MAX = 1000;
/** Login names: lower-case ASCII, so the same person cannot exist twice as "Amina" and "amina". */
export const NAME_RULE = /^[a-z][a-z0-9._-]{1,31}$/;

export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

/** The password policy (NIST SP 800-63B: length, not composition rules). Characters are counted after NFKC. */
export function passwordProblem(name: string, password: string, previous?: string): PasswordProblem | undefined {
  const p = normalizePassword(password);
  const length = [...p].length;
  if (length < PASSWORD_MIN) return 'too-short';
  if (length > PASSWORD_MAX) return 'too-long';
  if (p.trim().toLowerCase() === name.toLowerCase()) return 'same-as-name';
  if (previous !== undefined && p === normalizePassword(previous)) return 'unchanged';
  return undefined;
}

/**
 * What is wrong with a new account's name, role and area, if anything; the command line checks
 * this before it opens the database, and `add` checks it again.
 */
export function newAccountProblem(name: string, role: string, area: string | null): AccountError | undefined {
  const n = normalizeName(name);
  if (!NAME_RULE.test(n)) return new AccountError('bad-name', `"${name}" is not a valid name: 2 to 32 characters, a-z first, then a-z, 0-9, ".", "_" or "-"`);
  if (!isRole(role)) return new AccountError('bad-role', `unknown role "${role}": publisher, reviewer or administrator`);
  if (role === 'publisher' && area === null) return new AccountError('area-required', 'a publisher needs --area: the region (TJ-XX) or district (TJ-XX-NN) they publish for');
  if (role !== 'publisher' && area !== null) return new AccountError('area-refused', `a ${role} has no area (only publishers are limited to one)`);
  if (area !== null && !isAreaCode(area)) return new AccountError('bad-area', `"${area}" is not an area code: TJ-XX for a region or TJ-XX-NN for a district`);
  return undefined;
}

/** 16 characters from 31 that cannot be misread (no i, l, o, 0, 1): about 79 bits, grouped for reading aloud. */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
