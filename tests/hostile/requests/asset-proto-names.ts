import assert from 'node:assert/strict';
import type { HostileRequest } from '../case.js';

/**
 * Names of Object.prototype's properties as a path segment: a lookup in an object literal found
 * them (`name in FILES`) and answered 500, with a stack logged per request. Any path is a 404 or
 * an answer, never a 500: checked on the editor's assets and on the other routes that look a
 * request's name up (downloads, releases' files, documents, the vocabulary).
 */
const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const PREFIXES = ['/sparql/assets/', '/download/', '/releases/1/download/', '/releases/1/changes/', '/doc/', '/doc/jamoat/', '/id/', '/def/', '/def/indicator/'];

const probe: HostileRequest = {
  title: 'Object.prototype names as path segments (/sparql/assets/constructor, …) are 404, never 500',
  issue: '#14.8',
  async run(origin) {
    for (const prefix of PREFIXES) {
      for (const name of NAMES) {
        const res = await fetch(`${origin}${prefix}${name}`, { headers: { accept: 'application/json' } });
        const body = await res.text();
        assert.equal(res.status, 404, `${prefix}${name}: ${res.status} ${body.slice(0, 200)}`);
        assert.equal((JSON.parse(body) as { code: string }).code, 'LG_ERR_NOT_FOUND', `${prefix}${name}`);
      }
    }
    // The names the editor does serve still answer.
    for (const name of ['editor.js', 'yasgui.min.js', 'yasgui.min.css', 'prefixes.json']) {
      const res = await fetch(`${origin}/sparql/assets/${name}`);
      await res.arrayBuffer();
      assert.equal(res.status, 200, name);
    }
  },
};
export default probe;
