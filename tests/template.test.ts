import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { type DatasetSpec, type Manifest, loadManifest } from '../src/convert/layout.js';
import type { Indicator } from '../src/convert/indicators.js';
import { PROJECT_ROOT } from '../src/project.js';
import { makeTemplate } from '../src/publish/template.js';
import { type UploadChecks, loadUploadChecks, validateUpload } from '../src/publish/validate-upload.js';
import { type ReleaseUnit, readReleaseUnits } from '../src/releases/release-units.js';
import { BASE, LIMITS } from './helpers.js';

let units: ReleaseUnit[];
let manifest: Manifest;
let checks: UploadChecks;
let education: DatasetSpec;
let indicators: Indicator[];

beforeAll(async () => {
  units = await readReleaseUnits(inject('buildDir'));
  manifest = await loadManifest(join(PROJECT_ROOT, 'data'));
  checks = await loadUploadChecks({ base: BASE });
  education = manifest.datasets.find((d) => d.id === 'education') as DatasetSpec;
  indicators = checks.indicators.filter((i) => i.topicId === 'education');
});

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(bytes).buffer); // a copy as a plain ArrayBuffer, the type exceljs declares
  return wb;
}

/** Yovon's jamoat-level units that exist, in code order: the rows a template must have. */
const yovonRows = () => units.filter((u) => u.parent === 'TJ-KT-06' && u.level === 'jamoat' && u.retiredOn === null).map((u) => u.code).sort();

