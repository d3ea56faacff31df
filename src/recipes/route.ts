import type { FastifyPluginAsync } from 'fastify';
import { negotiate } from '../http/negotiate.js';
import { chooseLanguage } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import type { PageContext } from '../html/models.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { notAcceptable } from '../server/serve-document.js';
import { USE_DATA_PATH } from './path.js';

const HTML = ['text/html'] as const;

/**
 * `/use-data`, the "Use this data" page: HTML only (its programs are the data a script would want,
 * and they are in src/recipes/recipes.ts), one per language, built once per data version (the
 * footer names it) and sent as every page is: ETag and 304, compression, Vary. The page's template
 * and recipes (page.ts) load when the page is first built, not at start-up (README, "Start-up").
 */
export const useDataRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(USE_DATA_PATH, async (request, reply) => {
    const chosen = negotiate(request.headers.accept, HTML);
    if ('notAcceptable' in chosen) return notAcceptable(reply, USE_DATA_PATH, HTML);
    const q = request.query as Record<string, unknown>;
    const lang = chooseLanguage(typeof q.lang === 'string' ? q.lang : undefined, request.headers['accept-language']);
    const page: PageContext = { lang, base: ctx.base, path: USE_DATA_PATH, alternates: [], dataVersion: ctx.dataVersion };
    const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|page|${USE_DATA_PATH}|${lang}`, async () => {
      const { renderUseDataPage } = await import('./page.js');
      return new Representation('text/html; charset=utf-8', keepLanguage(renderUseDataPage(page), lang), ctx.dataVersion, lang);
    });
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep, { vary: 'Accept, Accept-Language' });
  });
};
