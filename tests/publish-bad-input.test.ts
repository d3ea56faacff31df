/**
 * The bad-spreadsheet corpus of tests/bad-input.test.ts, uploaded through the web path: each
 * statistics workbook sent by a publisher (the JSON API, and some through the dashboard's form) is
 * refused with its report (the code, the sheet, row, column and value), kept as a refused draft
 * (its bytes in the blob store under their SHA-256), and nothing is published. A body over
 * MAX_FILE_BYTES is refused before it is read, with LG_ERR_FILE_TOO_LARGE in our error format.
 *
 * The service runs on the small fixture data (tests/helpers.ts makeDataDir: Testobod district
 * TJ-SU-01 with Alpha and Beta, pupils in 2022 and 2023), so the corpus's workbooks are the same
 * ones, built with the same builders, the publisher's area being Testobod.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../src/errors.js';
import type { Upload } from '../src/publish/uploads.js';
import { type SheetSpec, makeDataDir, wideSheet, writeXlsx } from './helpers.js';
import { type Publishing, type TestOfficial, XLSX, addOfficial, apiUpload, launchPublishing } from './publish-helpers.js';

const AREA = 'TJ-SU-01';
/** Small limits, so that a file over them is cheap to make; every workbook of the corpus but those two fits. */
const MAX_FILE_BYTES = 200_000;
const MAX_UNZIPPED_BYTES = 1_000_000;

let pub: Publishing;
let dataDir: string;
let publisher: TestOfficial;
let work: string;
let before: Health;

interface Health {
  release: number;
  dataVersion: string;
  building: number | null;
}

beforeAll(async () => {
  dataDir = await makeDataDir();
  work = await mkdtemp(join(tmpdir(), 'lg-publish-bad-'));
  pub = await launchPublishing({ dataDir, env: { MAX_FILE_BYTES: String(MAX_FILE_BYTES), MAX_UNZIPPED_BYTES: String(MAX_UNZIPPED_BYTES) } });
  publisher = await addOfficial(pub.services, 'amina', 'publisher', AREA);
  before = await health();
});

