import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryEngine } from '@comunica/query-sparql';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jsonld from 'jsonld';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';
import { convert } from '../src/convert/convert.js';
import { writeBuild } from '../src/convert/write-build.js';
import { PatternError, parseFragmentRequest } from '../src/fragments/pattern.js';
import { PROJECT_ROOT } from '../src/project.js';
import { buildApp } from '../src/server/app.js';
import { createWorkerStore } from '../src/store/worker-pool.js';
import { EXAMPLES, exampleQuery } from '../src/sparql/examples.js';
import { contextLoader } from './harvest-helpers.js';
import { BASE, listenLoopback, startApp } from './server-helpers.js';
import { queryUrl } from './sparql-helpers.js';
import { parseResults } from './sparql-parsers.js';

/**
 * /fragments, the Triple Pattern Fragments interface, used by a real TPF client (Comunica, over
 * loopback HTTP) and read with N3.js. The controls are published under BASE_URI (here
 * http://localhost:3000/, as the test data is built); Comunica reaches them through a fetch that
 * sends BASE_URI's requests to the loopback port and hands the answer back under the URL it asked
 * for, as a DNS name or a reverse proxy would.
 */

const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SKOS_PREF_LABEL = 'http://www.w3.org/2004/02/skos/core#prefLabel';

let app: FastifyInstance;
let origin: string;
/** A second server on the units and the population dataset only (see SMALL_DATA_EXAMPLES). */
let small: { app: FastifyInstance; origin: string; dir: string } | undefined;

beforeAll(async () => {
  app = await startApp();
  origin = `http://127.0.0.1:${await listenLoopback(app)}`;
});
afterAll(async () => {
  await app.close();
  await small?.app.close();
  if (small) await rm(small.dir, { recursive: true, force: true });
});

/**
 * The latest year per indicator is a GROUP BY over every observation, which a TPF client computes
 * by itself: on the shipped data 6009 requests, 75 to 180 s on the shared 2-core test machine
 * (README, "Triple Pattern Fragments"). The same query runs here on the shipped units and
 * population dataset alone (29 observations), where the client's work is the same kind and small.
 */
const SMALL_DATA_EXAMPLES = new Set(['latest-year-statistics']);

async function startSmall(): Promise<{ app: FastifyInstance; origin: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-fragments-'));
  const data = join(dir, 'data');
  await cp(join(PROJECT_ROOT, 'data'), data, { recursive: true });
  const manifest = JSON.parse(await readFile(join(data, 'datasets.json'), 'utf8')) as { datasets: { id: string }[] };
  manifest.datasets = manifest.datasets.filter((d) => d.id === 'units' || d.id === 'population');
  await writeFile(join(data, 'datasets.json'), JSON.stringify(manifest, null, 2));
  const out = await convert({ dataDir: data, base: BASE, limits: fileLimits(loadConfig({})) });
  const build = join(dir, 'build');
  await writeBuild(build, out);
  const config = loadConfig({ BASE_URI: BASE, LOG_LEVEL: 'silent', BUILD_DIR: build });
  const store = await createWorkerStore({ nquadsPath: join(build, 'data.nq'), dataVersion: out.info.dataVersion, timeoutMs: config.QUERY_TIMEOUT_MS, built: { quads: out.info.quads, graphs: out.info.graphs } });
  const smallApp = await buildApp({ config, store, logger: false });
  return { app: smallApp, origin: `http://127.0.0.1:${await listenLoopback(smallApp)}`, dir };
}

let requests = 0;

/** BASE_URI's URLs fetched from a loopback server, the response keeping the URL asked for. */
function baseFetchTo(to: string) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const local = url.startsWith(BASE) ? `${to}/${url.slice(BASE.length)}` : url;
    const response = await fetch(local, init);
    requests++;
    Object.defineProperty(response, 'url', { value: url });
    return response;
  };
}

/** GET a fragment page from the loopback server as TriG, parsed. */
async function trig(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ quads: N3.Quad[]; response: Response }> {
  const response = await fetch(`${origin}${pathAndQuery}`, { headers: { accept: 'application/trig', ...headers } });
  expect(response.status).toBe(200);
  return { quads: new N3.Parser({ format: 'application/trig' }).parse(await response.text()), response };
}

const termId = (t: { termType: string }) => N3.termToId(t as N3.Term);

