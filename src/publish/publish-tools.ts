/**
 * What the officials' area needs from the converter and the published data, in one object: the
 * upload checks (validate-upload.ts) against the live release's units, the figures published now
 * (preview.ts), templates (template.ts), reports in the reader's language (report.ts), and names of
 * units, datasets and indicators for the pages. Things that depend only on a release (its units,
 * its validator) are made once per release directory and dropped when another goes live.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { fileLimits } from '../convert/check-file.js';
import { type Indicator, indicatorsFromVocab, indicatorsOfTopic } from '../convert/indicators.js';
import { type Manifest, loadManifest } from '../convert/layout.js';
import type { ObservationRow } from '../convert/read-wide.js';
import type { Problem } from '../errors.js';
import type { Labels, Lang } from '../html/models.js';
import { PROJECT_ROOT } from '../project.js';
import { loadTurtle } from '../rdf/load-turtle.js';
import { minted } from '../rdf/namespaces.js';
import { type ReleaseUnit, readReleaseUnits } from '../releases/release-units.js';
import type { BlobStore } from '../state/blobs.js';
import type { LinkedDataStore } from '../store/store.js';
import type { DatasetChoice, ReportRowView } from './html/workflow-pages.js';
import { WORKFLOW_STRINGS, type WorkflowStrings } from './html/workflow-strings.js';
import { unitInArea } from './permissions.js';
import { currentFigures } from './preview.js';
import { headerKey, reportRows } from './report.js';
import { makeTemplate } from './template.js';
import type { Upload } from './uploads.js';
import { UploadCheckPool } from './check-pool.js';
import { type UploadChecker, figureKey } from './workflow.js';

/** A stored problem may carry the header text of its column (kept at upload time for the report). */
type StoredProblem = Problem & { header?: string };

interface PerRelease {
  dir: string;
  units: Promise<ReleaseUnit[]>;
  names: Promise<Map<string, Labels>>;
}

export class PublishTools implements UploadChecker {
  private release: PerRelease | undefined;

  private constructor(
    private readonly config: Config,
    private readonly store: LinkedDataStore,
    private readonly blobs: BlobStore,
    private readonly manifest: Manifest,
    private readonly indicators: Indicator[],
    /** The checks themselves run in a worker thread (check-pool.ts), never on the server's thread. */
    private readonly pool: UploadCheckPool,
  ) {}

