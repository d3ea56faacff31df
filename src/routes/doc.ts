import type { FastifyPluginAsync } from 'fastify';
import { renderResourcePage } from '../html/resource-page.js';
import type { AppContext } from '../server/app-context.js';
import { answerRetired } from '../server/errors.js';
import { isSafePath, queryOf, serveDocument, splitExtension } from '../server/serve-document.js';
import { unitMapQuads } from '../maps/unit-map.js';

/** `/doc/{path}` and `/doc/{path}.{ext}`: the document about `/id/{path}` (design.md). */
export const docRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/doc/*', async (request, reply) => {
    const { path, fixed } = splitExtension((request.params as { '*': string })['*']);
    const iri = `${ctx.base}id/${path}`;
    const retired = isSafePath(path) ? (await ctx.retired()).get(iri) : undefined;
    if (retired) {
      return answerRetired(ctx, request, reply, retired, 'doc', `${fixed ? `.${fixed.extension}` : ''}${queryOf(request.url)}`, fixed);
    }
    if (!isSafePath(path) || !(await ctx.knownIds()).has(iri)) { reply.callNotFound(); return reply; }
    return serveDocument(ctx, request, reply, {
      iri,
      path: `/doc/${path}`,
      ...(fixed ? { fixed } : {}),
      quads: () => ctx.describer.document(iri),
      html: (quads, page) => renderResourcePage({ iri, quads }, page),
      // A unit's page counts the figures of the units below it ("n of m units reported") and draws its map (src/maps).
      htmlQuads: async () => [...(/^(country|region|district)\//.test(path) ? await ctx.describer.figuresBelow(iri) : []), ...(await unitMapQuads(ctx, iri))],
    });
  });
};
