import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { DownloadInfo } from '../catalog/dumps.js';
import { DOWNLOAD_DIR } from '../convert/write-build.js';
import { negotiate, negotiateEncoding } from '../http/negotiate.js';
import { hasRange, sendFileRange } from '../http/ranges.js';
import { chooseLanguage } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import type { PageContext } from '../html/models.js';
import type { ReleasePageModel } from '../html/release-page.js';
import { CHANGES_DIR, CHANGESET_FILES, type ChangesetFile, type Named, type ObservationChange } from '../releases/changeset.js';
import type { Release, ReleaseStore } from '../releases/release-store.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';
import { notAcceptable } from '../server/serve-document.js';
import { loadAllowList } from './download.js';

export interface ReleasesRoutesOptions {
  /** The shared context: BASE_URI and the representation cache. */
  ctx: AppContext;
  releases: {
    /** The release records. */
    store: ReleaseStore;
    /** The directory of release n: data.nq, build-info.json, download/, changes/. */
    dirOf(n: number): string;
  };
}

/** Rows of the changed-figures table on a release page; the CSV has every row. */
export const PAGE_ROWS = 500;
const HTML_OR_JSON = ['text/html', 'application/json'] as const;
/**
 * A release number as its page URL spells it: no sign, no leading zero, no fraction, at most 9
 * digits (a safe integer for SQLite and JavaScript). Anything else (`01`, `1.5`, `1e3`, 400 digits)
 * names no release: 404, never a parse of its own.
 */
const RELEASE_NUMBER = /^[1-9][0-9]{0,8}$/;
const CHANGE_TYPES: Record<ChangesetFile, string> = {
  'added.nq.gz': 'application/gzip',
  'removed.nq.gz': 'application/gzip',
  'observations.csv': 'text/csv; charset=utf-8; header=present',
  'changes.json': 'application/json; charset=utf-8',
};
/** The list and the feed change when a release is added: short, revalidated. A release page never changes. */
const LIST_CACHE = 'public, max-age=60, must-revalidate';
const RELEASE_CACHE = 'public, max-age=86400';

/** What the pages and the feed say of a release: the record without internal ids or errors. */
function publicRelease(r: Release, base: string) {
  return {
    n: r.n, url: `${base}releases/${r.n}`, kind: r.kind,
    publishedBy: { name: r.createdBy.name, automatic: r.createdBy.id === null },
    uploadId: r.uploadId, rollbackTo: r.rollbackTo, previous: r.previous, overlays: r.overlays,
    startedAt: r.createdAt, publishedAt: r.finishedAt, dataVersion: r.dataVersion, summary: r.summary,
  };
}

/**
 * `/releases` (list), `/releases/{n}` (one release), its changeset files and dumps, and
 * `/releases.atom`. Pages in tg, ru and en, JSON for `Accept: application/json`. Only complete
 * releases exist here: a building or failed one is a 404 like a number never used. The pages' and
 * the feed's templates and strings load when one is first built, not at start-up (README,
 * "Start-up").
 */
