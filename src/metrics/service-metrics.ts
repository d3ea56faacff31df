import type { Metric, Registry } from 'prom-client';
import type { PublicationOutcome } from '../releases/release-service.js';
import type { ReleaseKind } from '../releases/release-store.js';
import type { GateStats } from '../store/remote/gate-stats.js';
import type { PoolStats } from '../store/worker-pool.js';
import type { StoreInfo } from '../store/store.js';
import type { RouteFamily } from './labels.js';
import { QUERY_OUTCOMES, type QueryOutcome } from './query-outcome.js';

/**
 * The metrics feature's state object: what /metrics reports, counted since the process started.
 *
 * Two halves, for start-up's sake (issue #12: start-up within 1.5x Oxigraph alone). The counting
 * is plain JavaScript (a Map entry and a bucket per request), so nothing is loaded at start and a
 * request pays about a microsecond (0.75 to 1.6 µs measured on the busy 2-core machine, against
 * some 170 µs a cached document takes at 6,000 requests/s). prom-client, the registry and the exposition format,
 * loads with the first scrape (about 19 ms of module loading, bundled, that start-up would
 * otherwise pay on the thread that builds the app, the longer half of start-up: README,
 * "Start-up"); each scrape then copies the counts into its metrics (`collect`). The request
 * latency histogram is counted here too, in the same buckets, and handed to the registry as a
 * metric object of its own: prom-client's Histogram can only be fed one observation at a time.
 */

/** Upper bounds of the latency buckets, in seconds: a cached document takes about a millisecond, a query up to QUERY_TIMEOUT_MS. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

const PUBLICATION_KINDS: readonly ReleaseKind[] = ['seed', 'upload', 'rollback'];
const PUBLICATION_OUTCOMES: readonly PublicationOutcome[] = ['published', 'refused', 'failed'];

/** What the gauges read at each scrape (nothing is copied in between). */
export interface MetricsSources {
  /** The store's triples per named graph and data version (as /health gives them). */
  info(): StoreInfo;
  /** The live release's number; null when a plain build directory is served. */
  release(): number | null;
  /** The query workers' counts; undefined for a store that is not the embedded pool. */
  pool(): PoolStats | undefined;
  /** A remote store's fair-use gate (STORE=remote); undefined for the embedded pool. */
  gate?(): GateStats | undefined;
}

interface Latency {
  /** Per bucket (not cumulative), the last one past the largest bound (+Inf). */
  counts: number[];
  sum: number;
}

export class ServiceMetrics {
  /** Requests by `family\tstatus\tformat`. */
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<RouteFamily, Latency>();
  private readonly queries = new Map<QueryOutcome, number>(QUERY_OUTCOMES.map((o) => [o, 0]));
  /** Publications by `kind\toutcome`, every pair present from the start (a rate needs its zero). */
  private readonly publications = new Map<string, number>(PUBLICATION_KINDS.flatMap((k) => PUBLICATION_OUTCOMES.map((o) => [`${k}\t${o}`, 0] as const)));
  private registry: Promise<Registry> | undefined;

  constructor(private readonly sources: MetricsSources) {}

