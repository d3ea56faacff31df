import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { allowInlineStylesLater } from '../html/csp.js';
import { Representation } from '../server/representation.js';
import { sparqlPrefixes } from './examples.js';

/**
 * The query editor's files, served from our own origin (design.md: no CDN): YASGUI's browser
 * bundle and stylesheet from the npm package @zazuko/yasgui (the maintained fork of Triply's
 * YASGUI, MIT), our prefixes for its prefix autocompletion, and editor.js, which starts it.
 *
 * Offline by configuration: YASGUI's class and property autocompleters ask lov.linkeddata.es, so
 * only the prefix (from our prefixes.json) and variable autocompleters are enabled; the endpoint
 * list offers only ours; CORS-proxy and short-link features stay off (their defaults).
 */

/**
 * Started after yasgui.min.js (both `defer`): replaces the plain form with YASGUI, configured from
 * the page's JSON, and enables the examples' "open in the editor" buttons. Plain ES5, no build.
 */
const EDITOR_JS = `(function () {
  var el = document.getElementById('sparql-config');
  if (!el || typeof Yasgui === 'undefined') return;
  var cfg = JSON.parse(el.textContent);
  var endpoint = new URL(cfg.endpoint, window.location.href).href;
  // The stylesheet first: CodeMirror measures its lines when it starts.
  var css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = cfg.assets + 'yasgui.min.css';
  css.onload = css.onerror = start;
  document.head.appendChild(css);
  function start() {
  var root = document.getElementById('yasgui');
  var form = document.getElementById('sparql-form');
  root.hidden = false;
  if (form) form.hidden = true;
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: 'POST' },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    persistenceId: 'lg-sparql',
    yasqe: { value: cfg.defaultQuery, prefixCcApi: cfg.prefixes, autocompleters: ['prefixes', 'variables'] }
  });
  var buttons = document.querySelectorAll('button[data-example]');
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      button.hidden = false;
      button.addEventListener('click', function () {
        var query = cfg.examples[button.getAttribute('data-example')];
        var tab = yasgui.getTab();
        if (tab && query) { tab.setQuery(query); root.scrollIntoView(); }
      });
    })(buttons[i]);
  }
  }
})();
`;

/** The files of the npm package, found through its exports like any import (no path guessing). */
function packageFile(specifier: string): string {
  return fileURLToPath(import.meta.resolve(specifier));
}

// A Map, not an object literal: a request's name is looked up in it, and `name in {…}` also finds
// `constructor`, `__proto__`, `toString`… (issue #14.8: those names answered 500).
const YASGUI_FILES = new Map<string, { specifier: string; type: string }>([
  ['yasgui.min.js', { specifier: '@zazuko/yasgui/build/yasgui.min.js', type: 'text/javascript; charset=utf-8' }],
  ['yasgui.min.css', { specifier: '@zazuko/yasgui/build/yasgui.min.css', type: 'text/css; charset=utf-8' }],
]);

/**
 * The asset named `name`, built once per process (and per BASE_URI for prefixes.json), or
 * undefined for a name we don't serve. The ETag version is the package's version, so a new
 * YASGUI gets new validators.
 */
export class EditorAssets {
  private readonly built = new Map<string, Promise<Representation>>();

  constructor(private readonly base: string) {
    allowYasguiStyles();
  }

  get(name: string): Promise<Representation> | undefined {
    if (name !== 'editor.js' && name !== 'prefixes.json' && !YASGUI_FILES.has(name)) return undefined;
    let rep = this.built.get(name);
    if (!rep) {
      rep = this.build(name);
      rep.catch(() => this.built.delete(name));
      this.built.set(name, rep);
    }
    return rep;
  }

  private async build(name: string): Promise<Representation> {
    const version = await yasguiVersion();
    if (name === 'editor.js') return new Representation('text/javascript; charset=utf-8', EDITOR_JS, version);
    if (name === 'prefixes.json') return new Representation('application/json', JSON.stringify(sparqlPrefixes(this.base)), version);
    const file = YASGUI_FILES.get(name);
    if (!file) throw new Error(`not an editor asset: ${name}`);
    return new Representation(file.type, await readFile(packageFile(file.specifier)), version);
  }
}

/**
 * YASR's table (its column resizer) inserts a `<style>` element with constant text when it draws
 * results; under the pages' CSP (src/html/csp.ts: no 'unsafe-inline') it is allowed by its hash.
 * The text is read from the bundle we serve, so a new YASGUI brings its own; the browser test
 * (tests/csp-browser.test.ts) fails if a style is blocked. Once per process, when the first page
 * is sent, not at start-up (a megabyte read and searched: a few milliseconds).
 */
let yasguiStylesAllowed = false;
function allowYasguiStyles(): void {
  if (yasguiStylesAllowed) return;
  yasguiStylesAllowed = true;
  allowInlineStylesLater(() => {
    const bundle = readFileSync(packageFile('@zazuko/yasgui/build/yasgui.min.js'), 'utf8');
    // `x.createStyle(head, `…`)` with a template literal without substitutions or escapes: its text is the element's.
    return Array.from(bundle.matchAll(/\.createStyle\([\w$]+,`([^`$\\]*)`\)/g), (m) => m[1] ?? '');
  });
}

let version: Promise<string> | undefined;
function yasguiVersion(): Promise<string> {
  version ??= readFile(packageFile('@zazuko/yasgui/package.json'), 'utf8').then((t) => `yasgui-${(JSON.parse(t) as { version: string }).version}`);
  return version;
}
