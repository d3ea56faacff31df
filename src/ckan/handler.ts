import type { FastifyReply, FastifyRequest } from 'fastify';
import { catalogDocumentQuads } from '../routes/catalog.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { ACTIONS, type Params, WRITE_ACTIONS, refuseWrite } from './actions.js';
import type { CkanCatalog } from './ckan-types.js';
import { BuildBudget } from './build-budget.js';
import { CkanError, badRequestBody, rateLimited } from './errors.js';
import { catalogToCkan } from './package-mapping.js';
import { prepare, toJson } from './serialize.js';

const JSON_TYPE = 'application/json;charset=utf-8';
/**
 * Answers kept, per data version and request: harvesters page through the same searches again and
 * again. Its own small LRU rather than the shared representation cache, so that many different
 * searches cannot push documents out of that one.
 */
const ANSWERS_KEPT = 128;

/**
 * The CKAN Action API's handler (routes.ts says what is read and answered, as CKAN 2.10 does): the
 * packages are made from the very quads /catalog serves (catalogDocumentQuads), once per data
 * version, and answers are kept per data version and request. routes.ts loads this module with
 * the first call (src/server/lazy-handler.ts).
 */
export function ckanHandler(ctx: AppContext): (request: FastifyRequest<{ Params: { action: string } }>, reply: FastifyReply) => Promise<FastifyReply> {
  let cached: { version: string; catalog: Promise<CkanCatalog> } | undefined;
  const catalog = (): Promise<CkanCatalog> => {
    const version = ctx.dataVersion;
    if (cached?.version !== version) {
      const made = catalogDocumentQuads(ctx).then((quads) => {
        const ckan = catalogToCkan(quads, ctx.base);
        prepare(ckan.packages);
        return ckan;
      });
      const entry = { version, catalog: made };
      entry.catalog.catch(() => {
        if (cached === entry) cached = undefined;
      });
      cached = entry;
    }
    return cached.catalog;
  };

  const answers = new Map<string, Representation>();
  // Fair use (build-budget.ts): only answers that must be built count, per client address.
  const perMinute = ctx.config.CKAN_PACKAGES_PER_MINUTE;
  const budget = new BuildBudget({ perMinute });
  const remember = (key: string, rep: Representation) => {
    answers.set(key, rep);
    if (answers.size > ANSWERS_KEPT) answers.delete(answers.keys().next().value as string);
    return rep;
  };

  const help = (action: string) => `${ctx.base}api/3/action/help_show?name=${encodeURIComponent(action)}`;
  /** Errors and CKAN's bare-string 400s: never stored. */
  const send = (reply: FastifyReply, status: number, body: unknown) =>
    reply.code(status).header('Cache-Control', 'no-store').type(JSON_TYPE).send(JSON.stringify(body));

  const handle = async (request: FastifyRequest<{ Params: { action: string } }>, reply: FastifyReply) => {
    const action = request.params.action;
    const known = ACTIONS[action];
    if (!known && !WRITE_ACTIONS.has(action)) return send(reply, 400, badRequestBody(`Action name not known: ${action}`));
    let params: Params;
    try {
      if (!known) {
        // CKAN's write actions are not side-effect free: GET is refused before anything else.
        if (request.method === 'GET') throw new Error('Invalid request. Please use POST method for your request');
        params = {};
      } else {
        params = requestParams(request);
      }
    } catch (e) {
      return send(reply, 400, badRequestBody(`JSON Error: ${(e as Error).message}`));
    }
    delete params.callback;
    try {
      if (!known) throw refuseWrite();
      const key = `${ctx.dataVersion}\n${action}\n${JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
      let rep = answers.get(key);
      if (rep) {
        answers.delete(key);
        answers.set(key, rep);
      } else {
        const wait = budget.wait(request.ip);
        if (wait > 0) {
          ctx.refusals.refused(request, { code: 'LG_ERR_RATE_LIMITED', message: `CKAN answers built for ${request.ip}: past CKAN_PACKAGES_PER_MINUTE (${perMinute})` }, 429);
          reply.header('Retry-After', String(wait));
          throw rateLimited(wait, perMinute);
        }
        let result: unknown;
        try {
          result = known.run(await catalog(), params);
        } finally {
          // A refused search (a CKAN error) was work too: it costs one.
          budget.spend(request.ip, packagesIn(result));
        }
        rep = remember(key, new Representation(JSON_TYPE, toJson({ help: help(action), success: true, result }), ctx.dataVersion));
      }
      // Compressed (a search of all 79 packages is 660 KB of JSON, 55 KB gzipped), with an ETag.
      return sendRepresentation(request, reply, rep, { cacheControl: 'public, max-age=60' });
    } catch (e) {
      if (e instanceof CkanError) return send(reply, e.status, { help: help(action), success: false, error: e.error });
      request.log.error({ err: e }, 'CKAN action failed');
      return send(reply, 500, { help: help(action), success: false, error: { __type: 'Internal Server Error', message: 'Internal Server Error' } });
    }
  };
  return handle;
}

/** A form as werkzeug's MultiDict.to_dict(flat=False) then CKAN's `mixed()`: a repeated key is a list. */
function mixed(entries: Iterable<[string, string]>): Params {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of entries) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function formParams(body: string): Params {
  const form = [...new URLSearchParams(body)];
  // `{"id": "x"}=` or `{"id": "x"}=1`: a JSON object posted as the only form key (CKAN reads that too).
  if (form.length === 1 && (form[0]?.[1] === '' || form[0]?.[1] === '1')) return jsonObject(form[0]?.[0] as string);
  return mixed(form);
}

function jsonObject(text: string): Params {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`Error decoding JSON data. Error: ${(e as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`Request data JSON decoded to ${JSON.stringify(data)} but it needs to be a dictionary.`);
  }
  return { ...(data as Params) };
}

function requestParams(request: FastifyRequest): Params {
  const queryString = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const query = mixed(new URLSearchParams(queryString));
  if (request.method !== 'POST') return query;
  const body = request.body as { form?: string; json?: string } | undefined;
  const form = body?.form !== undefined ? formParams(body.form) : {};
  if (Object.keys(form).length) return form;
  if (Object.keys(query).length) return query;
  if (body?.json && body.json.trim() !== '') return jsonObject(body.json);
  return {};
}

/** The packages an answer holds (what its building costs, build-budget.ts): a search's results, an organization's datasets, else one. */
function packagesIn(result: unknown): number {
  if (result === null || typeof result !== 'object') return 1;
  const r = result as { results?: unknown; packages?: unknown };
  const list = Array.isArray(r.results) ? r.results : Array.isArray(r.packages) ? r.packages : undefined;
  return list ? Math.max(1, list.length) : 1;
}
