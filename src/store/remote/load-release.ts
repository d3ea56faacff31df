/**
 * Puts a release's data.nq into the remote store, so that readers never see half a release, in
 * this process or any other:
 *
 * 1. The store's service graph (graph-names.ts) records each load of a release (its data version,
 *    its graphs, its quad count once whole) and points at the current one. A whole load of the same
 *    data version is used as it is (a restart, a second instance, every instance agreeing on one
 *    release): nothing is loaded.
 * 2. Otherwise the release is loaded into graph names of a new load of its own (a random token, so
 *    two instances loading at once do not mix their quads): each graph, and every triple also into
 *    the load's union graph. Nobody reads them yet. Loading goes through the Graph Store HTTP
 *    Protocol (POST N-Triples, STORE_GRAPH_STORE_URL) when it is set, else through SPARQL Update
 *    (STORE_UPDATE_URL). Its quad count is recorded last: a load without one is not whole.
 * 3. The switch is one small update: the service's pointer names the new load (and the load it
 *    replaced as the previous one). No graph an instance reads is written: an instance serving the
 *    previous release keeps reading its load, untouched, until it opens the new one (remote-store.ts
 *    queries only the graphs of the load it opened).
 * 4. Loads that are neither current nor previous are dropped (their graphs and their record), as
 *    is a load left unfinished for an hour (a loader that died): README, "A remote SPARQL store",
 *    says why keeping one previous load is enough.
 *
 * Blank nodes: in SPARQL Update a blank node label is scoped to one request, and in the Graph Store
 * Protocol to one POST, so quads sharing a blank node are sent in the same request (Virtuoso also
 * refuses blank nodes in INSERT DATA, so those go as INSERT {...} WHERE {}, which makes one fresh
 * node per label per request), one graph per request (see insertChunk): a blank node used in two
 * graphs becomes one per graph.
 *
 * Credentials (STORE_USER / STORE_PASSWORD): HTTP Digest, as Virtuoso's /sparql-auth and
 * /sparql-graph-crud-auth ask, through `digest-fetch`; it also answers a Basic challenge (Fuseki,
 * a proxy in front of Oxigraph server).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import DigestClient from 'digest-fetch';
import N3 from 'n3';
import { CURRENT, HAS_DATA_VERSION, HAS_GRAPH, HAS_QUADS, LoadNames, isLoad, PREVIOUS, SERVICE, SERVICE_GRAPH, STARTED_AT, STORED_WKT, WKT_LITERAL } from './graph-names.js';
import { RemoteStoreError } from './errors.js';
import { readJsonResults } from './normalise.js';
import { postQuery } from './protocol.js';

export interface RemoteTarget {
  queryUrl: string;
  updateUrl: string;
  /** The Graph Store HTTP Protocol endpoint (STORE_GRAPH_STORE_URL): set, the quads go there. */
  graphStoreUrl?: string;
  user?: string;
  password?: string;
  /** Each request's time limit (a chunk, the switch, a look-up). */
  timeoutMs: number;
}

export interface ReleaseData {
  nquadsPath: string;
  dataVersion: string;
}

/** A load's record in the service graph. */
export interface LoadRecord {
  dataVersion: string;
  /** The release's graphs by their public names. */
  graphs: string[];
  /** Set once the load is whole. */
  quads?: number;
  startedAt?: string;
}

export interface ServiceRecord {
  current?: string;
  previous?: string;
  loads: Map<string, LoadRecord>;
}

export interface LoadLog {
  info(fields: object, message: string): void;
}

/**
 * Quads per update request (each written twice: its graph and the union). Virtuoso 7.2 refuses an
 * update whose SQL translation passes 10,000 lines ("SP031"): 1,000 quads, 2,000 triples, did.
 */
const CHUNK_QUADS = 400;
/**
 * Triples per Graph Store Protocol POST (one graph each): no SQL translation to outgrow there, so
 * far bigger (figures in README, "A remote SPARQL store").
 */
const POST_TRIPLES = 10_000;
/** Requests in flight at once while loading: Virtuoso runs each on a thread of its own. */
const PARALLEL = 3;
/** A load with no quad count this long after it began was left by a loader that died: it is dropped. */
const UNFINISHED_MS = 60 * 60 * 1000;

/**
 * Makes the release's load the store's current one, loading it unless a whole load of it is there;
 * resolves to the load served and whether it was loaded now.
 */
