import * as z from 'zod/mini';
import './zod-english.js';
import { DEFAULT_BUILD_DIR } from './config-defaults.js';

/**
 * The service's configuration, read once from the environment at start-up (design.md,
 * "Configuration"). `loadConfig` is pure: tests pass their own env instead of mutating
 * process.env. Every key here is listed in README.md; a test keeps the two in step.
 *
 * zod/mini, not zod: the same validation with functions instead of methods, which a bundler can
 * leave out when unused. Loading all of zod cost `npm start` about 25 ms (README, "Start-up").
 */
const int = (min: number, max?: number) =>
  z.coerce.number().check(z.int(), z.minimum(min), ...(max !== undefined ? [z.maximum(max)] : []));
const nonEmpty = () => z.string().check(z.minLength(1));

const fields = z.object({
  PORT: z._default(int(0, 65535), 3000),
  HOST: z._default(nonEmpty(), '127.0.0.1'),
  BASE_URI: z.optional(z.url({ protocol: /^https?$/ })),
  DATA_DIR: z._default(nonEmpty(), 'data'),
  BUILD_DIR: z._default(nonEmpty(), DEFAULT_BUILD_DIR),
  QUERY_TIMEOUT_MS: z._default(int(1), 10_000),
  MAX_QUERY_RESULTS: z._default(int(1), 10_000),
  /**
   * The largest SPARQL answer sent, in bytes (cut and marked beyond): 10 MB is about a minute at
   * 1.5 Mbit/s, the slow links the service must suit; 10,000 ordinary rows are far less.
   */
  MAX_RESULT_BYTES: z._default(int(1024), 10 * 1024 * 1024),
  /**
   * The largest SPARQL query accepted, in bytes of UTF-8, checked before it is parsed (parsing runs
   * on the server's thread: a 1 MB query held every request for seconds). 64 KiB parses in well
   * under a second; larger queries belong on the dump.
   */
  MAX_QUERY_BYTES: z._default(int(1024), 64 * 1024),
  /** The deepest nesting of groups, brackets and parentheses in a SPARQL query, checked before parsing. */
  MAX_QUERY_DEPTH: z._default(int(8, 1000), 64),
  /** Worker threads that hold a copy of the store and run queries (default: 2). */
  QUERY_WORKERS: z.optional(int(1, 16)),
  LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  /** A spreadsheet (XLSX or CSV) larger than this is refused before it is read. */
  MAX_FILE_BYTES: z._default(int(1), 20 * 1024 * 1024),
  /** An XLSX whose zip entries unpack to more than this is refused (zip bombs). */
  MAX_UNZIPPED_BYTES: z._default(int(1), 200 * 1024 * 1024),
  /**
   * The largest sheet read, checked from the sheet's own dimension before its cells are walked (a
   * single value in A1048576 made the reader's work grow with rows squared): a units sheet has
   * hundreds of rows, a statistics sheet a few thousand. A larger sheet is refused by name.
   */
  MAX_SHEET_ROWS: z._default(int(10), 100_000),
  MAX_SHEET_COLUMNS: z._default(int(10, 16_384), 1_000),
  MAX_SHEET_CELLS: z._default(int(100), 300_000),
  /**
   * A query worker whose memory (Oxigraph's WebAssembly memory never shrinks) stays above this
   * after a query is replaced by a fresh one, so one huge answer does not hold gigabytes when idle.
   * A fresh worker holds about 26 MB with the shipped data; a STRLEN over a 256 MB string built in
   * a query left one at 881 MB, which 1,024 would have kept.
   */
  QUERY_WORKER_MEMORY_MB: z._default(int(128, 65_536), 512),
  /**
   * The whole request, headers and body, must have arrived within this: a client that trickles a
   * body is cut off. Two minutes carries a 20 MB workbook at about 1.4 Mbit/s.
   */
  REQUEST_TIMEOUT_MS: z._default(int(1_000), 120_000),
  /** Durable state of the officials' area and the releases: state.db (SQLite), blobs/, releases/. */
  STATE_DIR: z._default(nonEmpty(), 'state'),
  /** A login session ends this many minutes after its last use. */
  SESSION_MINUTES: z._default(int(5, 7 * 24 * 60), 8 * 60),
  /** Failed and successful login attempts allowed per client address per minute. */
  LOGIN_ATTEMPTS_PER_MINUTE: z._default(int(1, 1000), 10),
  /** An uploaded workbook whose checks take longer is refused and its checking thread replaced. */
  UPLOAD_CHECK_TIMEOUT_MS: z._default(int(100), 30_000),
  /** The heap of the thread that checks uploads (a hostile workbook cannot take more). */
  UPLOAD_CHECK_MEMORY_MB: z._default(int(64, 65536), 1024),
  /** Error reports a reader may send per client address per hour (src/reports/); more get 429. */
  REPORTS_PER_HOUR: z._default(int(1, 1000), 5),
  /** Error reports stored per UTC day from everyone together, so a flood cannot fill the database. */
  REPORTS_PER_DAY: z._default(int(1, 100_000), 500),
  /**
   * Packages a client address may have in CKAN Action API answers that must be built (not kept)
   * per minute (src/ckan/build-budget.ts: a new search counts each package it returns, any other
   * answer one); past it, 429 with Retry-After. A new search of all 79 packages costs about 13 ms
   * of the server's thread: 2,000 a minute is under 1% of a core, and HDX's whole harvest
   * (a search, then each package and each resource: about 430) four times over.
   */
  CKAN_PACKAGES_PER_MINUTE: z._default(int(1, 1_000_000), 2000),
  /**
   * The bearer token /metrics asks for (src/metrics/). Unset, /metrics answers 404: the figures
   * (request rates, the worker pool's load) help an attacker time an overload, so they are not
   * public by default. At least 16 visible ASCII characters (RFC 6750's token, no spaces).
   */
  /**
   * Where the data is queried (design.md, "Configuration"): `embedded`, worker threads each holding
   * Oxigraph with the release; `remote`, an existing SPARQL 1.1 store (src/store/remote/).
   */
  STORE: z._default(z.enum(['embedded', 'remote']), 'embedded'),
  /** STORE=remote: its SPARQL 1.1 Protocol query endpoint (Virtuoso: http://host:8890/sparql). */
  STORE_QUERY_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /**
   * STORE=remote: its SPARQL 1.1 Update endpoint, where a release is loaded (Virtuoso:
   * http://host:8890/sparql-auth). Unset: the store must already hold the release.
   */
  STORE_UPDATE_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /**
   * STORE=remote with STORE_UPDATE_URL: its SPARQL 1.1 Graph Store HTTP Protocol endpoint (Virtuoso:
   * http://host:8890/sparql-graph-crud-auth). Set, a release's quads are POSTed there as N-Triples,
   * far faster than SPARQL Update; the switch still goes through STORE_UPDATE_URL.
   */
  STORE_GRAPH_STORE_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /**
   * STORE=remote: this instance's queries in flight to the store at once (default 4), admitted by
   * the embedded pool's fair-use rules (src/store/fair-use.ts). The store's threads are shared by
   * every instance: instances x STORE_CONCURRENCY within them (Virtuoso: [HTTPServer] ServerThreads).
   */
  STORE_CONCURRENCY: z._default(int(1, 256), 4),
  /** STORE=remote: the user the update endpoint knows (HTTP Digest or Basic, as it asks). */
  STORE_USER: z.optional(nonEmpty()),
  STORE_PASSWORD: z.optional(nonEmpty()),
  METRICS_TOKEN: z.optional(z.string().check(z.regex(/^[\x21-\x7e]{16,256}$/, { message: 'METRICS_TOKEN must be 16 to 256 visible ASCII characters, no spaces (e.g. openssl rand -hex 24)' }))),
  /**
   * Set, this instance is a read-only replica (src/replica/): it serves the release named by
   * RELEASES_FROM/live.json (the publishing instance's STATE_DIR, on a shared volume) and converts
   * and publishes nothing itself.
   */
  RELEASES_FROM: z.optional(nonEmpty()),
  /** How often a replica reads RELEASES_FROM/live.json for a new release. */
  RELEASES_POLL_MS: z._default(int(100, 3_600_000), 2_000),
  /**
   * A replica's `s-maxage` (seconds): how long a shared cache in front (deploy/nginx/cache.conf)
   * keeps a response before it revalidates it with its ETag. It bounds how long the cache may serve
   * a release after the replicas have switched. Browsers keep the max-age they had.
   */
  SHARED_MAX_AGE: z._default(int(0, 86_400), 5),
  /**
   * The proxies (a cache such as deploy/nginx/cache.conf) whose X-Forwarded-For is believed, as
   * addresses or CIDR ranges (`127.0.0.1,10.0.0.0/8`): behind one, every client otherwise has the
   * proxy's address, and the per-address limits (logins, error reports, SPARQL fair use) count
   * everyone together. "Trust everyone" is not offered: any client could then choose its address.
   */
  TRUST_PROXY: z.optional(
    z.string().check(
      z.regex(/^\s*[0-9a-fA-F.:]+(\/\d{1,3})?(\s*,\s*[0-9a-fA-F.:]+(\/\d{1,3})?)*\s*$/, {
        message: 'TRUST_PROXY must list the proxies\' addresses or CIDR ranges, comma-separated (e.g. 127.0.0.1,10.0.0.0/8)',
      }),
    ),
  ),
});

