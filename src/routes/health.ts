import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/app-context.js';

/** `/health`: answers at once, from what was loaded, without a query (Trifid's health plugin). */
export const healthRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/health', async (_request, reply) => {
    const info = ctx.store.info();
    reply.header('Cache-Control', 'no-store');
    return {
      status: 'ok',
      dataVersion: info.dataVersion,
      triples: info.triples,
      graphs: info.graphs,
      loadedAt: info.loadedAt.toISOString(),
      startedAt: ctx.startedAt.toISOString(),
    };
  });
};