export async function loadRelease(target: RemoteTarget, release: ReleaseData, log?: LoadLog): Promise<{ loaded: boolean; names: LoadNames }> {
  const before = await readServiceRecord(target);
  const send = sender(target);
  let load = servedLoad(before, release.dataVersion);
  const loaded = load === undefined;
  if (load !== undefined) log?.info({ dataVersion: release.dataVersion, load }, 'the SPARQL store already holds this release: nothing to load');
  else load = await loadInto(target, send, release, log);
  if (before.current !== load) {
    // The one step: only the pointer changes, in one request. (A DELETE/INSERT whose WHERE is only
    // OPTIONALs matches nothing on an empty service graph in Virtuoso 7.2, so three operations.)
    const pointer = (p: string) => `DELETE WHERE { GRAPH <${SERVICE_GRAPH}> { <${SERVICE}> <${p}> ?x } }`;
    const old = before.current !== undefined ? `<${SERVICE}> <${PREVIOUS}> <${before.current}> .` : '';
    await send.update([pointer(CURRENT), pointer(PREVIOUS), `INSERT DATA { GRAPH <${SERVICE_GRAPH}> { <${SERVICE}> <${CURRENT}> <${load}> . ${old} } }`].join(' ;\n'));
    log?.info({ dataVersion: release.dataVersion, load, previous: before.current }, 'the SPARQL store switched to this release');
  }
  await dropUnused(target, send, log);
  return { loaded, names: new LoadNames(load) };
}

/** The whole load of `dataVersion` to serve: the current one if it is that, else the latest begun. */
export function servedLoad(record: ServiceRecord, dataVersion: string): string | undefined {
  const whole = [...record.loads].filter(([, l]) => l.dataVersion === dataVersion && l.quads !== undefined);
  if (whole.some(([load]) => load === record.current)) return record.current;
  return whole.sort(([, a], [, b]) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '')).at(-1)?.[0];
}

/** Loads the release into a new load's graphs and records it; resolves to the load's IRI. */
async function loadInto(target: RemoteTarget, send: Sender, release: ReleaseData, log?: LoadLog): Promise<string> {
  const started = performance.now();
  const quads = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(release.nquadsPath, 'utf8'));
  if (quads.some((q) => q.graph.termType === 'BlankNode')) throw new RemoteStoreError(`${release.nquadsPath} names a graph with a blank node, which a SPARQL store cannot be given by name`);
  const graphs = [...new Set(quads.filter((q) => q.graph.termType === 'NamedNode').map((q) => q.graph.value))].sort();
  const names = LoadNames.fromToken(randomBytes(6).toString('hex'));
  const stored = storedQuads(quads, new Set(graphs), names);
  const begun = [`<${names.load}> <${HAS_DATA_VERSION}> ${literal(release.dataVersion)}`, `<${names.load}> <${STARTED_AT}> "${new Date().toISOString()}"^^<http://www.w3.org/2001/XMLSchema#dateTime>`, ...graphs.map((g) => `<${names.load}> <${HAS_GRAPH}> <${iri(g)}>`)];
  await send.update(`INSERT DATA { GRAPH <${SERVICE_GRAPH}> { ${begun.join(' .\n')} . } }`);
  try {
    if (target.graphStoreUrl !== undefined) {
      const byGraph = new Map<string, N3.Quad[]>([[names.union, []]]);
      for (const q of stored) {
        byGraph.get(names.union)!.push(q);
        if (q.graph.termType === 'NamedNode') byGraph.get(q.graph.value)?.push(q) ?? byGraph.set(q.graph.value, [q]);
      }
      const posts = [...byGraph].flatMap(([g, list]) => [...chunks(list, POST_TRIPLES)].map((c) => [g, c] as const));
      await inParallel(posts, PARALLEL, ([g, c]) => send.post(g, c));
    } else {
      await inParallel(chunks(stored, CHUNK_QUADS), PARALLEL, async (chunk) => {
        for (const request of insertChunk(chunk, names.union)) await send.update(request, request.startsWith('INSERT DATA'));
      });
    }
    // Last: the load is whole once its count is there.
    await send.update(`INSERT DATA { GRAPH <${SERVICE_GRAPH}> { <${names.load}> <${HAS_QUADS}> "${quads.length}"^^<http://www.w3.org/2001/XMLSchema#integer> } }`);
  } catch (err) {
    // A failed load's graphs and record are removed; the current release is untouched.
    await drop(target, send, names, graphs).catch(() => undefined);
    throw err;
  }
  log?.info({ dataVersion: release.dataVersion, load: names.load, quads: quads.length, graphs: graphs.length, through: target.graphStoreUrl !== undefined ? 'graph store protocol' : 'sparql update', ms: Math.round(performance.now() - started) }, 'the release was loaded into the SPARQL store');
  return names.load;
}

