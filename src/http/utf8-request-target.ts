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
 * request smuggling): on the server's `clientError` with `HPE_INVALID_URL`, when the chunk the
 * parser failed on (`err.rawPacket`) starts with that request's request line, we
 *  1. end the server's state for the failed connection as Node does when a socket closes (its own
 *     `close` listener frees the failed parser, so no stale parser is left to time the socket out),
 *     and remove the other listeners it put on the socket;
 *  2. hand the server, as a new connection (`server.emit('connection', stream)`: Node documents
 *     that any Duplex may be passed), a stream that replays the chunk with the bytes >= 0x80 of its
 *     request line percent-encoded, then carries the rest of the socket both ways unchanged.
 * Only the request line is rewritten: headers and bodies pass byte for byte, and everything else
 * llhttp refuses is still refused (a second failure on the replayed bytes answers 400). Keep-alive
 * works: a later request with raw UTF-8 on the same connection restarts the same stream.
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

  /** Starts over with `rawPacket`, the chunk holding a request line that the parser refused. */
  replay(rawPacket: Buffer): void {
    const { bytes, lineEnded } = encodeRequestLine(rawPacket);
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
}

/** A request line's start: a method token and a space (RFC 9112 §3). */
const REQUEST_LINE_START = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ /;

/**
 * Whether `err` is a request target with raw bytes >= 0x80 that we can replay: the failed chunk
 * starts with the request line (so no earlier bytes of that request were consumed; a request split
 * mid-line across reads, or pipelined behind another in one chunk, is refused as before) and no
 * response of an earlier request is still being written to the connection (`_httpMessage`, the
 * property Node's own `clientError` default checks for the same reason).
 */
function replayable(err: ParseError, stream: Duplex): err is ParseError & { rawPacket: Buffer } {
  if (err.code !== 'HPE_INVALID_URL' || !Buffer.isBuffer(err.rawPacket)) return false;
  if ((stream as Duplex & { _httpMessage?: unknown })._httpMessage) return false;
  const raw: Buffer = err.rawPacket;
  const lf = raw.indexOf(0x0a);
  const line = raw.subarray(0, lf === -1 ? raw.length : lf);
  return REQUEST_LINE_START.test(line.toString('latin1')) && line.some((b) => b >= 0x80);
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

function handOver(server: Server, stream: Duplex, rawPacket: Buffer): void {
  detachServer(stream);
  let connection: ReplayedConnection;
  if (stream instanceof ReplayedConnection) connection = stream;
  else {
    const socket = stream as Socket;
    // The keep-alive timer the failed connection may have set; the new one sets its own.
    socket.setTimeout(0);
    connection = new ReplayedConnection(socket);
  }
  connection.replay(rawPacket);
  server.emit('connection', connection);
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
}

/**
 * The server's `clientError` handler (Fastify's `clientErrorHandler` option, in place of Fastify's
 * own answer): replays a raw UTF-8 request target, answers anything else in our error format.
 */
export function answerClientError(server: Server, err: ParseError, socket: Duplex): void {
  // A reset connection: nothing to answer (Fastify's default does the same).
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (replayable(err, socket) && before.has(socket)) handOver(server, socket, err.rawPacket);
  else refuse(err, socket);
}
