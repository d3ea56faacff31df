/**
 * The labels a request is counted under in /metrics: its route family, its status class and the
 * format it was answered in. Each is a small closed set, whatever the request asked for: a label
 * value taken from the URL or a header as sent would let any client make a new time series per
 * request (Prometheus keeps every series it has seen; "cardinality explosion").
 */

export type RouteFamily = 'document' | 'def' | 'sparql' | 'download' | 'search' | 'pages' | 'publish' | 'other';

/** By first path segment; documents include the catalog, VoID and the JSON-LD context (negotiated metadata). */
const FAMILIES: Readonly<Record<string, RouteFamily>> = {
  id: 'document',
  doc: 'document',
  graph: 'document',
  catalog: 'document',
  '.well-known': 'document',
  'context.jsonld': 'document',
  def: 'def',
  sparql: 'sparql',
  download: 'download',
  search: 'search',
  publish: 'publish',
  '': 'pages',
  coverage: 'pages',
  releases: 'pages',
  'releases.atom': 'pages',
  report: 'pages',
  'use-data': 'pages',
};

export function routeFamily(url: string): RouteFamily {
  let stop = 1;
  while (stop < url.length && url[stop] !== '/' && url[stop] !== '?') stop++;
  const first = url.slice(1, stop);
  // A release's dumps (/releases/{n}/download/…) are downloads like /download/….
  if (first === 'releases' && /^\/releases\/\d+\/download\//.test(url)) return 'download';
  if (Object.hasOwn(FAMILIES, first)) return FAMILIES[first]!;
  // A fixed variant of a top-level document (`/catalog.ttl`) is that document's family.
  const dot = first.indexOf('.');
  if (dot > 0 && Object.hasOwn(FAMILIES, first.slice(0, dot))) return FAMILIES[first.slice(0, dot)]!;
  return 'other';
}

/** Media type (without parameters, lower case) to the format label. */
const FORMATS: Readonly<Record<string, string>> = {
  'text/html': 'html',
  'text/turtle': 'ttl',
  'application/ld+json': 'jsonld',
  'application/n-triples': 'nt',
  'application/rdf+xml': 'rdf',
  'application/n-quads': 'nq',
  'application/trig': 'trig',
  'application/sparql-results+json': 'srj',
  'application/sparql-results+xml': 'srx',
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/json': 'json',
  'application/csvm+json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/atom+xml': 'atom',
  'application/gzip': 'gz',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/plain': 'text',
};

/** The format label of a response's Content-Type: `none` without a body type (304, redirects), `other` for the rest. */
export function formatOf(contentType: unknown): string {
  if (typeof contentType !== 'string' || contentType === '') return 'none';
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return Object.hasOwn(FORMATS, type) ? FORMATS[type]! : 'other';
}

/** `2xx`, `3xx`, `4xx`, `5xx` (`1xx` never reaches a hook). */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
