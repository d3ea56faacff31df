import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/app-context.js';
import { answerRetired } from '../server/errors.js';
import { isSafePath, queryOf } from '../server/serve-document.js';

/**
 * `/id/{path}` names a thing, not a document: 303 See Other to the document about it (Cool URIs
 * for the Semantic Web §4.2, the 303 recipe). An IRI we never minted is a 404 right here, so a
 * client does not follow a redirect to nothing; a retired unit's is 301 to its successor or 410.
 */
export const idRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/id/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const iri = `${ctx.base}id/${path}`;
    const query = queryOf(request.url);
    const retired = isSafePath(path) ? (await ctx.retired()).get(iri) : undefined;
    if (retired) return answerRetired(ctx, request, reply, retired, 'id', query);
    if (!isSafePath(path) || !(await ctx.knownIds()).has(iri)) { reply.callNotFound(); return reply; }
    return reply
      .code(303)
      .header('Location', `/doc/${path}${query}`)
      .header('Cache-Control', 'public, max-age=86400')
      .header('Vary', 'Accept')
      .send();
  });
};
