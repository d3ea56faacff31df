import N3 from 'n3';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Quad } from '@rdfjs/types';
import { catalogQuery, restoreDatatypes } from '../catalog/catalog-query.js';
import { renderCatalogPage } from '../html/catalog-page.js';
import { FORMATS, type Format } from '../serialize/formats.js';
import type { AppContext } from '../server/app-context.js';
import { type DocumentSpec, serveDocument } from '../server/serve-document.js';

/**
 * A document at a fixed path, negotiated like any other (design.md), with its fixed variants
 * `{path}.ttl`, `{path}.jsonld`, ...: one route per variant, the path matched exactly, never parsed.
 */
export function documentRoutes(app: FastifyInstance, ctx: AppContext, spec: Omit<DocumentSpec, 'fixed'>): void {
  app.get(spec.path, async (request, reply) => serveDocument(ctx, request, reply, spec));
  for (const f of FORMATS) {
    const fixed: Format = f;
    app.get(`${spec.path}.${f.extension}`, async (request, reply) => serveDocument(ctx, request, reply, { ...spec, fixed }));
  }
}

function loadCatalogQuads(ctx: AppContext): Promise<Quad[]> {
  return ctx.store.query(catalogQuery(ctx.base), { resultsFormat: 'application/n-triples' }).then((nt) => {
    const quads = new N3.Parser({ format: 'N-Triples' }).parse(nt);
    const { quad, literal, namedNode } = N3.DataFactory;
    return restoreDatatypes(quads, (q, datatype) => quad(q.subject, q.predicate, literal(q.object.value, namedNode(datatype)), q.graph));
  });
}

/**
 * The quads of /catalog, shared (per data version, under the document's own key) by the catalog
 * document and by everything else that must say what it says: the CKAN Action API (src/ckan/).
 */
export function catalogDocumentQuads(ctx: AppContext): Promise<Quad[]> {
  return ctx.documentQuads(`${ctx.base}catalog`, () => loadCatalogQuads(ctx));
}

/**
 * `/catalog`: the DCAT-AP 3 catalog, gathered from the store (src/catalog/catalog-query.ts) once
 * per data version. The catalog is a collection of metadata records, an information resource, so
 * its IRI is this document's URL: `BASE/catalog`.
 */
export const catalogRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  documentRoutes(app, ctx, {
    iri: `${ctx.base}catalog`,
    path: '/catalog',
    quads: () => loadCatalogQuads(ctx),
    html: (quads, page) => renderCatalogPage(quads, page),
  });
};
