import type { FastifyPluginAsync } from 'fastify';
import type { ReplicaHealth } from '../replica/follower.js';
import type { AppContext } from '../server/app-context.js';

export interface ReleaseHealth {
  /** The release being served. */
  release: number | null;
  /** A release being built now, if any. */
  building: number | null;
  /** Set when the data to serve did not convert and an older release is served instead. */
  degraded: { since: string; reason: string; problems: number } | null;
  /** On a read-only replica (src/replica/): what it follows and where it is in following it. */
  replica?: ReplicaHealth;
}

/**
 * `/health`: answers at once, from what was loaded, without a query (Trifid's health plugin).
 * `status` is 'degraded' when the service serves an older release because the newer data did not
 * convert; the HTTP status stays 200, since every route answers.
 */
export const healthRoutes: FastifyPluginAsync<{ ctx: AppContext; releases?: () => ReleaseHealth }> = async (app, { ctx, releases }) => {
  app.get('/health', async (_request, reply) => {
    const info = ctx.store.info();
    const rel = releases?.();
    reply.header('Cache-Control', 'no-store');
    return {
      status: rel?.degraded ? 'degraded' : 'ok',
      ...(rel ? { release: rel.release, building: rel.building, degraded: rel.degraded } : {}),
      ...(rel?.replica ? { replica: rel.replica } : {}),
      dataVersion: info.dataVersion,
      triples: info.triples,
      graphs: info.graphs,
      loadedAt: info.loadedAt.toISOString(),
      startedAt: ctx.startedAt.toISOString(),
    };
  });
};
