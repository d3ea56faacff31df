import { readFile } from 'node:fs/promises';
import N3 from 'n3';
import type { NamedNode, Quad } from '@rdfjs/types';

const { quad } = N3.DataFactory;

/**
 * Parses a Turtle file of ours (vocab/, shapes/) whose relative IRIs are resolved against
 * BASE_URI (design.md: files never hard-code a host), optionally into a named graph.
 */
export async function loadTurtle(path: string, base: string, graph?: NamedNode): Promise<Quad[]> {
  const text = await readFile(path, 'utf8');
  const quads = new N3.Parser({ baseIRI: base, format: 'text/turtle' }).parse(text);
  return graph ? quads.map((q) => quad(q.subject, q.predicate, q.object, graph)) : quads;
}
