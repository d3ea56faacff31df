/**
 * The static export's size and time (part of `npm run bench`, `--part export`; issue #13: "size
 * and time of the export"). The shipped data is converted into a temp directory and the real app
 * (worker store) is exported whole by src/export/ into another, as `npm run export-static -- --build
 * DIR` does. Printed: pages, files, megabytes by kind (HTML, RDF variants, downloads, other), the
 * size gzipped file by file (what nginx's gzip sends over a slow link), the seconds and the time
 * per page, and, as the baseline from the same build, the dump all.nq.gz and data.nq: how many
 * times the whole data the copy weighs.
 */
import { readFile, readdir, rm, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';
import { convert } from '../src/convert/convert.js';
import { writeBuild } from '../src/convert/write-build.js';
import { exportSite } from '../src/export/export-site.js';
import { PROJECT_ROOT } from '../src/project.js';
import { buildApp } from '../src/server/app.js';
import { createWorkerStore } from '../src/store/worker-pool.js';

const MB = (n: number) => +(n / 1e6).toFixed(1);

/** Sum of each file gzipped on its own (level 6, nginx's default is 1: this is the smaller bound); compressed files as they are. */
async function gzippedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const body = await readFile(join(e.parentPath, e.name));
    total += /\.(gz|xlsx|ico)$/.test(e.name) ? body.length : gzipSync(body).length;
  }
  return total;
}

export async function exportBench(opts: { concurrency?: number } = {}): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'lg-bench-export-'));
  const base = 'http://localhost:3000/';
  try {
    const build = join(tmp, 'build');
    const out = await convert({ dataDir: join(PROJECT_ROOT, 'data'), base, limits: fileLimits(loadConfig({})) });
    await writeBuild(build, out);
    const config = loadConfig({ BASE_URI: base, LOG_LEVEL: 'silent', BUILD_DIR: build });
    const store = await createWorkerStore({ nquadsPath: join(build, 'data.nq'), dataVersion: out.info.dataVersion, timeoutMs: config.QUERY_TIMEOUT_MS, built: { quads: out.info.quads, graphs: out.info.graphs } });
    const app = await buildApp({ config, store, logger: false });
    try {
      const cpu = process.cpuUsage();
      const s = await exportSite({ app, out: join(tmp, 'site'), base, concurrency: opts.concurrency ?? 4 });
      const used = process.cpuUsage(cpu);
      const gz = await gzippedBytes(join(tmp, 'site'));
      const dump = (await stat(join(build, 'download', 'all.nq.gz'))).size;
      const nq = (await stat(join(build, 'data.nq'))).size;
      console.log(`\nStatic export of the shipped data (${out.info.quads} quads, data version ${s.dataVersion}), concurrency ${opts.concurrency ?? 4}:`);
      console.table([{
        pages: s.pages, 'HTML files': s.pages * 3, files: s.files, 'total MB': MB(s.bytes),
        'HTML MB': MB(s.bytesByKind.html ?? 0), 'RDF MB': MB(s.bytesByKind.rdf ?? 0), 'downloads MB': MB(s.bytesByKind.download ?? 0), 'other MB': MB(s.bytesByKind.other ?? 0),
        'gzipped MB': MB(gz), seconds: +(s.ms / 1000).toFixed(1), 'CPU s (process, all threads)': +((used.user + used.system) / 1e6).toFixed(1), 'ms per page (3 languages + variants)': +(s.ms / s.pages).toFixed(1),
      }]);
      console.log(`baseline from the same build: all.nq.gz ${MB(dump)} MB, data.nq ${MB(nq)} MB; the copy is ${(s.bytes / nq).toFixed(0)}x data.nq (${(gz / nq).toFixed(1)}x gzipped file by file)`);
      const skipped = Object.entries(s.skipped);
      if (skipped.length > 0) console.log(`not in the copy: ${skipped.map(([p, c]) => `${p} (${c})`).join(', ')}`);
    } finally {
      await app.close();
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
