import type { Quad, Term } from '@rdfjs/types';

/** What shacl-engine (through grapoi) asks of a dataset: `size`, and `match` to iterate and count. */
export interface MatchResult extends Iterable<Quad> {
  readonly size: number;
}

const key = (t: Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);

function same(a: Term, b: Term): boolean {
  if (a.termType !== b.termType || a.value !== b.value) return false;
  if (a.termType !== 'Literal' || b.termType !== 'Literal') return true;
  return a.language === b.language && a.datatype.value === b.datatype.value;
}

const NONE: readonly Quad[] = [];

/**
 * A read-only dataset over an array of quads, indexed by subject then predicate, by non-literal
 * object and by predicate: what SHACL validation reads, and nothing else. An N3.Store gives each
 * match a stream object and numbers every term first; this keeps the quads as they are (no copy).
 * Nearly every match of a validation is a focus node's values for a path's predicate: one lookup,
 * no filtering (a computed total has thousands of prov:wasDerivedFrom, read by every shape of an
 * observation). Graphs are not indexed: SHACL reads the data graph as one graph, whatever named
 * graphs its quads came from.
 */
export class MatchDataset {
  private readonly bySubject = new Map<string, Map<string, Quad[]>>();
  private readonly byPredicate = new Map<string, Quad[]>();
  private readonly byObject = new Map<string, Quad[]>();

  constructor(private readonly quads: readonly Quad[]) {
    for (const q of quads) {
      const s = key(q.subject);
      let predicates = this.bySubject.get(s);
      if (!predicates) this.bySubject.set(s, (predicates = new Map()));
      push(predicates, q.predicate.value, q);
      push(this.byPredicate, q.predicate.value, q);
      if (q.object.termType !== 'Literal') push(this.byObject, key(q.object), q);
    }
  }

  get size(): number {
    return this.quads.length;
  }

  [Symbol.iterator](): Iterator<Quad> {
    return this.quads[Symbol.iterator]();
  }

  match(subject?: Term | null, predicate?: Term | null, object?: Term | null, graph?: Term | null): MatchResult {
    let candidates: readonly Quad[];
    // Which positions the candidates already match.
    let matched: { s: boolean; p: boolean; o: boolean };
    if (subject) {
      const predicates = this.bySubject.get(key(subject));
      if (predicate) candidates = predicates?.get(predicate.value) ?? NONE;
      else candidates = predicates ? [...predicates.values()].flat() : NONE;
      matched = { s: subject.termType !== 'Literal', p: Boolean(predicate) && predicate?.termType === 'NamedNode', o: false };
    } else if (object && object.termType !== 'Literal') {
      candidates = this.byObject.get(key(object)) ?? NONE;
      matched = { s: true, p: false, o: true };
    } else if (predicate) {
      candidates = this.byPredicate.get(predicate.value) ?? NONE;
      matched = { s: true, p: predicate.termType === 'NamedNode', o: false };
    } else {
      candidates = this.quads;
      matched = { s: true, p: true, o: false };
    }
    const needs = (!matched.p && predicate) || (!matched.o && object) || graph || (!matched.s && subject);
    const hits = !needs ? candidates : candidates.filter((q) =>
      (!subject || same(q.subject, subject)) &&
      (!predicate || same(q.predicate, predicate)) &&
      (!object || same(q.object, object)) &&
      (!graph || same(q.graph, graph)));
    return { size: hits.length, [Symbol.iterator]: () => hits[Symbol.iterator]() };
  }
}

function push(index: Map<string, Quad[]>, k: string, q: Quad): void {
  const list = index.get(k);
  if (list) list.push(q);
  else index.set(k, [q]);
}
