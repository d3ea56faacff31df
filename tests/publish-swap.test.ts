import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Upload } from '../src/publish/uploads.js';
import type { Release } from '../src/releases/release-store.js';
import { wideSheet, writeXlsx } from './helpers.js';
import { BASE, type Publishing, type TestOfficial, addOfficial, apiReview, apiUpload, launchPublishing } from './publish-helpers.js';

/**
 * Read load on documents during a swap: 0 failed requests.
 *
 * The whole service on the shipped data (launchPublishing: release 1 built from data/), eight
 * readers fetching in loops a jamoat's document in Turtle, JSON-LD and HTML, the education CSV
 * download and three SPARQL queries (ASK {}, a SELECT and a CONSTRUCT of the figure that changes),
 * while a reviewer approves, with ?wait=1, an upload that changes that figure: the approval builds
 * release 2 in a child process, loads it beside release 1 and switches. Every answer must be a 200
 * (or 304), none may fail on the network, readers must be answered before, during and after the
 * swap, and no answer may mix the releases: the data version its ETag names is the one whose
 * figure its body holds. Once a reader has seen release 2, no answer it asks for afterwards comes
 * from release 1.
 */
const NORIN = 'TJ-KT-06-06';
const OBSERVATION = `${BASE}id/observation/education/${NORIN}/pupils/2022`;
const PUPILS = `${BASE}def/indicator/pupils`;
const READERS = 8;
/** How long the readers run before the approval. */
const AROUND_MS = 1_000;

let pub: Publishing;
let publisher: TestOfficial;
let reviewer: TestOfficial;
let work: string;

beforeAll(async () => {
  pub = await launchPublishing();
  work = await mkdtemp(join(tmpdir(), 'lg-swap-'));
  publisher = await addOfficial(pub.services, 'swap-publisher', 'publisher', 'TJ-KT-06');
  reviewer = await addOfficial(pub.services, 'swap-reviewer', 'reviewer');
});

