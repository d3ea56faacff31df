import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import type { Problem } from '../errors.js';
import { loadTurtle } from '../rdf/load-turtle.js';
import { prov } from '../rdf/namespaces.js';

/** A SHACL result with where it came from: the focus node, the path and, if known, the sheet row. */
export interface ShaclProblem extends Problem {
  focusNode: string;
  path?: string;
}

export async function loadShapes(shapesDir: string, base: string): Promise<Quad[]> {
  const files = (await readdir(shapesDir)).filter((f) => f.endsWith('.ttl')).sort();
  const all: Quad[] = [];
  for (const f of files) all.push(...(await loadTurtle(join(shapesDir, f), base)));
  return all;
}

/**
 * Validates `data` (data plus vocabulary, so that subclasses are visible) against the shapes, and
 * maps each result back to the spreadsheet row its focus node was derived from.
 */
export async function validateShacl(data: readonly Quad[], shapes: Quad[]): Promise<ShaclProblem[]> {
  return (await validateParts([{ quads: data }], shapes)).flat();
}

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/**
 * The same results as `validateShacl` on all of `data`, found one named graph at a time, so that the
 * validator's store holds one dataset, not the country (at 10x the country, the whole graph took
 * 9 GB). Each graph is validated with the `shared` graphs (vocabulary, catalog) beside it and the
 * rdf:type statements of the nodes it refers to in other graphs (a figure's unit, for
 * sh:class lg:AdministrativeUnit): what the shapes read beyond a node's own statements. The shared
 * graphs are validated once on their own; in a graph's run, results about nodes that were only
 * brought in (a unit, an indicator) are left out, since their own graph's run reports them.
 *
 * This holds because no subject has statements in two graphs outside the shared ones (each
 * dataset's graph describes its own nodes): a node's statements are all in one graph's run.
 */
export async function validateShaclPerGraph(data: readonly Quad[], shapes: Quad[], isShared: (graph: string) => boolean): Promise<ShaclProblem[]> {
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
  const parts: Part[] = [{ quads: shared }];
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
    parts.push({ quads: [...own, ...shared, ...linked], keep: (focus) => !foreign.has(focus) });
  }
  // One graph at a time: each store is dropped before the next is built.
  const problems: ShaclProblem[] = [];
  for (const part of parts) problems.push(...(await validateParts([part], shapes)).flat());
  return problems;
}

interface Part {
  quads: readonly Quad[];
  /** Which focus nodes' results this part reports (all by default). */
  keep?: (focus: string) => boolean;
}

async function validateParts(parts: Part[], shapes: Quad[]): Promise<ShaclProblem[][]> {
  // The SHACL engine (an unbundled package and its dependencies) loads when data is validated:
  // loadShapes above serves the /def pages at every start, which need only the shapes' Turtle.
  const { default: SHACLValidator } = await import('rdf-validate-shacl');
  const out: ShaclProblem[][] = [];
  for (const part of parts) {
    const dataStore = new N3.Store(part.quads as N3.Quad[]);
    const validator = new SHACLValidator(new N3.Store(shapes as N3.Quad[]));
    const report = await validator.validate(dataStore);
    const problems: ShaclProblem[] = [];
    out.push(problems);
    if (report.conforms) continue;
    for (const r of report.results) {
      if (r.severity?.value !== 'http://www.w3.org/ns/shacl#Violation') continue;
      const focus = r.focusNode?.value ?? '';
      if (part.keep && !part.keep(focus)) continue;
      const from = dataStore.getObjects(focus, prov('wasDerivedFrom'), null)[0]?.value;
      const row = from ? parseRowIri(from) : undefined;
      const message = r.message.map((m) => m.value).join('; ') || r.sourceConstraintComponent?.value.replace(/.*#/, '') || 'violation';
      problems.push({
        code: 'LG_ERR_SHACL',
        file: row?.file ?? '(graph)',
        ...(row?.sheet !== undefined ? { sheet: row.sheet } : {}),
        ...(row?.row !== undefined ? { row: row.row } : {}),
        ...(r.value ? { value: r.value.value } : {}),
        focusNode: focus,
        ...(r.path?.value ? { path: r.path.value } : {}),
        reason: `${message} (focus node <${focus}>${r.path?.value ? `, path <${r.path.value}>` : ''})`,
      });
    }
  }
  return out;
}

/** `…/download/jamoats.xlsx#sheet=Sughd&row=7` -> { file, sheet, row } */
export function parseRowIri(iri: string): { file: string; sheet?: string; row?: number } | undefined {
  const m = /\/download\/([^#/]+)(?:#(.*))?$/.exec(iri);
  if (!m?.[1]) return undefined;
  const params = new URLSearchParams(m[2] ?? '');
  const sheet = params.get('sheet');
  const row = params.get('row');
  return { file: decodeURIComponent(m[1]), ...(sheet !== null ? { sheet } : {}), ...(row !== null ? { row: Number(row) } : {}) };
}
