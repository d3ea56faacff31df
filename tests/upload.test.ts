import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import N3 from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { catalogQuery, restoreDatatypes } from '../src/catalog/catalog-query.js';
import { convert, type ConvertOutput } from '../src/convert/convert.js';
import { type Manifest, loadManifest } from '../src/convert/layout.js';
import { writeBuild } from '../src/convert/write-build.js';
import { ERROR_CODES, type ErrorCode, type Problem, ProblemsError } from '../src/errors.js';
import { PROJECT_ROOT } from '../src/project.js';
import { currentFigures, previewChanges } from '../src/publish/preview.js';
import { reportRows } from '../src/publish/report.js';
import { CODE_TEXT } from '../src/publish/report-strings.js';
import { type UploadChecks, UploadValidator, loadUploadChecks } from '../src/publish/validate-upload.js';
import { type ReleaseUnit, readReleaseUnits } from '../src/releases/release-units.js';
import type { WorkerStore } from '../src/store/worker-pool.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import { BASE, LIMITS, SHARED, type SheetSpec, makeDataDir, storeOf, wideSheet, writeXlsx } from './helpers.js';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const PROV = 'http://www.w3.org/ns/prov#';

let units: ReleaseUnit[];
let manifest: Manifest;
let checks: UploadChecks;
let validator: UploadValidator;
const temp: string[] = [];

beforeAll(async () => {
  units = await readReleaseUnits(inject('buildDir'));
  manifest = await loadManifest(join(PROJECT_ROOT, 'data'));
  checks = await loadUploadChecks({ base: BASE });
  validator = await UploadValidator.create({ base: BASE, manifest, units, limits: LIMITS, checks });
});
afterAll(async () => {
  for (const d of temp) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'lg-upload-test-'));
  temp.push(d);
  return d;
}

async function xlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const path = join(await tempDir(), 'upload.xlsx');
  await writeXlsx(path, sheets);
  return readFile(path);
}

/** An education upload for Yovon: pupils in 2022 and 2023, one row per body line. */
async function yovonUpload(body: (string | number | null)[][]): Promise<{ rows: { unitCode: string; year: number; value: number }[]; problems: Problem[]; headers: Map<string, string> }> {
  const bytes = await xlsx([wideSheet('Yovon', body)]);
  const result = await validator.validate({ bytes, fileName: 'education-yovon.xlsx', dataset: 'education', area: 'TJ-KT-06' });
  return { ...result, rows: result.rows.map((r) => ({ unitCode: r.unitCode, year: r.year, value: r.value })) };
}

