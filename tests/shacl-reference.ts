import N3 from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import SHACLValidator from 'rdf-validate-shacl';
import { prov } from '../src/rdf/namespaces.js';
import { type ShaclPart, partsByGraph } from '../src/convert/shacl-parts.js';
import { type ShaclProblem, shaclProblem } from '../src/convert/validate-shacl.js';

/**
 * The converter's SHACL validation as it was before shacl-engine: rdf-validate-shacl, the W3C test
 * suite's JavaScript port of TopBraid's engine, on the same parts and with the same mapping to
 * problems. tests/shacl-engine.test.ts holds the converter to its answers; bench/shacl.ts times both.
 */
export async function validateShaclReference(data: readonly Quad[], shapes: Quad[]): Promise<ShaclProblem[]> {
  return validateParts([{ quads: data }], shapes);
}

export async function validateShaclPerGraphReference(data: readonly Quad[], shapes: Quad[], isShared: (graph: string) => boolean): Promise<ShaclProblem[]> {
  return validateParts(partsByGraph(data, isShared), shapes);
}

const SH = 'http://www.w3.org/ns/shacl#';

async function validateParts(parts: Iterable<ShaclPart>, shapes: Quad[]): Promise<ShaclProblem[]> {
  const problems: ShaclProblem[] = [];
  const shapesStore = new N3.Store(shapes as N3.Quad[]);
  for (const part of parts) {
    const dataStore = new N3.Store(part.quads as N3.Quad[]);
    const report = await new SHACLValidator(shapesStore).validate(dataStore);
    if (report.conforms) continue;
    for (const r of report.results) {
      if (r.severity?.value !== `${SH}Violation`) continue;
      const focus = r.focusNode?.value ?? '';
      if (part.keep && !part.keep(focus)) continue;
      const from = dataStore.getObjects(focus, prov('wasDerivedFrom'), null)[0]?.value;
      // For sh:uniqueLang, rdf-validate-shacl writes its own message ('Language "tg" has been used by
      // 2 values') where SHACL (2.1.5) and shacl-engine give the shape's sh:message: the reference
      // takes the shape's too, the one difference between the two engines on our shapes.
      const own = r.sourceConstraintComponent?.value === `${SH}UniqueLangConstraintComponent` && r.sourceShape
        ? shapesStore.getObjects(r.sourceShape as N3.Term, `${SH}message`, null)
        : r.message;
      const message = own.map((m) => m.value).join('; ') || r.sourceConstraintComponent?.value.replace(/.*#/, '') || 'violation';
      problems.push(shaclProblem({ focus, path: r.path ? pathText(r.path, [shapesStore, report.dataset as N3.Store]) : undefined, value: r.value?.value, message }, from));
    }
  }
  return problems;
}

/** The result's path as validate-shacl.ts writes it: the predicate, or `^<p>` for an inverse one (the only path of ours that is not a predicate). */
function pathText(path: Term, stores: N3.Store[]): string {
  if (path.termType === 'NamedNode') return path.value;
  const inverse = stores.flatMap((s) => [...s.match(path as N3.BlankNode, N3.DataFactory.namedNode(`${SH}inversePath`), null)])[0]?.object;
  if (inverse) return `^<${inverse.value}>`;
  throw new Error(`a path the reference does not write: ${path.value}`);
}
