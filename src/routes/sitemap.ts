import type { FastifyPluginAsync } from 'fastify';
import { type SitemapEntry, robotsTxt, sitemapXml } from '../catalog/sitemap.js';
import { LANGS } from '../html/models.js';
import { STD } from '../rdf/namespaces.js';
import { sparqlString } from '../rdf/sparql-escape.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { isSafePath } from '../server/serve-document.js';

/**
 * Every page a crawler should know, absolute: the home, coverage, "Use this data", the catalog, VoID, the
 * vocabulary, each indicator, each named graph, and the document of every thing we mint
 * (/doc/{path} for each /id/{path} the store describes: units, governing bodies, datasets,
 * observations, ...); each with its lastmod: a document's is the newest dct:modified of the datasets
 * whose graphs say something about its thing (a release that changed a district's figures dates
 * that district's page, not every page); the other pages take the newest of all.
 */
export async function sitemapEntries(ctx: AppContext): Promise<SitemapEntry[]> {
  const base = ctx.base;
  const indicators = await ctx.describer.select(
    `SELECT DISTINCT ?s WHERE { ?s a <${STD.skos}Concept> . FILTER(STRSTARTS(STR(?s), ${sparqlString(`${base}def/indicator/`)})) } ORDER BY ?s`,
  );
  const modified = await ctx.describer.select(`SELECT ?s (MAX(STR(?m)) AS ?mod) WHERE {
    { SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${sparqlString(`${base}id/`)})) } }
    BIND(IRI(CONCAT(${sparqlString(`${base}id/dataset/`)}, STRAFTER(STR(?g), ${sparqlString(`${base}graph/`)}))) AS ?ds)
    GRAPH ?g { ?ds <${STD.dct}modified> ?m }
  } GROUP BY ?s`);
  const lastmod = new Map(modified.map((r) => [r.s?.value ?? '', (r.mod?.value ?? '').slice(0, 10)]));
  const newest = [...lastmod.values()].sort().pop();
  const latest = (loc: string, iri?: string): SitemapEntry => {
    const m = (iri ? lastmod.get(iri) : undefined) ?? newest;
    return m ? { loc, lastmod: m } : { loc };
  };
  const fixed = ['', 'coverage', 'use-data', 'catalog', '.well-known/void', 'def/lg', 'def/lg-shapes'].map((p) => latest(base + p));
  const docs = [...(await ctx.knownIds())]
    .map((iri) => iri.slice(`${base}id/`.length))
    .filter(isSafePath)
    .sort()
    .map((path) => latest(`${base}doc/${path}`, `${base}id/${path}`));
  // The description of each named graph (/graph/{name}), which every IRI we mint must resolve to.
  const graphs = Object.keys(ctx.store.info().graphs).filter((g) => g.startsWith(`${base}graph/`)).sort()
    .map((g) => latest(g, `${base}id/dataset/${g.slice(`${base}graph/`.length)}`));
  return [...fixed, ...indicators.map((r) => r.s?.value ?? '').filter((s) => s !== '').map((s) => latest(s)), ...graphs, ...docs];
}

/** `/sitemap.xml` and `/robots.txt` (design.md, "Fixed paths"), made once per data version. */
export const sitemapRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/sitemap.xml', async (request, reply) => {
    const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|sitemap`, async () =>
      new Representation('application/xml; charset=utf-8', sitemapXml(await sitemapEntries(ctx), LANGS), ctx.dataVersion));
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep);
  });
  const robots = new Representation('text/plain; charset=utf-8', robotsTxt(ctx.base), ctx.dataVersion);
  app.get('/robots.txt', async (request, reply) => sendRepresentation(request, reply, robots, { cacheControl: 'public, max-age=86400' }));
};
