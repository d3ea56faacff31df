import type { FastifyInstance } from 'fastify';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildBudget } from '../src/ckan/build-budget.js';
import { listenLoopback, startApp } from './server-helpers.js';

/**
 * The CKAN Action API's fair use (src/ckan/build-budget.ts) over real HTTP on 127.0.0.1, with a
 * budget of 100 packages a minute in answers to build: two new searches of every package (79 in
 * the shipped catalog) use it up, and the next new answer to that address is 429 with
 * Retry-After and CKAN's error object (explained in tg, ru and en); the answers already kept are
 * still served to it, and another address is not affected, nor is reading each package one by
 * one. Two addresses without a proxy: the whole 127.0.0.0/8 is the loopback, so a client binds
 * 127.0.0.2 (localAddress). Behind a proxy (TRUST_PROXY) the client is X-Forwarded-For's, and
 * without it that header cannot move a client to another budget.
 */
const BUDGET = 100;

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: any }

function get(port: number, path: string, opts: { from?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, localAddress: opts.from ?? '127.0.0.1', headers: { accept: 'application/json', ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A search of every package no one has asked for before in this file: an answer to build, of all 79. */
let n = 0;
const newSearch = () => `/api/3/action/package_search?rows=${1000 - ++n}`;

/** Two new searches of every package: past the budget. */
async function spendBudget(port: number, opts: { from?: string; headers?: Record<string, string> } = {}): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < 2; i++) {
    const path = newSearch();
    const a = await get(port, path, opts);
    expect(a.status, path).toBe(200);
    expect(a.body.result.results.length).toBeGreaterThan(BUDGET / 2);
    paths.push(path);
  }
  return paths;
}

function expectRefusal(a: Answer, action = 'package_search'): void {
  expect(a.status).toBe(429);
  const wait = Number(a.headers['retry-after']);
  expect(Number.isInteger(wait)).toBe(true);
  // 100 a minute, in debt by less than 79 after two searches of 79: less than 48 s to wait
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(48);
  expect(a.headers['cache-control']).toBe('no-store');
  expect(a.headers['content-type']).toBe('application/json;charset=utf-8');
  expect(a.body.success).toBe(false);
  expect(a.body.help).toMatch(new RegExp(`/api/3/action/help_show\\?name=${action}$`));
  expect(a.body.error).toMatchObject({ __type: 'Rate Limit Error', code: 'LG_ERR_RATE_LIMITED', retry_after: wait });
  expect(a.body.error.message).toContain(`more than ${BUDGET} packages a minute`);
  const t = a.body.error.message_translated as Record<string, string>;
  expect(Object.keys(t).sort()).toEqual(['en', 'ru', 'tg']);
  expect(t.en).toBe(a.body.error.message);
  expect(t.ru).toMatch(/^Превышен лимит/);
  expect(t.tg).toMatch(/^Маҳдудият гузашт/);
  for (const text of Object.values(t)) expect(text).toContain(`${wait} `);
}

describe('CKAN API fair use, each client by its own address', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await startApp({ CKAN_PACKAGES_PER_MINUTE: String(BUDGET) });
    port = await listenLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('past its budget a client gets 429 with Retry-After; its kept answers and another client are served', async () => {
    const built = await spendBudget(port);
    const etags = await Promise.all(built.map(async (p) => (await get(port, p, { from: '127.0.0.9' })).headers.etag));
    expectRefusal(await get(port, newSearch()));
    // what was built before is kept and sent again without counting: the same answer, the same ETag
    for (const [i, path] of built.entries()) {
      const again = await get(port, path);
      expect(again.status).toBe(200);
      expect(again.headers.etag).toBe(etags[i]);
    }
    // a new package_show is an answer to build too
    expectRefusal(await get(port, '/api/3/action/package_show?id=population'), 'package_show');
    // another address has its own budget, a whole one
    expect((await get(port, newSearch(), { from: '127.0.0.2' })).status).toBe(200);
    expect((await get(port, '/api/3/action/package_show?id=population', { from: '127.0.0.2' })).status).toBe(200);
    // now kept: the limited client gets it too
    expect((await get(port, '/api/3/action/package_show?id=population')).status).toBe(200);
  });

  it('reading packages one by one, as HDX does, costs one each: 60 fit where two searches of every package did not', async () => {
    const from = '127.0.0.3';
    const names = (await get(port, '/api/3/action/package_list', { from })).body.result as string[];
    expect(names.length).toBeGreaterThan(BUDGET / 2);
    for (const name of names.slice(0, 60)) {
      const a = await get(port, `/api/3/action/package_show?id=${encodeURIComponent(name)}`, { from });
      expect(a.status, name).toBe(200);
    }
  });

  it('X-Forwarded-For does not move a client to another budget when TRUST_PROXY is not set', async () => {
    const from = '127.0.0.4';
    await spendBudget(port, { from, headers: { 'x-forwarded-for': '203.0.113.1' } });
    expectRefusal(await get(port, newSearch(), { from, headers: { 'x-forwarded-for': '198.51.100.7' } }));
  });
});

describe('CKAN API fair use behind a proxy (TRUST_PROXY)', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = await startApp({ CKAN_PACKAGES_PER_MINUTE: String(BUDGET), TRUST_PROXY: '127.0.0.1' });
    port = await listenLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('counts each forwarded client apart, though all come from the proxy\'s address', async () => {
    const a = { 'x-forwarded-for': '203.0.113.10' };
    const b = { 'x-forwarded-for': '203.0.113.20' };
    await spendBudget(port, { headers: a });
    expectRefusal(await get(port, newSearch(), { headers: a }));
    await spendBudget(port, { headers: b });
    expectRefusal(await get(port, newSearch(), { headers: b }));
  });
});

describe('the budget itself (a clock of our own)', () => {
  it('refills evenly, a minute\'s worth at most; an answer may take it into debt, and Retry-After is the wait until it is out', () => {
    let now = 1_000_000;
    const budget = new BuildBudget({ perMinute: 6, now: () => now });
    expect(budget.wait('a')).toBe(0);
    budget.spend('a', 5);
    expect(budget.wait('a')).toBe(0);
    // 1 left, an answer of 4 packages: 3 in debt, so 4 tokens (40 s) until the next
    budget.spend('a', 4);
    expect(budget.wait('a')).toBe(40);
    now += 30_000;
    expect(budget.wait('a')).toBe(10);
    now += 10_000;
    expect(budget.wait('a')).toBe(0);
    // an answer with no package (an error, a status) still costs one
    budget.spend('a', 0);
    expect(budget.wait('a')).toBe(10);
    expect(budget.wait('b')).toBe(0);
    // never more than a minute's worth saved up
    now += 3_600_000;
    budget.spend('a', 6);
    expect(budget.wait('a')).toBe(10);
  });
});
