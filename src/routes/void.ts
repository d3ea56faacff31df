import type { FastifyPluginAsync } from 'fastify';
import { voidDocumentIri } from '../catalog/void.js';
import { renderVoidPage } from '../html/void-page.js';
import type { AppContext } from '../server/app-context.js';
import { documentRoutes } from './catalog.js';

/**
 * `/.well-known/void`: the VoID description of the whole dataset (VoID §7.2, the well-known
 * location of RFC 5785), negotiated: Turtle or any RDF type for machines, a page for people.
 */
export const voidRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  documentRoutes(app, ctx, {
    iri: voidDocumentIri(ctx.base),
    path: '/.well-known/void',
    quads: () => ctx.voidDescription(),
    html: (quads, page) => renderVoidPage(quads, page),
  });
};
