import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConvertOutput } from '../src/convert/convert.js';
import { type Changeset, computeChangeset, csvCell, writeChangeset } from '../src/releases/changeset.js';
import { BASE, convertDir, makeDataDir, wideSheet } from './helpers.js';

const B = 'http://example.org/';
const G = `<${B}graph/stats>`;
const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** The vocabulary lines the changeset reads its dimensions and codes from, as the builds hold them. */
const VOCAB = [
  `<${B}def/lg#refArea> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <http://purl.org/linked-data/sdmx/2009/dimension#refArea> <${B}graph/vocabulary> .`,
  `<${B}def/lg#refPeriod> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <http://purl.org/linked-data/sdmx/2009/dimension#refPeriod> <${B}graph/vocabulary> .`,
  `<${B}def/lg#code> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <http://purl.org/dc/terms/identifier> <${B}graph/vocabulary> .`,
  `<${B}def/indicator/pupils> <http://www.w3.org/2004/02/skos/core#prefLabel> "Pupils"@en <${B}graph/vocabulary> .`,
  `<${B}def/indicator/pupils> <http://www.w3.org/2004/02/skos/core#prefLabel> "Хонандагон"@tg <${B}graph/vocabulary> .`,
  `<${B}def/indicator/pupils> <http://www.w3.org/2004/02/skos/core#notation> "pupils" <${B}graph/vocabulary> .`,
];

function unit(code: string, en: string): string[] {
  const s = `<${B}id/jamoat/${code}>`;
  return [`${s} <${B}def/lg#code> "${code}" <${B}graph/units> .`, `${s} <http://www.w3.org/2004/02/skos/core#prefLabel> ${JSON.stringify(en)}@en <${B}graph/units> .`];
}

/** One observation in the converter's shape (src/convert/stats-to-quads.ts). */
function observation(code: string, year: number, value: number | null, row = 4): string[] {
  const o = `<${B}id/observation/stats/${code}/pupils/${year}>`;
  return [
    `${o} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/linked-data/cube#Observation> ${G} .`,
    `${o} <http://purl.org/linked-data/cube#dataSet> <${B}id/dataset/stats> ${G} .`,
    `${o} <${B}def/lg#refArea> <${B}id/jamoat/${code}> ${G} .`,
    `${o} <${B}def/lg#refPeriod> "${year}"^^<${XSD}gYear> ${G} .`,
    `${o} <http://purl.org/linked-data/cube#measureType> <${B}def/indicator/pupils> ${G} .`,
    ...(value === null ? [] : [`${o} <${B}def/indicator/pupils> "${value}"^^<${XSD}integer> ${G} .`]),
    `${o} <http://www.w3.org/ns/prov#wasDerivedFrom> <${B}download/stats.xlsx#row=${row}> ${G} .`,
  ];
}

/** Canonical N-Quads as src/rdf/nquads.ts writes them: distinct lines, sorted, one newline each. */
const nq = (lines: string[]) => `${[...new Set(lines)].sort().join('\n')}\n`;
const linesOf = (text: string) => text.split('\n').filter((l) => l !== '');

const before = nq([
  ...VOCAB, ...unit('TJ-A-01', 'Alpha'), ...unit('TJ-A-02', 'Beta'), ...unit('TJ-A-03', '=HYPERLINK("http://evil")'),
  ...observation('TJ-A-01', 2022, 310), ...observation('TJ-A-01', 2023, 1020),
  ...observation('TJ-A-02', 2022, 450), ...observation('TJ-A-03', 2022, 7),
]);
const after = nq([
  ...VOCAB, ...unit('TJ-A-01', 'Alpha'), ...unit('TJ-A-02', 'Beta'), ...unit('TJ-A-03', '=HYPERLINK("http://evil")'),
  ...observation('TJ-A-01', 2022, 315), // changed
  ...observation('TJ-A-01', 2023, 1020, 9), // same figure, another source row: not a changed figure
  ...observation('TJ-A-02', 2023, -3), // added (a new observation)
  ...observation('TJ-A-03', 2022, null), // its value removed, the observation kept
  `<${B}id/dataset/stats> <http://purl.org/dc/terms/modified> "2025-01-02"^^<${XSD}date> ${G} .`, // not an observation
]);

