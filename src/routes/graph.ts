import type { FastifyPluginAsync } from 'fastify';
import { renderResourcePage } from '../html/resource-page.js';
import type { AppContext } from '../server/app-context.js';
import { serveDocument, splitExtension } from '../server/serve-document.js';

/**
 * What a named graph holds: a dataset for the dataset graphs; the vocabulary, and the catalog for
 * the graphs of shared metadata (they hold no dataset of their own).
 */
function topicOf(base: string, graph: string): string {
  if (graph === 'vocabulary') return `${base}def/lg`;
  if (graph === 'catalog' || graph === 'distributions') return `${base}catalog`;
  return `${base}id/dataset/${graph}`;
}

/** `/graph/{dataset}`: a description of the named graph (the dataset it holds, its size). */
export const graphRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/graph/:name', async (request, reply) => {
    const { path, fixed } = splitExtension((request.params as { name: string }).name);
    const iri = `${ctx.base}graph/${path}`;
    const triples = ctx.store.info().graphs[iri];
    if (!/^[a-z][a-z0-9-]*$/.test(path) || triples === undefined) { reply.callNotFound(); return reply; }
    return serveDocument(ctx, request, reply, {
      iri,
      path: `/graph/${path}`,
      ...(fixed ? { fixed } : {}),
      quads: () => ctx.describer.graph(iri, topicOf(ctx.base, path), triples),
      html: (quads, page) => renderResourcePage({ iri, quads }, page),
    });
  });
};
