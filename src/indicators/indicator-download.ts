import type { FastifyReply, FastifyRequest } from 'fastify';
import { View } from '../html/rdf-view.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { indicatorCsv } from './indicator-csv.js';
import { isIndicatorDocument } from './indicator-page.js';
import { indicatorSlice } from './indicator-query.js';
import { sliceOf } from './indicator-slice.js';

/**
 * `/download/indicator-{id}.csv`: the figures the page /def/indicator/{id} shows, one line each
 * (design.md's `/download/{file}`; the build's own files are looked up first, so a dataset whose
 * id began with `indicator-` would shadow this, and dataset ids should not). Built from the store
 * once per data version, like every document, and sent as the other downloads are: ETag of the
 * data version and the bytes, compressed when the client allows, 304 on a matching If-None-Match.
 * Its address: indicator-paths.ts.
 */
export async function sendIndicatorCsv(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, id: string): Promise<FastifyReply> {
  const iri = `${ctx.base}def/indicator/${id}`;
  const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|indicator-csv|${id}`, async () => {
    const document = await ctx.documentQuads(iri, () => ctx.describer.document(iri));
    if (!isIndicatorDocument(document, iri)) return undefined;
    const v = new View([...document, ...(await indicatorSlice(ctx.store, ctx.base, iri))]);
    return new Representation('text/csv; charset=utf-8; header=present', indicatorCsv(v, sliceOf(v, iri, ctx.base)), ctx.dataVersion);
  });
  if (!rep) { reply.callNotFound(); return reply; }
  reply.header('Content-Disposition', `attachment; filename="indicator-${id}.csv"`);
  return sendRepresentation(request, reply, rep, { link: `<${iri}>; rel="describedby"` });
}