  /** One answered request: its route family, status class, format label and time taken. */
  request(family: RouteFamily, status: string, format: string, seconds: number): void {
    const key = `${family}\t${status}\t${format}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let l = this.latency.get(family);
    if (!l) {
      l = { counts: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0), sum: 0 };
      this.latency.set(family, l);
    }
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    l.counts[i]!++;
    l.sum += seconds;
  }

  query(outcome: QueryOutcome): void {
    this.queries.set(outcome, (this.queries.get(outcome) ?? 0) + 1);
  }

  publication(kind: ReleaseKind, outcome: PublicationOutcome): void {
    const key = `${kind}\t${outcome}`;
    this.publications.set(key, (this.publications.get(key) ?? 0) + 1);
  }

  /** The Prometheus text exposition (format 0.0.4) and its media type. */
  async render(): Promise<{ contentType: string; body: string }> {
    this.registry ??= this.makeRegistry();
    const registry = await this.registry;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }

  private async makeRegistry(): Promise<Registry> {
    // A CommonJS package: Node's import() gives its exports as `default` (and, by static analysis,
    // by name), the esbuild bundle of `npm start` only as `default`.
    const loaded = await import('prom-client');
    const prom = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
    const registry = new prom.Registry();
    const registers = [registry];
    const self = this;

    new prom.Counter({
      name: 'lg_http_requests_total', help: 'HTTP requests answered, by route family, status class and response format',
      labelNames: ['family', 'status', 'format'], registers,
      collect() {
        this.reset();
        for (const [key, n] of self.requests) {
          const [family, status, format] = key.split('\t') as [string, string, string];
          this.inc({ family, status, format }, n);
        }
      },
    });
    registry.registerMetric(this.latencyMetric('lg_http_request_duration_seconds', 'Time from a request\'s arrival to its answer, by route family'));
    new prom.Counter({
      name: 'lg_sparql_queries_total', help: 'SPARQL queries by outcome: ok, truncated (cut at a limit), refused (4xx), busy (503 for load), timeout, error',
      labelNames: ['outcome'], registers,
      collect() {
        this.reset();
        for (const [outcome, n] of self.queries) this.inc({ outcome }, n);
      },
    });
    new prom.Counter({
      name: 'lg_publications_total', help: 'Publications finished while serving, by kind and outcome (published, refused by the checks, failed)',
      labelNames: ['kind', 'outcome'], registers,
      collect() {
        this.reset();
        for (const [key, n] of self.publications) {
          const [kind, outcome] = key.split('\t') as [string, string];
          this.inc({ kind, outcome }, n);
        }
      },
    });
    const pool = (pick: (s: PoolStats) => number) =>
      function collect(this: import('prom-client').Gauge) {
        const s = self.sources.pool();
        this.reset();
        if (s) this.set(pick(s));
      };
    new prom.Gauge({ name: 'lg_query_workers', help: 'Query worker threads holding the store and ready', registers, collect: pool((s) => s.ready) });
    new prom.Gauge({ name: 'lg_query_workers_busy', help: 'Query worker threads running a query now', registers, collect: pool((s) => s.busy) });
    new prom.Gauge({ name: 'lg_query_queued', help: 'Queries waiting for a query worker', registers, collect: pool((s) => s.queued) });
    const gate = (pick: (s: GateStats) => number) =>
      function collect(this: import('prom-client').Gauge) {
        const s = self.sources.gate?.();
        this.reset();
        if (s) this.set(pick(s));
      };
    new prom.Gauge({ name: 'lg_store_requests_in_flight', help: 'Queries sent to the remote store and not yet answered (STORE=remote, at most STORE_CONCURRENCY)', registers, collect: gate((s) => s.busy) });
    new prom.Gauge({ name: 'lg_store_requests_queued', help: 'Queries waiting for a place to the remote store (STORE=remote)', registers, collect: gate((s) => s.queued) });
    new prom.Gauge({
      name: 'lg_graph_triples', help: 'Triples in each named graph of the data served',
      labelNames: ['graph'], registers,
      collect() {
        this.reset();
        for (const [graph, n] of Object.entries(self.sources.info().graphs)) this.set({ graph }, n);
      },
    });
    new prom.Gauge({
      name: 'lg_store_triples', help: 'Quads in the store, every graph together', registers,
      collect() {
        this.set(self.sources.info().triples);
      },
    });
    new prom.Gauge({
      name: 'lg_data_version_info', help: 'The data version and release served (always 1; the labels say which)',
      labelNames: ['data_version', 'release'], registers,
      collect() {
        this.reset();
        this.set({ data_version: self.sources.info().dataVersion, release: String(self.sources.release() ?? '') }, 1);
      },
    });
    // The process's own: resident memory, CPU, heap, event-loop delay, garbage collection.
    prom.collectDefaultMetrics({ register: registry });
    return registry;
  }

  /**
   * The latency histogram as a metric the registry renders like its own (prom-client's Registry
   * asks a metric for `get()`: name, help, type and its sample values).
   */
  private latencyMetric(name: string, help: string): Metric {
    const get = async () => {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (const [family, l] of this.latency) {
        let cumulative = 0;
        LATENCY_BUCKETS.forEach((le, i) => {
          cumulative += l.counts[i]!;
          values.push({ labels: { family, le }, value: cumulative, metricName: `${name}_bucket` });
        });
        cumulative += l.counts[LATENCY_BUCKETS.length]!;
        values.push({ labels: { family, le: '+Inf' }, value: cumulative, metricName: `${name}_bucket` });
        values.push({ labels: { family }, value: l.sum, metricName: `${name}_sum` });
        values.push({ labels: { family }, value: cumulative, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    };
    return { name, help, type: 'histogram', aggregator: 'sum', get } as unknown as Metric;
  }
}
