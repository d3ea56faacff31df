import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { negotiate } from '../http/negotiate.js';
import { chooseLanguage } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import type { Lang, PageContext } from '../html/models.js';
import { renderCoveragePage, renderHomePage, renderSearchPage } from '../html/pages.js';
import type { AppContext } from '../server/app-context.js';
import { countryMap } from '../maps/unit-map.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { notAcceptable } from '../server/serve-document.js';

const HTML_OR_JSON = ['text/html', 'application/json'] as const;

function page(ctx: AppContext, request: FastifyRequest, path: string): PageContext {
  const q = request.query as Record<string, unknown>;
  const lang: Lang = chooseLanguage(typeof q.lang === 'string' ? q.lang : undefined, request.headers['accept-language']);
  return { lang, base: ctx.base, path, alternates: [], dataVersion: ctx.dataVersion };
}

/** HTML for people, JSON for scripts; `*` / `*` and browsers get HTML. */
function wantsJson(request: FastifyRequest, reply: FastifyReply, path: string): boolean | FastifyReply {
  const chosen = negotiate(request.headers.accept, HTML_OR_JSON);
  if ('notAcceptable' in chosen) return notAcceptable(reply, path, HTML_OR_JSON);
  return chosen.type === 'application/json';
}

/** The home, search and coverage pages. Home and coverage change only with the data: cached. */
export const pageRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  async function cachedPage(request: FastifyRequest, reply: FastifyReply, path: string, build: (p: PageContext) => Promise<{ html: string; json: unknown }>) {
    const json = wantsJson(request, reply, path);
    if (typeof json !== 'boolean') return json;
    const p = page(ctx, request, path);
    const key = `${ctx.dataVersion}|page|${path}|${json ? 'json' : p.lang}`;
    const rep = await ctx.cache.getOrBuild(key, async () => {
      const out = await build(p);
      return json
        ? new Representation('application/json; charset=utf-8', JSON.stringify(out.json), ctx.dataVersion)
        : new Representation('text/html; charset=utf-8', keepLanguage(out.html, p.lang), ctx.dataVersion, p.lang);
    });
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep, { vary: 'Accept, Accept-Language' });
  }

  app.get('/', async (request, reply) =>
    cachedPage(request, reply, '/', async (p) => {
      const model = await ctx.home();
      return { html: renderHomePage(model, p, await countryMap(ctx, p.lang)), json: model };
    }));

  app.get('/coverage', async (request, reply) =>
    cachedPage(request, reply, '/coverage', async (p) => {
      const model = await ctx.coverage();
      return { html: renderCoveragePage(model, p), json: model };
    }));

  app.get('/search', async (request, reply) => {
    const json = wantsJson(request, reply, '/search');
    if (typeof json !== 'boolean') return json;
    const q = (request.query as Record<string, unknown>).q;
    // A query string is bounded: nobody types a 200-character place name.
    const text = typeof q === 'string' ? q.slice(0, 200) : '';
    const model = (await ctx.searchIndex()).search(text);
    // Built for each request (queries are too many to keep), and sent as every page is: ETag and
    // 304, compression, the same caching.
    const p = page(ctx, request, '/search');
    const rep = json
      ? new Representation('application/json; charset=utf-8', JSON.stringify(model), ctx.dataVersion)
      : new Representation('text/html; charset=utf-8', keepLanguage(renderSearchPage(model, p), p.lang), ctx.dataVersion, p.lang);
    return sendRepresentation(request, reply, rep, { vary: 'Accept, Accept-Language' });
  });
};