const schema = z.pipe(
  fields,
  z
    .transform((c: z.output<typeof fields>) => ({ ...c, BASE_URI: c.BASE_URI ?? `http://localhost:${c.PORT}/` }))
    .check(
      z.refine((c) => c.BASE_URI.endsWith('/'), {
        message: 'BASE_URI must end with "/" (every URI we mint is BASE_URI + a path)',
        path: ['BASE_URI'],
      }),
      z.refine((c) => !/[?#]/.test(c.BASE_URI), {
        message: 'BASE_URI must not have a query or a fragment',
        path: ['BASE_URI'],
      }),
      z.refine((c) => c.STORE !== 'remote' || c.STORE_QUERY_URL !== undefined, {
        message: "STORE=remote needs STORE_QUERY_URL, the remote store's SPARQL query endpoint (e.g. http://127.0.0.1:8890/sparql)",
        path: ['STORE_QUERY_URL'],
      }),
      z.refine((c) => c.STORE_GRAPH_STORE_URL === undefined || c.STORE_UPDATE_URL !== undefined, {
        message: 'STORE_GRAPH_STORE_URL needs STORE_UPDATE_URL: the switch to a loaded release is a SPARQL Update',
        path: ['STORE_GRAPH_STORE_URL'],
      }),
      z.refine((c) => (c.STORE_USER === undefined) === (c.STORE_PASSWORD === undefined), {
        message: 'STORE_USER and STORE_PASSWORD go together: set both or neither',
        path: ['STORE_USER'],
      }),
    ),
);