export const releasesRoutes: FastifyPluginAsync<ReleasesRoutesOptions> = async (app, { ctx, releases }) => {
  const { store } = releases;
  // Called on the object: a ReleaseService passes itself, and its dirOf is a method.
  const dirOf = (n: number) => releases.dirOf(n);

  function completeRelease(request: FastifyRequest): Release | undefined {
    const raw = (request.params as { n?: string }).n ?? '';
    if (!RELEASE_NUMBER.test(raw)) return undefined;
    const r = store.get(Number(raw));
    return r?.status === 'complete' ? r : undefined;
  }

  function page(request: FastifyRequest, path: string, dataVersion: string): PageContext {
    const q = request.query as Record<string, unknown>;
    const lang = chooseLanguage(typeof q.lang === 'string' ? q.lang : undefined, request.headers['accept-language']);
    return { lang, base: ctx.base, path, alternates: [], dataVersion };
  }

  function wantsJson(request: FastifyRequest, reply: FastifyReply, path: string): boolean | FastifyReply {
    const chosen = negotiate(request.headers.accept, HTML_OR_JSON);
    if ('notAcceptable' in chosen) return notAcceptable(reply, path, HTML_OR_JSON);
    return chosen.type === 'application/json';
  }

  // What a release's page and files are read from, once per release (a release never changes):
  // a few entries, the oldest dropped first.
  const memo = new Map<string, Promise<unknown>>();
  function once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      p.catch(() => memo.delete(key));
      memo.set(key, p);
      if (memo.size > 64) memo.delete(memo.keys().next().value as string);
    }
    return p;
  }
  const allowList = (r: Release) => once(`allow|${r.n}`, () => loadAllowList(dirOf(r.n), r.dataVersion ?? ''));
  const model = (r: Release) => once(`model|${r.n}`, () => releaseModel(r, dirOf(r.n), allowList(r)));

  app.get('/releases', async (request, reply) => {
    const json = wantsJson(request, reply, '/releases');
    if (typeof json !== 'boolean') return json;
    const list = store.list({ completeOnly: true });
    const live = store.live()?.n ?? null;
    const p = page(request, '/releases', ctx.dataVersion);
    const version = `releases-${list[0]?.n ?? 0}-${live ?? 0}`;
    const rep = await ctx.cache.getOrBuild(`${p.dataVersion}|releases|${version}|${json ? 'json' : p.lang}`, async () =>
      json
        ? new Representation('application/json; charset=utf-8', JSON.stringify({ live, releases: list.map((r) => ({ ...publicRelease(r, ctx.base), live: r.n === live })) }), version)
        : new Representation('text/html; charset=utf-8', keepLanguage((await import('../html/releases-page.js')).renderReleasesPage({ releases: list, live }, p), p.lang), version, p.lang));
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep, { vary: 'Accept, Accept-Language', cacheControl: LIST_CACHE });
  });

  app.get('/releases.atom', async (request, reply) => {
    const list = store.list({ completeOnly: true });
    const p = page(request, '/releases.atom', ctx.dataVersion);
    const version = `releases-${list[0]?.n ?? 0}`;
    const rep = await ctx.cache.getOrBuild(`${p.dataVersion}|releases|${version}|atom|${p.lang}`, async () =>
      new Representation('application/atom+xml; charset=utf-8', (await import('../releases/atom.js')).renderReleasesFeed({ releases: list, base: ctx.base, lang: p.lang, emptyUpdated: ctx.startedAt.toISOString() }), version, p.lang));
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep, { vary: 'Accept-Language', cacheControl: LIST_CACHE });
  });

  app.get('/releases/:n', async (request, reply) => {
    const r = completeRelease(request);
    if (!r) { reply.callNotFound(); return reply; }
    const path = `/releases/${r.n}`;
    const json = wantsJson(request, reply, path);
    if (typeof json !== 'boolean') return json;
    const p = page(request, path, r.dataVersion ?? '');
    const version = `release-${r.n}`;
    // Keyed on the release alone: its page is the same whatever data is live.
    const rep = await ctx.cache.getOrBuild(`release|${r.n}|${json ? 'json' : p.lang}`, async () => {
      const m = await model(r);
      return json
        ? new Representation('application/json; charset=utf-8', JSON.stringify(releaseJson(m, ctx.base)), version)
        : new Representation('text/html; charset=utf-8', keepLanguage((await import('../html/release-page.js')).renderReleasePage(m, p), p.lang), version, p.lang);
    });
    if (!rep) { reply.callNotFound(); return reply; }
    return sendRepresentation(request, reply, rep, { vary: 'Accept, Accept-Language', cacheControl: RELEASE_CACHE });
  });

  app.get('/releases/:n/changes/:file', async (request, reply) => {
    const r = completeRelease(request);
    // The name is one of four constants; the request's text is only compared with them.
    const name = CHANGESET_FILES.find((f) => f === (request.params as { file?: string }).file);
    if (!r || !name) { reply.callNotFound(); return reply; }
    return sendStoredFile(request, reply, {
      path: join(dirOf(r.n), CHANGES_DIR, name), type: CHANGE_TYPES[name], filename: `release-${r.n}-${name}`, compressible: !name.endsWith('.gz'),
    });
  });

  app.get('/releases/:n/download/:file', async (request, reply) => {
    const r = completeRelease(request);
    // As /download/ does (routes/download.ts): only a name build-info.json lists for this release's data version.
    const entry = r ? (await allowList(r)).get((request.params as { file?: string }).file ?? '') : undefined;
    if (!r || !entry) { reply.callNotFound(); return reply; }
    const file = { path: join(dirOf(r.n), DOWNLOAD_DIR, entry.name), type: entry.contentType, filename: entry.name, etag: `"sha256-${entry.sha256}"` };
    // A resumed download (src/http/ranges.ts): one byte range of the identity file, 206 or 416.
    const partial = await sendFileRange(request, reply, { ...file, cacheControl: RELEASE_CACHE });
    if (partial) return partial;
    return sendStoredFile(request, reply, { ...file, compressible: !isCompressed(entry) && !hasRange(request) });
  });
};

