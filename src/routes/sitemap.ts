import type { FastifyPluginAsync } from 'fastify';
import { robotsTxt, sitemapXml } from '../catalog/sitemap.js';
import { STD } from '../rdf/namespaces.js';
import { sparqlString } from '../rdf/sparql-escape.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { isSafePath } from '../server/serve-document.js';

/**
 * Every page a crawler should know, absolute: the home, coverage, the catalog, VoID, the
 * vocabulary, each indicator, each named graph, and the document of every thing we mint (/doc/{path} for each
 * /id/{path} the store describes: units, governing bodies, datasets, observations, ...).
 */
export async function sitemapUrls(ctx: AppContext): Promise<string[]> {
  const base = ctx.base;
  const fixed = ['', 'coverage', 'catalog', '.well-known/void', 'def/lg'].map((p) => base + p);
  const indicators = await ctx.describer.select(
    `SELECT DISTINCT ?s WHERE { ?s a <${STD.skos}Concept> . FILTER(STRSTARTS(STR(?s), ${sparqlString(`${base}def/indicator/`)})) } ORDER BY ?s`,
  );
  const docs = [...(await ctx.knownIds())]
    .map((iri) => iri.slice(`${base}id/`.length))
    .filter(isSafePath)
    .sort()
    .map((path) => `${base}doc/${path}`);
  // The description of each named graph (/graph/{name}), which every IRI we mint must resolve to.
  const graphs = Object.keys(ctx.store.info().graphs).filter((g) => g.startsWith(`${base}graph/`)).sort();
  return [...fixed, ...indicators.map((r) => r.s?.value ?? '').filter((s) => s !== ''), ...graphs, ...docs];
}

/** `/sitemap.xml` and `/robots.txt` (design.md, "Fixed paths"), made once per data version. */
export const sitemapRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/sitemap.xml', async (request, reply) => {
    const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|sitemap`, async () =>
      new Representation('application/xml; charset=utf-8', sitemapXml(await sitemapUrls(ctx)), ctx.dataVersion));
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep);
  });
  const robots = new Representation('text/plain; charset=utf-8', robotsTxt(ctx.base), ctx.dataVersion);
  app.get('/robots.txt', async (request, reply) => sendRepresentation(request, reply, robots, { cacheControl: 'public, max-age=86400' }));
};
