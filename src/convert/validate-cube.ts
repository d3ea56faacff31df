import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import oxigraph from 'oxigraph';
import type { Quad } from '@rdfjs/types';
import type { Problem } from '../errors.js';
import { toSortedNQuads } from '../rdf/nquads.js';
import { PAIR_CHECKS, pairAnswers } from './cube-pair-checks.js';

/**
 * Runs the Data Cube integrity constraints (IC-1 to IC-21, `shapes/data-cube-ic/`) on the
 * statistics. Each ASK that answers true is a violated constraint. IC-20 and IC-21 are templates:
 * their instantiation SELECT yields the properties to substitute for `$p`.
 *
 * IC-12 and IC-17 compare every pair of observations of a dataset, which is quadratic (27 s for
 * 2,600 observations); the converter checks the same two rules linearly on the rows
 * (`check-observations.ts`, with the sheet cell to fix) and passes them in `skip`. The test suite
 * runs all 21 on the shipped build.
 */
export async function validateCube(quads: Quad[], icDir: string, opts: { extra?: Quad[]; skip?: string[] } = {}): Promise<Problem[]> {
  return runCubeChecks([...quads, ...(opts.extra ?? [])], await loadCubeChecks(icDir, opts.skip));
}

/** One integrity constraint: its ASK, and for the templates (IC-20, IC-21) the SELECT instantiating `$p`. */
export interface CubeCheck {
  file: string;
  title: string;
  ask: string;
  instantiation?: string;
}

/** Reads the constraints once, so that a caller checking many small graphs (uploads) reads no file per check. */
export async function loadCubeChecks(icDir: string, skip: string[] = []): Promise<CubeCheck[]> {
  const files = (await readdir(icDir))
    .filter((f) => /^ic-.*\.rq$/.test(f) && !f.includes('instantiation') && !skip.includes(f))
    .sort();
  const checks: CubeCheck[] = [];
  for (const f of files) {
    const ask = await readFile(join(icDir, f), 'utf8');
    const instantiation = ask.includes('$p') ? await readFile(join(icDir, f.replace('.rq', '-instantiation.rq')), 'utf8') : undefined;
    checks.push({ file: f, title: /^# (IC-[^\n]+)/m.exec(ask)?.[1] ?? f, ask, ...(instantiation !== undefined ? { instantiation } : {}) });
  }
  return checks;
}

/**
 * Runs the constraints on `quads` in a fresh in-memory Oxigraph store. The store is loaded from the
 * sorted N-Quads: loaded from the lines in the quads' order instead, the checks of the synthetic 10x
 * set took 209 s of CPU instead of 47 in one run on the busy machine (1x: the same), so the sort stays.
 */
export function runCubeChecks(quads: Quad[], checks: CubeCheck[]): Problem[] {
  const store = new oxigraph.Store();
  store.load(toSortedNQuads(quads), { format: 'application/n-quads' });
  const problems: Problem[] = [];
  for (const check of checks) {
    let queries = [check.ask];
    if (check.instantiation !== undefined) {
      const rows = store.query(check.instantiation, { use_default_graph_as_union: true }) as Map<string, oxigraph.Term>[];
      queries = rows.map((r) => check.ask.replaceAll('$p', r.get('p')?.value ?? ''));
    }
    for (const q of queries) {
      if (store.query(q, { use_default_graph_as_union: true }) === true) {
        problems.push(violation(check));
      }
    }
  }
  return problems;
}

/**
 * The constraints on each graph on its own, with `shared` (the vocabulary) beside it: a dataset's
 * statistics refer to nothing in another dataset, so this finds what one run on their union finds,
 * while the store holds one dataset at a time (memory follows the largest dataset, not the sum).
 * IC-12 and IC-17 among `checks` are answered in linear time where that is exact
 * (cube-pair-checks.ts), else by their SPARQL. A constraint violated in several graphs is reported
 * once, in the constraints' order, as the run on the union reports it.
 */
export function runCubeChecksPerGraph(graphs: readonly Quad[][], shared: readonly Quad[], checks: CubeCheck[]): Problem[] {
  const violated = new Set<string>();
  const sparql = checks.filter((c) => !PAIR_CHECKS.includes(c.file));
  const pairs = checks.filter((c) => PAIR_CHECKS.includes(c.file));
  for (const graph of graphs) {
    const quads = [...graph, ...shared];
    const fast = pairs.length > 0 ? pairAnswers(quads) : undefined;
    const slow = fast ? sparql : checks;
    for (const p of runCubeChecks(quads, slow)) violated.add(p.reason);
    if (fast) for (const c of pairs) if (c.file === 'ic-12.rq' ? fast.ic12 : fast.ic17) violated.add(violation(c).reason);
  }
  return checks.map(violation).filter((p) => violated.has(p.reason));
}

function violation(check: CubeCheck): Problem {
  return { code: 'LG_ERR_DATA_CUBE', file: '(statistics)', reason: `Data Cube integrity constraint violated: ${check.title}` };
}