describe('the upload template (src/publish/template.ts)', () => {
  it('Yovon in Tajik: one sheet, Tajik headers, every jamoat with its code, generated from the vocabulary', async () => {
    const wb = await open(await makeTemplate({ units, area: 'TJ-KT-06', year: 2025, dataset: education, indicators, lang: 'tg' }));
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([['Ноҳияи Ёвон', 'visible']]);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(String(ws.getCell('A1').value)).toContain('Маориф');
    expect(ws.getCell('A2').value).toBe('Рамз');
    expect(ws.getCell('B2').value).toBe('Ҷамоат');
    // One column per indicator of the topic, each its Tajik label with the unit in Tajik.
    expect([ws.getCell('C2').value, ws.getCell('D2').value, ws.getCell('E2').value]).toEqual([
      'Мактабҳои таҳсилоти умумӣ (адад)', 'Хонандагони мактабҳои таҳсилоти умумӣ (нафар)', 'Омӯзгорони мактабҳои таҳсилоти умумӣ (нафар)',
    ]);
    expect([ws.getCell('C3').value, ws.getCell('D3').value, ws.getCell('E3').value]).toEqual([2025, 2025, 2025]);
    const codes = yovonRows();
    expect(codes).toHaveLength(9);
    codes.forEach((code, i) => expect(ws.getCell(4 + i, 1).value).toBe(code));
    expect(ws.getCell(5, 2).value).toBe('Ёвон'); // TJ-KT-06-02 has a Tajik name
    expect(ws.getCell(4, 2).value).toBe('Hayotinav'); // TJ-KT-06-01 has only an English one: shown, not invented
    expect(String(ws.getCell(5, 2).note)).toContain('Яван');
    const totals = 4 + codes.length + 1;
    expect(ws.getCell(totals, 2).value).toBe('Ҳамагӣ');
    expect(ws.getCell(totals, 4).value).toEqual({ formula: `SUM(D4:D${3 + codes.length})` });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 3 });
    expect(ws.getColumn(1).width).toBeGreaterThan(10);
    expect(ws.getCell(4, 4).numFmt).toBe('#,##0');
    expect(ws.getCell(4, 4).dataValidation).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual' });
    expect(ws.getCell(4, 4).dataValidation.error).toContain('ворид кунед'); // Tajik, like the headers
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A1:E1', 'A2:A3', 'B2:B3']));
    expect(ws.columns.some((c) => c.hidden)).toBe(false);
  });

  it('filled in and read back through the upload checks gives exactly those figures and no problem', async () => {
    const bytes = await makeTemplate({ units, area: 'TJ-KT-06', year: 2025, dataset: education, indicators, lang: 'tg' });
    const wb = await open(bytes);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    const expected: string[] = [];
    yovonRows().forEach((code, i) => {
      [3, 4, 5].forEach((col, k) => {
        const value = (i + 1) * 10 + k;
        ws.getCell(4 + i, col).value = value;
        expected.push(`${code}|${['general-schools', 'pupils', 'teachers'][k]}|2025|${value}`);
      });
    });
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await validateUpload({
      bytes: filled, fileName: 'Маориф Ёвон.xlsx', dataset: 'education', area: 'TJ-KT-06',
      manifest, units, base: BASE, limits: LIMITS, shapes: checks,
    });
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => `${r.unitCode}|${r.indicator.id}|${r.year}|${r.value}`).sort()).toEqual(expected.sort());
  });

  it('an untouched template is not an upload: it holds no figure', async () => {
    const bytes = await makeTemplate({ units, area: 'TJ-KT-06', year: 2025, dataset: education, indicators, lang: 'en' });
    const result = await validateUpload({ bytes, fileName: 'blank.xlsx', dataset: 'education', area: 'TJ-KT-06', manifest, units, base: BASE, limits: LIMITS, shapes: checks });
    expect(result.problems.map((p) => p.code)).toEqual(['LG_ERR_FILE_EMPTY']);
  });

  it('Russian and English headers; published figures written in; several years merged under each indicator', async () => {
    const current = new Map([['TJ-KT-06-03|pupils|2024', 4321]]);
    const ru = (await open(await makeTemplate({ units, area: 'TJ-KT-06', year: 2024, years: [2023, 2024], dataset: education, indicators, lang: 'ru', current }))).worksheets[0] as ExcelJS.Worksheet;
    expect([ru.getCell('A2').value, ru.getCell('B2').value, ru.getCell('C2').value]).toEqual(['Код', 'Джамоат', 'Общеобразовательные школы (единиц)']);
    expect(ru.model.merges).toEqual(expect.arrayContaining(['C2:D2', 'E2:F2', 'G2:H2']));
    // Row of TJ-KT-06-03 (third unit), pupils 2024 (second indicator, second year: column F).
    expect(ru.getCell(6, 6).value).toBe(4321);
    expect(ru.getCell(6, 5).value).toBe(null);
    const en = (await open(await makeTemplate({ units, area: 'TJ-KT-06', year: 2025, dataset: education, indicators, lang: 'en' }))).worksheets[0] as ExcelJS.Worksheet;
    expect([en.getCell('A2').value, en.getCell('B2').value, en.getCell('D2').value]).toEqual(['Code', 'Jamoat', 'Pupils in general education schools (persons)']);
  });

  it('a region gets one sheet per district that exists, each with its jamoats (or the district itself when none is listed)', async () => {
    const wb = await open(await makeTemplate({ units, area: 'TJ-KT', year: 2025, dataset: education, indicators, lang: 'en' }));
    const districts = units.filter((u) => u.parent === 'TJ-KT' && u.retiredOn === null);
    expect(wb.worksheets).toHaveLength(districts.length);
    expect(new Set(wb.worksheets.map((w) => w.name)).size).toBe(districts.length);
    const yovon = wb.getWorksheet('Yovon') as ExcelJS.Worksheet;
    expect(yovon.getCell('A4').value).toBe('TJ-KT-06-01');
    const bare = districts.find((d) => !units.some((u) => u.parent === d.code && u.retiredOn === null));
    if (bare) {
      const ws = wb.worksheets.find((w) => w.getCell('A4').value === bare.code);
      expect(ws, `a sheet for ${bare.code}`).toBeDefined();
    }
  });

  it('refuses an area that is no unit', async () => {
    await expect(makeTemplate({ units, area: 'TJ-XX-99', year: 2025, dataset: education, indicators, lang: 'en' })).rejects.toThrow(/not the code of a published unit/);
  });
});