/**
 * The quads as the store keeps them: every IRI that names one of the release's graphs, in any
 * position, under the load's name for it (so a query renamed by rename-iris.ts meets them), and
 * literals the store would change written so that it keeps them (kept()).
 */
function storedQuads(quads: readonly N3.Quad[], graphs: ReadonlySet<string>, names: LoadNames): N3.Quad[] {
  const { namedNode, quad } = N3.DataFactory;
  const term = <T extends N3.Term>(t: T): T => (t.termType === 'NamedNode' && graphs.has(t.value) ? (namedNode(names.graph(t.value)) as unknown as T) : t);
  return quads.map((q) => quad(term(q.subject), term(q.predicate), kept(term(q.object)), term(q.graph)));
}

/** Drops every load that is neither current nor previous, and is whole or was left unfinished. */
async function dropUnused(target: RemoteTarget, send: Sender, log?: LoadLog): Promise<void> {
  const record = await readServiceRecord(target);
  for (const [load, l] of record.loads) {
    if (load === record.current || load === record.previous) continue;
    const unfinished = l.quads === undefined && Date.now() - Date.parse(l.startedAt ?? '') < UNFINISHED_MS;
    if (unfinished) continue;
    await drop(target, send, new LoadNames(load), l.graphs);
    log?.info({ dataVersion: l.dataVersion, load }, 'an old load was dropped from the SPARQL store');
  }
}

/** Quads a request deletes when a load is dropped: each batch is one transaction of the store's. */
const DROP_BATCH = 20_000;

/**
 * A load's graphs, then its record. Nobody reads them, but others read the store meanwhile: the
 * quads go by DELETE, in transactions of DROP_BATCH, not by DROP GRAPH, which Virtuoso 7.2 runs
 * outside any transaction. With DROP GRAPH, a second instance counting ITS load's graphs while an
 * old load was dropped got 2100/900 once (tests/remote-store.test.ts, a CI run): rows of a graph
 * nobody touched were missed.
 */
async function drop(target: RemoteTarget, send: Sender, names: LoadNames, graphs: readonly string[]): Promise<void> {
  for (const g of [...graphs.map((name) => names.graph(iri(name))), names.union]) {
    for (;;) {
      await send.update(`DELETE { GRAPH <${g}> { ?s ?p ?o } } WHERE { { SELECT ?s ?p ?o WHERE { GRAPH <${g}> { ?s ?p ?o } } LIMIT ${DROP_BATCH} } }`);
      const left = await postQuery({ endpoint: target.queryUrl, sparql: `ASK { GRAPH <${g}> { ?s ?p ?o } }`, accept: 'application/sparql-results+json', namedGraphs: [g], timeoutMs: target.timeoutMs });
      if (readJsonResults(left.text).boolean !== true) break;
    }
  }
  await send.update(`DELETE WHERE { GRAPH <${SERVICE_GRAPH}> { <${names.load}> ?p ?o } }`);
}