describe('uploads name units by code or by name, inside the publisher\'s area', () => {
  it('by code', async () => {
    const r = await yovonUpload([['TJ-KT-06-03', 'Chorgul', 100, 110]]);
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([{ unitCode: 'TJ-KT-06-03', year: 2022, value: 100 }, { unitCode: 'TJ-KT-06-03', year: 2023, value: 110 }]);
  });

  it('by its Tajik name (code left blank) and by its Russian name (in the code column)', async () => {
    const tg = await yovonUpload([[null, 'Ёвон', 1, 2]]);
    expect(tg.problems).toEqual([]);
    expect(tg.rows).toEqual([{ unitCode: 'TJ-KT-06-02', year: 2022, value: 1 }, { unitCode: 'TJ-KT-06-02', year: 2023, value: 2 }]);
    const ru = await yovonUpload([['Яван', null, 3, 4], [null, 'ёвон ', 5, null]]);
    expect(ru.rows).toEqual([{ unitCode: 'TJ-KT-06-02', year: 2022, value: 3 }, { unitCode: 'TJ-KT-06-02', year: 2023, value: 4 }, { unitCode: 'TJ-KT-06-02', year: 2022, value: 5 }]);
    // Names compare as the converter's nameKey does (case and spaces); the same unit twice is a duplicate.
    expect(ru.problems).toEqual([expect.objectContaining({ code: 'LG_ERR_DUPLICATE_OBSERVATION', row: 5, column: 'C' })]);
  });

  it('an ambiguous name is refused with the candidates, codes and names', async () => {
    // "Yovon" is the district and its town (TJ-KT-06-02): which one the figure is for cannot be told.
    const r = await yovonUpload([[null, 'Yovon', 1, 2]]);
    expect(r.rows).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'LG_ERR_AMBIGUOUS_NAME', sheet: 'Yovon', row: 4, column: 'B', value: 'Yovon' })]);
    expect(r.problems[0]?.reason).toContain('TJ-KT-06 Yovon (district)');
    expect(r.problems[0]?.reason).toContain('TJ-KT-06-02 Yovon (town)');
  });

  it('an unknown name is LG_ERR_UNKNOWN_CODE; a unit of another district is refused as outside the area', async () => {
    const r = await yovonUpload([[null, 'Nowhereabad', 1, 2], ['TJ-SU-01-01', 'Buston', 5, 6], [null, 'Бӯстон', 7, 8]]);
    expect(r.rows).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.row, p.column, p.value])).toEqual([
      ['LG_ERR_UNKNOWN_CODE', 4, 'B', 'Nowhereabad'],
      ['LG_ERR_OUTSIDE_AREA', 5, 'A', 'TJ-SU-01-01'],
      ['LG_ERR_OUTSIDE_AREA', 6, 'B', 'Бӯстон'],
    ]);
    expect(r.problems[1]?.reason).toBe('TJ-SU-01-01 (Buston) is not in TJ-KT-06 (Yovon), the area you publish for');
    expect(ERROR_CODES.LG_ERR_OUTSIDE_AREA.status).toBe(403);
    expect(ERROR_CODES.LG_ERR_AMBIGUOUS_NAME.status).toBe(422);
  });

  it('seed files keep requiring codes: a name in the code column of data/ is a bad value', async () => {
    const dir = await makeDataDir({ education: [wideSheet('Testobod', [['Alpha', 'Alpha', 1, 2]])] });
    await expect(convert({ dataDir: dir, base: BASE, limits: LIMITS })).rejects.toMatchObject({
      problems: [expect.objectContaining({ code: 'LG_ERR_BAD_VALUE', column: 'A', value: 'Alpha' })],
    });
  });
});

describe('a wrong value in an upload, reported to the publisher', () => {
  let problems: Problem[];
  let headers: Map<string, string>;
  beforeAll(async () => {
    ({ problems, headers } = await yovonUpload([['TJ-KT-06-03', 'Chorgul', 100, 110], ['TJ-KT-06-04', 'Dahana', 120, -3]]));
  });

  it('names sheet, row, column and the column\'s header', () => {
    expect(problems).toEqual([expect.objectContaining({ code: 'LG_ERR_BAD_VALUE', sheet: 'Yovon', row: 5, column: 'D', value: '-3' })]);
    const [row] = reportRows(problems, 'en', headers);
    expect(row).toMatchObject({
      code: 'LG_ERR_BAD_VALUE', sheet: 'Yovon', row: 5, column: 'D', value: '-3',
      header: 'Pupils in general education schools (persons), 2023',
      detail: 'Pupils in general education schools 2023: a count cannot be negative',
    });
  });

  it('in Tajik, Russian and English, the code and the English detail kept', () => {
    const [tg, ru, en] = (['tg', 'ru', 'en'] as const).map((l) => reportRows(problems, l, headers)[0]);
    for (const r of [tg, ru, en]) {
      expect(r?.code).toBe('LG_ERR_BAD_VALUE');
      expect(r?.detail).toBe(problems[0]?.reason);
      expect(r?.action.length).toBeGreaterThan(20);
    }
    expect(tg?.reason).toMatch(/[ӣҳҷқӯғ]/); // letters Russian does not have
    expect(tg?.action).toMatch(/[ӣҳҷқӯғ]/);
    expect(ru?.reason).toMatch(/[а-яё]/);
    expect(ru?.reason).not.toMatch(/[ӣҳҷқӯғ]/);
    expect(en?.reason).toMatch(/^[\x20-\x7E]+$/);
    expect(new Set([tg?.reason, ru?.reason, en?.reason]).size).toBe(3);
  });

  it('every error code has its explanation and what to do, in the three languages', () => {
    const missing = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => {
      const t = CODE_TEXT[c];
      return !t || (['tg', 'ru', 'en'] as const).some((l) => !t.explain[l] || !t.todo[l]);
    });
    expect(missing).toEqual([]);
  });
});