describe('Comunica answers the SPARQL examples through /fragments', () => {
  const engine = new QueryEngine();

  for (const example of EXAMPLES) {
    const onSmall = SMALL_DATA_EXAMPLES.has(example.id);
    it(`${example.id}: the same rows as /sparql${onSmall ? ' (units and population only)' : ''}`, async () => {
      if (onSmall) small ??= await startSmall();
      const to = onSmall ? small!.origin : origin;
      const query = exampleQuery(example, BASE);
      const started = performance.now();
      requests = 0;
      const stream = await engine.queryBindings(query, { sources: [`${BASE}fragments`], fetch: baseFetchTo(to), lenient: false });
      const viaTpf = (await stream.toArray()).map((b) => JSON.stringify([...b].map(([v, t]) => [v.value, termId(t)]).sort()));
      const ms = performance.now() - started;
      const direct = await parseResults('application/sparql-results+json', await (await fetch(queryUrl(to, query), { headers: { accept: 'application/sparql-results+json' } })).text());
      const viaSparql = direct.rows.map((r) => JSON.stringify(Object.entries(r).sort()));
      expect(viaSparql.length).toBeGreaterThan(0);
      expect(viaTpf.sort()).toEqual(viaSparql.sort());
      console.log(`${example.id}: ${viaTpf.length} rows through /fragments in ${Math.round(ms)} ms, ${requests} requests`);
    }, 120_000);
  }
});

