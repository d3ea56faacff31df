import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import { describe, expect, inject, it } from 'vitest';
import { prefixes } from '../src/serialize/context.js';
import { usedPrefixes } from '../src/serialize/turtle.js';
import { BASE } from './server-helpers.js';

/**
 * usedPrefixes looks each IRI's namespace up once per stem (issue #12: it was a third of the
 * slices' Turtle time). Its answers must be those of the plain search it replaced, written out
 * here: the longest namespace the IRI starts with and is longer than.
 */

const { namedNode, literal, quad } = N3.DataFactory;
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';

function plainSearch(quads: readonly Quad[], all: Record<string, string>): Record<string, string> {
  const entries = Object.entries(all).sort((a, b) => b[1].length - a[1].length);
  const used = new Set<string>();
  const visit = (t: Term) => {
    const iri = t.termType === 'NamedNode' ? t.value : t.termType === 'Literal' && !t.language && t.datatype.value !== XSD_STRING ? t.datatype.value : undefined;
    if (iri === undefined || iri === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type') return;
    const hit = entries.find(([, ns]) => iri.startsWith(ns) && iri.length > ns.length);
    if (hit) used.add(hit[0]);
  };
  for (const q of quads) [q.subject, q.predicate, q.object, q.graph].forEach(visit);
  return Object.fromEntries(Object.entries(all).filter(([p]) => used.has(p)));
}

describe('usedPrefixes', () => {
  it('finds the prefixes the plain search finds, in every graph of the shipped build', async () => {
    const all = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(join(inject('buildDir'), 'data.nq'), 'utf8'));
    const graphs = new Map<string, Quad[]>();
    for (const q of all) graphs.set(q.graph.value, [...(graphs.get(q.graph.value) ?? []), q]);
    for (const [graph, quads] of graphs) {
      const found = usedPrefixes(quads, prefixes(BASE));
      expect(Object.keys(found).length, graph).toBeGreaterThan(1);
      expect(found, graph).toEqual(plainSearch(quads, prefixes(BASE)));
    }
  });

  it('handles namespaces not ending in / or #, IRIs ending in one, and nested namespaces', () => {
    const all = { ex: 'http://ex.org/ns/', exa: 'http://ex.org/ns/a', sub: 'http://ex.org/ns/sub/', hash: 'http://ex.org/h#', bare: 'urn:x:' };
    const p = namedNode('http://ex.org/other/p');
    const cases = [
      'http://ex.org/ns/', 'http://ex.org/ns/b', 'http://ex.org/ns/abc', 'http://ex.org/ns/a', 'http://ex.org/ns/sub/', 'http://ex.org/ns/sub/x',
      'http://ex.org/ns/sub/a', 'http://ex.org/h#', 'http://ex.org/h#x', 'urn:x:y', 'urn:x:', 'http://ex.org/nothing',
    ];
    for (const iri of cases) {
      const quads = [quad(namedNode(iri), p, literal('v')), quad(namedNode('http://ex.org/s'), p, literal('1', namedNode(iri)))];
      expect(usedPrefixes(quads, all), iri).toEqual(plainSearch(quads, all));
    }
    // All at once, in one finder (its stems are remembered between IRIs).
    const quads = cases.map((iri) => quad(namedNode(iri), p, namedNode(iri)));
    expect(usedPrefixes(quads, all)).toEqual(plainSearch(quads, all));
    expect(Object.keys(usedPrefixes(quads, all)).sort()).toEqual(['bare', 'ex', 'exa', 'hash', 'sub']);
  });
});
