import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import type { Role } from '../src/publish/accounts.js';
import type { Services } from '../src/server/services.js';
import { type Launched, launch } from '../src/server/start.js';
import { copySeededState } from './seeded-state.js';

export const BASE = 'http://localhost:3000/';

export interface Publishing {
  /** http://127.0.0.1:PORT, the real server on a loopback port. */
  url: string;
  launched: Launched;
  services: Services;
  stateDir: string;
  close(): Promise<void>;
}

/**
 * The whole service as `npm start` runs it (src/server/start.ts launch: state database, release 1
 * built from DATA_DIR in a child process, the live store, the app with the officials' area),
 * listening on 127.0.0.1 with a fresh STATE_DIR. On the shipped data/, that STATE_DIR is a copy of
 * one where release 1 was built so (tests/seeded-state.ts): the start loads it without converting.
 * `stateDir` may be given to start again on the state a previous run left.
 */
export async function launchPublishing(opts: { dataDir?: string; stateDir?: string; env?: Record<string, string> } = {}): Promise<Publishing> {
  // The seeded state is the embedded store's start on the shipped data at BASE; anything else starts as it always did.
  const shipped = opts.dataDir === undefined && opts.env?.DATA_DIR === undefined && opts.env?.BASE_URI === undefined && opts.env?.STORE === undefined;
  let stateDir = opts.stateDir;
  if (stateDir === undefined) {
    stateDir = mkdtempSync(join(tmpdir(), 'lg-state-'));
    if (shipped) await copySeededState(stateDir, BASE);
  }
  const config = loadConfig({
    BASE_URI: BASE, STATE_DIR: stateDir, QUERY_WORKERS: '1', LOG_LEVEL: 'silent',
    ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}),
    ...opts.env,
  });
  const launched = await launch(config, { logger: false });
  await launched.ready;
  await launched.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (launched.app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    launched,
    services: launched.services,
    stateDir,
    async close() {
      await launched.app.close();
      if (!opts.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export interface TestOfficial {
  id: number;
  name: string;
  /** The password they chose after the one-time one (they can sign in with it). */
  password: string;
  /** A personal API token (Authorization: Bearer). */
  token: string;
}

/**
 * An account as `npm run users -- add` makes it, whose one-time password has been replaced (so it
 * can act), with an API token.
 */
export async function addOfficial(services: Services, name: string, role: Role, area: string | null = null): Promise<TestOfficial> {
  const { official, oneTimePassword } = await services.accounts.add(name, role, area, { userId: null, userName: 'test', from: 'cli' });
  const password = `${name}-chosen-password`;
  await services.accounts.changePassword(official.id, oneTimePassword, password, 'test');
  const token = services.accounts.createToken(official.id, 'test', 'test');
  return { id: official.id, name: official.name, password, token };
}

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a workbook through the JSON API, as a script would. */
export async function apiUpload(url: string, token: string, bytes: Buffer, q: { dataset: string; area?: string; filename?: string }): Promise<Response> {
  const params = new URLSearchParams({ dataset: q.dataset, filename: q.filename ?? 'upload.xlsx', ...(q.area ? { area: q.area } : {}) });
  return fetch(`${url}/publish/api/uploads?${params}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': XLSX }, body: new Uint8Array(bytes) });
}

/** A reviewer's decision through the JSON API; `wait` answers when the release is live (or failed). */
export async function apiReview(url: string, token: string, id: number, decision: 'approve' | 'reject', opts: { wait?: boolean; comment?: string } = {}): Promise<Response> {
  return fetch(`${url}/publish/api/uploads/${id}/review${opts.wait ? '?wait=1' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision, comment: opts.comment ?? '' }),
  });
}
