import type { FastifyPluginAsync } from 'fastify';
import { renderResourcePage } from '../html/resource-page.js';
import { indicatorCsvPath } from '../indicators/indicator-paths.js';
import type { AppContext } from '../server/app-context.js';
import { isSafePath, serveDocument, splitExtension } from '../server/serve-document.js';

/**
 * The vocabulary at `/def/lg` (terms are `/def/lg#Term`, the hash namespace of the Best Practice
 * Recipes for Publishing RDF Vocabularies, recipe 3), the SHACL shapes the data is checked with at
 * `/def/lg-shapes` (shapes are `/def/lg-shapes#Shape`) and the indicators at `/def/indicator/{id}`,
 * all negotiated like any document. The pages' code (the vocabulary's, the shapes', the
 * indicators' with their strings and queries) loads with the first request for one, not at
 * start-up (README, "Start-up").
 */
export const defRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/def/*', async (request, reply) => {
    const { path, fixed } = splitExtension((request.params as { '*': string })['*']);
    if (!isSafePath(path)) { reply.callNotFound(); return reply; }
    const iri = `${ctx.base}def/${path}`;
    const common = { iri, path: `/def/${path}`, ...(fixed ? { fixed } : {}) };
    if (path === 'lg') {
      return serveDocument(ctx, request, reply, { ...common, quads: () => ctx.describer.vocabulary(), html: async (quads, page) => (await import('../html/vocabulary-page.js')).renderVocabularyPage(quads, page) });
    }
    if (path === 'lg-shapes') {
      return serveDocument(ctx, request, reply, { ...common, quads: async () => (await import('../describe/published-shapes.js')).publishedShapes(ctx.store, ctx.base), html: async (quads, page) => (await import('../html/shapes-page.js')).renderShapesPage(quads, page) });
    }
    if (/^indicator\/[a-z0-9-]+$/.test(path)) {
      // An indicator's page shows its figures in every unit (src/indicators/); the scheme
      // (/def/indicator/scheme) and its RDF variants are the concept's document alone.
      const accessed = new Date().toISOString().slice(0, 10);
      const csvHref = indicatorCsvPath(path.slice('indicator/'.length));
      return serveDocument(ctx, request, reply, {
        ...common,
        quads: () => ctx.describer.document(iri),
        htmlQuads: async () => (await import('../indicators/page-quads.js')).indicatorPageQuads(ctx, iri),
        htmlVariant: accessed,
        html: async (quads, page) => {
          const { isIndicatorDocument, renderIndicatorPage } = await import('../indicators/indicator-page.js');
          return isIndicatorDocument(quads, iri) ? renderIndicatorPage({ iri, quads, accessed, csvHref }, page) : renderResourcePage({ iri, quads }, page);
        },
      });
    }
    { reply.callNotFound(); return reply; }
  });
};
