import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file under `dir`, its subfolders listed at the same time (the order is set by the caller's sort). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return Promise.resolve(entry.isFile() ? [path] : []);
  }));
  return nested.flat();
}

/**
 * One SHA-256 over everything the build depends on: every file of the data directory, the
 * vocabulary and the shapes, the base URI and the converter's version. `npm start` rebuilds when
 * it differs from the one recorded in build-info.json.
 */
export async function inputsDigest(opts: { dataDir: string; vocabDir: string; shapesDir: string; base: string; version: string }): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`base ${opts.base}\nversion ${opts.version}\n`);
  // Read all at once (a few hundred kilobytes; `npm start` computes this on every start, and one
  // read after another waited on the disk ~50 times), hashed in the same order as ever.
  const dirs = [opts.dataDir, opts.vocabDir, opts.shapesDir];
  const read = await Promise.all(dirs.map(async (dir) => {
    const files = (await filesUnder(dir)).sort();
    return { dir, files, contents: await Promise.all(files.map((f) => readFile(f))) };
  }));
  for (const { dir, files, contents } of read) {
    files.forEach((f, i) => {
      hash.update(`${relative(dir, f)}\n`);
      hash.update(contents[i]!);
    });
  }
  return hash.digest('hex');
}
