import N3 from 'n3';
import type { Quad } from '@rdfjs/types';

/**
 * Canonical-enough N-Quads: one line per quad, duplicates removed, lines sorted by code unit. The
 * same quads in any order give the same bytes, which makes the build output reproducible.
 */
export function toSortedNQuads(quads: Iterable<Quad>): string {
  return nquadsWithCounts(quads).text;
}

/**
 * The build file and what it holds: toSortedNQuads' text, with the number of distinct quads per
 * named graph counted from the terms (a default-graph quad is in the total, in no graph), as a
 * store loading the text counts them.
 */
export function nquadsWithCounts(quads: Iterable<Quad>): { text: string; quads: number; graphs: Record<string, number> } {
  const writer = new N3.Writer({ format: 'N-Quads' });
  const lines = new Map<string, string | undefined>();
  for (const q of quads) {
    const line = writer.quadToString(q.subject as N3.Quad_Subject, q.predicate as N3.Quad_Predicate, q.object as N3.Quad_Object, q.graph as N3.Quad_Graph);
    lines.set(line, q.graph.termType === 'DefaultGraph' ? undefined : q.graph.value);
  }
  const graphs: Record<string, number> = {};
  for (const g of lines.values()) if (g !== undefined) graphs[g] = (graphs[g] ?? 0) + 1;
  return { text: [...lines.keys()].sort().join(''), quads: lines.size, graphs };
}