/** Runs `work` on each item with at most `limit` at once; the first failure rejects (the rest still settle). */
async function inParallel<T>(items: Iterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  let failed: unknown;
  const lane = async () => {
    for (let next = it.next(); !next.done && failed === undefined; next = it.next()) {
      await work(next.value).catch((err: unknown) => {
        failed ??= err;
      });
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  if (failed !== undefined) throw failed;
}

/** What the store's service graph records: its loads, the current one and the previous one. */
export async function readServiceRecord(target: Pick<RemoteTarget, 'queryUrl' | 'timeoutMs'>): Promise<ServiceRecord> {
  // The whole graph (a few triples per load), read as it is: Virtuoso 7.2 estimated a query of
  // UNIONs and OPTIONALs over it at 150,180 s and refused it (MaxQueryCostEstimationTime).
  const sparql = `SELECT ?s ?p ?o WHERE { GRAPH <${SERVICE_GRAPH}> { ?s ?p ?o } }`;
  const answer = await postQuery({ endpoint: target.queryUrl, sparql, accept: 'application/sparql-results+json', namedGraphs: [SERVICE_GRAPH], defaultGraphs: [SERVICE_GRAPH], timeoutMs: target.timeoutMs });
  const rows = (readJsonResults(answer.text).results?.bindings ?? []).map((r) => ({ s: r.s?.value ?? '', p: r.p?.value ?? '', o: r.o?.value ?? '' }));
  const record: ServiceRecord = { loads: new Map() };
  for (const { s, p, o } of rows) {
    if (s === SERVICE && p === CURRENT) record.current = o;
    else if (s === SERVICE && p === PREVIOUS) record.previous = o;
    else if (p === HAS_DATA_VERSION && isLoad(s)) record.loads.set(s, { dataVersion: o, graphs: [] });
  }
  for (const { s, p, o } of rows) {
    const load = record.loads.get(s);
    if (!load) continue;
    if (p === HAS_GRAPH) load.graphs.push(o);
    else if (p === HAS_QUADS) load.quads = Number(o);
    else if (p === STARTED_AT) load.startedAt = o;
  }
  return record;
}

interface Sender {
  /** One SPARQL Update request (form-encoded `update`, SPARQL 1.1 Protocol §2.2.1); `repeatable`: it may be sent again after a server error. */
  update(text: string, repeatable?: boolean): Promise<void>;
  /** Triples POSTed as N-Triples into `graph` (Graph Store HTTP Protocol §5.5, indirect identification). */
  post(graph: string, quads: readonly N3.Quad[]): Promise<void>;
}

/** The loader's requests, with Digest auth when credentials are set; a deadlock is retried. */
function sender(target: RemoteTarget): Sender {
  const client = target.user !== undefined ? new DigestClient(target.user, target.password ?? '', { algorithm: 'MD5' }) : undefined;
  const once = async (url: string, contentType: string, body: string): Promise<void> => {
    const init = { method: 'POST', headers: { 'content-type': contentType, accept: '*/*' }, body, signal: AbortSignal.timeout(target.timeoutMs) };
    let res: Response;
    try {
      res = (client ? await client.fetch(url, init) : await fetch(url, init)) as Response;
    } catch (err) {
      throw new RemoteStoreError(`the SPARQL store's endpoint ${url.split('?')[0]} cannot be reached: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new RemoteStoreError(`the SPARQL store refused our update (${res.status}): check STORE_USER and STORE_PASSWORD, and that the user may update (Virtuoso: GRANT SPARQL_UPDATE)`);
    if (!res.ok) throw new RemoteStoreError(`the SPARQL store refused an update (${res.status}): ${said(text)}`);
  };
  // A transaction the store rolled back for a deadlock (SQL state 40001; Virtuoso's SR172, between
  // the loading requests in flight) changed nothing: it is sent again. So is a request that adds
  // triples without blank nodes and failed with a server error (a 500 from Virtuoso's Graph Store
  // endpoint on a fresh database under load, once in a CI run): adding the same triples twice
  // leaves the same graph, and the count check at open (open-remote-store.ts) has the last word.
  const retried = async (url: string, contentType: string, body: string, repeatable: boolean): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(url, contentType, body);
      } catch (err) {
        const again = err instanceof RemoteStoreError && (/\b40001\b|deadlock/i.test(err.message) || (repeatable && /refused an update \(5\d\d\)/.test(err.message)));
        if (attempt >= RETRIES || !again) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  };
  const writer = new N3.Writer({ format: 'N-Triples' });
  const { quad, defaultGraph } = N3.DataFactory;
  return {
    update: (text, repeatable = false) => retried(target.updateUrl, 'application/x-www-form-urlencoded', new URLSearchParams({ update: text }).toString(), repeatable),
    post: (graph, quads) => {
      const url = new URL(target.graphStoreUrl!);
      url.searchParams.set('graph', graph);
      const repeatable = !quads.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode');
      return retried(url.href, 'application/n-triples', writer.quadsToString(quads.map((q) => quad(q.subject, q.predicate, q.object, defaultGraph()))), repeatable);
    },
  };
}

const RETRIES = 5;

/** The first line of what the store said, its HTML error page (Virtuoso's Graph Store endpoint) as text. */
function said(text: string): string {
  const plain = /<html/i.test(text) ? text.replace(/<(script|style)[^]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, '\n') : text;
  return plain.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^(error|)\s*\d{3}\b/i.test(l) && !/^<!DOCTYPE/i.test(l))[0]?.slice(0, 300) ?? '';
}

/**
 * The quads in requests of about `size`: those without blank nodes in order; those with
 * blank nodes grouped so that every quad of one connected set of blank nodes is in one request.
 */
export function* chunks(quads: readonly N3.Quad[], size = CHUNK_QUADS): Generator<N3.Quad[]> {
  const plain: N3.Quad[] = [];
  const withBlanks: N3.Quad[] = [];
  for (const q of quads) (q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode' || q.graph.termType === 'BlankNode' ? withBlanks : plain).push(q);
  for (let i = 0; i < plain.length; i += size) yield plain.slice(i, i + size);
  // Union-find over blank node labels: quads joined by a shared label land in one set.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const blanksOf = (q: N3.Quad) => [q.subject, q.object, q.graph].filter((t) => t.termType === 'BlankNode').map((t) => t.value);
  for (const q of withBlanks) {
    const labels = blanksOf(q);
    for (const l of labels) if (!parent.has(l)) parent.set(l, l);
    for (const l of labels.slice(1)) parent.set(find(l), find(labels[0]!));
  }
  const sets = new Map<string, N3.Quad[]>();
  for (const q of withBlanks) {
    const root = find(blanksOf(q)[0]!);
    let set = sets.get(root);
    if (!set) sets.set(root, (set = []));
    set.push(q);
  }
  let chunk: N3.Quad[] = [];
  for (const set of sets.values()) {
    // A set larger than a chunk goes whole, in a request of its own.
    if (chunk.length > 0 && chunk.length + set.length > size) {
      yield chunk;
      chunk = [];
    }
    chunk.push(...set);
  }
  if (chunk.length > 0) yield chunk;
}

/** The update requests putting `quads` (as stored, storedQuads) into their graphs, and each triple into the union. */
function insertChunk(quads: readonly N3.Quad[], union: string): string[] {
  const byGraph = new Map<string, N3.Quad[]>([[union, [...quads]]]);
  for (const q of quads) {
    if (q.graph.termType !== 'NamedNode') continue;
    let list = byGraph.get(q.graph.value);
    if (!list) byGraph.set(q.graph.value, (list = []));
    list.push(q);
  }
  const writer = new N3.Writer({ format: 'N-Triples' });
  const { quad, defaultGraph } = N3.DataFactory;
  const blocks = [...byGraph].map(([g, list]) => `GRAPH <${iri(g)}> {\n${writer.quadsToString(list.map((q) => quad(q.subject, q.predicate, q.object, defaultGraph())))}}`);
  const blanks = quads.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode');
  // Virtuoso 7.2 fails on a template with blank nodes in two GRAPH blocks ("SR002: Function
  // string_output_string needs a string output"), so those go one graph per request: a blank node
  // stays one node within its graph, and its copy in the union is a node of its own.
  return blanks ? blocks.map((b) => `INSERT {\n${b}\n} WHERE {}`) : [`INSERT DATA {\n${blocks.join('\n')}\n}`];
}

const XSD_DECIMAL = 'http://www.w3.org/2001/XMLSchema#decimal';

/**
 * A literal written so that the store keeps it as the file has it (measured on Virtuoso 7.2):
 * - "62"^^xsd:decimal is stored as the integer 62 and answered "62"^^xsd:integer; written "62.0"
 *   (the same value) it stays a decimal, answered in its canonical form "62"^^xsd:decimal, which
 *   is how our converter writes it. So an integral decimal is sent with ".0".
 * - a geo:wktLiteral is turned into Virtuoso's geometry with single-precision coordinates
 *   ("POINT(69.683 38.3)" came back "POINT(69.682998657227 38.299999237061)"). It is stored under a
 *   datatype of ours instead (graph-names.ts, STORED_WKT) and answered as geo:wktLiteral again
 *   (normalise.ts), the text unchanged.
 */
function kept(term: N3.Quad['object']): N3.Quad['object'] {
  if (term.termType !== 'Literal') return term;
  if (term.datatype.value === WKT_LITERAL) return N3.DataFactory.literal(term.value, N3.DataFactory.namedNode(STORED_WKT));
  if (term.datatype.value !== XSD_DECIMAL || !/^[+-]?\d+$/.test(term.value)) return term;
  return N3.DataFactory.literal(`${term.value}.0`, term.datatype);
}

/** An IRI of the data, checked before it is written into an update between < and >. */
function iri(value: string): string {
  if (/[<>"{}|^`\\\u0000-\u0020]/.test(value)) throw new Error(`the graph IRI ${JSON.stringify(value)} cannot be written in SPARQL`);
  return value;
}

function literal(value: string): string {
  return JSON.stringify(value);
}
