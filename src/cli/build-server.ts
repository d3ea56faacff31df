/**
 * `npm run build`: bundles the server for `npm start` into dist/server/ with esbuild.
 *
 * Why a bundle: start-up. Loaded module by module, the server's ~600 files (Fastify, zod, N3,
 * sparqljs and ours) cost Node ~110 ms of resolving, stat-ing and reading before a line runs;
 * one bundle removes that (measured with `npm run bench -- --part server`, see README).
 * Type checking stays with `tsc --noEmit` (npm test); esbuild only strips the types.
 *
 * All output goes into one flat folder, so `new URL('./store-worker.js', import.meta.url)` in the
 * worker pool finds the worker from whichever chunk the pool lands in (and the SPARQL parse pool
 * its parse-worker.js, the release builder its child process, build-release-child.js, and the
 * upload checks their thread, check-worker.js).
 * Packages that are loaded lazily or that read files beside their own code stay outside the bundle
 * and load from
 * node_modules as before: Oxigraph (its .wasm), the converter's exceljs, the
 * jsonld.js and rdflib serializers, Fastify's schema compilers, and better-sqlite3 (a native addon).
 * The SHACL engine (shacl-engine) is bundled, into the converter's lazily loaded chunk: its
 * package.json names Comunica for sh:sparql, which we never load (lib/sparql.js, not imported by its
 * index), and as a dependency that put some 390 packages (~86 MB) into the image after
 * `npm prune --omit=dev`; bundled, it is a devDependency and only what it imports is in dist/.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Metafile, build } from 'esbuild';
import { PROJECT_ROOT } from '../project.js';

export const SERVER_BUNDLE_DIR = join(PROJECT_ROOT, 'dist', 'server');

/** Returns esbuild's account of the bundle (which source is in which file, what each file imports): tests/startup-modules.test.ts reads what a start loads from it. */
export async function buildServer(outdir = SERVER_BUNDLE_DIR): Promise<Metafile> {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    // users.js: `npm run users` where the dev tools are gone (the Docker image: node dist/server/users.js).
    entryPoints: ['src/server/main.ts', 'src/store/store-worker.ts', 'src/sparql/parse-worker.ts', 'src/releases/build-release-child.ts', 'src/publish/check-worker.ts', 'src/cli/users.ts'],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true, // the converter and the app load on demand (dynamic import), as unbundled
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // Half the bytes for V8 to parse at start-up; names kept so logged stack traces stay readable
    // (with --enable-source-maps they point into src/).
    minify: true,
    keepNames: true,
    external: [
      'oxigraph', 'exceljs', 'jsonld', 'rdflib',
      // A native addon: it finds its .node binary from its own files (the bindings package).
      'better-sqlite3',
      // Fastify's schema compilers load only if a route declares a schema (lazy-schema-compilers.ts).
      '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler',
      // @fastify/cookie loads the CommonJS `cookie` with import(); bundled, that chunk exported only
      // `default`, so every Set-Cookie threw (stringifySetCookie is not a function) and
      // /publish/login answered 500 from npm start and the image (found by npm run verify-dockerfile).
      '@fastify/cookie',
    ],
    // CommonJS packages inside an ES module bundle call require(); esbuild needs a real one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
    metafile: true,
  });
  return result.metafile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  await buildServer();
  console.log(`bundled the server into ${SERVER_BUNDLE_DIR} in ${Math.round(performance.now() - t0)} ms`);
}
