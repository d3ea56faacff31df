import type { Quad } from '@rdfjs/types';
import { voidQuads } from '../catalog/void.js';
import type { Config } from '../config.js';
import { Describer } from '../describe/describe.js';
import { coverageModel, homeModel } from '../describe/page-models.js';
import { type RetiredUnit, retiredUnits } from '../describe/retired-units.js';
import { SearchIndex } from '../describe/search-index.js';
import type { CoverageModel, HomeModel } from '../html/models.js';
import type { LinkedDataStore } from '../store/store.js';
import { RefusalLog } from './refusal-log.js';
import { RepresentationCache } from './representation.js';

/** Which build the store holds: its release number (null for a plain build directory) and its files. */
export interface ServedBuild {
  n: number | null;
  dir: string;
}

/**
 * What every route plugin is given (Trifid's plugin-argument style, one object): configuration,
 * the store behind its interface, and what is derived from the data once per data version.
 *
 * The store may switch to another release while the server runs (src/releases/live-store.ts):
 * everything derived here is keyed on the data version, and dropped the first time a reader sees
 * that the version has changed.
 */
export class AppContext {
  readonly base: string;
  readonly describer: Describer;
  readonly cache: RepresentationCache;
  /** Refusals logged as one line each, sampled per code (src/server/refusal-log.ts): shared by every route. */
  readonly refusals = new RefusalLog();
  readonly startedAt = new Date();
  private lazy = new Map<string, Promise<unknown>>();
  private seenVersion: string | undefined;
  private readonly served: () => ServedBuild;

  constructor(
    readonly config: Config,
    readonly store: LinkedDataStore,
    opts: { cacheBytes?: number; jamoatsExpected?: number; served?: () => ServedBuild } = {},
  ) {
    this.base = config.BASE_URI;
    this.describer = new Describer(store, this.base);
    this.cache = new RepresentationCache(opts.cacheBytes ?? 256 * 1024 * 1024);
    this.jamoatsExpected = opts.jamoatsExpected ?? 0;
    this.served = opts.served ?? (() => ({ n: null, dir: config.BUILD_DIR }));
  }

  readonly jamoatsExpected: number;

  get dataVersion(): string {
    const v = this.store.dataVersion;
    if (v !== this.seenVersion && !this.pastVersions.has(v)) {
      // A new release is live: what was derived from the old one is of no more use. Requests that
      // arrived before the switch still answer from the old release (LiveStore.pin) under its own
      // keys; seeing its version again does not clear the new one's work.
      if (this.seenVersion !== undefined) {
        this.pastVersions.add(this.seenVersion);
        if (this.pastVersions.size > 64) this.pastVersions.delete(this.pastVersions.values().next().value as string);
        this.lazy.clear();
        this.docs.clear();
        this.cache.clear();
      }
      this.seenVersion = v;
    }
    return v;
  }

  /** Versions that were live before the one seen last (a few releases' worth is plenty). */
  private readonly pastVersions = new Set<string>();

  /** The build being served: the download route reads its files from here. */
  build(): ServedBuild {
    return this.served();
  }

  /** Computes a value once (per data version: the context lives as long as the loaded data). */
  private once<T>(name: string, make: () => Promise<T>): Promise<T> {
    const key = `${this.dataVersion}|${name}`;
    let p = this.lazy.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      // A failure is not cached: the next request tries again.
      p.catch(() => this.lazy.delete(key));
      this.lazy.set(key, p);
    }
    return p;
  }

  private readonly docs = new Map<string, Promise<import('@rdfjs/types').Quad[]>>();

  /**
   * The quads of a document, shared by its formats and languages while they are being prepared
   * (the representations themselves are cached; this only avoids querying once per format).
   */
  documentQuads(iri: string, load: () => Promise<import('@rdfjs/types').Quad[]>): Promise<import('@rdfjs/types').Quad[]> {
    const key = `${this.dataVersion}|${iri}`;
    let p = this.docs.get(key);
    if (!p) {
      p = load();
      p.catch(() => this.docs.delete(key));
      this.docs.set(key, p);
      // Bounded: the oldest entries go first.
      if (this.docs.size > 512) this.docs.delete(this.docs.keys().next().value as string);
    }
    return p;
  }

  knownIds(): Promise<Set<string>> {
    return this.once('ids', () => this.describer.knownIds());
  }

  /** Units that no longer exist, by IRI: their URIs redirect to the successor or answer 410. */
  retired(): Promise<Map<string, RetiredUnit>> {
    return this.once('retired', () => retiredUnits(this.describer, this.base));
  }

  searchIndex(): Promise<SearchIndex> {
    return this.once('search', () => SearchIndex.build(this.describer, this.base));
  }

  home(): Promise<HomeModel> {
    return this.once('home', () => homeModel(this.describer, this.base, { triples: this.store.info().triples, jamoatsExpected: this.jamoatsExpected }));
  }

  coverage(): Promise<CoverageModel> {
    return this.once('coverage', () => coverageModel(this.describer, this.base));
  }

  /** The VoID description (/.well-known/void): counted in the store once per data version. */
  voidDescription(): Promise<Quad[]> {
    return this.once('void', () => voidQuads({ base: this.base, select: (q) => this.describer.select(q) }));
  }
}