  static async create(opts: { config: Config; store: LinkedDataStore; blobs: BlobStore }): Promise<PublishTools> {
    const { config } = opts;
    const manifest = await loadManifest(config.DATA_DIR);
    const ns = minted(config.BASE_URI);
    const vocab = await loadTurtle(join(PROJECT_ROOT, 'vocab', 'indicators.ttl'), config.BASE_URI);
    const pool = new UploadCheckPool({
      data: { base: config.BASE_URI, dataDir: config.DATA_DIR, limits: fileLimits(config) },
      timeoutMs: config.UPLOAD_CHECK_TIMEOUT_MS,
      maxMemoryMb: config.UPLOAD_CHECK_MEMORY_MB,
    });
    return new PublishTools(config, opts.store, opts.blobs, manifest, indicatorsFromVocab([...vocab, ...(await loadTurtle(join(PROJECT_ROOT, 'vocab', 'lg.ttl'), config.BASE_URI))], ns), pool);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private of(dir: string): PerRelease {
    if (this.release?.dir !== dir) {
      const units = readReleaseUnits(dir);
      const names = units.then((us) => new Map(us.map((u) => [u.code, u.labels as Labels])));
      this.release = { dir, units, names };
    }
    return this.release;
  }

  units(dir: string): Promise<ReleaseUnit[]> {
    return this.of(dir).units;
  }

  unitNames(dir: string): Promise<Map<string, Labels>> {
    return this.of(dir).names;
  }

  async check(input: { bytes: Buffer; fileName: string; dataset: string; area: string; buildDir: string }): Promise<{ rows: ObservationRow[]; problems: Problem[]; current: Map<string, number> }> {
    const units = await this.units(input.buildDir);
    if (!units.some((u) => u.code === input.area && u.retiredOn === null)) {
      return { rows: [], current: new Map(), problems: [{ code: 'LG_ERR_OUTSIDE_AREA', file: input.fileName, reason: `no published unit has the code ${input.area}; ask an administrator to correct your account's area` }] };
    }
    const inArea = units.filter((u) => unitInArea(u.code, input.area)).map((u) => u.code);
    const figures = await currentFigures(this.store, { base: this.config.BASE_URI, dataset: input.dataset, unitCodes: inArea });
    const result = await this.pool.check(input.buildDir, { bytes: input.bytes, fileName: input.fileName, dataset: input.dataset, area: input.area, current: figures });
    // The header text goes with each problem, so the report can name the column in words later.
    const problems: StoredProblem[] = result.problems.map((p) => {
      const header = p.column !== undefined ? result.headers.get(headerKey(p.sheet, p.column)) : undefined;
      return header !== undefined ? { ...p, header } : p;
    });
    return { rows: result.rows, problems, current: new Map(figures.map((f) => [figureKey(f.unitCode, f.indicator, f.year), f.value])) };
  }

  /** The figures of a kept upload, read from its workbook again (for the draft pages). */
  async rowsOf(upload: Upload, dir: string): Promise<ObservationRow[]> {
    const bytes = await this.blobs.read(upload.sha256);
    return (await this.pool.check(dir, { bytes, fileName: upload.fileName, dataset: upload.dataset, area: upload.area })).rows;
  }

  datasetIds(): string[] {
    return this.manifest.datasets.filter((d) => d.kind === 'statistics').map((d) => d.id);
  }

  datasets(): DatasetChoice[] {
    return this.manifest.datasets.filter((d) => d.kind === 'statistics').map((d) => ({ id: d.id, title: d.title as Labels, sample: d.sample === true }));
  }

  datasetTitle(id: string): Labels {
    return (this.manifest.datasets.find((d) => d.id === id)?.title as Labels | undefined) ?? {};
  }

  indicatorLabels(id: string): Labels {
    return this.indicators.find((i: Indicator) => i.id === id)?.labels ?? { en: id };
  }

  strings(lang: Lang): WorkflowStrings {
    return WORKFLOW_STRINGS[lang];
  }

  /** A publisher's area and, for a region, each of its district-level units: what a template can be made for. */
  templateAreas(area: string, names: Map<string, Labels>): { code: string; name: Labels }[] {
    const codes = [area, ...[...names.keys()].filter((c) => c.startsWith(`${area}-`) && c.split('-').length === area.split('-').length + 1)];
    return codes.map((code) => ({ code, name: names.get(code) ?? {} }));
  }

  report(problems: Problem[], lang: Lang): ReportRowView[] {
    const headers = new Map<string, string>();
    for (const p of problems as StoredProblem[]) if (p.header !== undefined && p.column !== undefined) headers.set(headerKey(p.sheet, p.column), p.header);
    return reportRows(problems, lang, headers).map((r) => ({
      code: r.code,
      ...(r.sheet !== null ? { sheet: r.sheet } : {}),
      ...(r.row !== null ? { row: r.row } : {}),
      ...(r.column !== null ? { column: r.column } : {}),
      ...(r.header !== null ? { header: r.header } : {}),
      ...(r.value !== null ? { value: r.value } : {}),
      problem: r.reason,
      todo: r.action,
      detail: r.detail,
    }));
  }

  async template(opts: { area: string; year: number; dataset: string; lang: Lang; buildDir: string }): Promise<Buffer> {
    const spec = this.manifest.datasets.find((d) => d.id === opts.dataset);
    if (!spec) throw new Error(`no dataset ${opts.dataset}`);
    const units = await this.units(opts.buildDir);
    const inArea = units.filter((u) => unitInArea(u.code, opts.area)).map((u) => u.code);
    const figures = await currentFigures(this.store, { base: this.config.BASE_URI, dataset: opts.dataset, unitCodes: inArea });
    return makeTemplate({
      units, area: opts.area, year: opts.year, dataset: spec, lang: opts.lang,
      indicators: indicatorsOfTopic(this.indicators, spec.topic),
      current: new Map(figures.filter((f) => f.year === opts.year).map((f) => [figureKey(f.unitCode, f.indicator, f.year), f.value])),
    });
  }
}
