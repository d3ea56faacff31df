import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataVersionOf } from '../src/rdf/data-version.js';
import { hasDatasetClause } from '../src/store/dataset-clause.js';
import { startEarlyWorker } from '../src/store/spawn-worker.js';
import {
  QueryFailedError,
  QuerySyntaxError,
  QueryTimeoutError,
  StoreBusyError,
  StoreUnavailableError,
  type QueryOptions,
} from '../src/store/store.js';
import { createWorkerStore, type WorkerStore, type WorkerStoreOptions } from '../src/store/worker-pool.js';

// Real Oxigraph in real worker threads, on N-Quads written to a temp dir: no mocks.
const EX = 'http://example.org/';
const G1 = `${EX}graph/one`;
const G2 = `${EX}graph/two`;
const SMALL = [
  `<${EX}a> <${EX}label> "one" <${G1}> .`,
  `<${EX}b> <${EX}label> "two" <${G2}> .`,
  `<${EX}b> <${EX}near> <${EX}a> <${G2}> .`,
].join('\n');
/** 3,000 triples: the three-way cartesian product below is 2.7e10 rows, hours of work. */
const BIG = Array.from({ length: 3000 }, (_, i) => `<${EX}s${i}> <${EX}p> "${i}" <${G1}> .`).join('\n');
const SLOW = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }';

const JSON_RESULTS: QueryOptions = { resultsFormat: 'application/sparql-results+json' };

