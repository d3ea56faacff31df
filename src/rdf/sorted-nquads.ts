import N3 from 'n3';
import type { Quad } from '@rdfjs/types';

/**
 * The N-Quads lines of a set of quads, deduplicated and sorted by code unit: what nquads.ts's
 * `nquadsWithCounts` makes, kept as lines so that the converter sorts once and reuses them:
 * all.nq.gz is written from them in chunks, and data.nq is them merged (linearly) with the lines of
 * the graphs added afterwards (the distributions), instead of every quad turned into a line and
 * sorted a second time.
 */
export interface SortedNQuads {
  /** Each line with its "\n", sorted, no two equal. */
  lines: string[];
  /** The named graph of each line (undefined: the default graph). */
  graphs: (string | undefined)[];
}

export function sortNQuads(quads: Iterable<Quad>): SortedNQuads {
  const writer = new N3.Writer({ format: 'N-Quads' });
  const graphOf = new Map<string, string | undefined>();
  for (const q of quads) {
    const line = writer.quadToString(q.subject as N3.Quad_Subject, q.predicate as N3.Quad_Predicate, q.object as N3.Quad_Object, q.graph as N3.Quad_Graph);
    graphOf.set(line, q.graph.termType === 'DefaultGraph' ? undefined : q.graph.value);
  }
  // Default sort: code-unit order, as nquadsWithCounts sorts.
  const lines = [...graphOf.keys()].sort();
  return { lines, graphs: lines.map((l) => graphOf.get(l)) };
}

/** The union of two sorted sets of lines, sorted, in one pass. */
export function mergeSorted(a: SortedNQuads, b: SortedNQuads): SortedNQuads {
  const lines: string[] = [];
  const graphs: (string | undefined)[] = [];
  let i = 0;
  let j = 0;
  while (i < a.lines.length || j < b.lines.length) {
    const x = a.lines[i];
    const y = b.lines[j];
    if (y === undefined || (x !== undefined && x < y)) {
      lines.push(x as string);
      graphs.push(a.graphs[i++]);
    } else {
      if (x === y) i++;
      lines.push(y);
      graphs.push(b.graphs[j++]);
    }
  }
  return { lines, graphs };
}

/** Only the lines of graphs `keep` accepts, still sorted. */
export function filterGraphs(s: SortedNQuads, keep: (graph: string | undefined) => boolean): SortedNQuads {
  const lines: string[] = [];
  const graphs: (string | undefined)[] = [];
  s.lines.forEach((l, i) => {
    if (keep(s.graphs[i])) {
      lines.push(l);
      graphs.push(s.graphs[i]);
    }
  });
  return { lines, graphs };
}

/**
 * The number of quads, and of quads per named graph, as nquadsWithCounts counts them; the graphs
 * in the order they first occur in `quads` (that function's order, which build-info.json keeps).
 */
export function countsOf(s: SortedNQuads, quads: Iterable<Quad>): { quads: number; graphs: Record<string, number> } {
  const counts = new Map<string, number>();
  for (const g of s.graphs) if (g !== undefined) counts.set(g, (counts.get(g) ?? 0) + 1);
  const graphs: Record<string, number> = {};
  for (const q of quads) {
    const g = q.graph.value;
    if (q.graph.termType !== 'DefaultGraph' && !(g in graphs)) graphs[g] = counts.get(g) ?? 0;
  }
  return { quads: s.lines.length, graphs };
}

/** The lines in chunks of about `size` characters, for a stream (gzip) that need not see one string. */
export function* chunksOf(s: SortedNQuads, size = 1 << 20): Generator<string> {
  let chunk: string[] = [];
  let length = 0;
  for (const l of s.lines) {
    chunk.push(l);
    length += l.length;
    if (length >= size) {
      yield chunk.join('');
      chunk = [];
      length = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}
