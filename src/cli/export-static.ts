/**
 * `npm run export-static -- --out DIR [--build DIR] [--concurrency N]` (design.md, "Commands"):
 * the whole site as files, for a USB stick and for any static web server (src/export/).
 *
 * The site exported is the one `npm start` would serve: the live release of STATE_DIR, converted
 * from DATA_DIR first if that has changed (src/server/start.ts launch), with the configuration of
 * the environment (BASE_URI: the online address the copy's links to its services go to). With
 * --build, a plain build directory (`npm run convert`'s output, e.g. build/current) instead.
 * Exit 0 only when the copy is complete; the figures (pages, files, size, time) go to stdout.
 */
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from '../config.js';
import { exportSite } from '../export/export-site.js';
import { appOnBuild, readBuildInfo } from '../server/app-on-build.js';
import { launch } from '../server/start.js';

const USAGE = `usage: npm run export-static -- --out DIR [--build DIR] [--concurrency N]
Writes the whole site as files into DIR (empty or new): every page in tg, ru and en, every RDF
variant, the downloads, the catalog and an offline search. Open DIR/index.html from a USB stick,
or serve DIR with deploy/nginx/static-export.conf. Without --build it exports what npm start
serves (the live release of STATE_DIR, converting DATA_DIR first if it changed).`;

/** The app on a plain build directory; its base is the build's unless BASE_URI says otherwise. */
async function appOnBuildDir(dir: string, env: NodeJS.ProcessEnv): Promise<{ app: FastifyInstance; base: string }> {
  const info = await readBuildInfo(dir);
  const config = loadConfig({ ...env, BUILD_DIR: dir, BASE_URI: env.BASE_URI ?? info.baseUri, LOG_LEVEL: 'silent' });
  return { app: await appOnBuild(config, dir, info), base: config.BASE_URI };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string' }, build: { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const concurrency = Number(args.concurrency ?? 4);
  if (!args.out || !Number.isInteger(concurrency) || concurrency < 1) {
    console.error(USAGE);
    return 2;
  }
  let app: FastifyInstance;
  let base: string;
  try {
    if (args.build) {
      ({ app, base } = await appOnBuildDir(args.build, process.env));
    } else {
      const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
      const launched = await launch(config, { logger: false });
      await launched.ready;
      app = launched.app;
      base = config.BASE_URI;
    }
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : `the site to export does not load: ${(e as Error).message}`);
    return 1;
  }
  try {
    let last = 0;
    const summary = await exportSite({
      app,
      out: args.out,
      base,
      concurrency,
      onProgress: (done, queued) => {
        if (process.stderr.isTTY && Date.now() - last > 1_000) {
          last = Date.now();
          process.stderr.write(`\r${done} / ${queued}`);
        }
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\r');
    const mb = (n: number) => (n / 1e6).toFixed(1);
    console.log(`exported ${base} (data version ${summary.dataVersion}) to ${args.out}: ${summary.pages} pages in 3 languages, ${summary.files} files, ${mb(summary.bytes)} MB ` +
      `(HTML ${mb(summary.bytesByKind.html ?? 0)}, RDF ${mb(summary.bytesByKind.rdf ?? 0)}, downloads ${mb(summary.bytesByKind.download ?? 0)}, other ${mb(summary.bytesByKind.other ?? 0)}) in ${(summary.ms / 1000).toFixed(1)} s`);
    const skipped = Object.entries(summary.skipped);
    if (skipped.length > 0) console.log(`not in the copy (their links go to the online service): ${skipped.map(([p, s]) => `${p} (${s})`).join(', ')}`);
    return 0;
  } catch (e) {
    console.error(`the export failed: ${(e as Error).message}`);
    return 1;
  } finally {
    await app.close();
  }
}

// Exits when done: the store's worker threads and the SPARQL parse workers may outlive app.close()
// by their idle timers, and a command that is finished should not wait for them.
process.exit(await main());