let dir: string;
let smallPath: string;
let bigPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lg-store-'));
  smallPath = join(dir, 'small.nq');
  bigPath = join(dir, 'big.nq');
  await writeFile(smallPath, `${SMALL}\n`);
  await writeFile(bigPath, `${BIG}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Stores opened by a test; afterEach closes them, so no worker outlives its test. */
const opened: WorkerStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function open(options: Partial<WorkerStoreOptions> = {}): Promise<WorkerStore> {
  const store = await createWorkerStore({ nquadsPath: smallPath, dataVersion: 'test-1', timeoutMs: 10_000, ...options });
  opened.push(store);
  return store;
}

/** Resolves to the error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => expect.fail(`expected a rejection, got ${String(v).slice(0, 80)}`),
    (err: unknown) => err,
  );
}

/** The subjects of a SPARQL JSON result, sorted. */
function subjects(body: string): string[] {
  const json = JSON.parse(body) as { results: { bindings: { s: { value: string } }[] } };
  return json.results.bindings.map((b) => b.s.value).sort();
}

describe('a worker store on two named graphs', () => {
  let store: WorkerStore;
  beforeAll(async () => {
    store = await createWorkerStore({ nquadsPath: smallPath, dataVersion: 'test-1', timeoutMs: 10_000 });
  });
  afterAll(() => store.close());

  it('reports what it loaded, with quads counted per graph', () => {
    expect(store.info()).toEqual({ dataVersion: 'test-1', triples: 3, graphs: { [G1]: 1, [G2]: 2 }, loadedAt: expect.any(Date) });
    expect(store.stats()).toEqual({ workers: 2, ready: 2, busy: 0, queued: 0, recycled: 0 });
  });

  it('answers ASK true and ASK false', async () => {
    expect(JSON.parse(await store.query(`ASK { <${EX}a> ?p ?o }`, JSON_RESULTS))).toEqual({ head: {}, boolean: true });
    expect(JSON.parse(await store.query(`ASK { <${EX}zz> ?p ?o }`, JSON_RESULTS))).toEqual({ head: {}, boolean: false });
  });

  it('answers SELECT as SPARQL JSON', async () => {
    const body = await store.query(`SELECT ?o WHERE { <${EX}a> <${EX}label> ?o }`, JSON_RESULTS);
    expect(JSON.parse(body)).toEqual({ head: { vars: ['o'] }, results: { bindings: [{ o: { type: 'literal', value: 'one' } }] } });
  });

  it('answers SELECT as CSV and TSV', async () => {
    const q = `SELECT ?o WHERE { <${EX}a> <${EX}label> ?o }`;
    expect(await store.query(q, { resultsFormat: 'text/csv' })).toBe('o\r\none\r\n');
    expect(await store.query(q, { resultsFormat: 'text/tab-separated-values' })).toBe('?o\n"one"\n');
  });

  it('answers CONSTRUCT as N-Triples', async () => {
    const body = await store.query(`CONSTRUCT WHERE { ?s <${EX}near> ?o }`, { resultsFormat: 'application/n-triples' });
    expect(body).toBe(`<${EX}b> <${EX}near> <${EX}a> .\n`);
  });

  it('takes the union of the named graphs as the default graph', async () => {
    expect(subjects(await store.query('SELECT DISTINCT ?s WHERE { ?s ?p ?o }', JSON_RESULTS))).toEqual([`${EX}a`, `${EX}b`]);
  });

  it('restricts the default graph to defaultGraphs; an unknown graph is empty', async () => {
    const q = 'SELECT DISTINCT ?s WHERE { ?s ?p ?o }';
    expect(subjects(await store.query(q, { ...JSON_RESULTS, defaultGraphs: [G1] }))).toEqual([`${EX}a`]);
    expect(subjects(await store.query(q, { ...JSON_RESULTS, defaultGraphs: [`${EX}graph/none`] }))).toEqual([]);
  });

  it('offers only namedGraphs to GRAPH, and then the default graph is empty (SPARQL Protocol §2.1.4)', async () => {
    const named = await store.query('SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }', { ...JSON_RESULTS, namedGraphs: [G1] });
    expect(subjects(named)).toEqual([`${EX}a`]);
    const dflt = await store.query('SELECT DISTINCT ?s WHERE { ?s ?p ?o }', { ...JSON_RESULTS, namedGraphs: [G1] });
    expect(subjects(dflt)).toEqual([]);
  });

  it("keeps the query's own FROM, which Oxigraph's union option would override", async () => {
    const q = `SELECT DISTINCT ?s FROM <${G1}> WHERE { ?s ?p ?o }`;
    expect(subjects(await store.query(q, JSON_RESULTS))).toEqual([`${EX}a`]);
    // The protocol dataset wins over FROM.
    expect(subjects(await store.query(q, { ...JSON_RESULTS, defaultGraphs: [G2] }))).toEqual([`${EX}b`]);
  });

  it('rejects a syntax error with QuerySyntaxError and the position', async () => {
    const err = await rejection(store.query('SELECT ?s\nWHERE { ?s ?p }', JSON_RESULTS));
    expect(err).toBeInstanceOf(QuerySyntaxError);
    expect(err).toMatchObject({
      code: 'LG_ERR_QUERY_SYNTAX',
      statusCode: 400,
      message: 'error at 2:16: expected one of LATERAL, SERVICE, [_]',
      position: { line: 2, column: 16 },
    });
  });

  it('refuses updates: query() parses queries only', async () => {
    const err = await rejection(store.query(`INSERT DATA { <${EX}x> <${EX}y> <${EX}z> }`, JSON_RESULTS));
    expect(err).toMatchObject({ code: 'LG_ERR_QUERY_SYNTAX', message: 'error at 1:10: expected CONSTRUCT' });
  });

  it('rejects what the engine does not support with QueryFailedError and its message', async () => {
    const cases: [string, QueryOptions, string][] = [
      [`SELECT * WHERE { SERVICE <${EX}sparql> { ?s ?p ?o } }`, JSON_RESULTS, `The service <${EX}sparql> is not supported`],
      [`SELECT * WHERE { ?s ?p ?o FILTER(<${EX}fn>(?o)) }`, JSON_RESULTS, `The custom function <${EX}fn> is not supported`],
      ['SELECT * WHERE { ?s ?p ?o }', { resultsFormat: 'text/turtle' }, 'Not supported SPARQL query results format media type: text/turtle'],
      ['CONSTRUCT WHERE { ?s ?p ?o }', JSON_RESULTS, 'Not supported RDF format media type: application/sparql-results+json'],
      ['ASK {}', { ...JSON_RESULTS, defaultGraphs: ['graph/one'] }, 'graph "graph/one" is not an absolute IRI: No scheme found in an absolute IRI'],
    ];
    for (const [sparql, opts, message] of cases) {
      const err = await rejection(store.query(sparql, opts));
      expect(err).toBeInstanceOf(QueryFailedError);
      expect(err).toMatchObject({ code: 'LG_ERR_QUERY_FAILED', statusCode: 400, message });
    }
  });
});

describe('time limits, queueing and close', () => {
  it('stops a slow query at its time limit while other queries keep being answered', async () => {
    const store = await open({ nquadsPath: bigPath, workers: 2, timeoutMs: 300 });
    const events: string[] = [];
    const slow = rejection(store.query(SLOW, JSON_RESULTS)).finally(() => events.push('slow stopped'));

    const during = store.query('ASK { ?s ?p ?o }', JSON_RESULTS);
    expect(store.stats()).toMatchObject({ busy: 2, queued: 0 }); // on the other worker at once
    expect(JSON.parse(await during).boolean).toBe(true);
    events.push('fast answered');

    const err = await slow;
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect(err).toMatchObject({ code: 'LG_ERR_QUERY_TIMEOUT', statusCode: 503, timeoutMs: 300 });
    expect(events).toEqual(['fast answered', 'slow stopped']);

    // Right after: the surviving worker answers while the replacement is still loading.
    const after = store.query('ASK { ?s ?p ?o }', JSON_RESULTS);
    expect(store.stats()).toMatchObject({ workers: 2, busy: 1, queued: 0 });
    expect(JSON.parse(await after).boolean).toBe(true);
  });

  it('is back to its full number of workers after timeouts, and they answer', async () => {
    const store = await open({ nquadsPath: bigPath, workers: 2, timeoutMs: 10_000 });
    const stopped = await Promise.all([1, 2].map(() => rejection(store.query(SLOW, { ...JSON_RESULTS, timeoutMs: 200 }))));
    expect(stopped.every((e) => e instanceof QueryTimeoutError)).toBe(true);
    expect(store.stats().workers).toBe(2);
    await vi.waitFor(() => expect(store.stats()).toEqual({ workers: 2, ready: 2, busy: 0, queued: 0, recycled: 0 }), { timeout: 20_000 });
    const answers = await Promise.all([1, 2, 3, 4].map(() => store.query('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }', { resultsFormat: 'text/csv' })));
    expect(answers).toEqual(Array(4).fill('n\r\n3000\r\n'));
  });

  it('refuses SPARQL queries beyond workers + maxQueued at once with StoreBusyError', async () => {
    const store = await open({ nquadsPath: bigPath, workers: 2, maxQueued: 1, timeoutMs: 300 });
    const events: string[] = [];
    // Five clients (the bound is on queries that name one; the site's own look-ups are never refused).
    const settled = [1, 2, 3, 4, 5].map((n) =>
      rejection(store.query(SLOW, { ...JSON_RESULTS, client: `10.0.0.${n}` })).then((err) => {
        events.push(`${n}: ${(err as Error).name}`);
        return err;
      }),
    );
    const errors = await Promise.all(settled);
    expect(errors[3]).toBeInstanceOf(StoreBusyError);
    expect(errors[3]).toMatchObject({ code: 'LG_ERR_BUSY', statusCode: 503, retryAfterSeconds: 1 });
    // The extra two were refused at once. The queued one was refused too, just before its time
    // (which counts from its arrival) ran out, since it could not start in time; the two running
    // were stopped at theirs.
    expect(events).toEqual([
      '4: StoreBusyError',
      '5: StoreBusyError',
      '3: StoreBusyError',
      '1: QueryTimeoutError',
      '2: QueryTimeoutError',
    ]);
  });

  it('runs queued queries in order, on the replacement of a timed-out worker', async () => {
    const store = await open({ nquadsPath: bigPath, workers: 1, maxQueued: 3, timeoutMs: 10_000 });
    const events: string[] = [];
    const slow = rejection(store.query(SLOW, { ...JSON_RESULTS, timeoutMs: 300 })).then(() => events.push('slow'));
    const queued = ['a', 'b', 'c'].map((name) => store.query('ASK {}', JSON_RESULTS).then(() => events.push(name)));
    expect(store.stats()).toMatchObject({ busy: 1, queued: 3 });
    await Promise.all([slow, ...queued]);
    expect(events).toEqual(['slow', 'a', 'b', 'c']);
  });

  it('a replacement worker loads the data the store started with, even if the file changed since', async () => {
    const path = join(dir, 'replaced.nq');
    await writeFile(path, `${BIG}\n`);
    const store = await open({ nquadsPath: path, workers: 1, timeoutMs: 10_000 });
    const count = async () => (JSON.parse(await store.query('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }', JSON_RESULTS)) as { results: { bindings: { n: { value: string } }[] } }).results.bindings[0]?.n.value;
    const before = await count();
    await writeFile(path, `${SMALL}\n`); // e.g. npm run convert while the server runs
    await rejection(store.query(SLOW, { ...JSON_RESULTS, timeoutMs: 200 })); // the worker is replaced
    expect(await count()).toBe(before);
  });

  it('rejects running, queued and later queries once closed', async () => {
    const store = await open({ nquadsPath: bigPath, workers: 1, timeoutMs: 10_000 });
    const running = rejection(store.query(SLOW, JSON_RESULTS));
    const queued = rejection(store.query('ASK {}', JSON_RESULTS));
    await store.close();
    const closed = { code: 'LG_ERR_STORE_UNAVAILABLE', statusCode: 503, message: 'the store is closed' };
    for (const err of [await running, await queued, await rejection(store.query('ASK {}', JSON_RESULTS))]) {
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(err).toMatchObject(closed);
    }
    expect(store.stats()).toEqual({ workers: 0, ready: 0, busy: 0, queued: 0, recycled: 0 });
  });

  it('fails to start, naming the file, when the N-Quads file is missing', async () => {
    const missing = join(dir, 'missing.nq');
    const err = await rejection(createWorkerStore({ nquadsPath: missing, dataVersion: 'x', timeoutMs: 1000 }));
    expect((err as Error).message).toBe(
      `could not load ${missing} into a store worker: ENOENT: no such file or directory, open '${missing}'`,
    );
  });
});

describe('a store started from a build (build-info.json given)', () => {
  const SMALL_VERSION = dataVersionOf(`${SMALL}\n`);
  const BUILT = { quads: 3, graphs: { [G1]: 1, [G2]: 2 } };

  it('takes the counts per graph from build-info.json when the bytes hash to its data version', async () => {
    const store = await open({ dataVersion: SMALL_VERSION, built: BUILT });
    expect(store.info()).toMatchObject({ dataVersion: SMALL_VERSION, triples: 3, graphs: BUILT.graphs });
    expect(subjects(await store.query('SELECT ?s WHERE { ?s ?p ?o }', JSON_RESULTS))).toEqual([`${EX}a`, `${EX}b`, `${EX}b`]);
  });

  it('refuses a file that is not the one build-info.json describes, saying what to do', async () => {
    const err = await rejection(createWorkerStore({ nquadsPath: bigPath, dataVersion: SMALL_VERSION, timeoutMs: 1000, built: BUILT }));
    expect((err as Error).message).toBe(
      `could not load ${bigPath} into a store worker: its content is data version ${dataVersionOf(`${BIG}\n`)}, but build-info.json describes ${SMALL_VERSION}; the build's files were changed after it was made: build it again`,
    );
  });

  it('refuses counts that do not add up to what the store holds', async () => {
    const err = await rejection(createWorkerStore({ nquadsPath: smallPath, dataVersion: SMALL_VERSION, timeoutMs: 1000, built: { ...BUILT, quads: 4 } }));
    expect((err as Error).message).toContain('the store holds 3 quads where build-info.json says 4');
  });

  it('adopts a worker started early on the same file instead of starting another', async () => {
    const early = startEarlyWorker(smallPath)!;
    let exited = false;
    early.worker.once('exit', () => (exited = true));
    const store = await open({ dataVersion: SMALL_VERSION, built: BUILT, early, workers: 1 });
    expect(store.stats()).toMatchObject({ workers: 1, ready: 1 });
    expect(subjects(await store.query('SELECT ?s WHERE { ?s ?p ?o }', JSON_RESULTS))).toHaveLength(3);
    expect(exited).toBe(false);
    await store.close();
    expect(exited).toBe(true); // it was the pool's worker
  });

  it('stops an early worker loading another file, and loads the right one', async () => {
    const early = startEarlyWorker(bigPath)!;
    const exit = new Promise((r) => early.worker.once('exit', r));
    const store = await open({ dataVersion: SMALL_VERSION, built: BUILT, early, workers: 1 });
    await exit;
    expect(store.info().triples).toBe(3);
  });

  it('starts a worker of its own when the early one has already ended', async () => {
    const early = startEarlyWorker(smallPath)!;
    await early.worker.terminate();
    expect(early.exited).toBe(true);
    const store = await open({ dataVersion: SMALL_VERSION, built: BUILT, early, workers: 1 });
    expect(store.stats()).toMatchObject({ workers: 1, ready: 1 });
    expect(subjects(await store.query('SELECT ?s WHERE { ?s ?p ?o }', JSON_RESULTS))).toHaveLength(3);
  });

  it('starts no early worker when there is no build yet', () => {
    expect(startEarlyWorker(join(dir, 'missing.nq'))).toBeUndefined();
  });
});

describe('hasDatasetClause', () => {
  it.each([
    ['SELECT * FROM <g> WHERE { ?s ?p ?o }', true],
    ['select * from named <g> where { graph ?g { ?s ?p ?o } }', true],
    ['SELECT * FROM<g>{}', true],
    ['SELECT * WHERE { ?s ?p "FROM <g>" }', false],
    ["SELECT * WHERE { ?s ?p '''it's\nfrom''' }", false],
    ['SELECT * WHERE { ?s <http://e/from> ?o }', false],
    ['# FROM <g>\nSELECT * WHERE { ?s ?p ?o }', false],
    ['SELECT ?from WHERE { ?s ?p $from }', false],
    ['PREFIX from: <http://e/> SELECT * WHERE { ?s from:p ex:from }', false],
    ['SELECT * WHERE { _:from ?p "x"@from }', false],
    ['SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }', false],
    ['SELECT * WHERE { ?s ?p "a \\" FROM" } # trailing', false],
  ])('%j -> %s', (query, expected) => {
    expect(hasDatasetClause(query)).toBe(expected);
  });
});
