import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Publishing, type TestOfficial, addOfficial, apiUpload, launchPublishing } from './publish-helpers.js';
import { loadInputs, uploadDatasetOf, validateInput } from './hostile/run-cases.js';

/**
 * The hostile spreadsheets of issue #14 (tests/hostile/inputs/), each given to the converter as
 * `npm run validate` meets it (replacing one file of a copy of data/) and to the officials' upload
 * path as a publisher would send it. Each must be refused with its own code, saying where, rather
 * than hang, exhaust memory or pass unnoticed. The times and memory are printed (bench/hostile.ts
 * measures them properly); the only time bound here is the guard that kills a hung converter.
 */
const inputs = await loadInputs();

describe('hostile inputs: the converter', () => {
  it('the corpus holds the converter cases of issue #14', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(5);
  });

  for (const { name, case: input } of inputs) {
    it(`${name} (${input.issue}): ${input.title}`, async () => {
      const run = await validateInput(input, { killAfterMs: 90_000 });
      console.log(`hostile input ${name}: ${run.seconds.toFixed(1)} s, peak ${run.peakRssMb.toFixed(0)} MB, exit ${run.exitCode}, codes ${[...new Set(run.codes)].join(' ')}`);
      expect(run.timedOut, 'the converter hung on it').toBe(false);
      if ('refusedWith' in input.convert) {
        expect(run.exitCode, run.stderr.slice(0, 2000)).toBe(1);
        expect(run.codes).toContain(input.convert.refusedWith);
      } else {
        expect(run.exitCode, run.stderr.slice(0, 2000)).toBe(0);
      }
    }, 120_000);
  }
});

describe('hostile inputs: the upload path', () => {
  let svc: Publishing;
  let publisher: TestOfficial;

  beforeAll(async () => {
    svc = await launchPublishing();
    publisher = await addOfficial(svc.services, 'pub', 'publisher', 'TJ-KT-06');
  });
  afterAll(async () => svc?.close());

  for (const { name, case: input } of inputs) {
    const expected = input.upload?.refusedWith ?? ('refusedWith' in input.convert ? input.convert.refusedWith : undefined);
    if (!expected) continue;
    it(`${name} (${input.issue}) uploaded is refused with ${expected}, and readers are answered meanwhile`, async () => {
      const bytes = await input.make();
      const filename = input.replaces.split('/').pop() ?? 'upload.xlsx';
      const res = await apiUpload(svc.url, publisher.token, bytes, { dataset: uploadDatasetOf(input), filename });
      const body = (await res.json()) as { status?: string; problems?: { code: string }[]; code?: string };
      const codes = body.problems?.map((p) => p.code) ?? (body.code ? [body.code] : []);
      expect(res.status, JSON.stringify(body).slice(0, 1000)).toBeGreaterThanOrEqual(400);
      expect(codes, JSON.stringify(body).slice(0, 1000)).toContain(expected);
      const health = await fetch(`${svc.url}/health`);
      expect(health.status).toBe(200);
    }, 120_000);
  }
});
