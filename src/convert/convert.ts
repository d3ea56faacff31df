import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import { type Problem, ProblemsError } from '../errors.js';
import N3 from 'n3';
import { datasetIri, graphIri, unitIri } from '../rdf/mint-uri.js';
import { loadTurtle } from '../rdf/load-turtle.js';
import { STD, dcat, minted } from '../rdf/namespaces.js';
import { countsOf, mergeSorted, sortNQuads } from '../rdf/sorted-nquads.js';
import { QuadIndex } from '../rdf/quad-index.js';
import { dataVersionOf } from '../rdf/data-version.js';
import { PROJECT_ROOT, projectVersion } from '../project.js';
import { type FileLimits, checkFile } from './check-file.js';
import { append } from './append.js';
import { checkUnits, isRetired } from './check-units.js';
import { groupFollowOns } from './follow-ons.js';
import { type DatasetFacts, type SourceFile, datasetMetadata, sharedMetadata } from './dataset-metadata.js';
import { indicatorsFromVocab } from './indicators.js';
import { indicatorShapes } from './indicator-shapes.js';
import { type DatasetSpec, type Level, type Manifest, loadManifest, loadUnitsLayout, loadWideLayout } from './layout.js';
import { csvColumnLetters, readSheets, withCsvColumnLetters } from './read-sheet.js';
import { inputsDigest } from './inputs-digest.js';
import { type UnitRow, readUnitRows } from './read-units.js';
import { type ObservationRow, type UnitIndex, readWideSheet } from './read-wide.js';
import { statsToQuads } from './stats-to-quads.js';
import { CHECKED_ON_ROWS, checkAllMeasures, checkDuplicateObservations, checkObservations } from './check-observations.js';
import { fileName, unitsToQuads } from './units-to-quads.js';
import { catalogQuads } from '../catalog/catalog-graph.js';
import { buildDateOf, qualityQuads } from '../catalog/quality.js';
import { COUNTRY_TJK } from '../catalog/controlled-vocabularies.js';
import { distributionQuads } from '../catalog/distributions.js';
import { type DownloadFile, type DownloadInfo, type OriginalFile, makeDownloads } from '../catalog/dumps.js';
import { downloadSink } from './download-sink.js';
import { sliceCatalogQuads } from '../slices/slice-catalog.js';
import { sliceDownloads } from '../slices/slice-downloads.js';
import { loadShapes, validateShaclPerGraph } from './validate-shacl.js';
import { catalogIri } from '../catalog/catalog-iris.js';
import { generatedFileNames } from '../catalog/download-formats.js';
import { type ReleaseUnit, releaseUnitsOf } from '../releases/release-units.js';
import { UnitDirectory } from './unit-directory.js';
import { type AggregationUnit, aggregate, totalsToQuads } from './aggregate.js';
import { loadCubeChecks, runCubeChecksPerGraph } from './validate-cube.js';
import { type OnPhase, phaseClock } from './phase-clock.js';
import { boundariesToQuads, readBoundaries, BOUNDARY_FILE } from './geometry-to-quads.js';

const { quad, literal } = N3.DataFactory;

/**
 * An approved upload applied on top of the seed data (docs/data-model.md, "Uploads and releases:
 * overlays"): a workbook in the wide layout of its dataset whose figures replace those of the same
 * unit, indicator and year.
 */
export interface Overlay {
  dataset: string;
  /** Absolute path of the uploaded workbook. */
  path: string;
  /** The file name it is published under (/download/{name}), e.g. "education-upload-12.xlsx". */
  name: string;
  /** The publisher's area: the code of the unit whose units it may give figures for. */
  area: string;
}

export interface ConvertOptions {
  dataDir: string;
  base: string;
  limits: FileLimits;
  vocabDir?: string;
  shapesDir?: string;
  /** Approved uploads applied on top of data/, in this order (a later one wins). */
  overlays?: Overlay[];
  /**
   * A numbered release: every dataset and the catalog carry dcat:version "n", and the datasets an
   * overlay touches get dct:modified `date` (YYYY-MM-DD). Without it, the metadata is data/'s.
   */
  release?: { n: number; date: string };
  /**
   * Write each download into this directory (made at the first one; it must not exist or be
   * empty) as soon as it is made, flushed to disk, instead of keeping them in ConvertOutput.files:
   * the `download/` directory of the temporary build writeBuild then completes (download-sink.ts).
   */
  downloadDir?: string;
  /** Called at the end of each step with its CPU and wall time and the RSS then (phase-clock.ts; `npm run bench` prints them). */
  onPhase?: OnPhase;
}