afterAll(async () => {
  await pub?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

async function health(): Promise<Health> {
  return (await fetch(`${pub.url}/health`)).json() as Promise<Health>;
}

let made = 0;
/** A workbook as the corpus writes it (writeXlsx), as the bytes a browser or script would send. */
async function xlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const path = join(work, `${++made}.xlsx`);
  await writeXlsx(path, sheets);
  return readFile(path);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** What the API answers for a refused upload: the upload record, its report in the request's language. */
interface Refused extends Upload {
  report: { code: string; sheet?: string; row?: number; column?: string; header?: string; value?: string; problem: string; todo: string; detail?: string }[];
  links: { self: string; page: string };
}

/** Nothing published: the same release is live, on the same data, and no release is being built or was recorded. */
async function expectNothingPublished(): Promise<void> {
  expect(await health()).toMatchObject({ release: before.release, dataVersion: before.dataVersion, building: null });
  expect(pub.services.releases.store.list().map((r) => r.n)).toEqual([before.release]);
}

/** A refused upload as the corpus case expects it, checked in the response, the upload record and the blob store. */
async function expectRefused(res: Response, bytes: Buffer, expected: Partial<Problem>[]): Promise<Refused> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as Refused;
  expect(res.status, JSON.stringify(body.problems)).toBe(422);
  expect(body.status).toBe('refused');
  expect(body.changes).toBeNull();
  expect(body.problems).toEqual(expected.map((p) => expect.objectContaining(p)));
  // The report names the same code and place, with a sentence and what to do.
  const where = (p: Partial<Problem>) => Object.fromEntries((['code', 'sheet', 'row', 'column', 'value'] as const).filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
  expect(body.report).toEqual(expected.map((p) => expect.objectContaining(where(p))));
  for (const r of body.report) {
    expect(r.problem.length).toBeGreaterThan(10);
    expect(r.todo.length).toBeGreaterThan(10);
  }
  // The record: refused, for the publisher's area, and the same when read again.
  expect(pub.services.uploads.get(body.id)).toMatchObject({ status: 'refused', area: AREA, dataset: 'education', userName: 'amina', releaseN: null });
  const again = await fetch(`${pub.url}/publish/api/uploads/${body.id}`, { headers: { authorization: `Bearer ${publisher.token}` } });
  expect(((await again.json()) as Upload).status).toBe('refused');
  // The workbook is kept, byte for byte, under its SHA-256.
  expect(body.sha256).toBe(sha256(bytes));
  expect(body.bytes).toBe(bytes.length);
  expect(existsSync(pub.services.blobs.path(body.sha256))).toBe(true);
  expect(sha256(await pub.services.blobs.read(body.sha256))).toBe(body.sha256);
  await expectNothingPublished();
  return body;
}

interface Case {
  /** The corpus case it is (tests/bad-input.test.ts), or what it stands for there. */
  name: string;
  fileName?: string;
  bytes: () => Promise<Buffer>;
  problems: Partial<Problem>[];
}

const TESTOBOD = 'Testobod';

const CASES: Case[] = [
  {
    name: 'a negative count in a statistics sheet',
    bytes: () => xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 310, -4], ['TJ-SU-01-02', 'Beta', 450, 470]])]),
    problems: [{ code: 'LG_ERR_BAD_VALUE', sheet: TESTOBOD, row: 4, column: 'D', value: '-4', reason: 'Pupils in general education schools 2023: a count cannot be negative' }],
  },
  {
    name: 'an unknown indicator column',
    bytes: () => xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 1, 2]], { header: 'Number of mosques' })]),
    problems: [
      // The header is merged over both years: reported once, at its first column.
      { code: 'LG_ERR_UNKNOWN_COLUMN', sheet: TESTOBOD, row: 2, column: 'C', value: 'Number of mosques' },
    ],
  },
  {
    name: "a statistics row whose code is unknown or whose name is another unit's",
    bytes: () => xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-07', 'Gamma', 1, 2], ['TJ-SU-01-02', 'Alpha', 1, 2]])]),
    problems: [
      { code: 'LG_ERR_UNKNOWN_CODE', sheet: TESTOBOD, row: 4, column: 'A', value: 'TJ-SU-01-07' },
      { code: 'LG_ERR_NAME_MISMATCH', sheet: TESTOBOD, row: 5, column: 'B', value: 'Alpha' },
    ],
  },
  {
    name: 'a formula cell',
    bytes: () => xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 310, { formula: 'C4*2' }], ['TJ-SU-01-02', 'Beta', 450, 470]])]),
    problems: [{ code: 'LG_ERR_FORMULA', sheet: TESTOBOD, row: 4, column: 'D', value: '=C4*2', reason: 'the cell holds a formula; type the value itself (copy, then "paste values")' }],
  },
  {
    name: 'text in a numeric cell (the corpus has it in a units CSV; here in a statistics sheet)',
    bytes: () => xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 'about 310', 1020]])]),
    problems: [{ code: 'LG_ERR_BAD_VALUE', sheet: TESTOBOD, row: 4, column: 'C', value: 'about 310' }],
  },
  {
    name: 'an ambiguous thousands-or-decimal comma (likewise)',
    bytes: () => xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 310, '1,020']])]),
    problems: [{ code: 'LG_ERR_BAD_VALUE', sheet: TESTOBOD, row: 4, column: 'D', value: '1,020' }],
  },
  {
    name: 'a missing required column (likewise: the name column renamed)',
    bytes: async () => {
      const sheet = wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 310, 1020]]);
      (sheet.rows[1] as unknown[])[1] = 'Kishlak';
      return xlsx([sheet]);
    },
    problems: [{ code: 'LG_ERR_MISSING_COLUMN', sheet: TESTOBOD, row: 2 }],
  },
  {
    name: 'a duplicate (likewise: the same unit twice, so the same figures twice)',
    bytes: () => xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 310, 1020], ['TJ-SU-01-01', 'Alpha', 311, 1021]])]),
    problems: [
      { code: 'LG_ERR_DUPLICATE_OBSERVATION', sheet: TESTOBOD, row: 5, column: 'C', value: '311' },
      { code: 'LG_ERR_DUPLICATE_OBSERVATION', sheet: TESTOBOD, row: 5, column: 'D', value: '1021' },
    ],
  },
  {
    name: 'an empty file (the corpus has an empty CSV; here an empty .xlsx)',
    bytes: async () => Buffer.alloc(0),
    problems: [{ code: 'LG_ERR_FILE_EMPTY' }],
  },
  {
    name: 'a file named .xlsx that is not a workbook',
    bytes: async () => Buffer.from('Code;Jamoat\nTJ-SU-01-01;Alpha\n'),
    problems: [{ code: 'LG_ERR_NOT_A_SPREADSHEET', reason: 'the file is named .xlsx but is not an Excel workbook (no zip signature); save it as "Excel Workbook (.xlsx)"' }],
  },
  {
    name: 'a zip named .xlsx that holds no workbook',
    bytes: async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('x');
      const real = Buffer.from(await wb.xlsx.writeBuffer());
      // Same bytes, but the workbook part renamed: a zip, not an Excel workbook.
      return Buffer.from(real.toString('binary').replaceAll('xl/workbook.xml', 'xl/workbook.xmX'), 'binary');
    },
    problems: [{ code: 'LG_ERR_NOT_A_SPREADSHEET', reason: 'the zip holds no Excel workbook (xl/workbook.xml is missing)' }],
  },
  {
    name: 'a zip that unpacks past the limit (zip bomb)',
    // 20,000 rows of the same text compress to a few kB but unpack to several MB.
    bytes: () => xlsx([{ name: TESTOBOD, rows: Array.from({ length: 20_000 }, () => ['x'.repeat(100)]) }]),
    problems: [{ code: 'LG_ERR_ZIP_TOO_LARGE', reason: `the workbook unpacks to more than ${MAX_UNZIPPED_BYTES} bytes (MAX_UNZIPPED_BYTES)` }],
  },
];