export type Config = z.output<typeof schema>;

/** The keys the environment may set, for README's configuration table and its test. */
export const CONFIG_KEYS = [
  'PORT', 'HOST', 'BASE_URI', 'DATA_DIR', 'BUILD_DIR', 'QUERY_TIMEOUT_MS', 'MAX_QUERY_RESULTS', 'MAX_RESULT_BYTES', 'MAX_QUERY_BYTES', 'MAX_QUERY_DEPTH', 'QUERY_WORKERS',
  'LOG_LEVEL', 'MAX_FILE_BYTES', 'MAX_UNZIPPED_BYTES', 'MAX_SHEET_ROWS', 'MAX_SHEET_COLUMNS', 'MAX_SHEET_CELLS', 'QUERY_WORKER_MEMORY_MB', 'REQUEST_TIMEOUT_MS', 'STATE_DIR', 'SESSION_MINUTES', 'LOGIN_ATTEMPTS_PER_MINUTE', 'UPLOAD_CHECK_TIMEOUT_MS', 'UPLOAD_CHECK_MEMORY_MB',
  'REPORTS_PER_HOUR', 'REPORTS_PER_DAY', 'CKAN_PACKAGES_PER_MINUTE',
  'METRICS_TOKEN',
  'STORE', 'STORE_QUERY_URL', 'STORE_UPDATE_URL', 'STORE_GRAPH_STORE_URL', 'STORE_CONCURRENCY', 'STORE_USER', 'STORE_PASSWORD',
  'RELEASES_FROM', 'RELEASES_POLL_MS', 'SHARED_MAX_AGE', 'TRUST_PROXY',
] as const;

/** Keys whose values are secrets: an error about them does not repeat the value. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['METRICS_TOKEN', 'STORE_PASSWORD']);

export class ConfigError extends Error {
  readonly code = 'LG_ERR_CONFIG';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const picked: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = i.path.join('.') || '(config)';
      // A secret is not echoed into the terminal or the service's log.
      const shown = SECRET_KEYS.has(key) ? '(not shown)' : JSON.stringify(picked[key] ?? '');
      return `${key}=${shown}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
