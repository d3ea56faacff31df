import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { toJsonLd } from '../src/serialize/jsonld.js';
import { canonicalOrder } from '../src/serialize/serialize.js';
import { BASE } from './server-helpers.js';

/**
 * Issue #12: a large compacted JSON-LD document (a dataset's download) is written in pieces of a
 * few thousand subjects, not through jsonld.js at once. The bytes must be those of the document
 * made whole: compared here on every graph of the shipped build, cut into pieces of several sizes
 * (one subject per piece included), and on quads with blank nodes, which are always written whole.
 */

const { namedNode, blankNode, literal, quad } = N3.DataFactory;
const WHOLE = Number.POSITIVE_INFINITY;
let graphs: Map<string, Quad[]>;

beforeAll(async () => {
  const all = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(join(inject('buildDir'), 'data.nq'), 'utf8'));
  graphs = new Map();
  for (const q of all) graphs.set(q.graph.value, [...(graphs.get(q.graph.value) ?? []), q]);
});

describe('compacted JSON-LD in pieces', () => {
  it('gives the bytes of the whole document for every graph of the shipped build', async () => {
    expect(graphs.size).toBeGreaterThan(5);
    for (const [graph, quads] of graphs) {
      const triples = canonicalOrder(quads, false);
      const whole = await toJsonLd(triples, BASE, 'compacted', WHOLE);
      expect(whole, graph).toContain('"@graph": [');
      for (const size of [1, 2, 7, 500]) {
        expect(await toJsonLd(triples, BASE, 'compacted', size), `${graph}, ${size} subjects per piece`).toBe(whole);
      }
    }
  });

  it('writes quads with a blank node whole, an RDF list folded as jsonld.js folds it', async () => {
    const s = (n: number) => namedNode(`${BASE}id/thing/${n}`);
    const p = namedNode(`${BASE}def/lg#p`);
    const first = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#first');
    const rest = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#rest');
    const nil = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#nil');
    const [l1, l2] = [blankNode('l1'), blankNode('l2')];
    const quads = canonicalOrder([
      quad(s(1), p, l1), quad(l1, first, literal('a')), quad(l1, rest, l2), quad(l2, first, literal('b')), quad(l2, rest, nil),
      ...[2, 3, 4, 5].map((n) => quad(s(n), p, literal(String(n)))),
    ], false);
    const whole = await toJsonLd(quads, BASE, 'compacted', WHOLE);
    expect(whole).toMatch(/"@list": \[\s*"a",\s*"b"\s*\]/);
    expect(await toJsonLd(quads, BASE, 'compacted', 1)).toBe(whole);
  });
});
