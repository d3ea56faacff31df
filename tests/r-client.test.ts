import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './server-helpers.js';

/**
 * Issue #11, item 2: R's SPARQL package (Debian `r-cran-sparql`, installed by
 * .ci/install-test-deps) broke on Tajik and Russian labels, because RCurl takes the charset only
 * from a header spelled exactly `Content-Type:`. The real client, against the real server on a
 * loopback port.
 */

const run = promisify(execFile);
let app: FastifyInstance;
let endpoint: string;

beforeAll(async () => {
  app = await startApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/sparql`;
});
afterAll(async () => app.close());

const QUERY = `PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?lang ?label WHERE {
  <http://localhost:3000/id/district/TJ-KT-06> skos:prefLabel ?label . BIND(lang(?label) AS ?lang)
} ORDER BY ?lang`;

/** R prints the data frame's cells one per line, as UTF-8, whatever the locale's default. */
const R_SCRIPT = `
suppressMessages(library(SPARQL))
args <- commandArgs(trailingOnly = TRUE)
res <- SPARQL(url = args[1], query = args[2])$results
writeLines(enc2utf8(paste(res$lang, as.character(res$label), sep = "\\t")), stdout(), useBytes = TRUE)
`;

describe("R's SPARQL package (RCurl, XML) reads Tajik and Russian labels", () => {
  it('gets the same strings in its data frame', async () => {
    const { stdout } = await run('Rscript', ['-e', R_SCRIPT, endpoint, QUERY], {
      env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      timeout: 60_000,
    });
    const rows = stdout.trim().split('\n').map((l) => l.split('\t'));
    // The SPARQL package writes a language-tagged literal as "text"@lang.
    expect(rows).toEqual([
      ['en', '"Yovon"@en'],
      ['ru', '"Яванский район"@ru'],
      // ҳ is in neither Latin-1 nor Windows-1251: the letters that broke the package's XML parser.
      ['tg', '"Ноҳияи Ёвон"@tg'],
    ]);
  });
});
