import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * One SHA-256 over everything the build depends on: every file of the data directory, the
 * vocabulary and the shapes, the base URI and the converter's version. `npm start` rebuilds when
 * it differs from the one recorded in build-info.json.
 */
export async function inputsDigest(opts: { dataDir: string; vocabDir: string; shapesDir: string; base: string; version: string }): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`base ${opts.base}\nversion ${opts.version}\n`);
  for (const dir of [opts.dataDir, opts.vocabDir, opts.shapesDir]) {
    const files = (await filesUnder(dir)).sort();
    for (const f of files) {
      hash.update(`${relative(dir, f)}\n`);
      hash.update(await readFile(f));
    }
  }
  return hash.digest('hex');
}
