/**
 * Puts a release's data.nq into the remote store through SPARQL 1.1 Update (STORE_UPDATE_URL), so
 * that readers never see half a release:
 *
 * 1. The store's service graph says which release it holds (its data version). The same version:
 *    nothing is loaded (a restart, a second instance, every instance agreeing on one release).
 * 2. Otherwise every graph of the release is loaded under a new name of its own (staging, a name
 *    with a random token: two instances loading at once do not mix their quads), in chunks, and
 *    every triple also into a staging copy of the union graph (graph-names.ts, UNION_GRAPH).
 * 3. One update request switches, as one transaction: it empties the old release's graphs, copies
 *    each staging graph (the union's too) onto its real name, and rewrites the service graph, all
 *    with DELETE/INSERT (see the switch below for why not MOVE), so a reader sees the old release
 *    or the new one, never a mix (tests/remote-store.test.ts counts through a switch). Then the
 *    staging graphs are dropped.
 *
 * Blank nodes: in SPARQL Update a blank node label is scoped to one request, so quads sharing a
 * blank node are sent in the same request (Virtuoso also refuses blank nodes in INSERT DATA, so
 * those go as INSERT {...} WHERE {}, which makes one fresh node per label per request), one
 * graph per request (see insertChunk): a blank node used in two graphs becomes one per graph.
 *
 * Credentials (STORE_USER / STORE_PASSWORD): HTTP Digest, as Virtuoso's /sparql-auth asks, through
 * `digest-fetch`; it also answers a Basic challenge (Fuseki, a proxy in front of Oxigraph server).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import DigestClient from 'digest-fetch';
import N3 from 'n3';
import { switchGate } from './switch-gate.js';
import { HAS_DATA_VERSION, HAS_GRAPH, HAS_QUADS, SERVICE, SERVICE_GRAPH, STORED_WKT, UNION_GRAPH, WKT_LITERAL, stagingGraph } from './graph-names.js';
import { RemoteStoreError } from './errors.js';
import { readJsonResults } from './normalise.js';
import { postQuery } from './protocol.js';

export interface RemoteTarget {
  queryUrl: string;
  updateUrl: string;
  user?: string;
  password?: string;
  /** Each request's time limit (a chunk, the switch, a look-up). */
  timeoutMs: number;
}

export interface ReleaseData {
  nquadsPath: string;
  dataVersion: string;
}

export interface ServiceRecord {
  dataVersion?: string;
  graphs: string[];
}

export interface LoadLog {
  info(fields: object, message: string): void;
}

/**
 * Quads per update request (each written twice: its graph and the union). Virtuoso 7.2 refuses an
 * update whose SQL translation passes 10,000 lines ("SP031"): 1,000 quads, 2,000 triples, did.
 */
const CHUNK_QUADS = 400;
/** Update requests in flight at once while loading: Virtuoso compiles each on a thread of its own. */
const PARALLEL = 3;

/** Loads the release unless the store already holds it; resolves to whether it loaded. */
export async function loadRelease(target: RemoteTarget, release: ReleaseData, log?: LoadLog): Promise<{ loaded: boolean }> {
  const current = await readServiceRecord(target);
  if (current.dataVersion === release.dataVersion) {
    log?.info({ dataVersion: release.dataVersion }, 'the SPARQL store already holds this release: nothing to load');
    return { loaded: false };
  }
  const started = performance.now();
  const quads = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(release.nquadsPath, 'utf8'));
  if (quads.some((q) => q.graph.termType === 'BlankNode')) throw new RemoteStoreError(`${release.nquadsPath} names a graph with a blank node, which a SPARQL store cannot be given by name`);
  const graphs = [...new Set(quads.filter((q) => q.graph.termType === 'NamedNode').map((q) => q.graph.value))].sort();
  const token = randomBytes(6).toString('hex');
  const staging = new Map<string, string>(graphs.map((g, i) => [g, stagingGraph(token, i)]));
  const unionStaging = stagingGraph(token, graphs.length);
  // A quad outside any named graph is in the union only.
  const targetOf = (q: N3.Quad) => (q.graph.termType === 'DefaultGraph' ? undefined : staging.get(q.graph.value)!);
  const update = updater(target);
  try {
    await inParallel(chunks(quads), PARALLEL, async (chunk) => {
      for (const request of insertChunk(chunk, targetOf, unionStaging)) await update(request);
    });
    // DELETE/INSERT, not MOVE or DROP: Virtuoso 7.2 runs its graph operations (DROP, CLEAR, MOVE)
    // outside the request's transaction, row by row, and readers counted through such a switch saw
    // the union of one release beside the named graphs of the other (tests/remote-store.test.ts).
    const emptied = (g: string) => `DELETE WHERE { GRAPH <${g}> { ?s ?p ?o } }`;
    const filled = (from: string, to: string) => `INSERT { GRAPH <${to}> { ?s ?p ?o } } WHERE { GRAPH <${from}> { ?s ?p ?o } }`;
    const live = new Set([...current.graphs, ...staging.keys()]);
    const moves = [...[...live].map((g) => emptied(iri(g))), emptied(UNION_GRAPH), ...[...staging].map(([g, s]) => filled(s, iri(g))), filled(unionStaging, UNION_GRAPH)];
    const record = [
      `<${SERVICE}> <${HAS_DATA_VERSION}> ${literal(release.dataVersion)}`,
      `<${SERVICE}> <${HAS_QUADS}> "${quads.length}"^^<http://www.w3.org/2001/XMLSchema#integer>`,
      ...graphs.map((g) => `<${SERVICE}> <${HAS_GRAPH}> <${iri(g)}>`),
    ].join(' .\n');
    // With no query of this process under way (switch-gate.ts): Virtuoso lets a reader see the update half done.
    await switchGate(target.queryUrl).exclusive(() => update([...moves, emptied(SERVICE_GRAPH), `INSERT DATA { GRAPH <${SERVICE_GRAPH}> { ${record} . } }`].join(' ;\n')));
    // The staging graphs are nobody's any more (no query names them): dropped outside the switch.
    await update([...staging.values(), unionStaging].map((s) => `DROP SILENT GRAPH <${s}>`).join(' ;\n'));
  } catch (err) {
    // The staging graphs of a failed load are removed; the live release is untouched.
    await update([...staging.values(), unionStaging].map((s) => `DROP SILENT GRAPH <${s}>`).join(' ;\n')).catch(() => undefined);
    throw err;
  }
  log?.info({ dataVersion: release.dataVersion, quads: quads.length, graphs: graphs.length, ms: Math.round(performance.now() - started) }, 'the release was loaded into the SPARQL store and switched to');
  return { loaded: true };
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

