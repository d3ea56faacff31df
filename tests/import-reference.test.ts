import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { runScript, snapshot } from './helpers.js';

/** `npm run import-reference -- --out DIR`, on ../shared/reference. */
const importReference = (out: string) => runScript('src/tools/import-reference.ts', ['--out', out]);

describe('npm run import-reference (the first import of the units from ../shared/reference)', () => {
  it('run again over data/units, it writes the very same files: codes once assigned are kept', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lg-import-'));
    await cp(join(PROJECT_ROOT, 'data', 'units'), out, { recursive: true });
    expect((await importReference(out)).code).toBe(0);
    expect(await snapshot(out)).toEqual(await snapshot(join(PROJECT_ROOT, 'data', 'units')));
  });

  it('refuses to rebuild workbooks that have a column it does not write (a retirement), and writes nothing', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lg-import-'));
    await cp(join(PROJECT_ROOT, 'data', 'units'), out, { recursive: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'jamoats.xlsx'));
    const ws = wb.getWorksheet('Khatlon')!;
    ws.getRow(2).getCell(ws.getRow(2).cellCount + 1).value = 'Retired on';
    await wb.xlsx.writeFile(join(out, 'jamoats.xlsx'));
    const before = await snapshot(out);

    const r = await importReference(out);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('jamoats.xlsx › Khatlon: "Retired on"');
    expect(r.stderr).toContain('How to retire a unit');
    expect(await snapshot(out)).toEqual(before);
  });
});
