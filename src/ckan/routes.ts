import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../server/app-context.js';
import { lazyHandler } from '../server/lazy-handler.js';

/**
 * `/api/3/action/{action}` (design.md; also `/api/action/{action}`, as CKAN): a read-only CKAN 2.10 Action API over the catalog, for
 * aggregators that harvest CKAN (HDX, ckanext-harvest). The packages are made from the very quads
 * /catalog serves (catalogDocumentQuads), once per data version.
 *
 * The request is read as CKAN's `_get_request_data` reads it (ckan/views/api.py): GET takes the
 * query string (a repeated key gives a list); POST takes a form, else the query string, else a
 * JSON object in the body. The answer is `{"help", "success", "result"}`, or `success: false` with
 * CKAN's error object and status (errors.ts). `callback` is dropped, as CKAN drops it; there is no
 * JSONP (CORS is open, as for all our data).
 *
 * The actions, the mapping of the catalog to CKAN packages and the search (handler.ts) load with
 * the first call, not at start-up (README, "Start-up").
 */
export const ckanRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Bodies as CKAN reads them, in this plugin only: an empty body is no parameters, not an error.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, { form: String(body) });
  });
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, { json: String(body) });
  });

  const handle = lazyHandler<FastifyRequest<{ Params: { action: string } }>>(async () => (await import('./handler.js')).ckanHandler(ctx));
  app.get('/api/3/action/:action', handle);
  app.post('/api/3/action/:action', handle);
  // CKAN answers the unversioned path too (API_DEFAULT_VERSION 3), and ckanapi, through which
  // hdx-python-api calls, posts there: `{address}/api/action/{action}` (ckanapi/common.py).
  app.get('/api/action/:action', handle);
  app.post('/api/action/:action', handle);
};
