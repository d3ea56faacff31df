import assert from 'node:assert/strict';
import type { HostileRequest } from '../case.js';
import { rawGet } from '../raw-get.js';

/**
 * A 404 page's language links were built from the request target as given: for `//evil.example/x`
 * they were `href="//evil.example/x?lang=en"`, an off-site link on our own page (also for
 * `/\evil.example/x`, which browsers read the same, and for the absolute form
 * `http://evil.example/x`). Every href and every Location must stay on this site.
 */
const TARGETS = ['//evil.example/x', '/\\evil.example/x', '/\\/evil.example/x', '///evil.example/x', 'http://evil.example/x', 'https://evil.example//x', '//evil.example/x?lang=ru'];

/** A link that leaves the site: a scheme, or a network-path reference (`//`, `/\`, `\\`). */
const OFFSITE = /^(?:[a-z][a-z0-9+.-]*:|[/\\]{2})/i;

const probe: HostileRequest = {
  title: '404 pages for //evil.example/x, /\\evil.example/x and http://evil.example/x link only to this site',
  issue: '#14.9',
  async run(origin, base) {
    for (const target of TARGETS) {
      const res = await rawGet(origin, target, 'text/html');
      assert.equal(res.status, 404, target);
      // Our own absolute links (the head's hreflang alternates) are read as the local path they name.
      const hrefs = [...res.body.matchAll(/\s(?:href|action)="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'))
        .map((h) => (h.startsWith(base) ? `/${h.slice(base.length)}` : h));
      // The language switch and the hreflang alternates are there, and local.
      assert.ok(hrefs.some((h) => /[?&]lang=en\b/.test(h)), `${target}: no language link`);
      for (const href of hrefs) {
        // The licence is the one link that leaves the site on purpose.
        if (href === 'https://creativecommons.org/licenses/by/4.0/') continue;
        assert.ok(!OFFSITE.test(href), `${target}: off-site link ${href}`);
        assert.ok(!/evil\.example\/x\?lang=/.test(href) || href.startsWith('/evil.example/'), `${target}: ${href}`);
      }
      assert.equal(res.headers.location, undefined, target);
    }
  },
};
export default probe;
