import type { FastifyPluginAsync } from 'fastify';
import { renderResourcePage } from '../html/resource-page.js';
import type { AppContext } from '../server/app-context.js';
import { answerRetired } from '../server/errors.js';
import { isSafePath, queryOf, serveDocument, splitExtension } from '../server/serve-document.js';
import { unitMapQuads } from '../maps/unit-map.js';
import type { ProfileInput } from '../html/profile.js';
import { unitsWithin } from '../describe/units-within.js';

/** What a profile reads beyond its quads: the coverage (once per data version), the units inside, the release served. */
async function profileInput(ctx: AppContext, iri: string): Promise<ProfileInput> {
  const [coverage, inside] = await Promise.all([ctx.coverage(), unitsWithin(ctx.describer, iri, ctx.base)]);
  return { coverage, inside, release: ctx.build().n };
}

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
    // A district's, region's and the country's page is a profile (src/html/profile.ts).
    const isProfile = /^(country|region|district)\//.test(path);
    return serveDocument(ctx, request, reply, {
      iri,
      path: `/doc/${path}`,
      ...(fixed ? { fixed } : {}),
      quads: () => ctx.describer.document(iri),
      html: async (quads, page) => renderResourcePage({ iri, quads, ...(isProfile ? { profile: await profileInput(ctx, iri) } : {}) }, page),
      // The profile names the release it was made from; two releases may hold the same data version.
      ...(isProfile ? { htmlVariant: `release-${ctx.build().n ?? 'none'}` } : {}),
      // A unit's page counts the figures of the units below it ("n of m units reported") and draws its map (src/maps).
      htmlQuads: async () => [...(isProfile ? await ctx.describer.figuresBelow(iri) : []), ...(await unitMapQuads(ctx, iri))],
    });
  });
};
