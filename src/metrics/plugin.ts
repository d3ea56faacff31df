import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { PublicationEvents } from '../releases/release-service.js';
import { formatOf, routeFamily, statusClass } from './labels.js';
import { takeQueryOutcome } from './query-outcome.js';
import { type MetricsSources, ServiceMetrics } from './service-metrics.js';

export interface MetricsOptions {
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <token>`. */
  token: string;
  /** Where the gauges read the store, the release and the worker pool. */
  sources: MetricsSources;
  /** The releases feature, whose publications are counted; absent when a plain build is served. */
  publications?: PublicationEvents;
}

/**
 * `/metrics` (design.md: Prometheus metrics, not public by default). Registered only when
 * METRICS_TOKEN is set; without it nothing is counted and /metrics is a 404 like any unknown path.
 *
 * The hooks count every answered request (onResponse: the route family, status class and format
 * labels of src/metrics/labels.ts, and the time Fastify measured since the request arrived) and
 * each SPARQL query's outcome, which the SPARQL route notes on the request. The state is the
 * plugin's own object (ServiceMetrics), not a field of the shared AppContext.
 *
 * The scrape: `Authorization: Bearer <token>` or 401 (the token compared in constant time: both
 * sides are hashed to 32 bytes first, so neither the content nor the length leaks through timing),
 * and never cached (`Cache-Control: no-store`), by a browser or a proxy in between.
 */
export const metricsPlugin: FastifyPluginAsync<MetricsOptions> = async (app, opts) => {
  const metrics = new ServiceMetrics(opts.sources);
  const expected = digest(opts.token);

  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(routeFamily(request.url), statusClass(reply.statusCode), formatOf(reply.getHeader('content-type')), reply.elapsedTime / 1000);
    const outcome = takeQueryOutcome(request);
    if (outcome !== undefined) metrics.query(outcome);
    done();
  });

  const unwatch = opts.publications?.watchPublications((kind, outcome) => metrics.publication(kind, outcome));
  if (unwatch) app.addHook('onClose', async () => unwatch());

  app.get('/metrics', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!authorized(request, expected)) {
      // RFC 6750 §3: a 401 names the scheme; the app's error handler sends the body (and logs one line).
      reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw Object.assign(new Error('/metrics needs the header Authorization: Bearer <METRICS_TOKEN>'), { statusCode: 401, code: 'LG_ERR_UNAUTHENTICATED' });
    }
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
};

// Not encapsulated (what fastify-plugin does, by the symbol Fastify reads): the hooks must see
// every route of the app, not only the ones inside this plugin.
(metricsPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function authorized(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
  return m !== null && timingSafeEqual(digest(m[1]!), expected);
}
