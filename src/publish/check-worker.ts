/**
 * The worker thread that checks uploaded workbooks (check-pool.ts starts it). Reading a workbook
 * (exceljs) and the SHACL checks are synchronous CPU work on input from outside: in the server's
 * own thread a slow or hostile workbook would stall every reader. Here it stalls only this thread,
 * which the pool stops after UPLOAD_CHECK_TIMEOUT_MS, and its memory is capped by the thread's
 * resource limits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FileLimits } from '../convert/check-file.js';
import { loadManifest } from '../convert/layout.js';
import { readReleaseUnits } from '../releases/release-units.js';
import type { CurrentFigure } from './preview.js';
import { UploadValidator, loadUploadChecks } from './validate-upload.js';

export interface CheckWorkerData {
  base: string;
  dataDir: string;
  limits: FileLimits;
}

export interface CheckRequest {
  id: number;
  buildDir: string;
  input: { bytes: Uint8Array; fileName: string; dataset: string; area: string; current?: CurrentFigure[] };
}

/** Sent once the worker has loaded what every check needs: the pool's time limit counts from then. */
export interface CheckWorkerReady {
  ready: true;
}

export type CheckResponse =
  | { id: number; ok: true; result: { rows: import('../convert/read-wide.js').ObservationRow[]; problems: import('../errors.js').Problem[]; headers: [string, string][] } }
  | { id: number; ok: false; error: string };

const data = workerData as CheckWorkerData;
const checks = loadUploadChecks({ base: data.base });
const manifest = loadManifest(data.dataDir);
// One validator per release (its units); a new release replaces it.
let current: { buildDir: string; validator: Promise<UploadValidator> } | undefined;

function validatorFor(buildDir: string): Promise<UploadValidator> {
  if (current?.buildDir !== buildDir) {
    const validator = (async () =>
      UploadValidator.create({
        base: data.base, manifest: await manifest, units: await readReleaseUnits(buildDir), limits: data.limits, dataDir: data.dataDir, checks: await checks,
      }))();
    current = { buildDir, validator };
  }
  return current.validator;
}

// Loading the shapes and the vocabulary (the converter's modules are loaded with this one) is not
// the workbook's doing: the time limit of a check starts once this is done.
void Promise.all([checks, manifest]).then(
  () => parentPort?.postMessage({ ready: true } satisfies CheckWorkerReady),
  () => undefined, // the first check reports the failure
);

parentPort?.on('message', (msg: CheckRequest) => {
  void (async (): Promise<CheckResponse> => {
    try {
      const validator = await validatorFor(msg.buildDir);
      const r = await validator.validate({ ...msg.input, bytes: Buffer.from(msg.input.bytes) });
      return { id: msg.id, ok: true, result: { rows: r.rows, problems: r.problems, headers: [...r.headers] } };
    } catch (e) {
      return { id: msg.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  })().then((answer) => parentPort?.postMessage(answer));
});
