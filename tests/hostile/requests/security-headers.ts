import assert from 'node:assert/strict';
import type { HostileRequest } from '../case.js';

/**
 * Pages were sent without `X-Content-Type-Options: nosniff` or a Content-Security-Policy: every
 * answer (pages, RDF, files, 404s, errors, SPARQL) must carry both, with frame-ancestors 'none',
 * and HTML a strict policy (no inline script, nothing from another origin). Error bodies carry
 * our code and a sentence, never an errno or a path.
 */
const PATHS: [string, string][] = [
  ['/', 'text/html'],
  ['/doc/jamoat/TJ-KT-06-06', 'text/html'],
  ['/doc/jamoat/TJ-KT-06-06', 'text/turtle'],
  ['/sparql', 'text/html'],
  ['/sparql?query=ASK%7B%7D', 'application/sparql-results+json'],
  ['/sparql?query=SELEC', 'application/json'],
  ['/sparql/assets/editor.js', '*/*'],
  ['/catalog', 'text/html'],
  ['/download/units.csv', '*/*'],
  ['/no/such/page', 'text/html'],
  ['/no/such/page', 'application/json'],
  ['/favicon.svg', '*/*'],
  ['/health', '*/*'],
];

const probe: HostileRequest = {
  title: 'every answer has nosniff and a CSP with frame-ancestors \'none\'; HTML a strict one',
  issue: '#14.14',
  async run(origin) {
    for (const [path, accept] of PATHS) {
      const res = await fetch(`${origin}${path}`, { headers: { accept } });
      const body = await res.text();
      const what = `${path} (${accept}): ${res.status}`;
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/, what);
      if (/^text\/html/.test(res.headers.get('content-type') ?? '')) {
        assert.match(csp, /default-src 'self'/, what);
        assert.match(csp, /script-src 'self'(;|$)/, what);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:/, what);
      } else {
        assert.match(csp, /default-src 'none'/, what);
      }
      if (res.status >= 400 && /json/.test(res.headers.get('content-type') ?? '')) {
        const err = JSON.parse(body) as { code: string; message: string };
        assert.match(err.code, /^LG_ERR_[A-Z_]+$/, what);
        assert.doesNotMatch(err.message, /\bE[A-Z]{3,}\b|\/(?:tmp|home|work|var|usr)\//, what);
      }
    }
    // A preflight too (CORS answers it before any route).
    const pre = await fetch(`${origin}/sparql`, { method: 'OPTIONS', headers: { origin: 'http://example.org', 'access-control-request-method': 'POST' } });
    assert.equal(pre.headers.get('x-content-type-options'), 'nosniff');
    assert.match(pre.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  },
};
export default probe;
