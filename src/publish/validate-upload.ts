/**
 * The checks an uploaded workbook goes through before anyone reviews it: the converter's own, on
 * the upload alone. File (size, zip bomb, type), rows (the wide layout's reader with names resolved
 * inside the publisher's area), duplicates, then SHACL and the Data Cube constraints on the quads of
 * just these observations. Converting the whole country again for each upload would take seconds
 * and hundreds of MB; what does not change between uploads (shapes, vocabulary, constraints, the
 * units' indexes) is loaded once by an UploadValidator.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import N3 from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import { type Problem, ProblemsError } from '../errors.js';
import { PROJECT_ROOT } from '../project.js';
import { loadTurtle } from '../rdf/load-turtle.js';
import { expandCurie, graphIri, unitIri } from '../rdf/mint-uri.js';
import { STD, minted, qb, rdf } from '../rdf/namespaces.js';
import { append } from '../convert/append.js';
import type { Sheet } from '../convert/cell.js';
import { type FileLimits, checkFile } from '../convert/check-file.js';
import { CHECKED_ON_ROWS, checkAllMeasures, checkDuplicateObservations } from '../convert/check-observations.js';
import { type Indicator, indicatorsFromVocab } from '../convert/indicators.js';
import { indicatorShapes } from '../convert/indicator-shapes.js';
import { type DatasetSpec, type Manifest, type WideLayout, loadWideLayout } from '../convert/layout.js';
import { locateHeader } from '../convert/locate-header.js';
import { cleanText } from '../convert/parse-value.js';
import { readSheets } from '../convert/read-sheet.js';
import { type ObservationRow, readWideSheet } from '../convert/read-wide.js';
import { statsToQuads } from '../convert/stats-to-quads.js';
import { UnitDirectory } from '../convert/unit-directory.js';
import { type CubeCheck, loadCubeChecks, runCubeChecks } from '../convert/validate-cube.js';
import { loadShapes, validateShacl } from '../convert/validate-shacl.js';
import type { ReleaseUnit } from '../releases/release-units.js';
import type { CurrentFigure } from './preview.js';
import { headerKey } from './report.js';

const { namedNode } = N3.DataFactory;
const sh = (local: string) => namedNode(`${STD.sh}${local}`);

export interface UploadResult {
  /** The figures the upload gives (all of them, also when there are problems elsewhere in it). */
  rows: ObservationRow[];
  problems: Problem[];
  /** Each column's header text as the sheet has it, keyed by headerKey(sheet, column): for the report. */
  headers: Map<string, string>;
}

/** What every upload is checked with and that does not depend on it, loaded once. */
export interface UploadChecks {
  base: string;
  /** vocab/lg.ttl and vocab/indicators.ttl, in the vocabulary graph as the converter loads them. */
  vocab: Quad[];
  indicators: Indicator[];
  /** The shapes that apply to observations: shapes/ and the indicator shapes, cut to what targets them. */
  shapes: Quad[];
  /** The Data Cube constraints but those checked on rows (IC-12, IC-17). */
  cube: CubeCheck[];
  qbTerms: Quad[];
}

export async function loadUploadChecks(opts: { base: string; vocabDir?: string; shapesDir?: string }): Promise<UploadChecks> {
  const ns = minted(opts.base);
  const vocabDir = opts.vocabDir ?? join(PROJECT_ROOT, 'vocab');
  const shapesDir = opts.shapesDir ?? join(PROJECT_ROOT, 'shapes');
  const vocabGraph = graphIri(ns, 'vocabulary');
  const vocab = [
    ...(await loadTurtle(join(vocabDir, 'lg.ttl'), opts.base, vocabGraph)),
    ...(await loadTurtle(join(vocabDir, 'indicators.ttl'), opts.base, vocabGraph)),
  ];
  const indicators = indicatorsFromVocab(vocab, ns);
  const shapes = observationShapes([...(await loadShapes(shapesDir, opts.base)), ...indicatorShapes(indicators, opts.base)], indicators);
  const icDir = join(shapesDir, 'data-cube-ic');
  return {
    base: opts.base, vocab, indicators, shapes,
    cube: await loadCubeChecks(icDir, CHECKED_ON_ROWS),
    qbTerms: await loadTurtle(join(icDir, 'qb-terms.ttl'), opts.base),
  };
}

/**
 * The shapes whose targets an upload's graph has: those targeting qb:Observation or the subjects of
 * an indicator, with everything they reach through blank nodes (property shapes, lists) and named
 * shapes. The units, dataset metadata and vocabulary shapes are left out: those parts are not the
 * upload's, and the converter checks them when the release is built.
 */
