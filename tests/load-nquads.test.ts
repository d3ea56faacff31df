import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import oxigraph from 'oxigraph';
import { describe, expect, inject, it } from 'vitest';
import { linePieces, loadNQuads } from '../src/store/load-nquads.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('a build past the longest string V8 allows is loaded in pieces cut at line ends', () => {
  it('cuts only after a newline, each piece within the size unless one line is longer, and loses no byte', () => {
    const text = 'aaaa\nbb\ncccccccccc\nd\n\neeee';
    for (const max of [1, 3, 5, 8, 100]) {
      const pieces = linePieces(enc(text), max);
      expect(pieces.map(dec).join(''), `max ${max}`).toBe(text);
      for (const p of pieces.slice(0, -1)) expect(dec(p).endsWith('\n'), `max ${max}`).toBe(true);
      for (const p of pieces) if (p.length > max) expect(dec(p).slice(0, -1), `max ${max}`).not.toContain('\n');
    }
    expect(linePieces(new Uint8Array(0), 10)).toEqual([]);
  });

  it('gives the store the same quads in pieces as at once (the shipped build, in pieces of 64 KiB)', async () => {
    const bytes = new Uint8Array(await readFile(join(inject('buildDir'), 'data.nq')));
    const whole = new oxigraph.Store();
    loadNQuads(whole, bytes);
    const pieced = new oxigraph.Store();
    loadNQuads(pieced, bytes, 64 * 1024);
    expect(linePieces(bytes, 64 * 1024).length).toBeGreaterThan(50);
    expect(pieced.size).toBe(whole.size);
    const ask = (s: oxigraph.Store) => s.query('SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }') as Map<string, oxigraph.Term>[];
    expect(ask(pieced)[0]!.get('n')!.value).toBe(ask(whole)[0]!.get('n')!.value);
    // Every quad of one is in the other: the dumps are equal, sorted.
    const dump = (s: oxigraph.Store) => s.dump({ format: 'application/n-quads' }).split('\n').sort().join('\n');
    expect(dump(pieced) === dump(whole)).toBe(true);
  });

  it('from shared memory, as the pool hands the file to its workers', async () => {
    const bytes = await readFile(join(inject('buildDir'), 'data.nq'));
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const store = new oxigraph.Store();
    loadNQuads(store, new Uint8Array(shared), 100_000);
    const whole = new oxigraph.Store();
    loadNQuads(whole, bytes);
    expect(store.size).toBe(whole.size);
  });

  it('refuses a file in several pieces that has blank nodes, which Oxigraph would split in two, and says why', () => {
    const nq = '_:b1 <http://x/p> "1" <http://x/g> .\n_:b1 <http://x/q> "2" <http://x/g> .\n';
    expect(() => loadNQuads(new oxigraph.Store(), enc(nq), 40)).toThrow(/has blank nodes: loaded in pieces, a blank node in two pieces would become two nodes/);
    // In one piece it loads, and the blank node is one node.
    const store = new oxigraph.Store();
    loadNQuads(store, enc(nq), 1_000);
    expect((store.query('SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }') as Map<string, oxigraph.Term>[])[0]!.get('n')!.value).toBe('1');
  });
});