function isCompressed(entry: DownloadInfo): boolean {
  return entry.contentType === 'application/gzip' || entry.contentType.startsWith('application/vnd.openxmlformats');
}

interface ChangesJson {
  observations: ObservationChange[];
  names: Record<string, Named>;
}

/** Reads what the page shows from the release directory: the first rows of changes.json, the files there are. */
async function releaseModel(release: Release, dir: string, allowed: Promise<Map<string, DownloadInfo>>): Promise<ReleasePageModel> {
  const changesDir = join(dir, CHANGES_DIR);
  const changeFiles: ReleasePageModel['changeFiles'][number][] = [];
  for (const name of CHANGESET_FILES) {
    const st = await stat(join(changesDir, name)).catch(() => undefined);
    if (st?.isFile()) changeFiles.push({ name, bytes: st.size });
  }
  let changes: ReleasePageModel['changes'] = null;
  const parsed = await readFile(join(changesDir, 'changes.json'), 'utf8')
    .then((text) => JSON.parse(text) as Partial<ChangesJson>)
    // A missing or unreadable file: the page says the changes are not available.
    .catch(() => undefined);
  if (Array.isArray(parsed?.observations)) {
    const rows = parsed.observations.slice(0, PAGE_ROWS);
    // Only the names the shown rows need (the file has those of every row).
    const names = new Map<string, Named>();
    for (const o of rows) {
      for (const iri of [o.unit, o.indicator, o.dataset]) {
        const named = iri ? parsed.names?.[iri] : undefined;
        if (iri && named) names.set(iri, named);
      }
    }
    changes = { observations: rows, total: parsed.observations.length, names };
  }
  const downloads = [...(await allowed).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { release, changes, changeFiles, downloads };
}

function releaseJson(m: ReleasePageModel, base: string) {
  const page = `${base}releases/${m.release.n}`;
  return {
    ...publicRelease(m.release, base),
    changes: {
      files: m.changeFiles.map((f) => ({ name: f.name, url: `${page}/changes/${f.name}`, bytes: f.bytes, mediaType: CHANGE_TYPES[f.name] })),
      observationsTotal: m.changes?.total ?? null,
      observations: m.changes?.observations ?? [],
      names: Object.fromEntries(m.changes?.names ?? []),
    },
    downloads: m.downloads.map((d) => ({ name: d.name, url: `${page}/download/${d.name}`, bytes: d.bytes, sha256: d.sha256, mediaType: d.contentType })),
  };
}

/** Whether If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * A file of a release directory, streamed from disk (an old release's dumps can be large and are
 * rarely asked for: not worth a place in the in-memory cache). Saved, not shown: Content-Disposition
 * attachment. A text file is compressed in transit when the client allows (its own ETag then, as
 * RFC 9110 §8.8.3 requires of a different representation); gzip and XLSX files are sent as they are.
 */
async function sendStoredFile(request: FastifyRequest, reply: FastifyReply, f: { path: string; type: string; filename: string; etag?: string; compressible: boolean }): Promise<FastifyReply> {
  const st = await stat(f.path).catch(() => undefined);
  if (!st?.isFile()) { reply.callNotFound(); return reply; }
  const coding = f.compressible && st.size >= 1024 ? negotiateEncoding(request.headers['accept-encoding']) : 'identity';
  // Without a checksum the size and time of writing stand for the bytes: the file is never rewritten.
  const etag = f.etag ?? `"${st.size.toString(36)}-${Math.trunc(st.mtimeMs).toString(36)}"`;
  reply
    .header('ETag', coding === 'identity' ? etag : `${etag.slice(0, -1)}-${coding}"`)
    .header('Cache-Control', RELEASE_CACHE)
    .header('Content-Disposition', `attachment; filename="${f.filename}"`)
    .type(f.type);
  if (f.compressible) reply.header('Vary', 'Accept-Encoding');
  if (matches(request.headers['if-none-match'], reply.getHeader('ETag') as string)) return reply.code(304).send();
  if (coding === 'identity') return reply.header('Content-Length', st.size).send(createReadStream(f.path));
  const zip = coding === 'br' ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: st.size } }) : createGzip();
  // pipeline, not pipe: a read error destroys the compressor too, and Fastify ends the response.
  return reply.header('Content-Encoding', coding).send(pipeline(createReadStream(f.path), zip, () => undefined));
}