export interface BuildInfo {
  /** Short hash of the N-Quads: changes exactly when the published data changes. */
  dataVersion: string;
  baseUri: string;
  converterVersion: string;
  /** Every input with its SHA-256, so a server can tell whether the build is stale. */
  inputs: { path: string; sha256: string }[];
  graphs: Record<string, number>;
  quads: number;
  /** Digest of every input (data, vocabulary, shapes, base, version): `npm start` rebuilds when it changes. */
  inputsDigest: string;
  /** Every file under `download/` with its size and SHA-256: the download route's allow-list. */
  downloads: DownloadInfo[];
  /**
   * data/datasets.json's sourced count of the country's units (null if it has none), for the
   * coverage figures: the server takes it from here rather than loading and validating the manifest
   * again at start-up.
   */
  expected: NonNullable<Manifest['expected']> | null;
}

export interface ConvertOutput {
  nquads: string;
  info: BuildInfo;
  /**
   * The dumps, slices, CSVs and copies of the originals, written to `download/` by writeBuild; none
   * if they were written as they were made (ConvertOptions.downloadDir).
   */
  files: DownloadFile[];
  /** Every administrative unit (retired ones too), sorted by code: writeBuild writes it as units.json. */
  units: ReleaseUnit[];
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * The whole pipeline, from data/ to N-Quads in memory: read, check rows, check across rows, map
 * to quads, validate with SHACL and the Data Cube constraints. It throws a ProblemsError with every
 * problem found rather than stopping at the first; it writes nothing (the CLI does).
 */
export async function convert(opts: ConvertOptions): Promise<ConvertOutput> {
  const phase = phaseClock(opts.onPhase);
  const ns = minted(opts.base);
  const vocabDir = opts.vocabDir ?? join(PROJECT_ROOT, 'vocab');
  const shapesDir = opts.shapesDir ?? join(PROJECT_ROOT, 'shapes');
  const converterVersion = await projectVersion();
  const overlays = opts.overlays ?? [];
  const manifest = withRelease(await loadManifest(opts.dataDir), overlays, opts.release);
  checkOverlays(manifest, overlays);

  const vocabGraph = graphIri(ns, 'vocabulary');
  const vocab = [
    ...(await loadTurtle(join(vocabDir, 'lg.ttl'), opts.base, vocabGraph)),
    ...(await loadTurtle(join(vocabDir, 'indicators.ttl'), opts.base, vocabGraph)),
  ];
  const indicators = indicatorsFromVocab(vocab, ns);

  const problems: Problem[] = [];
  const inputs: SourceFile[] = [];
  const originals: OriginalFile[] = [];
  const filesOf = new Map<string, SourceFile[]>();
  const unitRows = new Map<string, UnitRow[]>();
  /** Per CSV file, each header's column letter: problems name a CSV column by its header. */
  const csvLetters = new Map<string, Map<string, string>>();
  // `path` names the file in problems and build-info.json; `full` is where it is read from. An
  // overlay is named by its published name, so problems and provenance point at what is served.
  const readFileSheets = async (spec: DatasetSpec, path: string, full = join(opts.dataDir, path)) => {
    const found = await checkFile(full, path, opts.limits);
    if (found.length > 0) {
      append(problems, found);
      return [];
    }
    const bytes = await readFile(full);
    const file: SourceFile = { path, name: fileName(path), sha256: sha256(bytes), bytes: (await stat(full)).size };
    inputs.push(file);
    originals.push({ name: file.name, dataset: spec.id, content: bytes });
    filesOf.set(spec.id, [...(filesOf.get(spec.id) ?? []), file]);
    try {
      const sheets = await readSheets(full, path, opts.limits);
      for (const sheet of sheets) if (sheet.sheet === undefined) csvLetters.set(path, csvColumnLetters(sheet));
      return sheets;
    } catch (e) {
      if (e instanceof ProblemsError) {
        append(problems, e.problems);
        return [];
      }
      throw e;
    }
  };

  /** Per level, the units files that gave no row because of their own problems (follow-ons.ts). */
  const unread = new Map<Level, string[]>();
  for (const spec of manifest.datasets.filter((d) => d.kind === 'units')) {
    const layout = await loadUnitsLayout(opts.dataDir, spec.layout);
    const rows: UnitRow[] = [];
    for (const f of spec.files) {
      const [problemsBefore, rowsBefore] = [problems.length, rows.length];
      for (const sheet of await readFileSheets(spec, f.path)) {
        const read = readUnitRows(sheet, layout, f.level as Level);
        append(rows, read.rows);
        append(problems, read.problems);
      }
      if (rows.length === rowsBefore && problems.length > problemsBefore) {
        unread.set(f.level as Level, [...(unread.get(f.level as Level) ?? []), f.path]);
      }
    }
    unitRows.set(spec.id, rows);
  }
  const allUnits = [...unitRows.values()].flat();
  append(problems, checkUnits(allUnits));
  // Boundaries beside the points (data/geometry, from npm run import-geometry), in the units' graph.
  const boundaries = await boundaryQuads(opts.dataDir, allUnits, { ns, manifest });
  if (boundaries) {
    append(problems, boundaries.problems);
    inputs.push(boundaries.file);
  }

  // The first row of a code is the unit (checkUnits reports the later ones as duplicates), so the
  // statistics' checks compare names with that row, not with the duplicate.
  const index: UnitIndex = new Map();
  for (const u of allUnits) {
    if (index.has(String(u.values.code))) continue;
    const labels = ['name_en', 'name_tg', 'name_ru'].map((k) => u.values[k]).filter((v): v is string => typeof v === 'string');
    const { retired_on: retiredOn, replaced_by: successor } = u.values;
    index.set(String(u.values.code), {
      level: u.level, labels,
      ...(retiredOn !== undefined ? { retiredOn: String(retiredOn) } : {}),
      ...(successor !== undefined ? { successor: String(successor) } : {}),
    });
  }

  const units = releaseUnitsOf(allUnits);
  // Uploads name units as officials do (codes or names, inside their area): only overlays need it.
  const directory = overlays.length > 0 ? new UnitDirectory(units) : undefined;
  const observations = new Map<string, ObservationRow[]>();
  for (const spec of manifest.datasets.filter((d) => d.kind === 'statistics')) {
    const layout = await loadWideLayout(opts.dataDir, spec.layout);
    const rows: ObservationRow[] = [];
    for (const f of spec.files) {
      for (const sheet of await readFileSheets(spec, f.path)) {
        const read = readWideSheet(sheet, layout, { indicators, units: index });
        append(rows, read.rows);
        append(problems, read.problems);
      }
    }
    const own = overlays.filter((o) => o.dataset === spec.id);
    if (own.length === 0 || !directory) {
      append(problems, checkObservations(rows));
      observations.set(spec.id, rows);
      continue;
    }
    // Seed first, then each overlay in order over it: a figure replaces the one of the same unit,
    // indicator and year (a blank cell is no figure, so it keeps the one before). Duplicates are
    // checked within each file; whether each year is whole (IC-17), only on the result.
    append(problems, checkDuplicateObservations(rows));
    const merged = new Map(rows.map((r) => [`${r.unitCode}|${r.indicator.id}|${r.year}`, r]));
    for (const o of own) {
      const fromOverlay: ObservationRow[] = [];
      for (const sheet of await readFileSheets(spec, o.name, o.path)) {
        const read = readWideSheet(sheet, layout, {
          indicators, units: directory.unitIndex(), topic: spec.topic,
          resolveName: (name) => directory.resolveName(o.area, name), area: directory.area(o.area),
        });
        append(fromOverlay, read.rows);
        append(problems, read.problems);
      }
      append(problems, checkDuplicateObservations(fromOverlay));
      for (const r of fromOverlay) merged.set(`${r.unitCode}|${r.indicator.id}|${r.year}`, r);
    }
    const result = [...merged.values()];
    append(problems, checkAllMeasures(result));
    observations.set(spec.id, result);
  }
  if (problems.length > 0) throw new ProblemsError(withCsvColumnLetters(groupFollowOns(problems, unread), csvLetters));
  phase('read');

  const quads: Quad[] = [...vocab];
  const meta = { ns, manifest, converterVersion };
  append(quads, sharedMetadata({ ...meta, graph: graphIri(ns, 'catalog') }));
  const parentOf = new Map(allUnits.map((u) => [String(u.values.code), u.values.parent_code as string | undefined]));
  /** Per statistics dataset, its graph: the Data Cube constraints run on one at a time. */
  const statGraphs: Quad[][] = [];
  /** The computed totals of every dataset (aggregate.ts): checked for IC-12 and IC-17 on their own below. */
  const totalGraphs: Quad[][] = [];
  const aggregationUnits = new Map<string, AggregationUnit>();
  for (const u of allUnits) {
    const code = String(u.values.code);
    if (aggregationUnits.has(code)) continue; // a duplicate code is reported by checkUnits
    const { parent_code: parent, retired_on: retiredOn, valid_from: validFrom } = u.values;
    aggregationUnits.set(code, {
      level: u.level,
      ...(parent !== undefined ? { parent: String(parent) } : {}),
      ...(retiredOn !== undefined ? { retiredOn: String(retiredOn) } : {}),
      ...(validFrom !== undefined ? { validFrom: String(validFrom) } : {}),
    });
  }
  for (const spec of manifest.datasets) {
    const graph = graphIri(ns, spec.id);
    const facts: DatasetFacts = { spec, files: filesOf.get(spec.id) ?? [], spatial: [] };
    let statGraph: Quad[] | undefined;
    if (spec.kind === 'units') {
      const layout = await loadUnitsLayout(opts.dataDir, spec.layout);
      append(quads, unitsToQuads(unitRows.get(spec.id) ?? [], layout, { ns, graph }));
      if (boundaries?.graph.equals(graph)) append(quads, boundaries.quads);
      // The country and its regions; the EU country code lets harvesters facet by country.
      const regions = (unitRows.get(spec.id) ?? []).filter((u) => u.level === 'region').map((u) => unitIri(ns, 'region', String(u.values.code)).value);
      facts.spatial = [unitIri(ns, 'country', 'TJ').value, ...regions.sort(), COUNTRY_TJK.iri];
      // Temporal coverage: the reference years of the population figures it holds.
      const years = (unitRows.get(spec.id) ?? []).map((u) => u.values.population_year).filter((y): y is number => typeof y === 'number');
      if (years.length > 0) facts.years = span(years);
    } else {
      const rows = observations.get(spec.id) ?? [];
      const data = statsToQuads(rows, { ns, graph, dataset: spec.id });
      append(quads, data);
      const totals = totalsToQuads(aggregate(rows, aggregationUnits), { ns, graph, dataset: spec.id, sample: spec.sample === true });
      append(quads, totals);
      statGraph = [...data, ...totals];
      statGraphs.push(statGraph);
      totalGraphs.push(totals);
      facts.spatial = [...spatialCoverage(rows, parentOf, index, ns), COUNTRY_TJK.iri];
      if (rows.length > 0) {
        facts.years = span(rows.map((r) => r.year));
      }
    }
    const metadata = datasetMetadata(facts, { ...meta, graph });
    if (opts.release) metadata.push(quad(datasetIri(ns, spec.id), dcat('version'), literal(String(opts.release.n)), graph));
    append(quads, metadata);
    if (statGraph) append(statGraph, metadata);
  }

  // The rows are quads now; what is dropped as soon as it is no longer needed lowers the peak (issue #12).
  unitRows.clear();
  observations.clear();
  phase('quads');
  const shapes = [...(await loadShapes(shapesDir, opts.base)), ...indicatorShapes(indicators, opts.base)];
  // Graph by graph (a dataset, with the vocabulary and the catalog's shared part beside it), so
  // that the validators hold one dataset at a time, not the country (validate-shacl.ts).
  const shared = new Set([vocabGraph.value, graphIri(ns, 'catalog').value]);
  const shaclProblems = await validateShaclPerGraph(quads, shapes, (g) => shared.has(g));
  phase('SHACL');
  // The vocabulary graph carries the qb:measureType statements the constraints assume
  // (vocab/lg.ttl): the check runs on what is published, with nothing added.
  const cubeChecks = await loadCubeChecks(join(shapesDir, 'data-cube-ic'));
  const cubeProblems = runCubeChecksPerGraph(statGraphs, vocab, cubeChecks.filter((c) => !CHECKED_ON_ROWS.includes(c.file)));
  // The two rules checked on the rows above hold for the figures; the totals have no rows, so they
  // run on the totals' own graphs, in linear time (cube-pair-checks.ts).
  append(cubeProblems, runCubeChecksPerGraph(totalGraphs.filter((g) => g.length > 0), vocab, cubeChecks.filter((c) => CHECKED_ON_ROWS.includes(c.file))));
  if (shaclProblems.length + cubeProblems.length > 0) throw new ProblemsError([...shaclProblems, ...cubeProblems]);
  statGraphs.length = 0;
  totalGraphs.length = 0;
  phase('cube checks');

  // The catalog, then the downloads made from everything so far, then the graph describing them
  // (sizes, checksums), which is therefore in no download (README, "Catalog, VoID, downloads").
  append(quads, catalogQuads({ ns, manifest, graph: graphIri(ns, 'catalog') }));
  // Quality figures (DQV) of what passed the checks above, beside the datasets in the catalog.
  const checked = { shapes: countNodeShapes(shapes), cubeConstraints: cubeChecks.length };
  // The quality figures and the slices read every quad so far through one index (quad-index.ts),
  // which follows what is added to `quads` up to the slices.
  const built = new QuadIndex(quads);
  const quality = qualityQuads(built, { ns, manifest, graph: graphIri(ns, 'catalog'), buildDate: buildDateOf(manifest, opts.release), checked });
  if (opts.release) quality.push(quad(catalogIri(ns), dcat('version'), literal(String(opts.release.n)), graphIri(ns, 'catalog')));
  append(quads, quality);
  built.add(quality);
  phase('quality');
  // Sorted once: all.nq.gz is these lines; data.nq, these merged with those of the graphs added below.
  const sortedBefore = sortNQuads(quads);
  const sortedCount = quads.length;
  phase('sort');
  const sink = downloadSink(opts.downloadDir);
  const listed: DownloadInfo[] = [];
  const put = async (f: DownloadFile) => { listed.push(await sink.put(f)); };
  await makeDownloads(quads, { ns, manifest, originals, sorted: sortedBefore, put });
  originals.length = 0;
  phase('downloads');
  // Per region and district: its units and figures in one file each (src/slices/), listed beside the dumps.
  const slices = await sliceDownloads(built, ns, put);
  const downloads = listed.sort((a, b) => (a.name < b.name ? -1 : 1));
  append(quads, distributionQuads(downloads, { ns, manifest }));
  append(quads, sliceCatalogQuads(slices, downloads, { ns, manifest }));
  phase('slices');

  const sorted = mergeSorted(sortedBefore, sortNQuads(quads.slice(sortedCount)));
  const { quads: count, graphs } = countsOf(sorted, quads);
  // The lines are all data.nq needs: the quads and their index go before the text is joined.
  quads.length = 0;
  built.clear();
  const nquads = sorted.lines.join('');
  const seedDigest = await inputsDigest({ dataDir: opts.dataDir, vocabDir, shapesDir, base: opts.base, version: converterVersion });
  const dataVersion = dataVersionOf(nquads);
  phase('data.nq');
  return {
    nquads,
    files: sink.kept,
    units,
    info: {
      dataVersion,
      baseUri: opts.base,
      converterVersion,
      inputs: inputs.map((f) => ({ path: f.path, sha256: f.sha256 })).sort((a, b) => a.path.localeCompare(b.path)),
      graphs,
      quads: count,
      inputsDigest: overlays.length > 0 || opts.release ? releaseDigest(seedDigest, inputs, opts.release) : seedDigest,
      downloads,
      expected: manifest.expected ?? null,
    },
  };
}

/** How many SHACL node shapes the data was checked with (the conformance measurement says so). */
function countNodeShapes(shapes: readonly Quad[]): number {
  const nodeShape = 'http://www.w3.org/ns/shacl#NodeShape';
  return new Set(shapes.filter((q) => q.predicate.value === `${STD.rdf}type` && q.object.value === nodeShape).map((q) => q.subject.value)).size;
}

/** The boundaries' quads in the graph of the (first) units dataset, with their problems; undefined without the file. */
async function boundaryQuads(dataDir: string, units: UnitRow[], ctx: { ns: ReturnType<typeof minted>; manifest: Manifest }) {
  const read = await readBoundaries(dataDir);
  const spec = ctx.manifest.datasets.find((d) => d.kind === 'units');
  if (!read || !spec) return undefined;
  const graph = graphIri(ctx.ns, spec.id);
  const levels = new Map(units.filter((u) => !isRetired(u)).map((u) => [String(u.values.code), u.level]));
  const { quads, problems } = boundariesToQuads(read.boundaries, { ns: ctx.ns, graph, levels });
  const file: SourceFile = { path: BOUNDARY_FILE, name: fileName(BOUNDARY_FILE), sha256: read.sha256, bytes: read.bytes };
  return { graph, quads, problems, file };
}

/** The district-level units whose jamoats (or which themselves) have figures in the dataset. */
function spatialCoverage(rows: ObservationRow[], parentOf: Map<string, string | undefined>, index: UnitIndex, ns: ReturnType<typeof minted>): string[] {
  const districts = new Set<string>();
  for (const r of rows) {
    const code = r.unitLevel === 'jamoat' ? parentOf.get(r.unitCode) : r.unitCode;
    const level = code ? index.get(code)?.level : undefined;
    if (code && level) districts.add(unitIri(ns, level, code).value);
  }
  return [...districts].sort();
}

export type { Manifest };

/**
 * The manifest as a release publishes it: the datasets an overlay touches were modified on the
 * release's day (the catalog's dct:modified, their latest, follows). Without a release, data/'s.
 */
function withRelease(manifest: Manifest, overlays: Overlay[], release: ConvertOptions['release']): Manifest {
  if (!release) return manifest;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(release.date) || !Number.isSafeInteger(release.n) || release.n < 1) {
    throw new Error(`release ${JSON.stringify(release)}: expected a positive number and a YYYY-MM-DD date`);
  }
  const touched = new Set(overlays.map((o) => o.dataset));
  return { ...manifest, datasets: manifest.datasets.map((d) => (touched.has(d.id) ? { ...d, modified: release.date } : d)) };
}

