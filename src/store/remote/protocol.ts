/**
 * One SPARQL 1.1 Protocol request to the remote store (§2.1.3, query via POST with URL-encoded
 * parameters): the query, its dataset as `default-graph-uri` / `named-graph-uri` (POSTed, so the
 * release's graph list never meets a URL length limit), the request id, a time limit, and a cap on
 * the bytes read. Every failure is turned into one of the StoreError classes here, so the routes
 * answer a remote store's trouble exactly as they answer the embedded one's.
 */
import { QueryFailedError, QuerySyntaxError, QueryTimeoutError, StoreBusyError, StoreError, StoreUnavailableError } from '../store.js';
import { RemoteStoreError, RemoteTimeoutError } from './errors.js';

export interface ProtocolRequest {
  endpoint: string;
  sparql: string;
  accept: string;
  defaultGraphs?: readonly string[];
  namedGraphs?: readonly string[];
  /** Aborted at the caller's time limit: the request is then a QueryTimeoutError of `timeoutMs`. */
  timeoutMs: number;
  /** X-Request-Id of the client's request, so the remote store's log names it too. */
  requestId?: string;
  /**
   * At most this many bytes of the answer are read; a longer answer is cut there (`overflowed`) and
   * the connection closed, so a huge answer never lands whole in this process's memory.
   */
  maxBytes?: number;
}

export interface ProtocolAnswer {
  text: string;
  contentType: string;
  /** True when the answer was longer than `maxBytes` and only its beginning was read. */
  overflowed: boolean;
  headers: Headers;
}

export async function postQuery(req: ProtocolRequest): Promise<ProtocolAnswer> {
  const form = new URLSearchParams({ query: req.sparql });
  for (const g of req.defaultGraphs ?? []) form.append('default-graph-uri', g);
  for (const g of req.namedGraphs ?? []) form.append('named-graph-uri', g);
  const headers: Record<string, string> = { accept: req.accept, 'content-type': 'application/x-www-form-urlencoded' };
  if (req.requestId !== undefined) headers['x-request-id'] = req.requestId;
  // A whole number of milliseconds (AbortSignal.timeout refuses fractions), at least one.
  const signal = AbortSignal.timeout(Math.max(1, Math.ceil(req.timeoutMs)));
  let res: Response;
  try {
    res = await fetch(req.endpoint, { method: 'POST', headers, body: form, signal });
  } catch (err) {
    // A kept-alive connection the store closed meanwhile ("other side closed", a reset): a query
    // changes nothing, so it is sent once more, on a new connection, within the same time limit.
    if (signal.aborted || !isConnectionLoss(err)) throw fetchFailure(err, req);
    try {
      res = await fetch(req.endpoint, { method: 'POST', headers, body: form, signal });
    } catch (again) {
      throw fetchFailure(again, req);
    }
  }
  try {
    if (!res.ok) throw await refusal(res, req.timeoutMs);
    // Virtuoso's "anytime" answer: past its own time limit it may send what it found so far with
    // 200 and these headers. A partial answer must never pass for a complete one.
    const state = res.headers.get('x-sql-state');
    if (state !== null && state !== '' && state !== '00000') {
      await res.body?.cancel();
      throw new RemoteTimeoutError(req.timeoutMs, `the SPARQL store stopped the query at its own time limit and offered a partial answer (X-SQL-State ${state}); a partial answer is not sent`);
    }
    const { text, overflowed } = await readCapped(res, req.maxBytes);
    return { text, overflowed, contentType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(), headers: res.headers };
  } catch (err) {
    if (isStoreError(err)) throw err;
    throw fetchFailure(err, req);
  }
}

function isStoreError(err: unknown): err is StoreError {
  return err instanceof StoreError;
}

function isConnectionLoss(err: unknown): boolean {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause instanceof Error ? (cause as { code?: string }).code : undefined;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** A time-out (our abort) or a network failure (refused, reset, DNS). */
function fetchFailure(err: unknown, req: ProtocolRequest): StoreError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return new QueryTimeoutError(req.timeoutMs);
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : err instanceof Error ? `: ${err.message}` : '';
  return new StoreUnavailableError(`the SPARQL store cannot be reached${cause}`);
}

/**
 * The remote store's refusal as one of ours. Virtuoso's messages begin "Virtuoso 37000 Error SP030:
 * SPARQL compiler, line 1: syntax error ..." (SQL state, then its own code); timeouts carry the SQL
 * states S1T00 (transaction timed out) or the SR171/SR172 codes. Other stores (Fuseki, Oxigraph
 * server, QLever) send 400 for what they cannot parse or run, and 5xx for their own failures.
 */
async function refusal(res: Response, timeoutMs: number): Promise<StoreError> {
  const { text } = await readCapped(res, 4096).catch(() => ({ text: '' }));
  const first = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')[0]?.slice(0, 300) ?? '';
  const said = first !== '' ? `: ${first}` : '';
  if (/\bS1T00\b|\bSR171\b|\bSR172\b|timed? ?out/i.test(text)) return new RemoteTimeoutError(timeoutMs, `the SPARQL store stopped the query at its own time limit${said}`);
  // Virtuoso refuses before running a query whose estimated time passes MaxQueryCostEstimationTime.
  if (/estimated execution time/i.test(text)) return new RemoteTimeoutError(timeoutMs, `the SPARQL store refused the query as too long to run${said}`);
  // Virtuoso's answer to a results format asked for a CONSTRUCT/DESCRIBE (the embedded store refuses it so too).
  if (/\bSR606\b/.test(text)) return new QueryFailedError(`the query's form does not give SPARQL results: ask a SELECT or ASK query for a results format, a CONSTRUCT or DESCRIBE query for an RDF format${said}`);
  if (res.status === 503 || res.status === 429) {
    const after = Number(res.headers.get('retry-after'));
    return new StoreBusyError(Number.isInteger(after) && after > 0 ? after : 1, `the SPARQL store is busy; try again shortly${said}`);
  }
  if (res.status === 400 && /\bSP030\b|syntax error|parse error|Lexical error|Encountered/i.test(text)) return new QuerySyntaxError(`the SPARQL store could not parse the query${said}`);
  if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403 && res.status !== 404) return new QueryFailedError(`the SPARQL store refused the query${said}`);
  return new RemoteStoreError(`the SPARQL store answered ${res.status}${said}`);
}

/**
 * Reads the body as UTF-8, stopping after `maxBytes`. A cut in the middle of a character leaves
 * that character out (the decoder is never flushed then), so the text is valid, only shorter.
 */
async function readCapped(res: Response, maxBytes: number | undefined): Promise<{ text: string; overflowed: boolean }> {
  if (maxBytes === undefined || res.body === null) return { text: await res.text(), overflowed: false };
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let read = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (read + value.byteLength > maxBytes) {
      parts.push(decoder.decode(value.subarray(0, maxBytes - read), { stream: true }));
      await reader.cancel();
      return { text: parts.join(''), overflowed: true };
    }
    read += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return { text: parts.join(''), overflowed: false };
}
