import type { FastifyPluginAsync } from 'fastify';
import { renderResourcePage } from '../html/resource-page.js';
import { renderVocabularyPage } from '../html/vocabulary-page.js';
import { renderShapesPage } from '../html/shapes-page.js';
import { publishedShapes } from '../describe/published-shapes.js';
import { indicatorCsvPath } from '../indicators/indicator-download.js';
import { isIndicatorDocument, renderIndicatorPage } from '../indicators/indicator-page.js';
import { indicatorPageQuads } from '../indicators/page-quads.js';
import type { AppContext } from '../server/app-context.js';
import { isSafePath, serveDocument, splitExtension } from '../server/serve-document.js';

/**
 * The vocabulary at `/def/lg` (terms are `/def/lg#Term`, the hash namespace of the Best Practice
 * Recipes for Publishing RDF Vocabularies, recipe 3), the SHACL shapes the data is checked with at
 * `/def/lg-shapes` (shapes are `/def/lg-shapes#Shape`) and the indicators at `/def/indicator/{id}`,
 * all negotiated like any document.
 */
export const defRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/def/*', async (request, reply) => {
    const { path, fixed } = splitExtension((request.params as { '*': string })['*']);
    if (!isSafePath(path)) { reply.callNotFound(); return reply; }
    const iri = `${ctx.base}def/${path}`;
    const common = { iri, path: `/def/${path}`, ...(fixed ? { fixed } : {}) };
    if (path === 'lg') {
      return serveDocument(ctx, request, reply, { ...common, quads: () => ctx.describer.vocabulary(), html: (quads, page) => renderVocabularyPage(quads, page) });
    }
    if (path === 'lg-shapes') {
      return serveDocument(ctx, request, reply, { ...common, quads: () => publishedShapes(ctx.store, ctx.base), html: (quads, page) => renderShapesPage(quads, page) });
    }
    if (/^indicator\/[a-z0-9-]+$/.test(path)) {
      // An indicator's page shows its figures in every unit (src/indicators/); the scheme
      // (/def/indicator/scheme) and its RDF variants are the concept's document alone.
      const accessed = new Date().toISOString().slice(0, 10);
      const csvHref = indicatorCsvPath(path.slice('indicator/'.length));
      return serveDocument(ctx, request, reply, {
        ...common,
        quads: () => ctx.describer.document(iri),
        htmlQuads: () => indicatorPageQuads(ctx, iri),
        htmlVariant: accessed,
        html: (quads, page) => (isIndicatorDocument(quads, iri) ? renderIndicatorPage({ iri, quads, accessed, csvHref }, page) : renderResourcePage({ iri, quads }, page)),
      });
    }
    { reply.callNotFound(); return reply; }
  });
};
