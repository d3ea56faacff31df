import type { FastifyPluginAsync } from 'fastify';
import { jsonLdContext } from '../serialize/context.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';

/** `/context.jsonld`: the JSON-LD context our documents are compacted with. */
export const contextRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const rep = new Representation('application/ld+json', JSON.stringify(jsonLdContext(ctx.base), null, 2), ctx.dataVersion);
  app.get('/context.jsonld', async (request, reply) => sendRepresentation(request, reply, rep, { cacheControl: 'public, max-age=86400' }));
};