describe('the bad-spreadsheet corpus, sent by a script through the JSON API', () => {
  for (const c of CASES) {
    it(`${c.name}: refused with its report, kept, nothing published`, async () => {
      const bytes = await c.bytes();
      expect(bytes.length).toBeLessThanOrEqual(MAX_FILE_BYTES);
      const fileName = c.fileName ?? 'education-testobod.xlsx';
      const body = await expectRefused(await apiUpload(pub.url, publisher.token, bytes, { dataset: 'education', filename: fileName }), bytes, c.problems.map((p) => ({ file: fileName, ...p })));
      expect(body.fileName).toBe(fileName);
    });
  }

  it('every problem at once, not only the first (a negative count, a formula, an unknown code, a name of another unit)', async () => {
    const bytes = await xlsx([wideSheet(TESTOBOD, [
      ['TJ-SU-01-01', 'Alpha', -3, { formula: 'C4+1' }],
      ['TJ-SU-01-09', 'Delta', 1, 2],
      ['TJ-SU-01-02', 'Alpha', 450, 470],
    ])]);
    const expected: Partial<Problem>[] = [
      { code: 'LG_ERR_FORMULA', sheet: TESTOBOD, row: 4, column: 'D', value: '=C4+1' },
      { code: 'LG_ERR_BAD_VALUE', sheet: TESTOBOD, row: 4, column: 'C', value: '-3' },
      { code: 'LG_ERR_UNKNOWN_CODE', sheet: TESTOBOD, row: 5, column: 'A', value: 'TJ-SU-01-09' },
      { code: 'LG_ERR_NAME_MISMATCH', sheet: TESTOBOD, row: 6, column: 'B', value: 'Alpha' },
    ];
    const body = await expectRefused(await apiUpload(pub.url, publisher.token, bytes, { dataset: 'education' }), bytes, expected);
    expect(body.report).toHaveLength(4);
  });

  it('a body over MAX_FILE_BYTES: 413 LG_ERR_FILE_TOO_LARGE in our JSON format, before it is read; no record, nothing kept', async () => {
    const uploads = pub.services.uploads.list().length;
    const blobs = await blobCount();
    const bytes = Buffer.alloc(MAX_FILE_BYTES + 1, 7);
    const res = await apiUpload(pub.url, publisher.token, bytes, { dataset: 'education' });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'statusCode']);
    expect(body).toMatchObject({ statusCode: 413, code: 'LG_ERR_FILE_TOO_LARGE' });
    expect(String(body.message)).not.toMatch(/\n\s+at /); // no stack
    expect(pub.services.uploads.list()).toHaveLength(uploads);
    expect(await blobCount()).toBe(blobs);
    await expectNothingPublished();
    // A file of exactly MAX_FILE_BYTES is read, and refused by the checks like any other non-workbook.
    const atLimit = Buffer.alloc(MAX_FILE_BYTES, 7);
    await expectRefused(await apiUpload(pub.url, publisher.token, atLimit, { dataset: 'education', filename: 'big.xlsx' }), atLimit, [{ code: 'LG_ERR_NOT_A_SPREADSHEET', file: 'big.xlsx' }]);
  });
});

/** Blobs in the store (STATE_DIR/blobs/xx/sha256). */
async function blobCount(): Promise<number> {
  const dir = pub.services.blobs.dir;
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && /^[0-9a-f]{64}$/.test(e.name)) n++;
  return n;
}

