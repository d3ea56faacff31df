import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { convert } from '../src/convert/convert.js';
import { BASE, LIMITS, makeDataDir, runScript, snapshot, wideSheet, writeXlsx } from './helpers.js';

/** `npm run convert -- …` or `npm run validate -- …`. */
const cli = (script: 'convert' | 'validate', args: string[]) => runScript(`src/cli/${script}.ts`, args);

describe('npm run convert / validate', () => {
  it('converts good data, writes data.nq and build-info.json, and exits 0', async () => {
    const data = await makeDataDir();
    const out = await mkdtemp(join(tmpdir(), 'lg-out-'));
    const r = await cli('convert', ['--data', data, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*data\.nq: \d+ quads in \d+ graphs/);
    const files = await snapshot(out);
    expect(Object.keys(files).filter((f) => !f.startsWith('download/')).sort()).toEqual(['build-info.json', 'data.nq', 'units.json']);
    expect(Object.keys(files)).toContain('download/all.nq.gz');
    const info = JSON.parse(Buffer.from(files['build-info.json'] ?? '', 'base64').toString('utf8') || '{}') as { dataVersion: string; inputs: unknown[] };
    expect(info.dataVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(info.inputs).toHaveLength(5);
  });

  it('on bad input prints every problem with file, sheet, row, column and reason, exits 1, and leaves --out as it was', async () => {
    const good = await makeDataDir();
    const out = await mkdtemp(join(tmpdir(), 'lg-out-'));
    expect((await cli('convert', ['--data', good, '--out', out])).code).toBe(0);
    const before = await snapshot(out);

    const bad = await makeDataDir({ education: [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 'n/a', 12], ['TJ-SU-01-02', 'Beta', 450, -3]])] });
    const r = await cli('convert', ['--data', bad, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('statistics/education.xlsx › Testobod!C4: [LG_ERR_BAD_VALUE] Pupils in general education schools 2022: expected a number, got "n/a"');
    expect(r.stderr).toContain('statistics/education.xlsx › Testobod!D5: [LG_ERR_BAD_VALUE] Pupils in general education schools 2023: a count cannot be negative, got "-3"');
    expect(r.stderr).toContain('2 problem(s)');
    expect(await snapshot(out)).toEqual(before);
  });

  it('validate runs the same checks and writes nothing', async () => {
    const data = await makeDataDir();
    await writeXlsx(join(data, 'statistics', 'education.xlsx'), [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 1, { formula: 'C4+1' }]])]);
    const r = await cli('validate', ['--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Testobod!D4: [LG_ERR_FORMULA]');
    const ok = await cli('validate', ['--data', await makeDataDir()]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^valid: \d+ quads/m);
  });

  it('refuses an unknown option with its usage', async () => {
    const r = await cli('convert', ['--dat', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: npm run convert');
  });

  it('stops on an invalid BASE_URI with a message naming it', async () => {
    const data = await makeDataDir();
    const r = await cli('validate', ['--data', data, '--base', 'http://example.org/no-slash']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('Invalid configuration:\n  BASE_URI="http://example.org/no-slash": BASE_URI must end with "/" (every URI we mint is BASE_URI + a path)');
  });
});

describe('the units also convert from their CSV form', () => {
  it('CSV and XLSX give the same units', async () => {
    const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'data', 'datasets.json'), 'utf8')) as { datasets: { id: string; files: { path: string; level?: string }[] }[] };
    const units = manifest.datasets.filter((d) => d.id === 'units');
    const dir = await mkdtemp(join(tmpdir(), 'lg-csv-'));
    await cp(join(PROJECT_ROOT, 'data'), dir, { recursive: true });
    const asCsv = structuredClone(units);
    for (const f of asCsv[0]?.files ?? []) if (f.path.endsWith('.xlsx')) f.path = f.path.replace('units/', 'units/csv/').replace('.xlsx', '.csv');
    await writeFile(join(dir, 'datasets.json'), JSON.stringify({ ...manifest, datasets: units }));
    const fromXlsx = await convert({ dataDir: dir, base: BASE, limits: LIMITS });
    await writeFile(join(dir, 'datasets.json'), JSON.stringify({ ...manifest, datasets: asCsv }));
    const fromCsv = await convert({ dataDir: dir, base: BASE, limits: LIMITS });
    // Provenance names different files and rows; everything else must be the same.
    // The graph describing the downloads differs too: the dumps hold the provenance.
    const strip = (nq: string) => nq.split('\n').filter((l) => !/prov#|\/download\/|dcat#byteSize|\/graph\/distributions> \.$/.test(l)).join('\n');
    expect(strip(fromCsv.nquads) === strip(fromXlsx.nquads)).toBe(true);
    expect(fromCsv.info.graphs[`${BASE}graph/units`]).toBe(fromXlsx.info.graphs[`${BASE}graph/units`]);
  });
});
