import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { ERROR_CODES } from '../errors.js';
import { RAW_SECURITY_HEADERS } from '../server/security-headers.js';

/**
 * Raw UTF-8 in the request target (`curl 'http://localhost:3000/search?q=Яван'`: curl and many
 * scripts send the bytes as typed, browsers percent-encode them) is refused by Node's HTTP parser
 * (llhttp: `HPE_INVALID_URL`) before the application sees it. RFC 9112 §3.2 only allows ASCII
 * there, but the intent is unambiguous, so we answer such a request as if it had been
 * percent-encoded.
 *
 * How, without `insecureHTTPParser` (it would also relax header parsing, which opens the door to
 * request smuggling): on the server's `clientError` with `HPE_INVALID_URL`, we find where the
 * failing request starts: after the last LF before the byte the parser refused (`err.bytesParsed`
 * in the chunk it failed on, `err.rawPacket`), so a request pipelined behind others in one chunk
 * is found too; when that chunk holds no LF before it, the request line began in an earlier read,
 * whose bytes since their last LF each connection keeps (LineTap: a request line split across
 * reads, `GET /search?q=` then `Яван HTTP/1.1`). If that is a request line with bytes >= 0x80, we
 *  1. wait, if responses to earlier requests on the connection are still being sent, until they
 *     are (the connection's further input is held meanwhile, not parsed);
 *  2. end the server's state for the failed connection as Node does when a socket closes (its own
 *     `close` listener frees the failed parser, so no stale parser is left to time the socket out),
 *     and remove the other listeners it put on the socket;
 *  3. hand the server, as a new connection (`server.emit('connection', stream)`: Node documents
 *     that any Duplex may be passed), a stream that replays the failing request with the bytes
 *     >= 0x80 of its request line percent-encoded, then carries the rest of the socket both ways
 *     unchanged.
 * Only the request line is rewritten: headers and bodies pass byte for byte, and everything else
 * llhttp refuses is still refused (a second failure on the replayed bytes answers 400). Keep-alive
 * works: a later request with raw UTF-8 on the same connection restarts the same stream.
 *
 * The cost of the tap: Node otherwise feeds a socket to its parser inside C++ (`parser.consume`),
 * which a 'data' listener turns off, so each read becomes a JavaScript Buffer and event: ~22%
 * fewer requests/s on a bare Node server answering a constant, within the noise on ours (README).
 *
 * Not handled: a raw UTF-8 request pipelined in the same read right behind a request body that
 * does not end in LF. Where that body ends is known only to the failed parser; from the last LF,
 * the body's tail is taken for the method and the replay is refused (400) as before.
 *
 * Every other parse error is answered in our JSON error format with the CORS header (Fastify's
 * default answer has neither).
 */

/** Events on which Node's HTTP server hangs a connection's state (lib/_http_server.js). */
const CONNECTION_EVENTS = ['data', 'end', 'close', 'drain', 'timeout', 'error', 'pause', 'resume'] as const;
type Listener = (...args: unknown[]) => void;
type Snapshot = Map<string, Set<Listener>>;

/** The listeners a stream had before the HTTP server took it, so that we remove only the server's. */
const before = new WeakMap<Duplex, Snapshot>();

function snapshot(stream: Duplex): Snapshot {
  return new Map(CONNECTION_EVENTS.map((e) => [e, new Set(stream.listeners(e) as Listener[])]));
}

/** The request line of `chunk` (up to its LF, or the whole chunk), with bytes >= 0x80 as %XX. */
export function encodeRequestLine(chunk: Buffer): { bytes: Buffer; lineEnded: boolean } {
  const lf = chunk.indexOf(0x0a);
  const end = lf === -1 ? chunk.length : lf;
  const line = encodeHigh(chunk.subarray(0, end));
  return { bytes: Buffer.concat([line, chunk.subarray(end)]), lineEnded: lf !== -1 };
}

const HEX = '0123456789ABCDEF';
function encodeHigh(bytes: Buffer): Buffer {
  let high = 0;
  for (const b of bytes) if (b >= 0x80) high++;
  if (high === 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length + 2 * high);
  let i = 0;
  for (const b of bytes) {
    if (b < 0x80) out[i++] = b;
    else {
      out[i++] = 0x25; // '%'
      out[i++] = HEX.charCodeAt(b >> 4);
      out[i++] = HEX.charCodeAt(b & 15);
    }
  }
  return out;
}

/**
 * The connection the HTTP server reads after a hand-over: the socket's bytes, with the request line
 * being replayed percent-encoded (also when its end arrives in a later chunk). Writes, timeouts and
 * the addresses (Fastify's `request.ip`) are the socket's.
 */
class ReplayedConnection extends Duplex {
  #inRequestLine = false;

