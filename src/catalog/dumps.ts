import { createHash } from 'node:crypto';
import { createGzip, gzipSync } from 'node:zlib';
import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import type { Manifest } from '../convert/layout.js';
import { datasetIri, graphIri, publisherIri } from '../rdf/mint-uri.js';
import type { Minted } from '../rdf/namespaces.js';
import { type SortedNQuads, chunksOf, filterGraphs, sortNQuads } from '../rdf/sorted-nquads.js';
import { canonicalOrder } from '../serialize/serialize.js';
import { QuadIndex } from '../rdf/quad-index.js';
import { toN3Syntax } from '../serialize/turtle.js';
import { distributionsGraphIri } from './catalog-iris.js';
import { statisticsTable, toCsv, unitsTable } from './csv-tables.js';
import { csvwMetadata } from './csvw.js';
import { toHxlCsv } from './hxl.js';
import { ALL_DUMP, ALL_FORMAT, CSVW_FORMAT, DUMP_FORMATS, type DumpKey, type FileFormat, csvwName, dumpName, originalFormat } from './download-formats.js';

/**
 * Every file `/download/` serves, made once per data version at conversion time (never per
 * request), with deterministic bytes: the same data gives the same files, so their checksums in
 * the catalog stay true and a mirror can tell when something changed.
 *
 * What each holds:
 * - `{dataset}.ttl`, `.nt.gz`, `.jsonld`: the dataset's named graph (its data and its own DCAT and
 *   PROV metadata), as triples.
 * - `{dataset}.csv` + `{dataset}.csv-metadata.json`: the same data as a table, with its CSVW
 *   description.
 * - `{dataset}.hxl.csv`: that table with a row of HXL hashtags under the header (hxl.ts).
 * - the original spreadsheets, byte for byte as converted (copied into the build, so what is
 *   served is what the checksum in the catalog was computed from, even if data/ changes later).
 * - `all.nq.gz`: every named graph except `/graph/distributions`, the graph that lists these files
 *   with their sizes and checksums: a file cannot contain its own checksum.
 */

/** `slice`: a unit's data with all within it (src/slices/). */
export type DownloadRole = 'dump' | 'csvw' | 'original' | 'all' | 'slice';

export interface DownloadFile {
  name: string;
  bytes: Buffer;
  format: FileFormat;
  role: DownloadRole;
  /** The dataset this file belongs to (none for all.nq.gz). */
  dataset?: string;
  /** For dumps: which one. */
  dumpKey?: DumpKey;
}

export interface DownloadInfo {
  name: string;
  bytes: number;
  sha256: string;
  role: DownloadRole;
  contentType: string;
  dataset?: string;
}

