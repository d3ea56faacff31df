/**
 * Password hashes: scrypt (RFC 7914) from node:crypto, salted, slow and memory-hard, written as a
 * PHC string (`$scrypt$ln=15,r=8,p=3$<salt>$<hash>`) so each hash carries the parameters it was
 * made with. Raising DEFAULT_SCRYPT makes every new hash stronger, and an old hash is replaced at
 * the next successful login (`needsRehash`), without asking anyone to change their password.
 *
 * N=2^15, r=8, p=3 is one of the OWASP Password Storage Cheat Sheet's equivalent minimum settings
 * for scrypt (the same cost as N=2^17, p=1) at 32 MiB per hash instead of 128 MiB, which suits a
 * small server; it takes about 0.2 s on one core.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** log2 of N, the CPU and memory cost. */
  log2N: number;
  /** Block size. */
  r: number;
  /** Parallelisation (Node computes the p lanes one after another: time grows with p, memory does not). */
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { log2N: 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds for parameters read back from the database, so a corrupt row cannot ask for gigabytes. */
const LIMITS = { log2N: [10, 20], r: [1, 32], p: [1, 16] } as const;

/**
 * NIST SP 800-63B §5.1.1.2: normalise before hashing (NFKC), so the same password typed on two
 * keyboards (a Tajik letter such as ӣ composed or decomposed) gives the same hash.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs about 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that for
    // our defaults, so leave room instead of failing on a raised N.
    scrypt(normalizePassword(password), salt, KEY_BYTES, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `$scrypt$ln=${params.log2N},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function within(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

export function parseHash(stored: string): ParsedHash | undefined {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!m) return undefined;
  const params = { log2N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (!within(params.log2N, LIMITS.log2N) || !within(params.r, LIMITS.r) || !within(params.p, LIMITS.p)) return undefined;
  return { params, salt: Buffer.from(m[4] ?? '', 'base64'), key: Buffer.from(m[5] ?? '', 'base64') };
}

/** Compares in constant time (timingSafeEqual), so the time taken says nothing about how much matched. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length !== KEY_BYTES) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** True when the stored hash was made with weaker parameters than `params` (or cannot be read). */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const cost = (q: ScryptParams) => 2 ** q.log2N * q.r * q.p;
  return cost(parsed.params) < cost(params) || parsed.params.log2N < params.log2N;
}
