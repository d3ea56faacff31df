import type { Quad } from '@rdfjs/types';

/** What one SHACL run validates: a data graph, and whose results it reports. */
export interface ShaclPart {
  quads: readonly Quad[];
  /** Which focus nodes' results this part reports (all by default). */
  keep?: (focus: string) => boolean;
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/**
 * `data` cut into the parts that give, validated one at a time, the results of one run on all of
 * it, so that the validator holds one dataset, not the country (at 10x the country, the whole graph
 * took 9 GB). Each named graph is validated with the `shared` graphs (vocabulary, catalog) beside
 * it and the rdf:type statements of the nodes it refers to in other graphs (a figure's unit, for
 * sh:class lg:AdministrativeUnit): what the shapes read beyond a node's own statements. The shared
 * graphs are validated once on their own; in a graph's run, results about nodes that were only
 * brought in (a unit, an indicator) are left out, since their own graph's run reports them.
 *
 * This holds because no subject has statements in two graphs outside the shared ones (each
 * dataset's graph describes its own nodes): a node's statements are all in one graph's run.
 *
 * A generator: each part's array is made when it is validated and dropped after.
 */
export function* partsByGraph(data: readonly Quad[], isShared: (graph: string) => boolean): Generator<ShaclPart> {
  const graphs = new Map<string, Quad[]>();
  const shared: Quad[] = [];
  const typesOf = new Map<string, Quad[]>();
  for (const q of data) {
    if (isShared(q.graph.value)) {
      shared.push(q);
      continue;
    }
    const own = graphs.get(q.graph.value);
    if (own) own.push(q);
    else graphs.set(q.graph.value, [q]);
    if (q.predicate.value === RDF_TYPE) {
      const types = typesOf.get(q.subject.value);
      if (types) types.push(q);
      else typesOf.set(q.subject.value, [q]);
    }
  }
  const sharedSubjects = new Set(shared.map((q) => q.subject.value));
  yield { quads: shared };
  for (const own of graphs.values()) {
    const subjects = new Set(own.map((q) => q.subject.value));
    const linked: Quad[] = [];
    const seen = new Set<string>();
    for (const q of own) {
      const o = q.object;
      if (o.termType === 'Literal' || subjects.has(o.value) || seen.has(o.value)) continue;
      seen.add(o.value);
      for (const t of typesOf.get(o.value) ?? []) linked.push(t);
    }
    const foreign = new Set([...sharedSubjects, ...linked.map((q) => q.subject.value)].filter((s) => !subjects.has(s)));
    yield { quads: [...own, ...shared, ...linked], keep: (focus) => !foreign.has(focus) };
  }
}
