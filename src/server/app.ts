import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { contextRoutes } from '../routes/context.js';
import { defRoutes } from '../routes/def.js';
import { docRoutes } from '../routes/doc.js';
import { graphRoutes } from '../routes/graph.js';
import { type ReleaseHealth, healthRoutes } from '../routes/health.js';
import { idRoutes } from '../routes/id.js';
import { pageRoutes } from '../routes/pages.js';
import { sparqlRoutes } from '../routes/sparql.js';
import { catalogRoutes } from '../routes/catalog.js';
import { downloadRoutes } from '../routes/download.js';
import { faviconRoutes } from '../routes/favicon.js';
import { useDataRoutes } from '../recipes/route.js';
import { ckanRoutes } from '../ckan/routes.js';
import { fragmentRoutes } from '../fragments/route.js';
import { sitemapRoutes } from '../routes/sitemap.js';
import { voidRoutes } from '../routes/void.js';
import type { Config } from '../config.js';
import type { LinkedDataStore } from '../store/store.js';
import { LiveStore } from '../releases/live-store.js';
import type { Services } from './services.js';
import { publishArea } from '../publish/routes.js';
import { releasesRoutes } from '../routes/releases.js';
import { reportRoutes } from '../reports/public-routes.js';
import { AppContext } from './app-context.js';
import { registerErrorHandlers } from './errors.js';
import { registerSecurityHeaders } from './security-headers.js';
import { REQUEST_ID_HEADER, registerRequestIdHeader, requestIdOf } from './request-id.js';
import { gateStats } from '../store/remote/gate-stats.js';
import { poolStats } from '../store/worker-pool.js';
import { lazySchemaCompilers } from './lazy-schema-compilers.js';
import { acceptUtf8RequestTargets, answerClientError } from '../http/utf8-request-target.js';
import { CanonicalCaseResponse } from '../http/canonical-header-case.js';

export interface AppOptions {
  config: Config;
  store: LinkedDataStore;
  /** Number of jamoat-level units the country is known to have (coverage on the home page). */
  jamoatsExpected?: number;
  /** Pino logger settings; tests pass `false`. */
  logger?: boolean | { level: string };
  /**
   * The features with durable state (releases, uploads, accounts). Without them the app serves the
   * store it is given, as a plain build directory (BUILD_DIR), with no officials' area.
   */
  services?: Services;
  /**
   * A read-only replica (src/replica/), served without services: what /health says of the release
   * it follows, and its own hooks and routes, added to the root before the route plugins.
   */
  replica?: { health: () => ReleaseHealth; setup: (app: FastifyInstance, ctx: AppContext) => void };
}

/**
 * Node's bounds on receiving a request (issue #14.13). Fastify turns Node's `requestTimeout` off
 * (0) by default, so a body trickled a byte at a time was never cut off; headers alone were, by
 * Node's 60 s `headersTimeout`, checked only every 30 s (`connectionsCheckingInterval`: 408 after
 * about 86 s). Now the whole request, headers and body (a SPARQL POST, an upload to /publish),
 * must arrive within REQUEST_TIMEOUT_MS, the headers within the smaller of that and 60 s, and the
 * check runs often enough (a tenth of the limit, at most every second) that the limit holds
 * within a second. The answer is our 408 (src/http/utf8-request-target.ts) and the connection
 * is closed. Node requires headersTimeout <= requestTimeout.
 */
export function requestBounds(timeoutMs: number): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  return {
    requestTimeout: timeoutMs,
    headersTimeout: Math.min(60_000, timeoutMs),
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(timeoutMs / 10))),
  };
}

