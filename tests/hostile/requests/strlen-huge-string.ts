import assert from 'node:assert/strict';
import type { HostileRequest } from '../case.js';

/**
 * A STRLEN over a 256 MB string, built inside the query with CONCAT: Oxigraph's WebAssembly memory
 * grew to hold it and never shrank, so the worker stayed at 1.5 GB until a timeout replaced it.
 * The query itself cannot be bounded inside the engine; the client must get its answer (or the
 * timeout's 503) within the time limit, and the worker is replaced after it because its memory is
 * above QUERY_WORKER_MEMORY_MB (set low here): the next queries are answered as before.
 */
const TIMEOUT_MS = 10_000;
const SLACK_MS = 5_000;
const x16 = (v: string) => `CONCAT(${Array(16).fill(v).join(', ')})`;
/** 1 KiB x 16 x 16 x 16 x 16 x 4 = 256 MiB. */
const QUERY = `SELECT (STRLEN(?x) AS ?n) WHERE {
  BIND("${'x'.repeat(1024)}" AS ?a)
  BIND(${x16('?a')} AS ?b) BIND(${x16('?b')} AS ?c) BIND(${x16('?c')} AS ?d) BIND(${x16('?d')} AS ?e)
  BIND(CONCAT(?e, ?e, ?e, ?e) AS ?x)
}`;

const strlen: HostileRequest = {
  title: 'STRLEN over a 256 MB string built in the query with CONCAT',
  issue: '#14.10',
  env: { QUERY_TIMEOUT_MS: String(TIMEOUT_MS), QUERY_WORKER_MEMORY_MB: '256' },
  async run(origin) {
    const started = Date.now();
    const r = await fetch(`${origin}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: QUERY });
    const body = await r.text();
    assert.ok(Date.now() - started < TIMEOUT_MS + SLACK_MS, `answered after ${Date.now() - started} ms`);
    if (r.status === 200) {
      const n = (JSON.parse(body) as { results: { bindings: { n: { value: string } }[] } }).results.bindings[0]?.n.value;
      assert.equal(n, String(256 * 1024 * 1024));
    } else {
      assert.equal(r.status, 503, body);
      assert.equal((JSON.parse(body) as { code: string }).code, 'LG_ERR_QUERY_TIMEOUT');
    }
    // The pool goes on answering (the large worker replaced meanwhile).
    for (let i = 0; i < 3; i++) {
      const ask = await fetch(`${origin}/sparql?query=${encodeURIComponent(`ASK { ?s ?p ?o } # ${i}`)}`, { headers: { accept: 'application/sparql-results+json' } });
      const text = await ask.text();
      assert.equal(ask.status, 200, text);
      assert.equal((JSON.parse(text) as { boolean: boolean }).boolean, true);
    }
  },
};
export default strlen;
