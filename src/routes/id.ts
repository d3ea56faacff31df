import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/app-context.js';
import { isSafePath } from '../server/serve-document.js';

/**
 * `/id/{path}` names a thing, not a document: 303 See Other to the document about it (Cool URIs
 * for the Semantic Web §4.2, the 303 recipe). An IRI we never minted is a 404 right here, so a
 * client does not follow a redirect to nothing.
 */
export const idRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/id/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    if (!isSafePath(path) || !(await ctx.knownIds()).has(`${ctx.base}id/${path}`)) { reply.callNotFound(); return reply; }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return reply
      .code(303)
      .header('Location', `/doc/${path}${query}`)
      .header('Cache-Control', 'public, max-age=86400')
      .header('Vary', 'Accept')
      .send();
  });
};
