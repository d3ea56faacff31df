import type { Quad, Term } from '@rdfjs/types';

/**
 * The quads of a build by subject and by predicate, for the steps that read the whole build after
 * it is made (the quality figures, src/catalog/quality.ts; the slices, src/slices/): two arrays of
 * references to the quads the converter already holds. An N3.Store of the same quads (what those
 * steps built before) keeps three indexes of numeric ids and a dictionary of every term: at 10x the
 * country most of the memory and time of those steps, and growing faster than the data.
 *
 * Answers as the store's match methods would: only named-node subjects are looked up by IRI (as
 * `store.getObjects(namedNode(s), …)`), duplicates (the same triple in two graphs) are returned
 * once, and in the order the quads were added.
 */
export class QuadIndex {
  readonly #bySubject = new Map<string, Quad[]>();
  readonly #byPredicate = new Map<string, Quad[]>();

  constructor(quads: Iterable<Quad> = []) {
    this.add(quads);
  }

  add(quads: Iterable<Quad>): void {
    for (const q of quads) {
      if (q.subject.termType === 'NamedNode') push(this.#bySubject, q.subject.value, q);
      push(this.#byPredicate, q.predicate.value, q);
    }
  }

  /** Forgets every quad (the converter drops the index before it joins data.nq's text). */
  clear(): void {
    this.#bySubject.clear();
    this.#byPredicate.clear();
  }

  /** Every quad whose subject is the named node `s`, in every graph. */
  about(s: string): readonly Quad[] {
    return this.#bySubject.get(s) ?? [];
  }

  /** Every quad with predicate `p`. */
  withPredicate(p: string): readonly Quad[] {
    return this.#byPredicate.get(p) ?? [];
  }

  /** The named-node subjects, each once. */
  subjects(): IterableIterator<string> {
    return this.#bySubject.keys();
  }

  /** The distinct objects of `s p`, in any graph. */
  objects(s: string, p: string): Term[] {
    const out: Term[] = [];
    const seen = new Set<string>();
    for (const q of this.about(s)) {
      if (q.predicate.value !== p) continue;
      const key = termKey(q.object);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(q.object);
    }
    return out;
  }

  /** The first object of `s p`, or undefined. */
  one(s: string, p: string): string | undefined {
    for (const q of this.about(s)) if (q.predicate.value === p) return q.object.value;
    return undefined;
  }

  /**
   * The distinct subjects of `? p o` (o a named node's IRI, or any object if undefined), in the
   * graph named `graph` if given. One pass over the quads of `p`: for many lookups of one
   * predicate, group `withPredicate(p)` once instead.
   */
  subjectsOf(p: string, o?: string, graph?: string): string[] {
    const out = new Set<string>();
    for (const q of this.withPredicate(p)) {
      if (o !== undefined && (q.object.termType !== 'NamedNode' || q.object.value !== o)) continue;
      if (graph !== undefined && (q.graph.termType !== 'NamedNode' || q.graph.value !== graph)) continue;
      out.add(q.subject.value);
    }
    return [...out];
  }
}

function push(map: Map<string, Quad[]>, key: string, q: Quad): void {
  const list = map.get(key);
  if (list) list.push(q);
  else map.set(key, [q]);
}

/** Distinguishes terms as N3's ids do: kind, value, and a literal's language and datatype. */
function termKey(t: Term): string {
  if (t.termType === 'Literal') return `L${t.value}\u0000${t.language}\u0000${t.datatype.value}`;
  return `${t.termType}\u0000${t.value}`;
}
