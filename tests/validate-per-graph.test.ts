import { join } from 'node:path';
import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { indicatorShapes } from '../src/convert/indicator-shapes.js';
import { indicatorsFromVocab } from '../src/convert/indicators.js';
import { type CubeCheck, loadCubeChecks, runCubeChecks, runCubeChecksPerGraph } from '../src/convert/validate-cube.js';
import { loadShapes, validateShacl, validateShaclPerGraph } from '../src/convert/validate-shacl.js';
import { minted } from '../src/rdf/namespaces.js';
import { PROJECT_ROOT } from '../src/project.js';
import { BASE, convertDir } from './helpers.js';

/**
 * The converter validates graph by graph (SHACL and the Data Cube constraints) so that memory
 * follows the largest dataset; these tests hold it to the answers of one run on the union.
 */

const { namedNode, literal, quad } = N3.DataFactory;
const VOCAB = `${BASE}graph/vocabulary`;
const CATALOG = `${BASE}graph/catalog`;
const EDUCATION = `${BASE}graph/education`;
const QB = 'http://purl.org/linked-data/cube#';

let quads: Quad[];
let shapes: Quad[];
let checks: CubeCheck[];

beforeAll(async () => {
  const out = await convertDir(join(PROJECT_ROOT, 'data'));
  const datasets = new Set(Object.keys(out.info.graphs).filter((g) => /\/graph\/(units|population|education|health|infrastructure|budget)$/.test(g)));
  // The graphs the converter validates: the datasets', with the vocabulary and the catalog.
  quads = new N3.Parser({ format: 'N-Quads' }).parse(out.nquads).filter((q) => datasets.has(q.graph.value) || [VOCAB, CATALOG].includes(q.graph.value));
  const vocab = quads.filter((q) => q.graph.value === VOCAB);
  shapes = [...(await loadShapes(join(PROJECT_ROOT, 'shapes'), BASE)), ...indicatorShapes(indicatorsFromVocab(vocab, minted(BASE)), BASE)];
  checks = await loadCubeChecks(join(PROJECT_ROOT, 'shapes', 'data-cube-ic'));
}, 120_000);

const byJson = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

describe('SHACL graph by graph', () => {
  it('reports what one run on the whole graph reports, with the same rows', async () => {
    const jamoat = `${BASE}id/jamoat/TJ-KT-06-06`;
    const obs = `${BASE}id/observation/education/TJ-KT-06-06/pupils/2023`;
    const pupils = `${BASE}def/indicator/pupils`;
    const other = `${BASE}id/observation/education/TJ-KT-06-06/teachers/2023`;
    const broken = quads
      // a jamoat without its English name (units graph)
      .filter((q) => !(q.subject.value === jamoat && q.predicate.value.endsWith('core#prefLabel') && (q.object as N3.Literal).language === 'en'))
      .map((q) => {
        // a negative figure, and a figure whose area is not a unit (sh:class across graphs)
        if (q.subject.value === obs && q.predicate.value === pupils) return quad(q.subject, q.predicate, literal('-5', namedNode('http://www.w3.org/2001/XMLSchema#integer')), q.graph);
        if (q.subject.value === other && q.predicate.value === `${BASE}def/lg#refArea`) return quad(q.subject, q.predicate, namedNode(`${BASE}def/indicator/pupils`), q.graph);
        return q;
      });
    const whole = await validateShacl(broken, shapes);
    const perGraph = await validateShaclPerGraph(broken, shapes, (g) => g === VOCAB || g === CATALOG);
    expect(whole.map((p) => p.focusNode)).toEqual(expect.arrayContaining([jamoat, obs, other]));
    expect(whole.find((p) => p.focusNode === obs)).toMatchObject({ file: 'education.xlsx', sheet: 'Yovon' });
    expect(byJson(perGraph)).toEqual(byJson(whole));
  }, 60_000);
});

describe('IC-12 and IC-17 in linear time', () => {
  /** The education totals (about 40 observations): small enough for the pairwise SPARQL. */
  function totals(): Quad[] {
    const ds = `${BASE}id/dataset/education/totals`;
    const education = quads.filter((q) => q.graph.value === EDUCATION);
    const members = new Set([ds, `${ds}/structure`, ...education.filter((q) => q.predicate.value === `${QB}dataSet` && q.object.value === ds).map((q) => q.subject.value)]);
    const components = new Set(education.filter((q) => q.subject.value === `${ds}/structure` && q.predicate.value === `${QB}component`).map((q) => q.object.value));
    return education.filter((q) => members.has(q.subject.value) || components.has(q.subject.value));
  }
  const vocab = () => quads.filter((q) => q.graph.value === VOCAB);
  const pairChecks = () => checks.filter((c) => ['ic-12.rq', 'ic-17.rq'].includes(c.file));
  const both = (graph: Quad[]) => ({
    fast: runCubeChecksPerGraph([graph], vocab(), pairChecks()),
    sparql: runCubeChecks([...graph, ...vocab()], pairChecks()),
  });

  it('agree with the SPARQL on the totals; IC-17 fires where its rule is broken, as its SPARQL in Oxigraph never does', () => {
    const good = totals();
    const obs = [...new Set(good.filter((q) => q.predicate.value === `${QB}dataSet`).map((q) => q.subject.value))];
    expect(obs.length).toBeGreaterThan(10);
    expect(both(good)).toEqual({ fast: [], sparql: [] });
    const reasons = (ps: { reason: string }[]) => ps.map((p) => p.reason.replace(/^.*: (IC-\d+)\..*$/, '$1'));

    // the same unit, indicator and year twice, under another IRI: IC-12, and four observations
    // where the structure has three measures: IC-17
    const first = obs[0] as string;
    const copy = good.filter((q) => q.subject.value === first).map((q) => quad(namedNode(`${first}-again`), q.predicate, q.object, q.graph));
    const duplicated = both([...good, ...copy]);
    expect(reasons(duplicated.fast)).toEqual(['IC-12', 'IC-17']);
    // The W3C query compares the alias ?count in HAVING, which SPARQL 1.1 binds only after HAVING
    // (§18.2.4.1): a conformant engine such as Oxigraph never answers true to it.
    expect(reasons(duplicated.sparql)).toEqual(['IC-12']);

    // one measure of a unit and year left out, the others kept: IC-17 alone
    expect(reasons(both(good.filter((q) => q.subject.value !== first)).fast)).toEqual(['IC-17']);
  }, 60_000);
});