afterAll(async () => {
  await pub?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Target {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** The figure of Norin's pupils in 2022 as this body gives it; undefined when the body does not hold it. */
  figure?: (body: string) => number | undefined;
}

const sparql = (query: string) => `/sparql?query=${encodeURIComponent(query)}`;
const numberAfter = (body: string, re: RegExp) => {
  const m = re.exec(body);
  return m?.[1] !== undefined ? Number(m[1].replace(/,/g, '')) : undefined;
};

const TARGETS: Target[] = [
  { name: 'Turtle', path: `/doc/jamoat/${NORIN}.ttl`, figure: (b) => numberAfter(b, /pupils\/2022> a qb:Observation;[^.]*?ind:pupils (\d+)/) },
  {
    name: 'JSON-LD', path: `/doc/jamoat/${NORIN}.jsonld`,
    figure: (b) => {
      const doc = JSON.parse(b) as { '@graph'?: Record<string, unknown>[] };
      const node = doc['@graph']?.find((n) => n.id === OBSERVATION || n['@id'] === OBSERVATION);
      const v = node ? Object.entries(node).find(([k]) => k === 'ind:pupils' || k === 'pupils' || k === PUPILS)?.[1] : undefined;
      const raw = typeof v === 'object' && v !== null && '@value' in v ? (v as { '@value': unknown })['@value'] : v;
      return raw === undefined ? undefined : Number(raw);
    },
  },
  { name: 'HTML', path: `/doc/jamoat/${NORIN}.html?lang=en`, figure: (b) => numberAfter(b, new RegExp(`/doc/observation/education/${NORIN}/pupils/2022\\?lang=en">([\\d,]+)<`)) },
  { name: 'CSV download', path: '/download/education.csv', figure: (b) => numberAfter(b, new RegExp(`^${NORIN},[^,]*,[^,]*,pupils,2022,(\\d+),`, 'm')) },
  { name: 'SPARQL ASK', path: sparql('ASK {}'), headers: { accept: 'application/sparql-results+json' } },
  {
    name: 'SPARQL SELECT', path: sparql(`SELECT ?v WHERE { <${OBSERVATION}> <${PUPILS}> ?v }`), headers: { accept: 'application/sparql-results+json' },
    figure: (b) => {
      const v = (JSON.parse(b) as { results: { bindings: { v?: { value: string } }[] } }).results.bindings[0]?.v?.value;
      return v === undefined ? undefined : Number(v);
    },
  },
  {
    name: 'SPARQL CONSTRUCT', path: sparql(`CONSTRUCT { <${OBSERVATION}> <${PUPILS}> ?v } WHERE { <${OBSERVATION}> <${PUPILS}> ?v }`), headers: { accept: 'application/n-triples' },
    figure: (b) => numberAfter(b, /"(\d+)"/),
  },
];

interface Answer {
  target: string;
  startedAt: number;
  doneAt: number;
  status: number;
  /** The data version the ETag names. */
  version: string | undefined;
  figure: number | undefined;
}

/** The data version at the start of an ETag: "V-hash", W/"V-hash", "V-hash-br". */
const versionOf = (etag: string | null) => (etag ? /^(?:W\/)?"([0-9a-f]+)-/.exec(etag)?.[1] : undefined);

/** Readers fetching the targets in turn until stopped (or a minute has passed: the test ends anyway). */
function readLoad(url: string): { stop: () => Promise<void>; answers: Answer[]; errors: string[] } {
  const answers: Answer[] = [];
  const errors: string[] = [];
  let stopped = false;
  const deadline = performance.now() + 60_000;
  const reader = async (r: number) => {
    for (let i = r; !stopped && performance.now() < deadline; i++) {
      const target = TARGETS[i % TARGETS.length] as Target;
      const startedAt = performance.now();
      try {
        const res = await fetch(`${url}${target.path}`, { headers: target.headers ?? {}, signal: AbortSignal.timeout(20_000) });
        const body = await res.text();
        answers.push({ target: target.name, startedAt, doneAt: performance.now(), status: res.status, version: versionOf(res.headers.get('etag')), figure: res.ok ? target.figure?.(body) : undefined });
      } catch (e) {
        errors.push(`${target.name}: ${(e as Error).message} (${String((e as Error).cause ?? '')})`);
      }
    }
  };
  const running = Promise.all(Array.from({ length: READERS }, (_, r) => reader(r)));
  return { answers, errors, stop: async () => { stopped = true; await running; } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a release goes live under read load', () => {
  it('no request fails, readers are answered throughout, and no answer mixes the two releases', async () => {
    const before = (await (await fetch(`${pub.url}/health`)).json()) as { release: number; dataVersion: string };
    const select = TARGETS.find((t) => t.name === 'SPARQL SELECT') as Target;
    const old = select.figure?.(await (await fetch(`${pub.url}${select.path}`, { headers: select.headers ?? {} })).text());
    expect(old).toBeGreaterThan(0);
    const figure = (old ?? 0) + 4_321;

    const path = join(work, 'education-yovon.xlsx');
    await writeXlsx(path, [wideSheet('Yovon', [[NORIN, 'Norin', figure]], { years: [2022] })]);
    const up = await apiUpload(pub.url, publisher.token, await readFile(path), { dataset: 'education', filename: 'education-yovon.xlsx' });
    const upload = (await up.json()) as Upload;
    expect(up.status, JSON.stringify(upload.problems)).toBe(201);
    expect(upload.changes?.changed).toEqual([{ unitCode: NORIN, indicator: 'pupils', year: 2022, old, new: figure }]);

    const load = readLoad(pub.url);
    await sleep(AROUND_MS);
    const approvedAt = performance.now();
    const res = await apiReview(pub.url, reviewer.token, upload.id, 'approve', { wait: true });
    const liveAt = performance.now();
    const { release } = (await res.json()) as { release: Release };
    // The readers go on until every target was asked and answered after the approval's answer (what
    // the checks below need of "after"), not a fixed second: on a loaded machine a second did not
    // always reach every target, and on CI it is a few tens of ms.
    const answeredLate = () => TARGETS.every((t) => load.answers.some((a) => a.target === t.name && a.startedAt > liveAt && (t.figure === undefined || a.figure !== undefined)));
    for (const until = performance.now() + 30_000; !answeredLate() && performance.now() < until; ) await sleep(20);
    await load.stop();

    expect(res.status).toBe(200);
    expect(release).toMatchObject({ n: before.release + 1, status: 'complete', uploadId: upload.id });
    const oldVersion = before.dataVersion;
    const newVersion = release.dataVersion ?? '';
    expect(newVersion).not.toBe(oldVersion);
    const after = (await (await fetch(`${pub.url}/health`)).json()) as { release: number; dataVersion: string; building: number | null };
    expect(after).toMatchObject({ release: release.n, dataVersion: newVersion, building: null });

    const { answers, errors } = load;
    const byVersion = (v: string) => answers.filter((a) => a.version === v);
    const firstNew = Math.min(...byVersion(newVersion).map((a) => a.doneAt));
    const during = answers.filter((a) => a.doneAt >= approvedAt && a.doneAt <= liveAt);
    const sorted = answers.map((a) => a.doneAt).filter((t) => t >= approvedAt && t <= liveAt).sort((a, b) => a - b);
    const longestGap = sorted.slice(1).reduce((m, t, i) => Math.max(m, t - (sorted[i] ?? t)), 0);
    console.log(
      `publish-swap: ${answers.length} answers (${byVersion(oldVersion).length} from release ${before.release}, ${byVersion(newVersion).length} from release ${release.n}), ` +
      `${during.length} during the ${(liveAt - approvedAt).toFixed(0)} ms from approval to live (longest wait between two answers ${longestGap.toFixed(0)} ms), ` +
      `${errors.length} network errors, ${answers.filter((a) => a.status !== 200 && a.status !== 304).length} failed`,
    );

    // 0 failed requests, 0 network errors.
    expect(errors).toEqual([]);
    expect(answers.filter((a) => a.status !== 200 && a.status !== 304).map((a) => `${a.target}: ${a.status}`)).toEqual([]);
    // Requests throughout: before the approval, while the release was built and loaded, around the switch, and after.
    expect(answers.filter((a) => a.doneAt < approvedAt).length).toBeGreaterThan(0);
    expect(during.length).toBeGreaterThan(0);
    // No stretch without answers while the release was built (a child process) and loaded (worker threads).
    expect(longestGap, 'the longest wait between two answers from approval to live, ms').toBeLessThan(3_000);
    expect(answers.filter((a) => a.doneAt > firstNew - 500 && a.doneAt < firstNew).length, 'answers in the 500 ms before the switch').toBeGreaterThan(0);
    expect(answers.filter((a) => a.doneAt > liveAt).length).toBeGreaterThan(0);
    expect(byVersion(oldVersion).length).toBeGreaterThan(0);
    expect(byVersion(newVersion).length).toBeGreaterThan(0);

    // Every answer names one of the two releases, and its body holds that release's figure.
    const mixed = answers.filter((a) => {
      if (a.version !== oldVersion && a.version !== newVersion) return true;
      const target = TARGETS.find((t) => t.name === a.target);
      if (!target?.figure || a.status === 304) return false;
      return a.figure !== (a.version === oldVersion ? old : figure);
    });
    expect(mixed.map((a) => `${a.target}: ETag version ${a.version}, figure ${a.figure}`)).toEqual([]);
    // Once release 2 has answered, nothing asked afterwards comes from release 1; after the approval's answer, all is release 2.
    expect(answers.filter((a) => a.startedAt > firstNew && a.version === oldVersion).map((a) => a.target)).toEqual([]);
    const late = answers.filter((a) => a.startedAt > liveAt);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((a) => a.version === newVersion)).toBe(true);
    for (const t of TARGETS.filter((x) => x.figure)) {
      expect(late.filter((a) => a.target === t.name).map((a) => a.figure), t.name).toContain(figure);
    }
  }, 120_000);
});
