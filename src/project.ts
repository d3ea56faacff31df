import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root (the nearest folder with package.json above this file): vocab/, shapes/ and
 * data/ are found from here, whether the code runs from src/ with tsx or compiled from dist/.
 */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'vocab'))) return d;
    if (dirname(d) === d) throw new Error(`no project root above ${dir}`);
  }
}

let version: string | undefined;

/** The converter's version, from package.json: it goes into the provenance of every dataset. */
export async function projectVersion(): Promise<string> {
  version ??= (JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
