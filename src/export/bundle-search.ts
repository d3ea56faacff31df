import { build } from 'esbuild';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project.js';

/**
 * search.js: the offline search's script (offline-search-client.ts with the folding code it
 * imports), one minified file for the browser, made by esbuild (already the bundler of
 * `npm start`'s build, src/cli/build-server.ts). No source map: the copy is for reading, not debugging.
 */
export async function bundleSearchScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, 'src', 'export', 'offline-search-client.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019'],
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild wrote no search script');
  return file.text;
}
