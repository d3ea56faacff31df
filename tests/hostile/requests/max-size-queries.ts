import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { HostileRequest } from '../case.js';

/**
 * The largest queries MAX_QUERY_BYTES allows, several at once from several clients (127.0.0.x):
 * 64 KiB of VALUES rows each, ~0.2 s each to parse in sparqljs (64 KiB of triple patterns take
 * 1.1 s, but 8 of those would make the case long). Parsed on the server's thread, they held
 * /health for the whole burst; parsed in parse workers (src/sparql/parse-pool.ts) they must not.
 * Each is answered (ASK: true) or, on a machine too busy to parse them all within the time limit,
 * refused with 503 LG_ERR_BUSY and Retry-After; never anything else.
 */
const MAX_QUERY_BYTES = 64 * 1024;
const CLIENTS = 8;

function maxValuesQuery(seed: number): string {
  const head = `ASK WHERE { VALUES (?x) { (${seed}) `;
  const rows: string[] = [];
  let size = head.length + 4;
  for (let i = 0; size + `(${i}) `.length <= MAX_QUERY_BYTES; i++) {
    rows.push(`(${i}) `);
    size += `(${i}) `.length;
  }
  return `${head}${rows.join('')}} }`;
}

interface Answer { status: number; body: string; retryAfter: string | undefined }

function postFrom(localAddress: string, url: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const retry = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: typeof retry === 'string' ? retry : undefined });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const maxSize: HostileRequest = {
  title: `${CLIENTS} queries of 64 KiB (VALUES rows) at once from ${CLIENTS} clients`,
  issue: '#11 fault probe',
  async run(origin) {
    // Distinct queries: a repeated one would come from the cache of prepared queries.
    const seed = Date.now() * 10;
    const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => postFrom(`127.0.0.${i + 1}`, `${origin}/sparql`, maxValuesQuery(seed + i))));
    for (const a of answers) {
      if (a.status === 503) {
        assert.match(a.body, /"LG_ERR_BUSY"/);
        assert.ok(Number(a.retryAfter) >= 1, `Retry-After ${a.retryAfter}`);
        continue;
      }
      assert.equal(a.status, 200, a.body.slice(0, 200));
      assert.match(a.body, /"boolean":\s*true/);
    }
    assert.ok(answers.some((a) => a.status === 200), 'no query was answered');
  },
};

export default maxSize;
