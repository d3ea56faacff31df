import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { convert } from '../src/convert/convert.js';
import { BUILDS_DIR, CURRENT_LINK, currentBuild } from '../src/convert/build-output.js';
import { BASE, LIMITS, makeDataDir, runScript, snapshot, wideSheet, writeXlsx } from './helpers.js';

/** `npm run convert -- …` or `npm run validate -- …`. */
const cli = (script: 'convert' | 'validate', args: string[]) => runScript(`src/cli/${script}.ts`, args);

describe('npm run convert / validate', () => {
  it('converts good data, writes data.nq and build-info.json into a build of its own that `current` names, and exits 0', async () => {
    const data = await makeDataDir();
    const out = await mkdtemp(join(tmpdir(), 'lg-out-'));
    const r = await cli('convert', ['--data', data, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*\/builds\/\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{16} \(now .*\/current -> builds\/\d{8}T[^)]+\): \d+ quads in \d+ graphs/m);
    expect((await readdir(out)).sort()).toEqual([BUILDS_DIR, CURRENT_LINK]);
    const files = await snapshot(join(out, CURRENT_LINK));
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

/** `npm run convert` as a child process of its own (not awaited), its pid being the one that locks. */
function startConvert(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/convert.ts'), ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
  child.stdout.resume();
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}

const exists = (path: string) => access(path).then(() => true, () => false);

describe('two conversions into one folder (issue #11)', () => {
  it('the second refuses with exit 1 while the first runs; the first completes a consistent build and releases the lock', async () => {
    const data = await makeDataDir();
    const out = await mkdtemp(join(tmpdir(), 'lg-out-'));
    const lock = join(out, '.convert.lock');
    const first = startConvert(['--data', data, '--out', out]);
    try {
      const until = Date.now() + 60_000;
      while (!(await exists(lock)) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect((await readFile(lock, 'utf8')).trim()).toBe(String(first.child.pid));
      // Hold the first one inside its conversion, whatever the machine's speed: stopped, it still runs.
      first.child.kill('SIGSTOP');
      const second = await cli('convert', ['--data', data, '--out', out]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`another conversion (pid ${first.child.pid}) is writing into ${out}`);
      expect(await exists(join(out, CURRENT_LINK))).toBe(false);
    } finally {
      first.child.kill('SIGCONT');
    }
    const r = await first.done;
    expect(r.code, r.stderr).toBe(0);
    expect(await exists(lock)).toBe(false);
    // Every download is the one build-info.json lists.
    const built = await currentBuild(out);
    if (built === undefined) throw new Error(`no ${out}/${CURRENT_LINK} after a conversion that succeeded`);
    const info = JSON.parse(await readFile(join(built, 'build-info.json'), 'utf8')) as { downloads: { name: string; sha256: string }[] };
    for (const d of info.downloads) {
      expect(createHash('sha256').update(await readFile(join(built, 'download', d.name))).digest('hex'), d.name).toBe(d.sha256);
    }
  }, 120_000);

  it('a stale lock (its process is gone, as after kill -9) is taken over', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.on('close', r));
    const out = await mkdtemp(join(tmpdir(), 'lg-out-'));
    await writeFile(join(out, '.convert.lock'), `${gone.pid}\n`);
    const r = await cli('convert', ['--data', await makeDataDir(), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(await exists(join(out, CURRENT_LINK, 'build-info.json'))).toBe(true);
    expect(await exists(join(out, '.convert.lock'))).toBe(false);
  }, 120_000);
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
