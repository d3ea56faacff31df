import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import type { PathStep, ValidationResult, Validator } from 'shacl-engine';
import type { Problem } from '../errors.js';
import { loadTurtle } from '../rdf/load-turtle.js';
import { prov } from '../rdf/namespaces.js';
import { MatchDataset } from './shacl-dataset.js';
import { type ShaclPart, partsByGraph } from './shacl-parts.js';

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
  return validateParts([{ quads: data }], shapes);
}

/**
 * The same results as `validateShacl` on all of `data`, found one named graph at a time
 * (shacl-parts.ts), so that memory follows the largest dataset, not the country.
 */
export async function validateShaclPerGraph(data: readonly Quad[], shapes: Quad[], isShared: (graph: string) => boolean): Promise<ShaclProblem[]> {
  return validateParts(partsByGraph(data, isShared), shapes);
}

const SUBCLASS_OF = 'http://www.w3.org/2000/01/rdf-schema#subClassOf';
const VIOLATION = 'http://www.w3.org/ns/shacl#Violation';
const DERIVED_FROM = prov('wasDerivedFrom');

/**
 * shacl-engine (rdf-ext), about ten times faster than rdf-validate-shacl on our shapes. It reads the
 * rdfs:subClassOf statements of sh:class and sh:targetClass from the shapes graph, where SHACL reads
 * them from the data graph (our vocabulary, beside the data): each part's are therefore added to the
 * shapes, and a validator is made for each different set of them (in practice one, the vocabulary's).
 */
async function validateParts(parts: Iterable<ShaclPart>, shapes: Quad[]): Promise<ShaclProblem[]> {
  // The SHACL engine loads when data is validated: loadShapes above serves the /def pages at every
  // start, which need only the shapes' Turtle.
  const { Validator } = await import('shacl-engine');
  const validators = new Map<string, Validator>();
  const problems: ShaclProblem[] = [];
  for (const part of parts) {
    const subclasses = part.quads.filter((q) => q.predicate.value === SUBCLASS_OF);
    const id = subclasses.map((q) => `${q.subject.value} ${q.object.value}`).sort().join('\n');
    let validator = validators.get(id);
    if (!validator) {
      validator = new Validator(new MatchDataset([...shapes, ...subclasses]), { factory: N3.DataFactory });
      validators.set(id, validator);
    }
    const data = new MatchDataset(part.quads);
    const report = await validator.validate({ dataset: data });
    if (report.conforms) continue;
    for (const r of report.results) {
      if (r.severity.value !== VIOLATION) continue;
      const focus = r.focusNode.term.value;
      if (part.keep && !part.keep(focus)) continue;
      const from = [...data.match(r.focusNode.term, DERIVED_FROM)][0]?.object.value;
      problems.push(shaclProblem({
        focus,
        path: r.path ? pathText(r.path) : undefined,
        value: r.value?.term.value,
        message: messageOf(r),
      }, from));
    }
  }
  return problems;
}

function messageOf(r: ValidationResult): string {
  return r.message.map((m) => m.value).join('; ') || r.constraintComponent.value.replace(/.*#/, '') || 'violation';
}

/** A result's path as written in SPARQL: a predicate's IRI alone, `^<p>` for an inverse one. */
export function pathText(steps: PathStep[]): string {
  if (steps.length === 1 && steps[0]?.quantifier === 'one' && steps[0].start === 'subject' && steps[0].predicates.length === 1) {
    return steps[0].predicates[0]?.value ?? '';
  }
  return steps.map((s) => {
    const alternatives = s.predicates.map((p) => `<${p.value}>`).join('|');
    const one = s.predicates.length > 1 ? `(${alternatives})` : alternatives;
    const suffix = { one: '', oneOrMore: '+', zeroOrMore: '*', zeroOrOne: '?' }[s.quantifier];
    return `${s.start === 'object' ? '^' : ''}${one}${suffix}`;
  }).join('/');
}

/** What an engine says of one violation. */
export interface ShaclFinding {
  focus: string;
  /** The predicate's IRI, or a SPARQL property path (pathText). */
  path?: string;
  value?: string;
  message: string;
}

/** The problem an official reads: the finding, with the file, sheet and row of `derivedFrom`. */
export function shaclProblem(f: ShaclFinding, derivedFrom: string | undefined): ShaclProblem {
  const row = derivedFrom ? parseRowIri(derivedFrom) : undefined;
  const path = f.path === undefined ? '' : /^[^<^(]/.test(f.path) ? `, path <${f.path}>` : `, path ${f.path}`;
  return {
    code: 'LG_ERR_SHACL',
    file: row?.file ?? '(graph)',
    ...(row?.sheet !== undefined ? { sheet: row.sheet } : {}),
    ...(row?.row !== undefined ? { row: row.row } : {}),
    ...(f.value !== undefined ? { value: f.value } : {}),
    focusNode: f.focus,
    ...(f.path ? { path: f.path } : {}),
    reason: `${f.message} (focus node <${f.focus}>${path})`,
  };
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
