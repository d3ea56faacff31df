import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { csvwName } from '../catalog/download-formats.js';
import type { DownloadInfo } from '../catalog/dumps.js';
import type { BuildInfo } from '../convert/convert.js';
import { DOWNLOAD_DIR } from '../convert/write-build.js';
import { hasRange, rangeFor, sendPartial } from '../http/ranges.js';
import { INDICATOR_CSV_FILE } from '../indicators/indicator-paths.js';
import type { AppContext } from '../server/app-context.js';
import { Representation, sendRepresentation } from '../server/representation.js';

const FILE_CACHE = 'public, max-age=300, must-revalidate';

/** Names the build writes are plain file names; anything else in build-info.json is ignored. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The allow-list: every file of the served build's `download/` that build-info.json lists for the data
 * version the store has loaded. A request names a key of this map or gets a 404; no part of the
 * request path is ever joined onto a directory. A build of another data version lists nothing.
 */
export async function loadAllowList(buildDir: string, dataVersion: string): Promise<Map<string, DownloadInfo>> {
  try {
    const info = JSON.parse(await readFile(join(buildDir, 'build-info.json'), 'utf8')) as Partial<BuildInfo>;
    if (info.dataVersion !== dataVersion || !Array.isArray(info.downloads)) return new Map();
    return new Map(info.downloads.filter((d) => SAFE_NAME.test(d.name)).map((d) => [d.name, d]));
  } catch {
    return new Map();
  }
}

/**
 * `/download/{file}` (design.md): the dumps, the CSVs with their CSVW metadata, the original
 * spreadsheets and all.nq.gz, prepared at conversion time and served as files: the Content-Type of
 * the file (a `.gz` is `application/gzip`, not N-Triples with a Content-Encoding: the client is
 * meant to save the gzip file), `Content-Disposition: attachment` with its name, a strong ETag
 * (for the gzip and XLSX files their SHA-256, the checksum the catalog gives; for text files the
 * data version and a hash, as every document has), `Link: rel="describedby"` to the catalog and, for
 * a CSV, to its CSV on the Web metadata (CSVW §5.2). Text files are compressed in transit when the
 * client allows; gzip and XLSX files are not (they are compressed already). A broken download
 * resumes with `Range` (src/http/ranges.ts: one byte range, 206, If-Range, 416).
 */
export const downloadRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // The allow-list of the build being served, read again when another release goes live.
  let listed: { version: string; dir: string; allowed: Promise<Map<string, DownloadInfo>> } | undefined;
  const current = () => {
    const version = ctx.dataVersion;
    if (listed?.version !== version) {
      const build = ctx.build();
      const allowed = loadAllowList(build.dir, version);
      void allowed.then((a) => {
        if (a.size === 0) app.log.warn({ buildDir: build.dir, dataVersion: version }, 'no downloads for this data version in the build directory');
      });
      listed = { version, dir: join(build.dir, DOWNLOAD_DIR), allowed };
    }
    return listed;
  };
  current();

  app.get('/download/:file', async (request: FastifyRequest, reply: FastifyReply) => {
    const { dir, allowed: pending } = current();
    const allowed = await pending;
    const file = (request.params as { file: string }).file;
    const entry = allowed.get(file);
    if (!entry) {
      // An indicator's figures in every unit, built from the store (src/indicators/indicator-download.ts).
      const indicator = INDICATOR_CSV_FILE.exec(file)?.[1];
      // Its code loads with the first such request, not at start-up (README, "Start-up").
      if (indicator) return (await import('../indicators/indicator-download.js')).sendIndicatorCsv(ctx, request, reply, indicator);
      reply.callNotFound(); return reply;
    }
    const rep = await ctx.cache.getOrBuild(`${ctx.dataVersion}|download|${entry.name}`, async () => {
      const body = await readFile(join(dir, entry.name));
      return new Representation(entry.contentType, body, ctx.dataVersion);
    });
    if (!rep) { reply.callNotFound(); return reply; }
    const links = [`<${ctx.base}catalog>; rel="describedby"; type="text/turtle"`];
    if (entry.name.endsWith('.csv') && allowed.has(csvwName(entry.name.slice(0, -4)))) {
      links.unshift(`<${csvwName(entry.name.slice(0, -4))}>; rel="describedby"; type="application/csvm+json"`);
    }
    // The validator of the identity body: the one a range (and If-Range) refers to.
    const etag = isCompressed(entry) ? `"sha256-${entry.sha256}"` : rep.etag;
    const range = rangeFor(request, reply, rep.body.length, etag);
    reply.header('Content-Disposition', `attachment; filename="${entry.name}"`);
    if (range.kind === 'partial') {
      reply.header('ETag', etag).header('Cache-Control', FILE_CACHE).header('Link', links.join(', ')).type(entry.contentType);
      return sendPartial(reply, rep.body, range);
    }
    // With a Range header (ignored: several ranges, an old If-Range) the whole file goes out as
    // identity too, so its length is the one a resuming client counts in.
    if (isCompressed(entry) || hasRange(request)) return sendFile(request, reply, { body: rep.body, type: entry.contentType, etag, link: links.join(', ') });
    return sendRepresentation(request, reply, rep, { link: links.join(', ') });
  });
};

function isCompressed(entry: DownloadInfo): boolean {
  return entry.contentType === 'application/gzip' || entry.contentType.startsWith('application/vnd.openxmlformats');
}

/** A file sent as it is: validators, conditional request (RFC 9110 §13.1.2), no transfer compression. */
function sendFile(request: FastifyRequest, reply: FastifyReply, f: { body: Buffer; type: string; etag: string; link: string }): FastifyReply {
  reply.header('ETag', f.etag).header('Cache-Control', FILE_CACHE).header('Link', f.link).type(f.type);
  const inm = request.headers['if-none-match'];
  if (inm && (inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === f.etag))) return reply.code(304).send();
  return reply.code(200).send(f.body);
}
