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
 * Validates the whole graph (data plus vocabulary, so that subclasses are visible) against the
 * shapes, and maps each result back to the spreadsheet row its focus node was derived from.
 */
export async function validateShacl(data: Quad[], shapes: Quad[]): Promise<ShaclProblem[]> {
  // The SHACL engine (an unbundled package and its dependencies) loads when data is validated:
  // loadShapes above serves the /def pages at every start, which need only the shapes' Turtle.
  const { default: SHACLValidator } = await import('rdf-validate-shacl');
  const dataStore = new N3.Store(data as N3.Quad[]);
  const validator = new SHACLValidator(new N3.Store(shapes as N3.Quad[]));
  const report = await validator.validate(dataStore);
  if (report.conforms) return [];
  const problems: ShaclProblem[] = [];
  for (const r of report.results) {
    if (r.severity?.value !== 'http://www.w3.org/ns/shacl#Violation') continue;
    const focus = r.focusNode?.value ?? '';
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
  return problems;
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