describe('a fragment and its pages', () => {
  it('carries the Hydra search form, the count, and a separate metadata graph', async () => {
    const { quads, response } = await trig(`/fragments?predicate=${encodeURIComponent(SKOS_PREF_LABEL)}&object=${encodeURIComponent('"Yovon"@en')}`);
    expect(response.headers.get('content-type')).toBe('application/trig');
    const data = quads.filter((q) => q.graph.termType === 'DefaultGraph');
    // Yovon: the district and the jamoat of that name.
    expect(data.map((q) => q.subject.value).sort()).toEqual([`${BASE}id/district/TJ-KT-06`, `${BASE}id/jamoat/TJ-KT-06-02`]);
    const metadata = quads.filter((q) => q.graph.termType === 'NamedNode');
    const fragment = `${BASE}fragments?predicate=${encodeURIComponent(SKOS_PREF_LABEL)}&object=${encodeURIComponent('"Yovon"@en')}`;
    expect(metadata.find((q) => q.predicate.value === 'http://xmlns.com/foaf/0.1/primaryTopic')?.object.value).toBe(fragment);
    const value = (p: string) => metadata.find((q) => q.subject.value === fragment && q.predicate.value === p)?.object.value;
    expect(value(`${HYDRA}totalItems`)).toBe('2');
    expect(value('http://rdfs.org/ns/void#triples')).toBe('2');
    expect(value(`${HYDRA}itemsPerPage`)).toBe('100');
    expect(value(`${HYDRA}next`)).toBeUndefined();
    expect(metadata.find((q) => q.predicate.value === `${HYDRA}template`)?.object.value).toBe(`${BASE}fragments{?subject,predicate,object}`);
    const properties = metadata.filter((q) => q.predicate.value === `${HYDRA}property`).map((q) => q.object.value).sort();
    expect(properties).toEqual(['subject', 'predicate', 'object'].map((p) => `http://www.w3.org/1999/02/22-rdf-syntax-ns#${p}`).sort());
  });

  it('puts the controls beside the data in the triple formats (Turtle, JSON-LD)', async () => {
    const path = `/fragments?predicate=lg:code&object=${encodeURIComponent('"TJ-KT-06"')}`;
    const turtle = await (await fetch(`${origin}${path}`, { headers: { accept: 'text/turtle' } })).text();
    const fromTurtle = new N3.Parser({ format: 'text/turtle' }).parse(turtle);
    const json = await (await fetch(`${origin}${path}`, { headers: { accept: 'application/ld+json' } })).json() as object;
    const fromJsonLd = new N3.Parser({ format: 'application/n-quads' }).parse(await jsonld.toRDF(json, { format: 'application/n-quads', documentLoader: contextLoader(origin) as never }) as unknown as string);
    for (const quads of [fromTurtle, fromJsonLd]) {
      expect(quads.find((q) => q.predicate.value === `${HYDRA}template`)?.object.value).toBe(`${BASE}fragments{?subject,predicate,object}`);
      expect(quads.filter((q) => q.predicate.value === `${BASE}def/lg#code`).map((q) => q.subject.value)).toEqual([`${BASE}id/district/TJ-KT-06`]);
    }
  });

  it('following hydra:next collects exactly hydra:totalItems distinct triples', async () => {
    let url: string | undefined = `/fragments?predicate=${encodeURIComponent(RDF_TYPE)}`;
    const seen = new Set<string>();
    let total = -1;
    let pages = 0;
    while (url) {
      const { quads } = await trig(url);
      const pageUrl: string = `${BASE}${url.slice(1)}`;
      const meta = (p: string): string | undefined => quads.find((q) => q.graph.termType === 'NamedNode' && q.subject.value === pageUrl && q.predicate.value === p)?.object.value;
      total = Number(meta(`${HYDRA}totalItems`));
      const data = quads.filter((q) => q.graph.termType === 'DefaultGraph');
      expect(data.length).toBeLessThanOrEqual(100);
      for (const q of data) {
        expect(q.predicate.value).toBe(RDF_TYPE);
        seen.add(termId(q.subject) + termId(q.object));
      }
      const next: string | undefined = meta(`${HYDRA}next`);
      url = next ? next.slice(BASE.length - 1) : undefined;
      pages++;
    }
    expect(total).toBeGreaterThan(100);
    expect(seen.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 100));
  });

  it('refuses an object that is not a term with 400 and a code naming the parameter', async () => {
    const response = await fetch(`${origin}/fragments?object=${encodeURIComponent('"Yovon"@')}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(400);
    const body = await response.json() as { code: string; message: string };
    expect(body).toEqual({ statusCode: 400, code: 'LG_ERR_BAD_PATTERN', message: expect.stringMatching(/^object="\\"Yovon\\"@": / ) as string });
    const relative = await fetch(`${origin}/fragments?subject=jamoat`, { headers: { accept: 'application/json' } });
    expect(relative.status).toBe(400);
  });

  it('reads the explicit representation, <IRI> and our prefixes; refuses what is not a term', () => {
    const read = (q: Record<string, string>) => parseFragmentRequest(q, BASE).pattern;
    const { object } = read({ object: '"21314"^^xsd:integer' });
    expect(object?.termType === 'Literal' && [object.value, object.datatype.value]).toEqual(['21314', 'http://www.w3.org/2001/XMLSchema#integer']);
    expect(read({ object: '"21314"^^http://www.w3.org/2001/XMLSchema#integer' })).toEqual(read({ object: '"21314"^^<http://www.w3.org/2001/XMLSchema#integer>' }));
    expect(read({ object: '"say "hi""@EN' }).object).toMatchObject({ value: 'say "hi"', language: 'en' });
    expect(read({ subject: `<${BASE}id/country/TJ>`, predicate: 'skos:prefLabel', object: '?name' })).toEqual({
      subject: expect.objectContaining({ value: `${BASE}id/country/TJ` }) as unknown,
      predicate: expect.objectContaining({ value: SKOS_PREF_LABEL }) as unknown,
    });
    expect(read({ subject: '_:b0', object: '' })).toEqual({});
    for (const [q, parameter] of [[{ subject: '"Yovon"' }, 'subject'], [{ object: '"x"^^integer' }, 'object'], [{ predicate: 'code' }, 'predicate'], [{ page: '0' }, 'page'], [{ page: '2.5' }, 'page']] as const) {
      expect(() => read(q), JSON.stringify(q)).toThrow(PatternError);
      try { read(q); } catch (e) { expect((e as PatternError).parameter).toBe(parameter); }
    }
  });

  it('reads a typed literal and a prefixed name as Server.js does', async () => {
    const { quads } = await trig(`/fragments?predicate=lg:code&object=${encodeURIComponent('"TJ-KT-06"')}`);
    expect(quads.filter((q) => q.graph.termType === 'DefaultGraph').map((q) => q.subject.value)).toEqual([`${BASE}id/district/TJ-KT-06`]);
  });

  it('answers a conditional GET with 304, and says what the answer varies by', async () => {
    const path = `/fragments?predicate=${encodeURIComponent(RDF_TYPE)}&page=2`;
    const first = await fetch(`${origin}${path}`, { headers: { accept: 'text/turtle', 'accept-encoding': 'gzip' } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"/);
    expect(first.headers.get('vary')).toBe('Accept-Encoding, Accept');
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(first.headers.get('cache-control')).toMatch(/max-age/);
    const again = await fetch(`${origin}${path}`, { headers: { accept: 'text/turtle', 'accept-encoding': 'gzip', 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
  });

  it('shows people a form and the triples, in their language, with what they typed escaped', async () => {
    const typed = '"<b>Yovon</b>"@en';
    const response = await fetch(`${origin}/fragments?object=${encodeURIComponent(typed)}&lang=ru`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<html lang="ru"');
    expect(page).toContain('Шаблон');
    expect(page).toContain('value="&quot;&lt;b&gt;Yovon&lt;/b&gt;&quot;@en"');
    expect(page).not.toContain('<b>Yovon');
    const yovon = await (await fetch(`${origin}/fragments?predicate=skos:prefLabel&object=${encodeURIComponent('"Yovon"@en')}&lang=tg`, { headers: { accept: 'text/html' } })).text();
    expect(yovon).toContain('Сегонаҳои мувофиқ: 2');
    expect(yovon).toContain('/fragments?subject=http%3A%2F%2Flocalhost%3A3000%2Fid%2Fdistrict%2FTJ-KT-06');
  });
});