export interface OriginalFile {
  name: string;
  dataset: string;
  content: Buffer;
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function describeFile(f: DownloadFile): DownloadInfo {
  return { name: f.name, bytes: f.bytes.length, sha256: sha256(f.bytes), role: f.role, contentType: f.format.contentType, ...(f.dataset ? { dataset: f.dataset } : {}) };
}

/**
 * gzip with a fixed header: zlib writes mtime 0 and no file name already; the OS byte (offset 9)
 * is set to 255, "unknown" (RFC 1952 §2.3.1), so the bytes do not depend on the platform either.
 */
export function deterministicGzip(data: Buffer | string): Buffer {
  const out = gzipSync(data, { level: 9 });
  out[9] = 0xff;
  return out;
}

/**
 * gzip of text given in pieces (whole lines), with deterministicGzip's bytes: deflate's output does
 * not depend on how its input is split, so all.nq.gz is compressed without one string of the whole.
 */
export async function deterministicGzipChunks(chunks: Iterable<string>): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  for (const chunk of chunks) {
    if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  const out = Buffer.concat(parts);
  out[9] = 0xff;
  return out;
}

/**
 * Every download of the datasets and all.nq.gz, each handed to `put` as soon as it is made (the
 * converter writes it to disk then: src/convert/download-sink.ts), so that they are not all held at
 * once. `sorted`, the N-Quads lines of `quads` if the caller has them (convert.ts reuses them for
 * data.nq), saves sorting them here.
 */
export async function makeDownloads(
  quads: readonly Quad[],
  ctx: { ns: Minted; manifest: Manifest; originals: OriginalFile[]; sorted?: SortedNQuads; put: (f: DownloadFile) => Promise<unknown> },
): Promise<void> {
  const { ns, manifest } = ctx;
  const base = ns.base;
  // Each graph's quads, in the order given, found in one pass rather than one filter per dataset.
  const byGraph = new Map<string, Quad[]>();
  for (const q of quads) {
    const own = byGraph.get(q.graph.value);
    if (own) own.push(q);
    else byGraph.set(q.graph.value, [q]);
  }
  const graphOf = (id: string) => graphIri(ns, id).value;
  const unitsGraphs = new Set(manifest.datasets.filter((d) => d.kind === 'units').map((d) => graphOf(d.id)));
  const datasetGraphs = new Set(manifest.datasets.map((d) => graphOf(d.id)));
  // jsonld.js and rdflib load with the first JSON-LD written, as in serialize.ts (the server imports this file too).
  const { toJsonLd } = await import('../serialize/jsonld.js');
  const { put } = ctx;
  for (const spec of manifest.datasets) {
    const graph = graphOf(spec.id);
    const own = byGraph.get(graph) ?? [];
    const dump = (key: DumpKey, bytes: Buffer) => put({ name: dumpName(spec.id, key), bytes, format: DUMP_FORMATS[key], role: 'dump', dataset: spec.id, dumpKey: key });
    // Turtle, N-Triples and JSON-LD hold the same triples in the same order: sorted once
    // (serialize.ts does this for each call).
    const triples = canonicalOrder(own, false);
    await dump('ttl', Buffer.from(await toN3Syntax(triples, 'ttl', base)));
    await dump('nt.gz', deterministicGzip(await toN3Syntax(triples, 'nt', base)));
    await dump('jsonld', Buffer.from(await toJsonLd(triples, base)));
    // The tables read the dataset's graph, the units' (names, codes of the figures' areas) and
    // every graph that is not a dataset's (the vocabulary: indicators' ranges and HXL tags), not
    // the other datasets: a store of the country's every figure is most of the memory at 10x.
    // The quads keep their order, so the store answers in the same order as one of everything
    // (the units' table reads properties with several values, such as owl:sameAs); the statistics'
    // table reads single values only, through an index, lighter than a store.
    const read = quads.filter((q) => {
      const g = q.graph.value;
      return g === graph || unitsGraphs.has(g) || !datasetGraphs.has(g);
    });
    const table = spec.kind === 'units' ? unitsTable(new N3.Store(read as N3.Quad[]), ns) : statisticsTable(new QuadIndex(read), ns, spec.id);
    await dump('csv', Buffer.from(toCsv(table)));
    await dump('hxl.csv', Buffer.from(toHxlCsv(table)));
    const metadata = csvwMetadata(table, {
      csvName: dumpName(spec.id, 'csv'),
      spec,
      datasetIri: datasetIri(ns, spec.id).value,
      publisherIri: publisherIri(ns, manifest.publisher.id).value,
      license: manifest.license,
    });
    await put({ name: csvwName(spec.id), bytes: Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`), format: CSVW_FORMAT, role: 'csvw', dataset: spec.id });
  }
  for (const o of ctx.originals) await put({ name: o.name, bytes: o.content, format: originalFormat(o.name), role: 'original', dataset: o.dataset });
  const excluded = distributionsGraphIri(ns).value;
  const all = filterGraphs(ctx.sorted ?? sortNQuads(quads), (g) => g !== excluded);
  await put({ name: ALL_DUMP, bytes: await deterministicGzipChunks(chunksOf(all)), format: ALL_FORMAT, role: 'all' });
}

