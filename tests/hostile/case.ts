/**
 * The hostile corpus (issue #14): what an attack probe did to the converter and the server, kept
 * so that it cannot come back. One file per case, each generating its bytes or requests (the
 * repository holds no bombs):
 *
 * - `inputs/<name>.ts` export default a HostileInput: a spreadsheet that replaces one file of
 *   data/. tests/hostile-inputs.test.ts converts each (validate on a copy of data/) and uploads
 *   each through the officials' API; bench/hostile.ts prints time and peak memory per case.
 * - `requests/<name>.ts` export default a HostileRequest: requests sent to a running server on
 *   127.0.0.1. tests/hostile-requests.test.ts runs each against the real server and checks that
 *   /health keeps answering meanwhile; bench/hostile.ts prints /health latency during each.
 *
 * Cases assert with node:assert (not vitest's expect) so the bench can run them too.
 */
import type { ErrorCode } from '../../src/errors.js';

export interface HostileInput {
  /** What the probe did, in one line (printed by the bench and named by the test). */
  title: string;
  /** Where it was reported, e.g. '#14.1'. */
  issue: string;
  /** The file of data/ it replaces, e.g. 'units/jamoats.xlsx' or 'statistics/population.xlsx'. */
  replaces: string;
  /** The hostile file's bytes. */
  make(): Promise<Buffer>;
  /**
   * What conversion must do: refuse with this code among its problems, or accept (a case whose
   * harm is neutralised downstream, checked by `check`).
   */
  convert: { refusedWith: ErrorCode } | { accepted: true };
  /**
   * What the officials' upload path must do with the same bytes uploaded as a statistics workbook
   * for `dataset` (default: the dataset of `replaces` when it is a statistics file, else
   * 'population'): refused with this code in the report (default: convert's code).
   */
  upload?: { refusedWith: ErrorCode; dataset?: string };
  /**
   * Optional check on the converted build when conversion accepts (e.g. that a download
   * neutralises a formula); `buildDir` holds data.nq and download/.
   */
  check?(buildDir: string): Promise<void>;
}

export interface HostileRequest {
  title: string;
  issue: string;
  /**
   * Sends the hostile request(s) to the server at `origin` (http://127.0.0.1:port) and asserts
   * what a client sees. `base` is the server's BASE_URI (its absolute links start with it). Must
   * stop by itself, within about 30 s.
   */
  run(origin: string, base: string): Promise<void>;
  /** Server environment the case needs beyond the test defaults (e.g. a small REQUEST_TIMEOUT_MS). */
  env?: Record<string, string>;
}
