import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import N3 from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_DIR, type TestInstance, W3C, W3C_BASE, startW3cInstance } from './sparql-helpers.js';

/**
 * The W3C SPARQL 1.1 Protocol tests (rdf-tests `sparql/sparql11/protocol/manifest.ttl`), read from
 * the manifest and sent as written to the real server over loopback; `/sparql/` in each
 * ht:absolutePath is our `/sparql`. The data (data1-3.nt in their named graphs) is loaded into a
 * test instance. A read-only endpoint answers them so:
 * - query tests (query_*, bad_query_*, bad_multiple_queries): as the manifest expects;
 * - update tests (update_*, bad_update_*, bad_multiple_updates): every update request gets a 4xx; the ASK requests that
 *   follow an update in the update_* tests check that update's effect, which a read-only endpoint
 *   must not have, so they are not sent; instead the data is checked to be unchanged afterwards.
 * The Service Description tests (sparql11-service-description: no requests in the manifest, the
 * checks of the recommendation) are at the end.
 */

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const MF = 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#';
const HT = 'http://www.w3.org/2011/http#';
const CNT = 'http://www.w3.org/2011/content#';
const HTS = 'http://www.w3.org/2011/http-statusCodes#';
const SD = 'http://www.w3.org/ns/sparql-service-description#';

interface ProtocolRequest {
  method: string;
  path: string;
  body?: { chars: string; encoding: string };
  headers: Record<string, string>;
  /** Status classes, e.g. [2, 3]. */
  statuses: number[];
  format?: string;
  boolean?: boolean;
}

interface ProtocolTest {
  id: string;
  name: string;
  requests: ProtocolRequest[];
}

