import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Publishing, type TestOfficial, addOfficial, apiUpload, launchPublishing } from './publish-helpers.js';
import { makeDataDir } from './helpers.js';

/**
 * Upload checks run in a worker thread of their own (src/publish/check-pool.ts): a workbook that
 * takes too long to check is refused with LG_ERR_CHECK_FAILED and its thread replaced, while the
 * server keeps answering readers; the next upload is checked as usual.
 */
let svc: Publishing;
let publisher: TestOfficial;
let template: Buffer;

beforeAll(async () => {
  // The sheet limits would refuse the heavy workbook below before its check starts (#14.1); raised
  // here so that the check itself runs long, as one a deployment's higher limits let through could.
  svc = await launchPublishing({ dataDir: await makeDataDir(), env: { UPLOAD_CHECK_TIMEOUT_MS: '1500', MAX_SHEET_CELLS: '10000000' } });
  publisher = await addOfficial(svc.services, 'pub', 'publisher', 'TJ-SU-01');
  const res = await fetch(`${svc.url}/publish/api/template?dataset=education&year=2024&lang=en`, { headers: { authorization: `Bearer ${publisher.token}` } });
  expect(res.status).toBe(200);
  template = Buffer.from(await res.arrayBuffer());
});

afterAll(async () => svc?.close());

async function filled(extra?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(template).buffer); // a copy as a plain ArrayBuffer, the type exceljs declares
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  ws.eachRow((row) => {
    if (/^TJ-/.test(String(row.getCell(1).value ?? ''))) for (let c = 3; c <= 5; c++) row.getCell(c).value = 7;
  });
  extra?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('upload checks off the server thread', () => {
  it('a workbook whose check outlasts UPLOAD_CHECK_TIMEOUT_MS is refused, and readers are answered meanwhile', async () => {
    // Heavy on purpose: 600,000 cells below the units, each a cell the reader must read (about
    // 8 µs each, so some 5 s of checking: well past the 1.5 s allowed, on any machine).
    const heavy = await filled((ws) => {
      for (let r = 20; r < 60_020; r++) ws.getRow(r).values = [, , , , , , , , , , , ...Array<string>(10).fill(' ')];
    });
    let uploadDone = false;
    const upload = apiUpload(svc.url, publisher.token, heavy, { dataset: 'education', filename: 'heavy.xlsx' }).finally(() => (uploadDone = true));
    // While the check runs, /health and a document answer (the check is not on the server's thread).
    await new Promise((r) => setTimeout(r, 300));
    const health = await fetch(`${svc.url}/health`);
    expect(health.status).toBe(200);
    const doc = await fetch(`${svc.url}/doc/jamoat/TJ-SU-01-01.ttl`);
    expect(doc.status).toBe(200);
    expect(uploadDone).toBe(false);
    const res = await upload;
    const body = (await res.json()) as { status: string; problems: { code: string }[]; report: { problem: string }[] };
    expect(res.status).toBe(422);
    expect(body.status).toBe('refused');
    expect(body.problems.map((p) => p.code)).toEqual(['LG_ERR_CHECK_FAILED']);
    // The report is in the reader's language: Tajik by default (?lang=, Accept-Language choose another).
    expect(body.report[0]?.problem).toMatch(/вақт ё хотира/);
  });

  it('the next workbook is checked on a fresh thread as usual', async () => {
    const res = await apiUpload(svc.url, publisher.token, await filled(), { dataset: 'education', filename: 'ok.xlsx' });
    const body = (await res.json()) as { status: string; problems: unknown[] };
    expect(body.problems).toEqual([]);
    expect(res.status).toBe(201);
    expect(body.status).toBe('pending');
  });
});