/**
 * Overlays come from the officials' area, which names them: a wrong one is that code's error, not a
 * problem in a workbook, so it throws rather than being reported as one.
 */
function checkOverlays(manifest: Manifest, overlays: Overlay[]): void {
  const taken = new Set([
    ...manifest.datasets.flatMap((d) => d.files.map((f) => fileName(f.path))),
    ...generatedFileNames(manifest.datasets.map((d) => d.id)),
  ]);
  for (const o of overlays) {
    const spec = manifest.datasets.find((d) => d.id === o.dataset);
    if (spec?.kind !== 'statistics') throw new Error(`overlay ${o.name}: ${JSON.stringify(o.dataset)} is not a statistics dataset of datasets.json`);
    // Published flat under /download/ beside the seed files and the dumps (design.md).
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.(xlsx|csv)$/i.test(o.name)) throw new Error(`overlay ${JSON.stringify(o.name)}: not a plain .xlsx or .csv file name`);
    if (taken.has(o.name)) throw new Error(`overlay ${o.name}: the name of another download`);
    taken.add(o.name);
  }
}

/** A release's build depends on its overlays' bytes and its number and date too, beside data/'s inputs. */
function releaseDigest(seedDigest: string, inputs: SourceFile[], release: ConvertOptions['release']): string {
  const hash = createHash('sha256').update(`seed ${seedDigest}\n`);
  if (release) hash.update(`release ${release.n} ${release.date}\n`);
  for (const f of inputs) hash.update(`${f.path} ${f.sha256}\n`);
  return hash.digest('hex');
}

/** First and last year, without spreading a large array into Math.min/Math.max. */
function span(years: number[]): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const y of years) {
    if (y < start) start = y;
    if (y > end) end = y;
  }
  return { start, end };
}