/**
 * The application as a plugin tree, without listening (fastify/demo's app/server split): tests
 * drive it with `inject()` or listen on a loopback port themselves. Route families are plugins
 * registered here explicitly, each given the one context object.
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const live = opts.store instanceof LiveStore ? opts.store : undefined;
  const bounds = requestBounds(opts.config.REQUEST_TIMEOUT_MS);
  const app: FastifyInstance = Fastify({
    logger: opts.logger ?? { level: opts.config.LOG_LEVEL },
    // Each request's id, bound to its every log line: the client's X-Request-Id if sane (request-id.ts).
    genReqId: requestIdOf,
    // Behind a cache, request.ip is the client's from X-Forwarded-For, believed only from TRUST_PROXY.
    ...(opts.config.TRUST_PROXY ? { trustProxy: opts.config.TRUST_PROXY.split(',').map((a) => a.trim()) } : {}),
    // Hostile input: an overlong path parameter is a 404 before a route sees it.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Fastify sets it on the server it makes (overriding the `http` option's); see requestBounds.
    requestTimeout: bounds.requestTimeout,
    schemaController: { compilersFactory: lazySchemaCompilers },
    // One log line per request costs more than serving a prepared document; only when debugging.
    logController: new LogController({ disableRequestLogging: opts.config.LOG_LEVEL !== 'debug' && opts.config.LOG_LEVEL !== 'trace' }),
    // Header names in canonical case (`Content-Type`, `ETag`): R's RCurl reads only that spelling.
    // With releases that go live while serving, each request is handled with the release live
    // when it arrived pinned, so everything it reads comes from that one release (LiveStore.pin).
    ...(live
      ? { serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => createServer({ ServerResponse: CanonicalCaseResponse, ...bounds }, (req, res) => live.pin(() => handler(req, res))) }
      : { http: { ServerResponse: CanonicalCaseResponse, ...bounds } }),
    // Requests Node's parser refuses: a raw UTF-8 request target is replayed percent-encoded, the
    // rest answered in our error format (src/http/utf8-request-target.ts).
    clientErrorHandler: (err, socket) => answerClientError(app.server, err, socket),
  });
  acceptUtf8RequestTargets(app.server);
  // First, so that every route, the not-found handler and the error handlers send them.
  registerSecurityHeaders(app);
  registerRequestIdHeader(app);
  const ctx = new AppContext(opts.config, opts.store, {
    ...(opts.jamoatsExpected !== undefined ? { jamoatsExpected: opts.jamoatsExpected } : {}),
    ...(live ? { served: () => live.release } : {}),
  });
  // CORS open for reading (design.md): any origin may GET our data, metadata and SPARQL results.
  await app.register(cors, { origin: '*', methods: ['GET', 'HEAD', 'POST', 'OPTIONS'], exposedHeaders: ['Link', 'ETag', 'Content-Location', 'Vary', 'Retry-After', 'Accept-Ranges', 'Content-Range', 'X-SPARQL-Results-Truncated', 'X-SPARQL-Results-Limit', 'X-SPARQL-Results-Byte-Limit', REQUEST_ID_HEADER], maxAge: 86400 });
  registerErrorHandlers(app, ctx);
  opts.replica?.setup(app, ctx);
  // Only with a token (design.md: not public by default). After the error handlers, which a route
  // takes when it is defined (/metrics answers 401 as every refusal is answered), and before the
  // route plugins, which take the hooks there are when they are registered (its hooks count them all).
  if (opts.config.METRICS_TOKEN !== undefined) {
    // Loaded only then: a start without a token reads none of its code (README, "Start-up").
    const { metricsPlugin } = await import('../metrics/plugin.js');
    await app.register(metricsPlugin, {
      token: opts.config.METRICS_TOKEN,
      sources: { info: () => opts.store.info(), release: () => live?.release.n ?? null, pool: () => poolStats(live ? live.release.store : opts.store), gate: () => gateStats(live ? live.release.store : opts.store) },
      ...(opts.services ? { publications: opts.services.releases } : {}),
    });
  }
  const services = opts.services;
  await app.register(healthRoutes, {
    ctx,
    ...(opts.replica ? { releases: opts.replica.health } : {}),
    ...(services
      ? {
          releases: () => ({
            release: live?.release.n ?? null,
            building: services.releases.inProgress,
            degraded: services.releases.degraded ? { ...services.releases.degraded, problems: services.releases.degraded.problems.length } : null,
          }),
        }
      : {}),
  });
  for (const plugin of [idRoutes, docRoutes, defRoutes, graphRoutes, contextRoutes, pageRoutes, catalogRoutes, voidRoutes, downloadRoutes, sitemapRoutes, sparqlRoutes]) {
    await app.register(plugin, { ctx });
  }
  await app.register(faviconRoutes);
  await app.register(useDataRoutes, { ctx });
  // The catalog as a read-only CKAN Action API, for HDX and CKAN harvesters (src/ckan/).
  await app.register(ckanRoutes, { ctx });
  await app.register(fragmentRoutes, { ctx });
  // The officials' area, with its own cookies, sessions, CSRF protection and body parsers.
  if (services) {
    await app.register(releasesRoutes, { ctx, releases: services.releases });
    await app.register(reportRoutes, { ctx, reports: services.reports });
    await app.register(publishArea, { prefix: '/publish', ctx, services });
  }
  app.addHook('onClose', async () => {
    await opts.store.close();
    services?.close();
    ctx.refusals.close();
  });
  return app;
}
