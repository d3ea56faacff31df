import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import oxigraph from 'oxigraph';
import type { Quad } from '@rdfjs/types';
import type { Problem } from '../errors.js';
import { toSortedNQuads } from '../rdf/nquads.js';

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
  const extra = opts.extra ?? [];
  const store = new oxigraph.Store();
  store.load(toSortedNQuads([...quads, ...extra]), { format: 'application/n-quads' });
  const files = (await readdir(icDir))
    .filter((f) => /^ic-.*\.rq$/.test(f) && !f.includes('instantiation') && !(opts.skip ?? []).includes(f))
    .sort();
  const problems: Problem[] = [];
  for (const f of files) {
    const text = await readFile(join(icDir, f), 'utf8');
    let queries = [text];
    if (text.includes('$p')) {
      const inst = await readFile(join(icDir, f.replace('.rq', '-instantiation.rq')), 'utf8');
      const rows = store.query(inst, { use_default_graph_as_union: true }) as Map<string, oxigraph.Term>[];
      queries = rows.map((r) => text.replaceAll('$p', r.get('p')?.value ?? ''));
    }
    for (const q of queries) {
      if (store.query(q, { use_default_graph_as_union: true }) === true) {
        const title = /^# (IC-[^\n]+)/m.exec(text)?.[1] ?? f;
        problems.push({ code: 'LG_ERR_DATA_CUBE', file: '(statistics)', reason: `Data Cube integrity constraint violated: ${title}` });
      }
    }
  }
  return problems;
}