describe('computeChangeset on hand-made N-Quads', () => {
  const cs = computeChangeset(before, after);

  it('a total the converter computed is in the patch but not among the figures (they are what was reported)', () => {
    const total = (value: number) => [
      ...observation('TJ-A', 2022, value).filter((l) => !l.includes('wasDerivedFrom')),
      `<${B}id/observation/stats/TJ-A/pupils/2022> <${B}def/lg#computed> "true"^^<${XSD}boolean> ${G} .`,
    ];
    const withTotals = computeChangeset(nq([...linesOf(before), ...total(767)]), nq([...linesOf(after), ...total(772)]));
    // One quad more each way (the total's value), the same figures.
    expect(withTotals.summary).toEqual({ ...cs.summary, quadsAdded: cs.summary.quadsAdded + 1, quadsRemoved: cs.summary.quadsRemoved + 1 });
    expect(withTotals.observations.map((o) => o.observation)).toEqual(cs.observations.map((o) => o.observation));
    expect(withTotals.added).toContain('"772"');
  });

  it('the patch: added and removed lines, sorted, and they turn the old build into the new', () => {
    const added = linesOf(cs.added);
    const removed = linesOf(cs.removed);
    expect(added).toEqual([...added].sort());
    expect(removed).toEqual([...removed].sort());
    const patched = new Set(linesOf(before).filter((l) => !removed.includes(l)));
    for (const l of added) patched.add(l);
    expect(nq([...patched])).toBe(after);
    expect(cs.summary.quadsAdded).toBe(added.length);
    expect(cs.summary.quadsRemoved).toBe(removed.length);
    expect(removed.some((l) => l.includes('TJ-A-02/pupils/2022'))).toBe(true);
  });

  it('the changed figures: unit, dataset, indicator, year, old and new value, what', () => {
    const obs = (code: string, year: number) => `${B}id/observation/stats/${code}/pupils/${year}`;
    const row = (code: string, year: number, oldValue: string | null, newValue: string | null, what: string) => ({
      observation: obs(code, year), unit: `${B}id/jamoat/${code}`, dataset: `${B}id/dataset/stats`, indicator: `${B}def/indicator/pupils`, year: String(year), oldValue, newValue, what,
    });
    expect(cs.observations).toEqual([
      row('TJ-A-01', 2022, '310', '315', 'changed'),
      row('TJ-A-02', 2022, '450', null, 'removed'),
      row('TJ-A-02', 2023, null, '-3', 'added'),
      row('TJ-A-03', 2022, '7', null, 'removed'),
    ]);
    expect(cs.summary).toEqual({ quadsAdded: 10, quadsRemoved: 10, observationsAdded: 1, observationsChanged: 1, observationsRemoved: 2 });
  });

  it('names and codes of what the figures refer to, from the builds', () => {
    expect(cs.names.get(`${B}id/jamoat/TJ-A-01`)).toEqual({ labels: { en: 'Alpha' }, code: 'TJ-A-01' });
    expect(cs.names.get(`${B}def/indicator/pupils`)).toEqual({ labels: { en: 'Pupils', tg: 'Хонандагон' }, code: 'pupils' });
  });

  it('an unsorted input with repeated and blank lines gives the same changeset', () => {
    const shuffled = `${[...linesOf(after)].reverse().join('\n')}\n\n${linesOf(after)[3]}\n`;
    const again = computeChangeset(`# a comment\n${linesOf(before).reverse().join('\n')}`, shuffled);
    expect(again.added).toBe(cs.added);
    expect(again.removed).toBe(cs.removed);
    expect(again.observations).toEqual(cs.observations);
  });

  it('the first release: everything is added, the patch is the build itself', () => {
    const first = computeChangeset(null, after);
    expect(first.added).toBe(after);
    expect(first.removed).toBe('');
    expect(first.summary).toMatchObject({ quadsAdded: linesOf(after).length, quadsRemoved: 0, observationsAdded: 3, observationsChanged: 0, observationsRemoved: 0 });
  });

  it('no change: an empty changeset', () => {
    expect(computeChangeset(after, after)).toMatchObject({ added: '', removed: '', observations: [], summary: { quadsAdded: 0, quadsRemoved: 0 } });
  });
});

