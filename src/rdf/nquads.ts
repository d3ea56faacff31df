import N3 from 'n3';
import type { Quad } from '@rdfjs/types';

/**
 * Canonical-enough N-Quads: one line per quad, duplicates removed, lines sorted by code unit. The
 * same quads in any order give the same bytes, which makes the build output reproducible.
 */
export function toSortedNQuads(quads: Iterable<Quad>): string {
  const writer = new N3.Writer({ format: 'N-Quads' });
  const lines = new Set<string>();
  for (const q of quads) lines.add(writer.quadToString(q.subject as N3.Quad_Subject, q.predicate as N3.Quad_Predicate, q.object as N3.Quad_Object, q.graph as N3.Quad_Graph));
  return [...lines].sort().join('');
}
