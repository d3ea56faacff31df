import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { negotiate } from '../http/negotiate.js';
import { chooseLanguage } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import type { Lang, PageContext } from '../html/models.js';
import { serialize } from '../serialize/serialize.js';
import { RDF_MEDIA_TYPES, type RdfFormatKey, contentType, formatByMediaType } from '../serialize/formats.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import type { JsonLdForm } from '../serialize/jsonld.js';
import { jsonLdContentType, queryOf } from '../server/serve-document.js';
import { StoreBusyError, StoreError } from '../store/store.js';
import { EditorAssets } from '../sparql/assets.js';
import { type GraphName, graphTriples } from '../sparql/graph-store.js';
import { renderEditorPage, renderResultsPage } from '../sparql/pages.js';
import { type ProtocolRequest, parseProtocolRequest } from '../sparql/parse-request.js';
import { ProtocolError } from '../sparql/protocol-error.js';
import { chooseAnswer } from '../sparql/result-types.js';
import { type Dataset, runForAnswer, runForPage } from '../sparql/run-query.js';
import { TRUNCATED_HEADER, answerEtag, notModified, sendAnswer, sendNotModified } from '../sparql/send-answer.js';
import { serviceDescription } from '../sparql/service-description.js';
import { storeForRequest } from '../sparql/request-store.js';
import { noteQueryOutcome, outcomeOfError } from '../metrics/query-outcome.js';

/**
 * `/sparql`: the SPARQL 1.1 Protocol query operation, read-only
 * (https://www.w3.org/TR/sparql11-protocol/). Status codes, by the Protocol's sections:
 * - 200 with the answer (§2.1.6), negotiated (§2.1.5; src/sparql/result-types.ts); 304 for a repeated query
 *   whose ETag the client holds (RFC 9110 §15.4.5).
 * - 400 for a query that does not parse, or no query, an empty one, more than one (§2.1.1-2.1.3:
 *   "exactly one"; §2.1.7 "Failure Responses": 400 for a malformed request or query string).
 * - 403 for every update (§2.2 operations we do not offer) and for SERVICE: the request is
 *   understood and refused (RFC 9110 §15.5.4).
 * - 405 for methods other than GET, HEAD, POST (§2.1: query via GET or POST only), with Allow.
 * - 406 when no answer type is acceptable (RFC 9110 §15.5.7), listing those there are.
 * - 415 for a POST body in another media type or charset (§2.1.2, §2.1.3: the two POST forms).
 * - 503 with a stable code when the query ran past QUERY_TIMEOUT_MS (stopped), or with
 *   Retry-After when the bounded queue is full (§2.1.7 leaves other failures to HTTP's codes).
 * A GET without a query gives the query editor to a browser and the Service Description (SPARQL
 * 1.1 Service Description §2) to an RDF client. A GET or HEAD with `graph=IRI` or `default` is a
 * Graph Store Protocol read (src/sparql/graph-store.ts): 200 with the graph in an RDF format, 404
 * for a graph we do not publish, 400 for an ambiguous or malformed graph name, 403 for a POST.
 */
