import { Socket, connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRequestLine } from '../src/http/utf8-request-target.js';
import { startApp, listenLoopback } from './server-helpers.js';

/**
 * Issue #11, item 1: `curl 'http://localhost:3000/search?q=Яван'` sends the UTF-8 bytes as typed;
 * Node's parser refuses them before the app runs. These tests speak HTTP/1.1 over a raw TCP socket
 * to the real server on a loopback port, since fetch and node:http would percent-encode the target.
 */

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = await startApp();
  port = await listenLoopback(app);
});
let lingering: RawConnection | undefined;
afterAll(async () => {
  const started = Date.now();
  await app.close();
  expect(Date.now() - started).toBeLessThan(5000);
  for (let i = 0; i < 50 && lingering && !lingering.closed; i++) await new Promise((r) => setTimeout(r, 20));
  expect(lingering?.closed ?? true).toBe(true);
});

interface RawResponse {
  status: number;
  /** Header names as sent, with their values. */
  headers: [string, string][];
  body: string;
}

/** A keep-alive connection that sends raw bytes and reads Content-Length-framed responses. */
class RawConnection {
  readonly socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiting: (() => void) | undefined;
  closed = false;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, d]);
      this.#waiting?.();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.#waiting?.();
    });
  }

  send(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  async response(): Promise<RawResponse> {
    for (;;) {
      const parsed = this.#parse();
      if (parsed) return parsed;
      if (this.closed) throw new Error(`connection closed; received ${JSON.stringify(this.#buffer.toString('utf8'))}`);
      await new Promise<void>((resolve) => { this.#waiting = resolve; });
    }
  }

  #parse(): RawResponse | undefined {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    const [statusLine = '', ...lines] = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]);
    const length = Number(headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1]);
    if (!Number.isInteger(length)) throw new Error(`no Content-Length in ${statusLine}`);
    if (this.#buffer.length < end + 4 + length) return undefined;
    const body = this.#buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  }

  close(): void {
    this.socket.destroy();
  }
}

const header = (r: RawResponse, name: string) => r.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
const request = (target: string) => `GET ${target} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n`;

describe('encodeRequestLine', () => {
  it('percent-encodes the bytes >= 0x80 of the first line only', () => {
    const { bytes, lineEnded } = encodeRequestLine(Buffer.from('GET /search?q=Яван HTTP/1.1\r\nX-Name: Яван\r\n\r\n'));
    expect(lineEnded).toBe(true);
    expect(bytes.toString('utf8')).toBe('GET /search?q=%D0%AF%D0%B2%D0%B0%D0%BD HTTP/1.1\r\nX-Name: Яван\r\n\r\n');
    expect(encodeRequestLine(Buffer.from('GET /a?q=ё')).lineEnded).toBe(false);
  });
});

describe('raw UTF-8 in the request target, over a real socket', () => {
  it('answers as if percent-encoded: the same 200 and JSON as the encoded request', async () => {
    const encoded = new RawConnection(port);
    encoded.send(request(`/search?q=${encodeURIComponent('Яван')}`));
    const expected = await encoded.response();
    encoded.close();
    expect(expected.status).toBe(200);
    expect(expected.body).toContain('TJ-KT-06');

    const raw = new RawConnection(port);
    raw.send(request('/search?q=Яван'));
    const got = await raw.response();
    raw.close();
    expect(got.status).toBe(200);
    expect(got.body).toBe(expected.body);
    expect(header(got, 'access-control-allow-origin')).toBe('*');
  });

  it('keeps the connection: requests after it, raw or encoded, are answered on the same socket', async () => {
    const c = new RawConnection(port);
    c.send(request('/health'));
    expect((await c.response()).status).toBe(200);
    c.send(request('/search?q=Яван'));
    const first = await c.response();
    expect(first.status).toBe(200);
    c.send(request('/search?q=Хатлон'));
    const second = await c.response();
    c.send(request(`/search?q=${encodeURIComponent('Хатлон')}`));
    const secondEncoded = await c.response();
    expect(second.status).toBe(200);
    expect(second.body).toBe(secondEncoded.body);
    expect(JSON.parse(second.body)).toMatchObject({ q: 'Хатлон' });
    c.send(request('/health'));
    expect((await c.response()).status).toBe(200);
    // Pipelined in one write: both answered, in order.
    c.send(request('/search?q=Яван') + request('/health'));
    expect((await c.response()).body).toBe(first.body);
    expect((await c.response()).status).toBe(200);
    expect(c.closed).toBe(false);
    // Left open: closing the server must still end it (an idle connection, replayed or not).
    lingering = c;
  });

  it('answers the request whose line arrives in two writes', async () => {
    const c = new RawConnection(port);
    const bytes = Buffer.from(request('/search?q=Яван'), 'utf8');
    // Cut inside the UTF-8 of the last letter: the read the parser fails on holds the line's start,
    // and the rest of the line (with raw bytes too) comes in a later read.
    const cut = bytes.indexOf(' HTTP/1.1') - 1;
    c.send(bytes.subarray(0, cut));
    await new Promise((r) => setTimeout(r, 50));
    c.send(bytes.subarray(cut));
    const r = await c.response();
    expect(r.status).toBe(200);
    c.close();
  });

  it('answers the request whose line is split across reads before its first raw byte', async () => {
    // The first read is all ASCII, so the parser takes it; it fails on the next read, which does
    // not start with the request line (before: 400).
    const c = new RawConnection(port);
    c.send('GET /search?q=');
    await new Promise((r) => setTimeout(r, 50));
    c.send('Яван HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n');
    const r = await c.response();
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ q: 'Яван' });
    // Split in three reads, the middle one inside the target, on the same connection.
    c.send('GET /sea');
    await new Promise((r) => setTimeout(r, 30));
    c.send('rch?q=Хат');
    await new Promise((r) => setTimeout(r, 30));
    c.send('лон HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n');
    const again = await c.response();
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ q: 'Хатлон' });
    c.close();
  });

  it('answers raw UTF-8 requests pipelined behind a normal one in one write, in order', async () => {
    const c = new RawConnection(port);
    c.send(request('/health') + request('/search?q=Яван') + request('/search?q=Хатлон') + request('/health'));
    const answers = [await c.response(), await c.response(), await c.response(), await c.response()];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(JSON.parse(answers[0]!.body)).toHaveProperty('triples');
    expect(JSON.parse(answers[1]!.body)).toMatchObject({ q: 'Яван' });
    expect(JSON.parse(answers[2]!.body)).toMatchObject({ q: 'Хатлон' });
    expect(JSON.parse(answers[3]!.body)).toHaveProperty('triples');
    expect(header(answers[1]!, 'access-control-allow-origin')).toBe('*');
    // The connection stays usable.
    c.send(request('/search?q=Яван'));
    expect(JSON.parse((await c.response()).body)).toMatchObject({ q: 'Яван' });
    c.close();
  });

  it('still refuses a malformed request pipelined behind a normal one, after answering that one', async () => {
    const c = new RawConnection(port);
    c.send(request('/health') + 'GET /search?q=Яв ан HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect((await c.response()).status).toBe(200);
    const r = await c.response();
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ statusCode: 400, code: 'LG_ERR_MALFORMED_REQUEST' });
    c.close();
  });

  it('still refuses other malformed requests, with 400 in our error format and the CORS header', async () => {
    for (const bad of [
      'GET /search?q=a b HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'GET /search?q=Яв ан HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'GET /\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ]) {
      const c = new RawConnection(port);
      c.send(bad);
      const r = await c.response();
      expect(r.status, bad).toBe(400);
      expect(JSON.parse(r.body), bad).toMatchObject({ statusCode: 400, code: 'LG_ERR_MALFORMED_REQUEST' });
      expect(header(r, 'access-control-allow-origin'), bad).toBe('*');
      c.close();
    }
  });
});
