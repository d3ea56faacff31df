import { createHash } from 'node:crypto';

/**
 * The data version: the first 16 hex digits of the SHA-256 of the build's N-Quads. The converter
 * writes it to build-info.json; the store checks the bytes it loads against it, so everything keyed
 * on it (ETags, caches, /health) names exactly the data being served.
 */
export function dataVersionOf(nquads: string | Uint8Array): string {
  return createHash('sha256').update(nquads).digest('hex').slice(0, 16);
}