export const sparqlRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const endpoint = `${ctx.base}sparql`;
  const max = ctx.config.MAX_QUERY_RESULTS;
  const maxBytes = ctx.config.MAX_RESULT_BYTES;
  const assets = new EditorAssets(ctx.base);
  // Checked before a parse worker gets the query (src/sparql/prepare-for-client.ts, query-shape.ts).
  const bounds = { maxBytes: ctx.config.MAX_QUERY_BYTES, maxDepth: ctx.config.MAX_QUERY_DEPTH };

  // Every body arrives as bytes and parse-request.ts reads it: the media type, its charset and the
  // UTF-8 check are protocol decisions, not the framework's (this scope only).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const parsed = parseProtocolRequest({
      method: request.method,
      search: queryOf(request.url).slice(1),
      contentType: request.headers['content-type'],
      body: Buffer.isBuffer(request.body) ? request.body : undefined,
    });
    if (parsed.kind === 'none') return describe(request, reply);
    if (parsed.kind === 'graph') return readGraph(request, reply, parsed.graph);
    return noteOutcome(request, reply, answer(request, reply, parsed));
  }

  /**
   * Notes how a query ended, for /metrics (src/metrics/query-outcome.ts): answered whole or cut,
   * or the error that ended it. A 304 ran no query and is not counted as one.
   */
  async function noteOutcome(request: FastifyRequest, reply: FastifyReply, answering: Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      const sent = await answering;
      if (reply.statusCode === 406) noteQueryOutcome(request, 'refused');
      else if (reply.statusCode !== 304) noteQueryOutcome(request, reply.getHeader(TRUNCATED_HEADER) ? 'truncated' : 'ok');
      return sent;
    } catch (e) {
      noteQueryOutcome(request, outcomeOfError(e));
      throw e;
    }
  }

  /**
   * Graph Store Protocol read (src/sparql/graph-store.ts): one graph, negotiated over the RDF
   * formats (JSON-LD's profile honoured), built once per data version and served as every document
   * is (strong ETag, 304, compression). An unknown graph is 404 (GSP §5.2: "If the RDF graph
   * content identified in the request does not exist in the server, ... 404 Not Found").
   */
  async function readGraph(request: FastifyRequest, reply: FastifyReply, graph: GraphName): Promise<FastifyReply> {
    if (graph !== 'default' && ctx.store.info().graphs[graph.iri] === undefined) {
      throw new ProtocolError('LG_ERR_NOT_FOUND', `no graph named <${graph.iri.slice(0, 200)}> is published here; the Service Description (GET /sparql, Accept: text/turtle) lists the named graphs`);
    }
    const chosen = negotiate(request.headers.accept, RDF_MEDIA_TYPES);
    if ('notAcceptable' in chosen) return notAcceptable(reply, 'a graph (an RDF document)', chosen.notAcceptable);
    const format = formatByMediaType(chosen.type);
    if (!format || format.key === 'html') throw new Error(`no RDF format for ${chosen.type}`);
    const form: JsonLdForm = format.key === 'jsonld' && chosen.profile ? chosen.profile : 'compacted';
    const name = graph === 'default' ? 'default' : graph.iri;
    const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|gsp|${name}|${format.key};${form}`, async () => {
      const body = await serialize(await graphTriples(ctx.store, graph), format.key as RdfFormatKey, { base: ctx.base, graph: false, jsonLdForm: form });
      return new Representation(form === 'compacted' ? contentType(format) : jsonLdContentType(form), body, ctx.dataVersion);
    });
    return sendRepresentation(request, reply, rep as Representation, { vary: 'Accept' });
  }

  async function answer(request: FastifyRequest, reply: FastifyReply, parsed: Extract<ProtocolRequest, { kind: 'query' }>): Promise<FastifyReply> {
    // The time limit counts from here: parsing (in a parse worker, prepareForClient) is part of it.
    const arrivedAt = performance.now();
    // The parse pool starts with the first query, not at start-up.
    const { prepareForClient } = await import('../sparql/prepare-for-client.js');
    const q = await prepareForClient(parsed.query, { baseIri: endpoint, maxResults: max, maxBytes, bounds }, { client: request.ip, arrivedAt, timeoutMs: ctx.config.QUERY_TIMEOUT_MS });
    const chosen = chooseAnswer(request.headers.accept, q.form);
    if ('notAcceptable' in chosen) return notAcceptable(reply, `the answer to a ${q.form} query`, chosen.notAcceptable);
    const dataset: Pick<Dataset, 'defaultGraphs' | 'namedGraphs'> = parsed.defaultGraphs || parsed.namedGraphs ? { defaultGraphs: parsed.defaultGraphs ?? [], namedGraphs: parsed.namedGraphs ?? [] } : {};
    const lang = chosen.kind === 'html' ? pageLanguage(request) : undefined;
    const key = [chosen.kind === 'html' ? `html;${lang}` : chosen.contentType, q.text, JSON.stringify(dataset), String(max), String(maxBytes)];
    const headers = {
      etag: answerEtag(ctx.dataVersion, key),
      vary: chosen.kind === 'html' ? 'Accept, Accept-Encoding, Accept-Language' : 'Accept, Accept-Encoding',
      ...(lang ? { language: lang } : {}),
    };
    if (notModified(request, headers.etag)) return sendNotModified(reply, headers);

    const run: Dataset = { ...dataset, client: request.ip, arrivedAt, maxBytes, base: ctx.base };
    if (chosen.kind !== 'html') {
      const result = await runForAnswer(storeForRequest(ctx.store, request), q, chosen, run);
      return sendAnswer(request, reply, result.body, { ...headers, contentType: chosen.contentType, ...truncation(result) });
    }
    // The page around the results, in its longest form (with the longer of the two notices of a
    // cut), bounds the room the worker renders them in: the whole page stays within MAX_RESULT_BYTES.
    const shell = (cut: { truncatedAt?: number; byteLimit?: number }) => {
      const { before, after } = renderResultsPage(pageContext(lang as Lang), { query: parsed.query, ...cut });
      return { before: keepLanguage(before, lang as Lang), after: keepLanguage(after, lang as Lang) };
    };
    const size = (page: { before: string; after: string }) => Buffer.byteLength(page.before) + Buffer.byteLength(page.after);
    const room = Math.max(0, maxBytes - Math.max(size(shell({ byteLimit: maxBytes })), size(shell({ truncatedAt: max }))));
    const result = await runForPage(storeForRequest(ctx.store, request), q, run, { lang: lang as Lang, room });
    // The results part arrives rendered, with the page's language in its links (shape-answer.ts).
    const { before, after } = shell(truncation(result));
    const page = Buffer.concat([Buffer.from(before), result.body, Buffer.from(after)]);
    return sendAnswer(request, reply, page, { ...headers, contentType: 'text/html; charset=utf-8', ...truncation(result) });
  }

  /** `/sparql` itself: the editor for people, the Service Description for RDF clients. */
  async function describe(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const chosen = negotiate(request.headers.accept, ['text/html', ...RDF_MEDIA_TYPES]);
    if ('notAcceptable' in chosen) {
      // A results type with no query: a program that forgot its query.
      throw new ProtocolError('LG_ERR_QUERY_MISSING', 'the request has no query: send query=...; without a query, /sparql gives the query editor (text/html) or the Service Description (an RDF type)');
    }
    if (chosen.type === 'text/html') {
      const lang = pageLanguage(request);
      const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|sparql-editor|${lang}`, async () => {
        const page = renderEditorPage(pageContext(lang), { timeoutMs: ctx.config.QUERY_TIMEOUT_MS, maxResults: max });
        return new Representation('text/html; charset=utf-8', keepLanguage(page, lang), ctx.dataVersion, lang);
      });
      return sendRepresentation(request, reply, rep as Representation, { vary: 'Accept, Accept-Language' });
    }
    const format = formatByMediaType(chosen.type);
    if (!format || format.key === 'html') throw new Error(`no RDF format for ${chosen.type}`);
    const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|sparql-sd|${format.key}`, async () => {
      const quads = serviceDescription({ base: ctx.base, graphs: ctx.store.info().graphs });
      return new Representation(contentType(format), await serialize(quads, format.key as RdfFormatKey, { base: ctx.base }), ctx.dataVersion);
    });
    return sendRepresentation(request, reply, rep as Representation, { vary: 'Accept' });
  }

  function pageLanguage(request: FastifyRequest): Lang {
    const lang = new URLSearchParams(request.url.split('?')[1] ?? '').get('lang') ?? undefined;
    return chooseLanguage(lang, request.headers['accept-language']);
  }

  function pageContext(lang: Lang): PageContext {
    return { lang, base: ctx.base, path: '/sparql', alternates: [], dataVersion: ctx.dataVersion };
  }

  // The app's error policy (src/server/errors.ts), with one difference: a SPARQL client that does
  // not ask for HTML by name (curl's `*/*`, no Accept) is a program and gets the JSON error, where
  // the rest of the site would show a page. Browsers asking for text/html get the app's page.
  app.setErrorHandler(async (error: FastifyError | StoreError, request, reply) => {
    if (namesHtml(request.headers.accept)) throw error;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // A POST body past the framework's own limit is a query past MAX_QUERY_BYTES all the more.
      error = new ProtocolError('LG_ERR_QUERY_TOO_LARGE', `the request body is larger than the server accepts; a query may be at most ${bounds.maxBytes} bytes (MAX_QUERY_BYTES)`);
    }
    const status = error.statusCode ?? 500;
    logError(request, error, status);
    if (error instanceof StoreBusyError) reply.header('Retry-After', String(error.retryAfterSeconds));
    const message = status < 500 || error instanceof StoreError ? error.message : 'Internal error; it has been logged.';
    return reply.code(status).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send({ statusCode: status, code: error.code ?? 'LG_ERR_INTERNAL', message });
  });

  app.route({ method: ['GET', 'POST'], url: '/sparql', handler: handle });

  app.route({
    method: ['PUT', 'DELETE', 'PATCH'],
    url: '/sparql',
    handler: async (_request, reply) => {
      reply.header('Allow', 'GET, HEAD, POST, OPTIONS');
      throw new ProtocolError('LG_ERR_METHOD_NOT_ALLOWED', 'the SPARQL endpoint answers GET, HEAD and POST; it is read-only');
    },
  });

  app.get('/sparql/assets/:name', async (request, reply) => {
    const rep = assets.get((request.params as { name: string }).name);
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, await rep, { cacheControl: 'public, max-age=86400' });
  });
};

/** Longest query URL or message kept in a log line: a refused 1 MB query is not logged whole. */
const LOG_TEXT_MAX = 300;

