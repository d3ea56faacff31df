import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { HostileRequest } from '../case.js';

/**
 * 20 runaway queries at once: the limit counted only from a query's start, so the queued ones
 * waited their turn and the last was answered after 99.5 s under a 10 s limit. Each must now be
 * answered within its limit (plus slack): stopped at it (503 LG_ERR_QUERY_TIMEOUT), or refused
 * when it can no longer start in time, or at once when the queue is full (503 LG_ERR_BUSY with
 * Retry-After). The queries come from 20 loopback addresses (127.0.0.x), as many clients would,
 * so that the per-client share of the queue does not refuse most of them at once.
 */
const TIMEOUT_MS = 3_000;
const SLACK_MS = 3_000;
const RUNAWAY = `SELECT (COUNT(*) AS ?n) WHERE { ${Array.from({ length: 8 }, (_, i) => `VALUES ?v${i} { 0 1 2 3 4 5 6 7 8 9 }`).join(' ')} }`;

interface Answer { status: number; code: string; retryAfter: string | undefined; ms: number }

function getFrom(localAddress: string, url: string): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress, headers: { accept: 'application/sparql-results+json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const retry = res.headers['retry-after'];
        const code = res.statusCode === 200 ? '' : (JSON.parse(text) as { code: string }).code;
        resolve({ status: res.statusCode ?? 0, code, retryAfter: typeof retry === 'string' ? retry : undefined, ms: Date.now() - started });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const queued: HostileRequest = {
  title: '20 runaway queries at once from 20 clients',
  issue: '#14.11',
  env: { QUERY_TIMEOUT_MS: String(TIMEOUT_MS) },
  async run(origin) {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      getFrom(`127.0.0.${i + 1}`, `${origin}/sparql?query=${encodeURIComponent(`${RUNAWAY} # ${i}`)}`)));
    for (const a of answers) {
      assert.equal(a.status, 503, `a runaway query answered ${a.status}`);
      assert.ok(a.code === 'LG_ERR_QUERY_TIMEOUT' || a.code === 'LG_ERR_BUSY', `code ${a.code}`);
      if (a.code === 'LG_ERR_BUSY') assert.ok(Number(a.retryAfter) >= 1, `Retry-After ${a.retryAfter}`);
      assert.ok(a.ms < TIMEOUT_MS + SLACK_MS, `answered after ${a.ms} ms (limit ${TIMEOUT_MS} ms)`);
    }
    assert.ok(answers.some((a) => a.code === 'LG_ERR_QUERY_TIMEOUT'), 'no query ran at all');
  },
};
export default queued;