describe('IC-17 against the published figures, when given', () => {
  it('a year the upload starts must get every indicator; one it completes may give one', async () => {
    const bytes = await xlsx([wideSheet('Yovon', [['TJ-KT-06-03', 'Chorgul', 100, 110]], { years: [2024, 2025] })]);
    const current = ['general-schools', 'pupils', 'teachers'].map((indicator) => ({ unitCode: 'TJ-KT-06-03', indicator, year: 2024, value: 7 }));
    const r = await validator.validate({ bytes, fileName: 'e.xlsx', dataset: 'education', area: 'TJ-KT-06', current });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'LG_ERR_BAD_VALUE', row: 4 })]);
    expect(r.problems[0]?.reason).toBe('TJ-KT-06-03 2025: General education schools, Teachers in general education schools missing while other indicators of that year are given; give every indicator of the dataset for a unit and year, or none (RDF Data Cube IC-17)');
  });
});

describe('overlays in convert(): a release is data/ with approved uploads on top', () => {
  let seedDir: string;
  let overlayPath: string;
  let out: ConvertOutput;
  beforeAll(async () => {
    // The seed: Alpha 310 / 1 020, Beta 450 / 470 pupils in 2022 / 2023 (tests/helpers.ts).
    seedDir = await makeDataDir();
    overlayPath = join(await tempDir(), 'blob-without-extension');
    await writeXlsx(overlayPath, [wideSheet('Testobod', [['TJ-SU-01-01', 'Alpha', 333, null], [null, 'Beta', null, 480]])]);
    out = await convert({
      dataDir: seedDir, base: BASE, limits: LIMITS,
      overlays: [{ dataset: 'education', path: overlayPath, name: 'education-upload-7.xlsx', area: 'TJ-SU-01' }],
      release: { n: 2, date: '2026-12-06' },
    });
  });

  const figure = (store: N3.Store, unit: string, year: number) => {
    const o = `${BASE}id/observation/education/${unit}/pupils/${year}`;
    return {
      value: store.getObjects(o, `${BASE}def/indicator/pupils`, null)[0]?.value,
      from: store.getObjects(o, `${PROV}wasDerivedFrom`, null)[0]?.value,
    };
  };

  it('a figure is replaced, a blank cell keeps the one before, provenance names the file it came from', () => {
    const store = storeOf(out.nquads);
    expect(figure(store, 'TJ-SU-01-01', 2022)).toEqual({ value: '333', from: `${BASE}download/education-upload-7.xlsx#sheet=Testobod&row=4` });
    expect(figure(store, 'TJ-SU-01-01', 2023)).toEqual({ value: '1020', from: `${BASE}download/education.xlsx#sheet=Testobod&row=4` });
    expect(figure(store, 'TJ-SU-01-02', 2022).value).toBe('450');
    expect(figure(store, 'TJ-SU-01-02', 2023)).toEqual({ value: '480', from: `${BASE}download/education-upload-7.xlsx#sheet=Testobod&row=5` });
    // The overlay is an original download of its dataset, used by its conversion.
    expect(out.files.find((f) => f.name === 'education-upload-7.xlsx')).toMatchObject({ role: 'original', dataset: 'education' });
    expect(store.getObjects(`${BASE}id/dataset/education/conversion`, `${PROV}used`, null).map((t) => t.value)).toContain(`${BASE}download/education-upload-7.xlsx`);
  });

  it('dcat:version on every dataset and the catalog; dct:modified of the touched dataset is the release date', () => {
    const store = storeOf(out.nquads);
    for (const s of [`${BASE}id/dataset/units`, `${BASE}id/dataset/education`, `${BASE}catalog`]) {
      expect(store.getObjects(s, `${DCAT}version`, null).map((t) => t.value), s).toEqual(['2']);
    }
    expect(store.getObjects(`${BASE}id/dataset/education`, `${DCT}modified`, null).map((t) => t.value)).toEqual(['2026-12-06']);
    expect(store.getObjects(`${BASE}id/dataset/units`, `${DCT}modified`, null).map((t) => t.value)).toEqual(['2026-11-23']);
    expect(store.getObjects(`${BASE}catalog`, `${DCT}modified`, null).map((t) => t.value)).toEqual(['2026-12-06']);
  });

  it('the units of the build, as units.json', async () => {
    expect(out.units.map((u) => u.code)).toEqual(['TJ', 'TJ-SU', 'TJ-SU-01', 'TJ-SU-01-01', 'TJ-SU-01-02']);
    expect(out.units[3]).toEqual({ code: 'TJ-SU-01-01', level: 'jamoat', type: 'lg:Jamoat', parent: 'TJ-SU-01', labels: { tg: 'Алфа', en: 'Alpha' }, altLabels: [], retiredOn: null, replacedBy: null });
    const dir = await tempDir();
    await writeBuild(dir, out);
    expect(await readReleaseUnits(dir)).toEqual(out.units);
  });

  it('a figure outside the overlay\'s area stops the build, with the overlay\'s file named', async () => {
    const err = await convert({
      dataDir: seedDir, base: BASE, limits: LIMITS,
      overlays: [{ dataset: 'education', path: overlayPath, name: 'education-upload-8.xlsx', area: 'TJ-SU-01-01' }],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    expect((err as ProblemsError).problems).toEqual([expect.objectContaining({ code: 'LG_ERR_OUTSIDE_AREA', file: 'education-upload-8.xlsx', sheet: 'Testobod', row: 5, column: 'B', value: 'Beta' })]);
  });

  it('later overlays win over earlier ones', async () => {
    const second = join(await tempDir(), 'second');
    await writeXlsx(second, [wideSheet('Testobod', [['TJ-SU-01-01', 'Алфа', 334, null]])]);
    const o = await convert({
      dataDir: seedDir, base: BASE, limits: LIMITS,
      overlays: [
        { dataset: 'education', path: overlayPath, name: 'education-upload-7.xlsx', area: 'TJ-SU-01' },
        { dataset: 'education', path: second, name: 'education-upload-9.xlsx', area: 'TJ-SU-01' },
      ],
    });
    const store = storeOf(o.nquads);
    expect(figure(store, 'TJ-SU-01-01', 2022).value).toBe('334');
    expect(figure(store, 'TJ-SU-01-02', 2023).value).toBe('480');
    // Without a release the metadata is data/'s.
    expect(store.getObjects(`${BASE}catalog`, `${DCAT}version`, null)).toEqual([]);
  });
});

describe('a release of the shipped data with an overlay, served by the real store', () => {
  let store: WorkerStore;
  let overlayRows: { unitCode: string; indicator: string; year: number; value: number }[];
  const upload = [
    ['TJ-KT-06-03', 'Chorgul', 1, 2, 3, 4],
    ['TJ-KT-06-04', 'Dahana', 5, 6, 7, 8],
  ];
  const pupilsSheet = (body: (string | number | null)[][]) => wideSheet('Yovon', body, { years: [2021, 2022, 2023, 2024] });

  beforeAll(async () => {
    const dir = await tempDir();
    const overlay = join(dir, 'overlay');
    await writeXlsx(overlay, [pupilsSheet(upload)]);
    const out = await convert({
      dataDir: join(PROJECT_ROOT, 'data'), base: BASE, limits: LIMITS,
      overlays: [{ dataset: 'education', path: overlay, name: 'education-upload-1.xlsx', area: 'TJ-KT-06' }],
      release: { n: 2, date: '2026-12-06' },
    });
    const build = join(dir, 'build');
    await writeBuild(build, out);
    store = await createWorkerStore({ nquadsPath: join(build, 'data.nq'), dataVersion: out.info.dataVersion, timeoutMs: 10_000, workers: 1, built: { quads: out.info.quads, graphs: out.info.graphs } });
    overlayRows = upload.flatMap((r) => [2021, 2022, 2023, 2024].map((year, k) => ({ unitCode: String(r[0]), indicator: 'pupils', year, value: Number(r[2 + k]) })));
  }, 180_000);
  afterAll(async () => store.close());

  it('the catalog with dcat:version conforms to the DCAT-AP 3.0.1 shapes', async () => {
    const quads = restoreDatatypes(new N3.Parser({ format: 'N-Triples' }).parse(await store.query(catalogQuery(BASE), { resultsFormat: 'application/n-triples' })),
      (q, dt) => N3.DataFactory.quad(q.subject, q.predicate, N3.DataFactory.literal(q.object.value, N3.DataFactory.namedNode(dt)), q.graph));
    const data = new N3.Store(quads);
    expect(data.getObjects(`${BASE}catalog`, `${DCAT}version`, null).map((t) => t.value)).toEqual(['2']);
    const shapes = new N3.Store();
    for (const f of ['dcat-ap-SHACL.ttl', 'ranges.ttl']) {
      const parsed = new N3.Parser().parse(await readFile(join(SHARED, 'standards', 'dcat-ap-3.0.1', 'shacl', f), 'utf8'));
      shapes.addQuads(parsed.filter((q) => q.predicate.value !== 'http://www.w3.org/2002/07/owl#imports'));
    }
    const report = await new SHACLValidator(shapes).validate(data);
    const violations = report.results.filter((r) => r.severity?.value.endsWith('#Violation'));
    expect(violations.map((r) => `${r.focusNode?.value} ${r.path?.value}: ${r.message.map((m) => m.value).join('; ')}`)).toEqual([]);
  });

  it('currentFigures reads the published observations of the units asked for, the overlay\'s included', async () => {
    const current = await currentFigures(store, { base: BASE, dataset: 'education', unitCodes: ['TJ-KT-06-03', 'TJ-KT-06-04'] });
    expect(current).toHaveLength(2 * 3 * 4); // two jamoats, three indicators, 2021-2024
    expect(current.filter((c) => c.indicator === 'pupils')).toEqual(overlayRows.sort((a, b) => (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : a.year - b.year)));
    expect(await currentFigures(store, { base: BASE, dataset: 'health', unitCodes: ['TJ-SU-01-01'] })).toEqual([]);
    await expect(currentFigures(store, { base: BASE, dataset: 'education', unitCodes: ['TJ-KT-06-03> } #'] })).rejects.toThrow(/not a unit code/);
  });

  it('previewChanges against them: changed, added and unchanged figures', async () => {
    const bytes = await xlsx([pupilsSheet([['TJ-KT-06-03', 'Chorgul', 1, 2, 30, 4]])]);
    const unitCodes = ['TJ-KT-06-03'];
    const current = await currentFigures(store, { base: BASE, dataset: 'education', unitCodes });
    const r = await validator.validate({ bytes, fileName: 'e.xlsx', dataset: 'education', area: 'TJ-KT-06', current });
    expect(r.problems).toEqual([]);
    const preview = previewChanges(r.rows, current);
    expect(preview.unchanged).toBe(3);
    expect(preview.changed).toEqual([{ unitCode: 'TJ-KT-06-03', indicator: 'pupils', year: 2023, old: 3, new: 30, sheet: 'Yovon', row: 4, column: 'E' }]);
    expect(preview.added).toEqual([]);
    expect(preview.removed).toEqual([]);
    const later = previewChanges([{ ...r.rows[0]!, year: 2025, value: 9 }], current);
    expect(later.added).toEqual([expect.objectContaining({ year: 2025, old: null, new: 9 })]);
  });
});