describe('writeChangeset', () => {
  let dir: string;
  const cs: Changeset = computeChangeset(before, after);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lg-changes-'));
    await writeChangeset(dir, cs, { unitNames: new Map([[`${B}id/jamoat/TJ-A-02`, { en: 'Beta town', ru: 'Бета' }]]) });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('writes the four files and nothing else (no temporary file left)', async () => {
    expect((await readdir(join(dir, 'changes'))).sort()).toEqual(['added.nq.gz', 'changes.json', 'observations.csv', 'removed.nq.gz']);
  });

  it('the gzipped patches parse as N-Quads and hold the added and removed quads', async () => {
    for (const [name, text] of [['added.nq.gz', cs.added], ['removed.nq.gz', cs.removed]] as const) {
      const unzipped = gunzipSync(await readFile(join(dir, 'changes', name))).toString('utf8');
      expect(unzipped).toBe(text);
      expect(new N3.Parser({ format: 'N-Quads' }).parse(unzipped)).toHaveLength(linesOf(text).length);
    }
  });

  it('observations.csv: a header, one row per changed figure, names, CSV-injection safe', async () => {
    const text = await readFile(join(dir, 'changes', 'observations.csv'), 'utf8');
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['unit_code', 'unit_name', 'dataset', 'indicator', 'indicator_name', 'year', 'old_value', 'new_value', 'what']);
    expect(rows.slice(1)).toEqual([
      ['TJ-A-01', 'Alpha', `${B}id/dataset/stats`, 'pupils', 'Pupils', '2022', '310', '315', 'changed'],
      ['TJ-A-02', 'Beta town', `${B}id/dataset/stats`, 'pupils', 'Pupils', '2022', '450', '', 'removed'],
      ['TJ-A-02', 'Beta town', `${B}id/dataset/stats`, 'pupils', 'Pupils', '2023', '', '-3', 'added'],
      ['TJ-A-03', `'=HYPERLINK("http://evil")`, `${B}id/dataset/stats`, 'pupils', 'Pupils', '2022', '7', '', 'removed'],
    ]);
  });

  it('changes.json: the summary, every changed figure, the names', async () => {
    const json = JSON.parse(await readFile(join(dir, 'changes', 'changes.json'), 'utf8')) as { summary: unknown; observations: unknown[]; names: Record<string, unknown> };
    expect(json.summary).toEqual(cs.summary);
    expect(json.observations).toEqual(cs.observations);
    expect(json.names[`${B}id/jamoat/TJ-A-02`]).toEqual({ labels: { en: 'Beta town', ru: 'Бета' }, code: 'TJ-A-02' });
  });

  it('csvCell: formula starters get a quote (OWASP), plain numbers and text do not', () => {
    expect(['=1+1', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx', '-3', '12.5', 'Alpha', 'a,b', 'say "hi"'].map(csvCell)).toEqual([
      "'=1+1", "'+1", "'-1+2", "'@SUM(A1)", "'\tx", `"'\rx"`, '-3', '12.5', 'Alpha', '"a,b"', '"say ""hi"""',
    ]);
  });
});

describe('computeChangeset on two real conversions', () => {
  let one: ConvertOutput;
  let two: ConvertOutput;
  beforeAll(async () => {
    one = await convertDir(await makeDataDir());
    // The same workbook with one figure changed: Alpha's 2022 count, 310 -> 315.
    two = await convertDir(await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 315, '1 020'], ['TJ-SU-01-02', 'Beta ', 450, 470]])] }));
  }, 60_000);

  it('the builds hold no blank nodes, so comparing lines as text is exact', () => {
    for (const out of [one, two]) {
      const quads = new N3.Parser({ format: 'N-Quads' }).parse(out.nquads);
      expect(quads.filter((q) => [q.subject, q.object, q.graph].some((t) => t.termType === 'BlankNode'))).toEqual([]);
    }
  });

  it('finds exactly the changed figure, named, and a patch that turns one build into the other', () => {
    const cs = computeChangeset(one.nquads, two.nquads);
    expect(cs.observations).toEqual([{
      observation: `${BASE}id/observation/education/TJ-SU-01-01/pupils/2022`,
      unit: `${BASE}id/jamoat/TJ-SU-01-01`, dataset: `${BASE}id/dataset/education`, indicator: `${BASE}def/indicator/pupils`,
      year: '2022', oldValue: '310', newValue: '315', what: 'changed',
    }]);
    expect(cs.names.get(`${BASE}id/jamoat/TJ-SU-01-01`)).toEqual({ labels: expect.objectContaining({ en: 'Alpha' }), code: 'TJ-SU-01-01' });
    expect(cs.names.get(`${BASE}def/indicator/pupils`)?.labels.en).toBeTruthy();
    const removed = new Set(linesOf(cs.removed));
    const patched = [...linesOf(one.nquads).filter((l) => !removed.has(l)), ...linesOf(cs.added)];
    expect(nq(patched)).toBe(two.nquads);
  });
});
