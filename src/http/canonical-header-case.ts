import { type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Response header names in their canonical case (`Content-Type`, `ETag`, `Cache-Control`,
 * `Access-Control-Allow-Origin`), whatever case the code set them in.
 *
 * Why: header names are case-insensitive (RFC 9110 §5.1), but not every client reads them so.
 * R's RCurl, under the SPARQL package from Debian, looks for the charset in a header spelled
 * exactly `Content-Type:`; finding none, it reads our UTF-8 as Latin-1 (Russian labels as
 * mojibake, Tajik ones breaking its XML parser). Fastify keeps every header name in lower case and
 * passes them so to `writeHead`, and Node sends names as given.
 *
 * How: Node's `ServerResponse` option of `http.createServer` (Fastify passes its `http` option
 * through) with a subclass that renames at the two places names enter a response: `setHeader`
 * (and `appendHeader`) and the headers given to `writeHead`. The renaming is a cached map lookup
 * per header, so serving a prepared document costs no measurable time more (README, "How it runs").
 */

/** Names whose canonical form is not "capital after each dash" (IANA registry spellings). */
const SPECIAL: ReadonlyMap<string, string> = new Map([
  ['etag', 'ETag'],
  ['www-authenticate', 'WWW-Authenticate'],
  ['content-md5', 'Content-MD5'],
  ['x-sparql-results-truncated', 'X-SPARQL-Results-Truncated'],
  ['x-sparql-results-limit', 'X-SPARQL-Results-Limit'],
  ['x-xss-protection', 'X-XSS-Protection'],
  ['x-ua-compatible', 'X-UA-Compatible'],
  ['dnt', 'DNT'],
  ['te', 'TE'],
]);

/** Names seen so far, as given -> canonical; the names come from our code, so they are few. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 512;

export function canonicalHeaderName(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const lower = name.toLowerCase();
  const canonical = SPECIAL.get(lower) ?? lower.replace(/(^|-)([a-z])/g, (_m: string, dash: string, c: string) => dash + c.toUpperCase());
  if (cache.size < CACHE_LIMIT) cache.set(name, canonical);
  return canonical;
}

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

function canonicalHeaders(headers: Headers): Headers {
  if (Array.isArray(headers)) {
    // The flat form [name, value, name, value, ...].
    return headers.map((v, i) => (i % 2 === 0 && typeof v === 'string' ? canonicalHeaderName(v) : v));
  }
  const out: OutgoingHttpHeaders = {};
  for (const name of Object.keys(headers)) out[canonicalHeaderName(name)] = headers[name];
  return out;
}

export class CanonicalCaseResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  override setHeader(name: string, value: number | string | readonly string[]): this {
    return super.setHeader(canonicalHeaderName(name), value);
  }

  override appendHeader(name: string, value: string | readonly string[]): this {
    return super.appendHeader(canonicalHeaderName(name), value);
  }

  override writeHead(statusCode: number, messageOrHeaders?: string | Headers, headers?: Headers): this {
    if (typeof messageOrHeaders === 'string') {
      return headers === undefined ? super.writeHead(statusCode, messageOrHeaders) : super.writeHead(statusCode, messageOrHeaders, canonicalHeaders(headers));
    }
    return messageOrHeaders === undefined ? super.writeHead(statusCode) : super.writeHead(statusCode, canonicalHeaders(messageOrHeaders));
  }
}