  constructor(readonly socket: Socket) {
    super({ allowHalfOpen: true });
    socket.on('data', (chunk: Buffer) => {
      if (!this.push(this.#encode(chunk))) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('timeout', () => this.emit('timeout'));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  /** Starts over with `request`: what has arrived of a request whose line the parser refused. */
  replay(request: Buffer): void {
    const { bytes, lineEnded } = encodeRequestLine(request);
    this.#inRequestLine = !lineEnded;
    this.unshift(bytes);
  }

  #encode(chunk: Buffer): Buffer {
    if (!this.#inRequestLine) return chunk;
    const { bytes, lineEnded } = encodeRequestLine(chunk);
    this.#inRequestLine = !lineEnded;
    return bytes;
  }

  override _read(): void {
    this.socket.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.socket.write(chunk, done);
  }
  override _final(done: () => void): void {
    this.socket.end(done);
  }
  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.socket.destroy(err ?? undefined);
    done(err);
  }
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.socket.setTimeout(ms);
    if (onTimeout) this.once('timeout', onTimeout);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    this.socket.setKeepAlive(enable, delay);
    return this;
  }
  get remoteAddress(): string | undefined { return this.socket.remoteAddress; }
  get remotePort(): number | undefined { return this.socket.remotePort; }
  get remoteFamily(): string | undefined { return this.socket.remoteFamily; }
  get localAddress(): string | undefined { return this.socket.localAddress; }
  get localPort(): number | undefined { return this.socket.localPort; }
}

/** Node's parse error: `rawPacket` is the chunk the parser failed on (a Buffer; Fastify's type says otherwise). */
interface ParseError extends Error {
  code?: string;
  rawPacket?: unknown;
  /** Where in `rawPacket` the parser stopped: the byte it refused. */
  bytesParsed?: unknown;
}

/** A request line's start: a method token and a space (RFC 9112 §3). */
const REQUEST_LINE_START = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ /;

/**
 * The longest start of a line kept per connection: a request line longer than this is refused as
 * before (Node's own limit for a request's whole head is 16 KiB).
 */
const MAX_KEPT_LINE = 8 * 1024;

/**
 * The bytes a connection received since the last LF (the start of a line not yet ended), so that
 * a request line split across reads can be replayed whole. One per hand-over of a connection to
 * the server: a tap removed at a hand-over may still see the chunk being read then, and must not
 * write into the next one's state.
 */
class LineTap {
  /** undefined: the last read ended a line; 'overlong': more than MAX_KEPT_LINE since the last LF. */
  partial: Buffer | 'overlong' | undefined;

  readonly onData = (chunk: Buffer): void => {
    const lf = chunk.lastIndexOf(0x0a);
    if (lf === chunk.length - 1) this.partial = undefined;
    else if (lf >= 0) this.partial = chunk.length - lf - 1 > MAX_KEPT_LINE ? 'overlong' : Buffer.from(chunk.subarray(lf + 1));
    else if (this.partial !== 'overlong') {
      const length = (this.partial?.length ?? 0) + chunk.length;
      this.partial = length > MAX_KEPT_LINE ? 'overlong' : Buffer.concat(this.partial ? [this.partial, chunk] : [chunk]);
    }
  };
}

const taps = new WeakMap<Duplex, LineTap>();

/**
 * The failing request, from the start of its request line to the end of what has arrived, if its
 * request line holds raw bytes >= 0x80 (and is otherwise a request line); undefined otherwise.
 */
export function failingRequest(raw: Buffer, at: number, before: Buffer | 'overlong' | undefined): Buffer | undefined {
  const lf = at > 0 ? raw.lastIndexOf(0x0a, Math.min(at, raw.length) - 1) : -1;
  let bytes: Buffer;
  if (lf >= 0) bytes = raw.subarray(lf + 1);
  else if (before === 'overlong') return undefined;
  else bytes = before ? Buffer.concat([before, raw]) : raw;
  const end = bytes.indexOf(0x0a);
  const line = bytes.subarray(0, end === -1 ? bytes.length : end);
  return REQUEST_LINE_START.test(line.toString('latin1')) && line.some((b) => b >= 0x80) ? bytes : undefined;
}

/** The request to replay, if `err` is a raw UTF-8 request target (see above). */
function replayable(err: ParseError, stream: Duplex): Buffer | undefined {
  if (err.code !== 'HPE_INVALID_URL' || !Buffer.isBuffer(err.rawPacket) || !before.has(stream)) return undefined;
  const at = typeof err.bytesParsed === 'number' ? err.bytesParsed : 0;
  return failingRequest(err.rawPacket, at, taps.get(stream)?.partial);
}

/** Connections waiting for earlier responses before their failed request is replayed. */
const waiting = new WeakSet<Duplex>();

/**
 * Hands the connection over once no response is being sent on it (`_httpMessage`, the property
 * Node's own `clientError` default checks for the same reason): requests pipelined before the
 * failing one are answered first, in order. Meanwhile the connection's input is held, not parsed
 * (the failed parser would refuse it), and further errors the server reports on it (a request
 * timer of the failed parser) are not answered.
 */
function handOverWhenIdle(server: Server, stream: Duplex, bytes: Buffer): void {
  const inFlight = (): (Duplex & { once(e: 'close', f: () => void): unknown }) | undefined =>
    (stream as Duplex & { _httpMessage?: Duplex | null })._httpMessage ?? undefined;
  if (!inFlight()) return handOver(server, stream, bytes);
  waiting.add(stream);
  stream.pause();
  for (const listener of stream.listeners('data') as Listener[]) {
    if (!before.get(stream)?.get('data')?.has(listener)) stream.removeListener('data', listener);
  }
  const held: Buffer[] = [bytes];
  // Paused again after each chunk: should Node resume the socket meanwhile (its own back-pressure
  // does, on drain), at most a chunk is held per resume, not whatever the client sends.
  const hold = (chunk: Buffer) => {
    held.push(chunk);
    stream.pause();
  };
  stream.on('data', hold);
  const check = () => {
    if (stream.destroyed) return;
    // A response emits 'close' after Node has detached it and given the socket to the next one.
    const response = inFlight();
    if (response) return void response.once('close', check);
    stream.removeListener('data', hold);
    waiting.delete(stream);
    handOver(server, stream, Buffer.concat(held));
  };
  check();
}

/** Ends the HTTP server's state on `stream` for the request that failed to parse (see above). */
function detachServer(stream: Duplex): void {
  const own = before.get(stream);
  for (const event of CONNECTION_EVENTS) {
    for (const listener of stream.listeners(event) as Listener[]) {
      if (own?.get(event)?.has(listener)) continue;
      stream.removeListener(event, listener);
      // Node's `close` listener frees the connection's parser (and aborts requests not answered:
      // none here, since no response is in progress).
      if (event === 'close') listener.call(stream, false);
    }
  }
}

function handOver(server: Server, stream: Duplex, request: Buffer): void {
  detachServer(stream);
  let connection: ReplayedConnection;
  if (stream instanceof ReplayedConnection) connection = stream;
  else {
    const socket = stream as Socket;
    // The keep-alive timer the failed connection may have set; the new one sets its own.
    socket.setTimeout(0);
    connection = new ReplayedConnection(socket);
  }
  connection.replay(request);
  server.emit('connection', connection);
  // A connection handed over again flows again (handOverWhenIdle pauses it while it waits).
  if (connection === stream) connection.resume();
}

const PARSE_ERRORS = new Map<string, keyof typeof ERROR_CODES>([
  ['ERR_HTTP_REQUEST_TIMEOUT', 'LG_ERR_REQUEST_TIMEOUT'],
  ['HPE_HEADER_OVERFLOW', 'LG_ERR_HEADERS_TOO_LARGE'],
]);

/** What the client is told: our code and a sentence, not the parser's own code (issue #14.14). */
const PARSE_MESSAGES = new Map<keyof typeof ERROR_CODES, string>([
  ['LG_ERR_REQUEST_TIMEOUT', 'The request was not received in full within the server\'s time limit (REQUEST_TIMEOUT_MS).'],
  ['LG_ERR_HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts.'],
  ['LG_ERR_MALFORMED_REQUEST', 'The request is not valid HTTP/1.1.'],
]);

/** Our error answer for a request the parser refused (or that took too long), written on the raw connection. */
function refuse(err: ParseError, stream: Duplex): void {
  const code = PARSE_ERRORS.get(err.code ?? '') ?? 'LG_ERR_MALFORMED_REQUEST';
  const status = ERROR_CODES[code].status;
  const body = JSON.stringify({ statusCode: status, code, message: PARSE_MESSAGES.get(code) });
  // As Node's own default: no answer of ours once a response has started on this connection (a
  // 408 in the middle of another response would corrupt it), only the connection closed.
  const started = (stream as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (stream.writable && !started) {
    stream.write(
      `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 408 ? 'Request Timeout' : 'Request Header Fields Too Large'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        'Access-Control-Allow-Origin: *\r\n' +
        'Cache-Control: no-store\r\n' +
        RAW_SECURITY_HEADERS +
        'Connection: close\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  stream.destroy();
}

/**
 * Must be called once on the server before it accepts connections: notes, before Node's own
 * `connection` listener runs, which listeners a connection had before the HTTP server took it.
 */
export function acceptUtf8RequestTargets(server: Server): void {
  server.prependListener('connection', (stream: Duplex) => before.set(stream, snapshot(stream)));
  // After Node's own listener, so that the tap sees each read after the parser has.
  server.on('connection', (stream: Duplex) => {
    const tap = new LineTap();
    taps.set(stream, tap);
    stream.on('data', tap.onData);
  });
}

/**
 * The server's `clientError` handler (Fastify's `clientErrorHandler` option, in place of Fastify's
 * own answer): replays a raw UTF-8 request target, answers anything else in our error format.
 */
export function answerClientError(server: Server, err: ParseError, socket: Duplex): void {
  // A reset connection: nothing to answer (Fastify's default does the same).
  if (err.code === 'ECONNRESET' || socket.destroyed || waiting.has(socket)) return;
  const request = replayable(err, socket);
  if (request) handOverWhenIdle(server, socket, request);
  else refuse(err, socket);
}
