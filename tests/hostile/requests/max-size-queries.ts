import assert from 'node:assert/strict';
import type { HostileRequest } from '../case.js';

/**
 * The largest queries MAX_QUERY_BYTES allows, several at once: 64 KiB of VALUES rows each, ~0.2 s
 * each to parse in sparqljs (64 KiB of triple patterns take 1.1 s, but 8 of those, parsed one after
 * another for one client, would make the case long). Parsed on the server's thread, they held
 * /health for the whole burst; parsed in parse workers (src/sparql/parse-pool.ts) they must not.
 * Each must be answered (ASK: true), never refused for being parsed.
 */
const MAX_QUERY_BYTES = 64 * 1024;

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

const maxSize: HostileRequest = {
  title: '8 queries of 64 KiB (VALUES rows) at once',
  issue: '#11 fault probe',
  async run(origin) {
    const answers = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const res = await fetch(`${origin}/sparql`, {
        method: 'POST',
        headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' },
        // Distinct queries: a repeated one would come from the cache of prepared queries.
        body: maxValuesQuery(Date.now() * 10 + i),
      });
      return { status: res.status, body: await res.text() };
    }));
    for (const a of answers) {
      assert.equal(a.status, 200, a.body.slice(0, 200));
      assert.match(a.body, /"boolean":\s*true/);
    }
  },
};

export default maxSize;