/**
 * A refusal is the client's doing or the service protecting itself, not a fault of ours: one line
 * with its code, no stack (a stack per refusal was 12.9 KB of log for 9 refusals, and says only
 * where we threw). Info for the client's mistakes (syntax, update, SERVICE, no query, 4xx); warn
 * for load (busy, timeout, an engine restarting: 503 from the store), which operators watch.
 * Anything else is ours and is logged whole, stack included, at error.
 */
function logError(request: FastifyRequest, error: FastifyError | StoreError, status: number): void {
  const url = request.url.length > LOG_TEXT_MAX ? `${request.url.slice(0, LOG_TEXT_MAX)}…` : request.url;
  if (status < 500 || error instanceof StoreError) {
    // The code the client got (the handler below sends the same).
    const line = { code: error.code ?? 'LG_ERR_INTERNAL', statusCode: status, method: request.method, url };
    const message = `query refused: ${error.message.length > LOG_TEXT_MAX ? `${error.message.slice(0, LOG_TEXT_MAX)}…` : error.message}`;
    // Pino writes a message's line breaks escaped, but a parse error's own layout is not needed.
    const flat = message.replace(/\s*\n\s*/g, ' ');
    if (status >= 500) request.log.warn(line, flat);
    else request.log.info(line, flat);
    return;
  }
  request.log.error({ err: error, request: { method: request.method, url: request.url } }, 'request failed');
}

/** Whether an Accept header names text/html and prefers it to JSON (a browser, not `*` / `*`). */
function namesHtml(accept: string | undefined): boolean {
  const chosen = negotiate(accept, ['application/json', 'text/html']);
  return !('notAcceptable' in chosen) && chosen.type === 'text/html';
}

function truncation(r: { truncatedAt?: number; byteLimit?: number }): { truncatedAt?: number; byteLimit?: number } {
  return { ...(r.truncatedAt !== undefined ? { truncatedAt: r.truncatedAt } : {}), ...(r.byteLimit !== undefined ? { byteLimit: r.byteLimit } : {}) };
}

/** 406 with what this answer could be sent as (RFC 9110 §15.5.7); `what` names the answer. */
function notAcceptable(reply: FastifyReply, what: string, available: readonly string[]): FastifyReply {
  return reply
    .code(406)
    .header('Vary', 'Accept')
    .header('Cache-Control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send(`406 Not Acceptable: none of the media types in the Accept header can hold ${what}.\nAvailable:\n${available.map((t) => `  ${t}`).join('\n')}\n`);
}
