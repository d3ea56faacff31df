/**
 * A replica's responses tell a shared cache in front of it (deploy/nginx/cache.conf) to keep them
 * only SHARED_MAX_AGE seconds before asking again with their ETag (RFC 9111 §5.2.2.10 s-maxage:
 * for shared caches it overrides max-age). Browsers keep their max-age (five minutes for a
 * document): after a publication the cache converges within SHARED_MAX_AGE of the replicas, and a
 * revalidation that finds the data unchanged costs the replica a 304 from memory.
 *
 * Only responses a shared cache may store (`public` with a max-age) get it; `no-store`, `private`
 * and what has no Cache-Control are left as they are.
 */
import type { FastifyInstance } from 'fastify';

/** `Cache-Control` with s-maxage added (at most the max-age), or unchanged when it is not for a shared cache. */
export function withSharedMaxAge(cacheControl: string, seconds: number): string {
  const directives = cacheControl.split(',').map((d) => d.trim().toLowerCase());
  if (!directives.includes('public') || directives.some((d) => d.startsWith('s-maxage=') || d === 'no-store' || d === 'private')) return cacheControl;
  const maxAge = directives.find((d) => d.startsWith('max-age='));
  if (!maxAge) return cacheControl;
  const browser = Number(maxAge.slice('max-age='.length));
  if (!Number.isSafeInteger(browser)) return cacheControl;
  return `${cacheControl}, s-maxage=${Math.min(browser, seconds)}`;
}

export function registerSharedMaxAge(app: FastifyInstance, seconds: number): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    const cc = reply.getHeader('cache-control');
    if (typeof cc === 'string') reply.header('Cache-Control', withSharedMaxAge(cc, seconds));
    return payload;
  });
}
