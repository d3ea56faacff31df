import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConvertOutput } from './convert.js';

/**
 * Writes the build output so that a reader never sees a half-written file: each file goes to a
 * temporary name in the same directory and is renamed over the old one (rename is atomic on one
 * file system). build-info.json goes last and names the data version of data.nq.
 */
export async function writeBuild(dir: string, out: ConvertOutput): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['data.nq', out.nquads],
    ['build-info.json', `${JSON.stringify(out.info, null, 2)}\n`],
  ];
  for (const [name, content] of files) {
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, content);
      await rename(tmp, join(dir, name));
    } finally {
      await rm(tmp, { force: true });
    }
  }
}