function observationShapes(shapes: Quad[], indicators: Indicator[]): Quad[] {
  const store = new N3.Store(shapes as N3.Quad[]);
  const isShape = (t: Term) => store.countQuads(t, rdf('type'), sh('NodeShape'), null) + store.countQuads(t, rdf('type'), sh('PropertyShape'), null) > 0;
  const queue: Term[] = [
    ...store.getSubjects(sh('targetClass'), qb('Observation'), null),
    ...indicators.flatMap((i) => store.getSubjects(sh('targetSubjectsOf'), namedNode(i.iri), null)),
  ];
  const seen = new Set<string>();
  const out: Quad[] = [];
  for (let t = queue.pop(); t !== undefined; t = queue.pop()) {
    const key = `${t.termType}:${t.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const q of store.getQuads(t, null, null, null)) {
      out.push(q);
      if (q.object.termType === 'BlankNode' || (q.object.termType === 'NamedNode' && isShape(q.object))) queue.push(q.object);
    }
  }
  return out;
}

export interface UploadValidatorOptions {
  base: string;
  manifest: Manifest;
  /** The live release's units (units.json). */
  units: readonly ReleaseUnit[];
  limits: FileLimits;
  /** Where the manifest's layout files are (default: the project's data/). */
  dataDir?: string;
  /** Preloaded checks (loadUploadChecks), e.g. shared by validators of successive releases. */
  checks?: UploadChecks;
}

export interface UploadInput {
  bytes: Buffer;
  /** The name the official's file had: problems name it, and its extension says .xlsx or .csv. */
  fileName: string;
  dataset: string;
  /** The publisher's area (a unit code). */
  area: string;
  /**
   * The figures published now for the area (preview.ts currentFigures). Given, whether each year
   * the upload touches is whole (Data Cube IC-17) is checked on the upload merged over them, as the
   * release will be; without them that check waits for the release build.
   */
  current?: readonly CurrentFigure[];
}

/** Validates uploads against one release's units; create it once per release, use it for every upload. */
export class UploadValidator {
  private readonly layouts = new Map<string, WideLayout>();

  private constructor(
    private readonly opts: UploadValidatorOptions,
    private readonly checks: UploadChecks,
    private readonly directory: UnitDirectory,
  ) {}

  static async create(opts: UploadValidatorOptions): Promise<UploadValidator> {
    const checks = opts.checks ?? (await loadUploadChecks({ base: opts.base }));
    if (checks.base !== opts.base) throw new Error(`the preloaded checks are for ${checks.base}, not ${opts.base}`);
    return new UploadValidator(opts, checks, new UnitDirectory(opts.units));
  }

  get indicators(): Indicator[] {
    return this.checks.indicators;
  }

  async validate(input: UploadInput): Promise<UploadResult> {
    const spec = this.opts.manifest.datasets.find((d) => d.id === input.dataset);
    if (spec?.kind !== 'statistics') throw new Error(`${JSON.stringify(input.dataset)} is not a statistics dataset`);
    const area = this.directory.area(input.area); // throws for a code that is no unit: the caller's error
    const headers = new Map<string, string>();
    const sheets = await this.readUpload(input);
    if (!Array.isArray(sheets)) return { rows: [], problems: sheets.problems, headers };

    const layout = await this.layoutOf(spec);
    const rows: ObservationRow[] = [];
    const problems: Problem[] = [];
    for (const sheet of sheets) {
      for (const [k, v] of columnHeaders(sheet, layout)) headers.set(k, v);
      const read = readWideSheet(sheet, layout, {
        indicators: this.checks.indicators,
        units: this.directory.unitIndex(),
        resolveName: (name) => this.directory.resolveName(input.area, name),
        area,
        ...(spec.topic !== undefined ? { topic: spec.topic } : {}),
      });
      append(rows, read.rows);
      append(problems, read.problems);
    }
    append(problems, checkDuplicateObservations(rows));
    if (input.current) append(problems, this.wholeYears(rows, input.current));
    if (rows.length === 0 && problems.length === 0) {
      problems.push({ code: 'LG_ERR_FILE_EMPTY', file: input.fileName, reason: 'the workbook holds no figure: every value cell is blank' });
    }
    // As in the converter: the graph is checked once the rows are right, so one mistake is reported once.
    if (problems.length === 0) append(problems, await this.checkGraph(rows, spec.id));
    return { rows, problems, headers };
  }

  /** The file checks and the sheets, or the problems that stop the upload before any row is read. */
  private async readUpload(input: UploadInput): Promise<Sheet[] | { problems: Problem[] }> {
    const { limits } = this.opts;
    // Refused before touching the disk: a file over the limit is never written anywhere.
    if (input.bytes.length > limits.maxFileBytes) {
      return { problems: [{ code: 'LG_ERR_FILE_TOO_LARGE', file: input.fileName, reason: `the file is ${input.bytes.length} bytes; the limit is ${limits.maxFileBytes} (MAX_FILE_BYTES)` }] };
    }
    // checkFile and readSheets read files: the converter's own checks, on a private copy.
    const dir = await mkdtemp(join(tmpdir(), 'lg-upload-'));
    try {
      const path = join(dir, 'upload');
      await writeFile(path, input.bytes);
      const found = await checkFile(path, input.fileName, limits);
      if (found.length > 0) return { problems: found };
      return await readSheets(path, input.fileName, limits);
    } catch (e) {
      if (e instanceof ProblemsError) return { problems: e.problems };
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async layoutOf(spec: DatasetSpec): Promise<WideLayout> {
    const known = this.layouts.get(spec.layout);
    if (known) return known;
    const layout = await loadWideLayout(this.opts.dataDir ?? join(PROJECT_ROOT, 'data'), spec.layout);
    this.layouts.set(spec.layout, layout);
    return layout;
  }

  /**
   * IC-17 on the upload merged over the published figures, for the unit-years it touches: a blank
   * cell keeps the figure before, so a year is whole if each indicator is in the upload or already
   * published.
   */
  private wholeYears(rows: ObservationRow[], current: readonly CurrentFigure[]): Problem[] {
    const key = (unit: string, indicator: string, year: number) => `${unit}|${indicator}|${year}`;
    const touched = new Set(rows.map((r) => `${r.unitCode}|${r.year}`));
    const given = new Set(rows.map((r) => key(r.unitCode, r.indicator.id, r.year)));
    const byId = new Map(this.checks.indicators.map((i) => [i.id, i]));
    const labels = new Map<string, string>();
    for (const r of rows) labels.set(r.indicator.id, r.indicator.labels.en ?? r.indicator.id);
    const published: ObservationRow[] = [];
    for (const c of current) {
      const indicator = byId.get(c.indicator);
      if (!indicator) continue;
      labels.set(indicator.id, indicator.labels.en ?? indicator.id);
      if (!touched.has(`${c.unitCode}|${c.year}`) || given.has(key(c.unitCode, c.indicator, c.year))) continue;
      const level = this.directory.byCode.get(c.unitCode)?.level ?? 'jamoat';
      published.push({ unitCode: c.unitCode, unitLevel: level, indicator, year: c.year, value: c.value, file: '(published)', row: 0, column: '' });
    }
    // The upload's rows come first, so a problem points at the upload's row, not at a published figure.
    return checkAllMeasures([...rows, ...published], labels);
  }

  /** SHACL and the Data Cube constraints on the quads of these observations only. */
  private async checkGraph(rows: ObservationRow[], dataset: string): Promise<Problem[]> {
    const ns = minted(this.opts.base);
    const graph = graphIri(ns, dataset);
    const data = statsToQuads(rows, { ns, graph, dataset });
    // What sh:class lg:AdministrativeUnit on lg:refArea needs of each unit: its class, as published.
    const units = new Map<string, Quad>();
    for (const r of rows) {
      const u = this.directory.byCode.get(r.unitCode);
      if (!u || units.has(u.code)) continue;
      const cls = u.retiredOn !== null ? ns.lg('RetiredUnit') : expandCurie(ns, u.type);
      units.set(u.code, N3.DataFactory.quad(unitIri(ns, u.level, u.code), rdf('type'), cls, graphIri(ns, 'units')));
    }
    const shacl = await validateShacl([...data, ...units.values(), ...this.checks.vocab], this.checks.shapes);
    const cube = runCubeChecks([...data, ...this.checks.vocab, ...this.checks.qbTerms], this.checks.cube);
    return [...shacl, ...cube];
  }
}

export interface ValidateUploadOptions extends UploadInput {
  manifest: Manifest;
  units: readonly ReleaseUnit[];
  /** The vocabulary's indicators; they must be those of the preloaded checks when both are given. */
  indicators?: Indicator[];
  base: string;
  limits: FileLimits;
  /** Preloaded checks (loadUploadChecks); without them each call loads shapes and vocabulary again. */
  shapes?: UploadChecks;
  dataDir?: string;
}

/**
 * One upload, checked: a convenience over UploadValidator for a single call. A server checking
 * many uploads keeps an UploadValidator per release instead.
 */
export async function validateUpload(opts: ValidateUploadOptions): Promise<UploadResult> {
  const checks = opts.shapes ?? (await loadUploadChecks({ base: opts.base }));
  const validator = await UploadValidator.create({
    base: opts.base, manifest: opts.manifest, units: opts.units, limits: opts.limits,
    checks: opts.indicators ? { ...checks, indicators: opts.indicators } : checks,
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
  });
  return validator.validate({
    bytes: opts.bytes, fileName: opts.fileName, dataset: opts.dataset, area: opts.area,
    ...(opts.current ? { current: opts.current } : {}),
  });
}

/**
 * Each column's header as the official sees it: the indicator's header text with the year below
 * it ("Pupils (persons), 2024"), or the code and name headers, for the report's "column" cell.
 */
function columnHeaders(sheet: Sheet, layout: WideLayout): Map<string, string> {
  const out = new Map<string, string>();
  const header = locateHeader(sheet, [
    { key: 'code', headers: layout.codeHeaders, required: false },
    { key: 'name', headers: layout.nameHeaders, required: true },
  ], { allowUnknown: true });
  if (Array.isArray(header)) return out;
  const named = new Set(header.columns.values());
  const heads = sheet.rows[header.row] ?? [];
  const years = sheet.rows[header.row + 1] ?? [];
  heads.forEach((cell, c) => {
    const text = cleanText(cell.value);
    if (text === '') return;
    const year = named.has(c) ? '' : cleanText(years[c]?.value ?? null);
    out.set(headerKey(sheet.sheet, sheet.columnLabel(c)), year !== '' && year !== text ? `${text}, ${year}` : text);
  });
  return out;
}