/** A browser without JavaScript: the dashboard's form, with the session cookie and the form's CSRF token. */
class FormBrowser {
  private readonly cookies = new Map<string, string>();

  private take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${pub.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    this.take(res);
    return res;
  }

  /** The CSRF token of the first POST form of a page. */
  async csrf(path: string): Promise<string> {
    const page = await (await this.fetch(path)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path}`);
    return token;
  }

  async signIn(name: string, password: string): Promise<void> {
    const res = await this.fetch('/publish/login?lang=tg', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: await this.csrf('/publish/login?lang=tg'), name, password }),
    });
    expect(res.status).toBe(303);
  }

  /** Sends a workbook with the dashboard's upload form, as the browser encodes it (multipart/form-data). */
  async upload(bytes: Buffer, fileName: string): Promise<Response> {
    const form = new FormData();
    form.set('_csrf', await this.csrf('/publish/?lang=tg'));
    form.set('dataset', 'education');
    form.set('file', new Blob([new Uint8Array(bytes)], { type: XLSX }), fileName);
    return this.fetch('/publish/uploads?lang=tg', { method: 'POST', body: form });
  }
}

describe('the same, through the dashboard form in a browser session', () => {
  const browser = new FormBrowser();
  beforeAll(async () => {
    await browser.signIn(publisher.name, publisher.password);
  });

  it('a formula cell: the form leads to the upload page, whose report shows the problem in Tajik', async () => {
    const bytes = await xlsx([wideSheet(TESTOBOD, [['TJ-SU-01-01', 'Alpha', 310, { formula: 'C4*2' }], ['TJ-SU-01-02', 'Beta', 450, 470]])]);
    const res = await browser.upload(bytes, 'маориф.xlsx');
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/publish\/uploads\/\d+\?lang=tg$/);
    const id = Number(/\/uploads\/(\d+)/.exec(location)?.[1]);
    expect(pub.services.uploads.get(id)).toMatchObject({ status: 'refused', fileName: 'маориф.xlsx', sha256: sha256(bytes), bytes: bytes.length });
    expect(existsSync(pub.services.blobs.path(sha256(bytes)))).toBe(true);

    const page = await (await browser.fetch(location)).text();
    expect(page).toContain('<strong data-status="refused">аз санҷиш нагузашт (нашр нашудааст)</strong>');
    const rows = [...page.matchAll(/<tr data-code="([A-Z_]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['LG_ERR_FORMULA']);
    const cells = [...(rows[0]?.[2] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(cells.slice(0, 4)).toEqual([TESTOBOD, '4', 'D «Pupils in general education schools (persons), 2023»', '=C4*2']);
    expect(cells[4]).toMatch(/^Дар катак ба ҷои рақам формула/);
    expect(cells[5]).toMatch(/Гузоштани қиматҳо/);
    await expectNothingPublished();
  });

  it('a zip that holds no workbook: refused the same way', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x');
    const bytes = Buffer.from(Buffer.from(await wb.xlsx.writeBuffer()).toString('binary').replaceAll('xl/workbook.xml', 'xl/workbook.xmX'), 'binary');
    const res = await browser.upload(bytes, 'not-a-workbook.xlsx');
    expect(res.status).toBe(303);
    const id = Number(/\/uploads\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
    expect(pub.services.uploads.get(id)?.problems).toEqual([expect.objectContaining({ code: 'LG_ERR_NOT_A_SPREADSHEET', file: 'not-a-workbook.xlsx' })]);
    expect(existsSync(pub.services.blobs.path(sha256(bytes)))).toBe(true);
    await expectNothingPublished();
  });

  it('a file over MAX_FILE_BYTES: a 413 page in Tajik that says why and what to do, no record', async () => {
    const uploads = pub.services.uploads.list().length;
    const res = await browser.upload(Buffer.alloc(MAX_FILE_BYTES + 1, 7), 'калон.xlsx');
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toMatch(/<html lang="tg">/);
    expect(page).toContain('<code>LG_ERR_FILE_TOO_LARGE</code>');
    expect(page).toContain('Ҳаҷми файл аз андозаи иҷозатдодашуда зиёд аст.');
    expect(page).not.toContain('Шакл пурра нашудааст'); // not "the form was incomplete"
    expect(pub.services.uploads.list()).toHaveLength(uploads);
    await expectNothingPublished();
  });
});
