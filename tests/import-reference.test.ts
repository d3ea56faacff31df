import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';

const run = promisify(execFile);

/** `npm run import-reference -- --out DIR`, on ../shared/reference. */
async function importReference(out: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'tools', 'import-reference.ts'), '--out', out], { cwd: PROJECT_ROOT });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = (await readFile(join(e.parentPath, e.name))).toString('base64');
  }
  return out;
}

describe('npm run import-reference (the first import of the units from ../shared/reference)', () => {
  it('run again over data/units, it writes the very same files: codes once assigned are kept', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lg-import-'));
    await cp(join(PROJECT_ROOT, 'data', 'units'), out, { recursive: true });
    expect((await importReference(out)).code).toBe(0);
    expect(await files(out)).toEqual(await files(join(PROJECT_ROOT, 'data', 'units')));
  });

  it('refuses to rebuild workbooks that have a column it does not write (a retirement), and writes nothing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lg-import-'));
    await cp(join(PROJECT_ROOT, 'data', 'units'), out, { recursive: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'jamoats.xlsx'));
    const ws = wb.getWorksheet('Khatlon')!;
    ws.getRow(2).getCell(ws.getRow(2).cellCount + 1).value = 'Retired on';
    await wb.xlsx.writeFile(join(out, 'jamoats.xlsx'));
    const before = await files(out);

    const r = await importReference(out);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('jamoats.xlsx › Khatlon: "Retired on"');
    expect(r.stderr).toContain('How to retire a unit');
    expect(await files(out)).toEqual(before);
  });
});