/** Which release the store holds, from its service graph (nothing when it holds none of ours). */
export async function readServiceRecord(target: Pick<RemoteTarget, 'queryUrl' | 'timeoutMs'>): Promise<ServiceRecord> {
  const sparql = `SELECT ?v ?g WHERE { GRAPH <${SERVICE_GRAPH}> { <${SERVICE}> <${HAS_DATA_VERSION}> ?v . OPTIONAL { <${SERVICE}> <${HAS_GRAPH}> ?g } } }`;
  const answer = await postQuery({ endpoint: target.queryUrl, sparql, accept: 'application/sparql-results+json', namedGraphs: [SERVICE_GRAPH], defaultGraphs: [SERVICE_GRAPH], timeoutMs: target.timeoutMs });
  const rows = readJsonResults(answer.text).results?.bindings ?? [];
  const versions = new Set(rows.map((r) => r.v?.value).filter((v): v is string => v !== undefined));
  // Two versions: a store written by something else than one switch; load ours again.
  if (versions.size !== 1) return { graphs: [...new Set(rows.map((r) => r.g?.value).filter((g): g is string => g !== undefined))] };
  return { dataVersion: [...versions][0]!, graphs: [...new Set(rows.map((r) => r.g?.value).filter((g): g is string => g !== undefined))] };
}

/** POSTs SPARQL Update requests (form-encoded `update`, SPARQL 1.1 Protocol §2.2.1), with Digest auth when credentials are set. */
function updater(target: RemoteTarget): (update: string) => Promise<void> {
  const client = target.user !== undefined ? new DigestClient(target.user, target.password ?? '', { algorithm: 'MD5' }) : undefined;
  const once = async (update: string): Promise<void> => {
    const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: '*/*' }, body: new URLSearchParams({ update }).toString(), signal: AbortSignal.timeout(target.timeoutMs) };
    let res: Response;
    try {
      res = (client ? await client.fetch(target.updateUrl, init) : await fetch(target.updateUrl, init)) as Response;
    } catch (err) {
      throw new RemoteStoreError(`the SPARQL store's update endpoint ${target.updateUrl} cannot be reached: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new RemoteStoreError(`the SPARQL store refused our update (${res.status}): check STORE_USER and STORE_PASSWORD, and that the user may update (Virtuoso: GRANT SPARQL_UPDATE)`);
    if (!res.ok) throw new RemoteStoreError(`the SPARQL store refused an update (${res.status}): ${text.trim().split('\n')[0]?.slice(0, 300) ?? ''}`);
  };
  // A transaction the store rolled back for a deadlock (SQL state 40001; Virtuoso's SR172, between
  // the loading requests in flight and the switch) changed nothing: it is sent again.
  return async (update) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(update);
      } catch (err) {
        if (attempt >= DEADLOCK_RETRIES || !(err instanceof RemoteStoreError) || !/\b40001\b|deadlock/i.test(err.message)) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  };
}

const DEADLOCK_RETRIES = 5;

/**
 * The quads in requests of about CHUNK_QUADS: those without blank nodes in order; those with
 * blank nodes grouped so that every quad of one connected set of blank nodes is in one request.
 */
export function* chunks(quads: readonly N3.Quad[]): Generator<N3.Quad[]> {
  const plain: N3.Quad[] = [];
  const withBlanks: N3.Quad[] = [];
  for (const q of quads) (q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode' || q.graph.termType === 'BlankNode' ? withBlanks : plain).push(q);
  for (let i = 0; i < plain.length; i += CHUNK_QUADS) yield plain.slice(i, i + CHUNK_QUADS);
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
    if (chunk.length > 0 && chunk.length + set.length > CHUNK_QUADS) {
      yield chunk;
      chunk = [];
    }
    chunk.push(...set);
  }
  if (chunk.length > 0) yield chunk;
}

/** The update requests putting `quads` into their staging graphs, and each triple into the union's. */
function insertChunk(quads: readonly N3.Quad[], graphOf: (q: N3.Quad) => string | undefined, union: string): string[] {
  const byGraph = new Map<string, N3.Quad[]>([[union, [...quads]]]);
  for (const q of quads) {
    const g = graphOf(q);
    if (g === undefined) continue;
    let list = byGraph.get(g);
    if (!list) byGraph.set(g, (list = []));
    list.push(q);
  }
  const writer = new N3.Writer({ format: 'N-Triples' });
  const { quad, defaultGraph } = N3.DataFactory;
  const blocks = [...byGraph].map(([g, list]) => `GRAPH <${g}> {\n${writer.quadsToString(list.map((q) => quad(q.subject, q.predicate, kept(q.object), defaultGraph())))}}`);
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
