import assert from 'node:assert/strict';
import type { HostileRequest } from '../case.js';

/**
 * A 9 KB CONSTRUCT (a 300-triple template, LIMIT 10000) produced a 307 MB N-Triples answer (331 MB
 * as HTML), the server's memory reached 5.35 GB and /health froze for 16.9 s. Every answer, in
 * every format and as the HTML page, must be at most MAX_RESULT_BYTES, say it was cut, and come
 * within the time limit (plus slack for a loaded machine).
 */
const MAX_RESULT_BYTES = 10 * 1024 * 1024;
const TIMEOUT_MS = 10_000;
const SLACK_MS = 5_000;

const template = Array.from({ length: 300 }, (_, i) => `?s <urn:x-hostile:p${i}> ?o .`).join('\n  ');
const QUERY = `CONSTRUCT {\n  ${template}\n} WHERE { ?s ?p ?o } LIMIT 10000`;

const huge: HostileRequest = {
  title: 'a CONSTRUCT with a 300-triple template and LIMIT 10000 (307 MB of N-Triples once)',
  issue: '#14.10',
  env: { MAX_RESULT_BYTES: String(MAX_RESULT_BYTES), QUERY_TIMEOUT_MS: String(TIMEOUT_MS) },
  async run(origin) {
    for (const accept of ['application/n-triples', 'text/turtle', 'text/html']) {
      const started = Date.now();
      const r = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept }, body: QUERY });
      const body = Buffer.from(await r.arrayBuffer());
      const ms = Date.now() - started;
      assert.equal(r.status, 200, `${accept}: status ${r.status}: ${body.subarray(0, 300).toString()}`);
      assert.ok(body.length <= MAX_RESULT_BYTES, `${accept}: ${body.length} bytes, over the cap of ${MAX_RESULT_BYTES}`);
      assert.ok(body.length > 0, `${accept}: an empty answer`);
      assert.equal(r.headers.get('x-sparql-results-truncated'), 'true', `${accept}: the cut is not said`);
      assert.ok(ms < TIMEOUT_MS + SLACK_MS, `${accept}: answered after ${ms} ms`);
      if (accept === 'application/n-triples') assert.ok(body.toString('utf8').endsWith('.\n'), 'N-Triples cut inside a line');
    }
  },
};
export default huge;
