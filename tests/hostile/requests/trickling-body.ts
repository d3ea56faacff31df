import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { HostileRequest } from '../case.js';

/**
 * A POST whose body trickles in a byte at a time was never timed out (still open after 130 s):
 * Fastify turns Node's requestTimeout off. With REQUEST_TIMEOUT_MS=2000 the server must answer 408
 * LG_ERR_REQUEST_TIMEOUT and close the connection in a few seconds (generous bound: 15 s), for a
 * SPARQL query, an upload to the officials' area, and headers that never end.
 */
const TIMEOUT_MS = 2000;
const BOUND_MS = 15_000;

interface Outcome { ms: number; answer: string; closed: boolean }

/** Sends `head`, then one byte of `drip` every 100 ms, until the server closes or BOUND_MS passes. */
function trickle(origin: string, head: string, drip: string): Promise<Outcome> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
      timer = setInterval(() => { if (socket.writable) socket.write(drip); }, 100);
    });
    const stop = setTimeout(() => { finish(false); socket.destroy(); }, BOUND_MS);
    let done = false;
    function finish(closed: boolean) {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(stop);
      resolve({ ms: Date.now() - started, answer, closed });
    }
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => { answer += c; });
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
  });
}

const probe: HostileRequest = {
  title: `a body (or headers) trickled a byte per 100 ms is cut off with 408 soon after REQUEST_TIMEOUT_MS=${TIMEOUT_MS}`,
  issue: '#14.13',
  env: { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) },
  async run(origin) {
    // [what, request head, byte dripped, whether the route reads the body before it answers]
    const cases: [string, string, string, boolean][] = [
      ['a SPARQL POST body', 'POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 1000000\r\n\r\nSELECT', ' ', true],
      ['headers that never end', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X', true],
      // Without a session the area may answer (401, a redirect, a 404 without the area) before it
      // reads the body; either way the connection must not stay open while the body trickles.
      ['an upload to /publish', 'POST /publish/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n--b\r\n', 'x', false],
    ];
    await Promise.all(cases.map(async ([what, head, drip, readsBody]) => {
      const r = await trickle(origin, head, drip);
      assert.ok(r.closed, `${what}: still open after ${BOUND_MS} ms`);
      if (!readsBody) {
        assert.match(r.answer, /^HTTP\/1\.1 [34]\d\d /, `${what}: ${r.answer.slice(0, 100)}`);
        return;
      }
      assert.ok(r.ms >= TIMEOUT_MS - 200, `${what}: closed after ${r.ms} ms, before the limit`);
      assert.match(r.answer, /^HTTP\/1\.1 408 /, `${what}: ${r.answer.slice(0, 100)}`);
      assert.match(r.answer, /"code":"LG_ERR_REQUEST_TIMEOUT"/, what);
    }));
  },
};
export default probe;