async function readManifest(): Promise<ProtocolTest[]> {
  const store = new N3.Store(new N3.Parser({ baseIRI: 'file:///protocol/' }).parse(await readFile(join(PROTOCOL_DIR, 'manifest.ttl'), 'utf8')));
  const all = (s: N3.Term, p: string) => store.getObjects(s, p, null);
  const one = (s: N3.Term, p: string) => all(s, p)[0];
  const list = (head: N3.Term | undefined): N3.Term[] => {
    const out: N3.Term[] = [];
    for (let l = head; l && l.value !== `${RDF}nil`; l = one(l, `${RDF}rest`)) out.push(one(l, `${RDF}first`) as N3.Term);
    return out;
  };
  const manifest = store.getSubjects(`${RDF}type`, `${MF}Manifest`, null)[0] as N3.Term;
  return list(one(manifest, `${MF}entries`)).map((entry) => {
    const action = one(entry, `${MF}action`) as N3.Term;
    const requests = list(one(action, `${HT}requests`)).map((r): ProtocolRequest => {
      const resp = one(r, `${HT}resp`) as N3.Term;
      const body = one(r, `${HT}body`);
      const headers: Record<string, string> = {};
      for (const h of list(one(r, `${HT}headers`))) headers[(one(h, `${HT}fieldName`) as N3.Term).value] = (one(h, `${HT}fieldValue`) as N3.Term).value;
      const format = one(resp, `${MF}expectedFormat`)?.value;
      const bool = one(resp, `${MF}expectedBoolean`)?.value;
      return {
        method: (one(r, `${HT}methodName`) as N3.Term).value,
        path: (one(r, `${HT}absolutePath`) as N3.Term).value.replace(/^\/sparql\//, '/sparql'),
        ...(body ? { body: { chars: (one(body, `${CNT}chars`) as N3.Term).value, encoding: (one(body, `${CNT}characterEncoding`) as N3.Term).value } } : {}),
        headers,
        statuses: all(resp, `${MF}expectedStatus`).map((s) => Number(/StatusCode(\d)xx$/.exec(s.value.replace(HTS, ''))?.[1])),
        ...(format ? { format } : {}),
        ...(bool ? { boolean: bool === 'true' } : {}),
      };
    });
    return { id: entry.value.replace(/^.*#/, ''), name: (one(entry, `${MF}name`) as N3.Term).value, requests };
  });
}

const TESTS = await readManifest();
/** update_*, bad_update_* and bad_multiple_updates: every test whose request is an update. */
const isUpdateTest = (t: ProtocolTest) => /update/.test(t.id);

let w3c: TestInstance;
beforeAll(async () => {
  w3c = await startW3cInstance();
});
afterAll(async () => w3c.close());

async function send(r: ProtocolRequest): Promise<Response> {
  const body = r.body ? (r.body.encoding.toUpperCase() === 'UTF-16' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(r.body.chars, 'utf16le')]) : Buffer.from(r.body.chars, 'utf8')) : undefined;
  // A Buffer body makes fetch add no Content-Type of its own: the tests without one stay without.
  return fetch(`${w3c.origin}${r.path}`, { method: r.method, headers: r.headers, ...(body ? { body } : {}) });
}

async function checkFormat(r: ProtocolRequest, res: Response): Promise<void> {
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  if (r.format === 'boolean') {
    expect(type).toMatch(/^application\/sparql-results\+(json|xml)/);
    const value = type.includes('json') ? (JSON.parse(text) as { boolean: boolean }).boolean : /<boolean>true<\/boolean>/.test(text);
    if (r.boolean !== undefined) expect(value).toBe(r.boolean);
  } else if (r.format === 'tabular') {
    expect(type).toMatch(/^(application\/sparql-results\+(json|xml)|text\/csv|text\/tab-separated-values)/);
  } else if (r.format === 'RDF') {
    expect(type).toMatch(/^(application\/rdf\+xml|text\/turtle|application\/n-triples)/);
    new N3.Parser({ format: type.split(';')[0], baseIRI: W3C_BASE }).parse(text);
  }
}

describe('W3C SPARQL 1.1 Protocol tests', () => {
  it('reads all 34 tests of the manifest', () => {
    expect(TESTS).toHaveLength(34);
    expect(TESTS.filter(isUpdateTest)).toHaveLength(14);
  });

  it.each(TESTS.filter((t) => !isUpdateTest(t)).map((t) => [t.id, t] as const))('query test %s', async (_id, t) => {
    for (const r of t.requests) {
      const res = await send(r);
      expect(r.statuses, `${t.name}: ${res.status} ${await res.clone().text()}`).toContain(Math.floor(res.status / 100));
      if (res.status < 300) await checkFormat(r, res);
    }
  });

  it.each(TESTS.filter(isUpdateTest).map((t) => [t.id, t] as const))('update test %s is refused with a 4xx', async (_id, t) => {
    const [update] = t.requests;
    const res = await send(update as ProtocolRequest);
    expect(res.status, await res.text()).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('changed nothing: the three test graphs still hold their triples, nothing else was added', async () => {
    const ask = 'ASK { GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { ?s a ?t } GRAPH <http://kasei.us/2009/09/sparql/data/data2.rdf> { ?s2 a ?t } GRAPH <http://kasei.us/2009/09/sparql/data/data3.rdf> { ?s3 a ?t } FILTER NOT EXISTS { GRAPH ?g { ?x a <http://purl.org/dc/terms/BibliographicResource> } } }';
    const res = await fetch(`${w3c.origin}/sparql?query=${encodeURIComponent(ask)}`, { headers: { accept: 'application/sparql-results+json' } });
    expect(((await res.json()) as { boolean: boolean }).boolean).toBe(true);
    const count = await fetch(`${w3c.origin}/sparql?query=${encodeURIComponent('SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }')}`, { headers: { accept: 'text/csv' } });
    expect((await count.text()).split('\r\n')[1]).toBe(String(Object.values(w3c.store.info().graphs).reduce((a, b) => a + b, 0)));
  });
});

describe('W3C SPARQL 1.1 Service Description tests', async () => {
  const names = (await readFile(join(W3C, 'sparql11-service-description', 'manifest.ttl'), 'utf8')).match(/mf:name\s+"[^"]+"/g) ?? [];

  async function description(accept: string): Promise<N3.Store> {
    const res = await fetch(`${w3c.origin}/sparql`, { headers: { accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(new RegExp(`^${accept}`));
    return new N3.Store(new N3.Parser({ format: accept, baseIRI: W3C_BASE }).parse(await res.text()));
  }

  it('has the three tests of the manifest', () => expect(names).toHaveLength(3));

  it('returns-rdf: GET on the endpoint returns RDF (Turtle, N-Triples, TriG)', async () => {
    for (const accept of ['text/turtle', 'application/n-triples', 'application/trig']) expect((await description(accept)).size).toBeGreaterThan(10);
  });

  it('has-endpoint-triple: the description names the endpoint (BASE_URI + sparql)', async () => {
    const sd = await description('text/turtle');
    const services = sd.getSubjects(`${RDF}type`, `${SD}Service`, null);
    expect(services).toHaveLength(1);
    expect(sd.getObjects(services[0] as N3.Term, `${SD}endpoint`, null).map((t) => t.value)).toEqual([`${W3C_BASE}sparql`]);
  });

  it('conforms-to-schema: languages, formats, features and the dataset have the SD types', async () => {
    const sd = await description('text/turtle');
    const [service] = sd.getSubjects(`${RDF}type`, `${SD}Service`, null) as [N3.Term];
    const values = (s: N3.Term, p: string) => sd.getObjects(s, p, null).map((t) => t.value);
    expect(values(service, `${SD}supportedLanguage`)).toEqual([`${SD}SPARQL11Query`]);
    expect(values(service, `${SD}resultFormat`)).toEqual(expect.arrayContaining(['SPARQL_Results_JSON', 'SPARQL_Results_XML', 'SPARQL_Results_CSV', 'SPARQL_Results_TSV', 'Turtle', 'RDF_XML'].map((f) => `http://www.w3.org/ns/formats/${f}`)));
    expect(values(service, `${SD}feature`).sort()).toEqual([`${SD}UnionDefaultGraph`, `${W3C_BASE}id/service/sparql#graph-store-read`].sort());
    for (const f of sd.getObjects(service, `${SD}feature`, null).filter((t) => t.value.startsWith(W3C_BASE))) expect(values(f, `${RDF}type`)).toEqual([`${SD}Feature`]);
    const [dataset] = sd.getObjects(service, `${SD}defaultDataset`, null) as [N3.Term];
    expect(values(dataset, `${RDF}type`)).toEqual([`${SD}Dataset`]);
    const [defaultGraph] = sd.getObjects(dataset, `${SD}defaultGraph`, null) as [N3.Term];
    expect(values(defaultGraph, `${RDF}type`)).toContain(`${SD}Graph`);
    expect(values(defaultGraph, `${RDF}type`)).toContain('http://rdfs.org/ns/void#Dataset');
    expect(values(defaultGraph, 'http://www.w3.org/2000/01/rdf-schema#seeAlso')).toEqual([`${W3C_BASE}.well-known/void`]);
    const named = sd.getObjects(dataset, `${SD}namedGraph`, null);
    expect(named.map((g) => values(g, `${SD}name`)[0]).sort()).toEqual(Object.keys(w3c.store.info().graphs).sort());
    for (const g of named) expect(values(g, `${RDF}type`)).toEqual([`${SD}NamedGraph`]);
  });
});
