import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConvertOutput } from './convert.js';
import { UNITS_FILE } from '../releases/release-units.js';

/** Where the downloads go inside the build directory; the download route serves only from here. */
export const DOWNLOAD_DIR = 'download';

/**
 * Writes the build output so that a reader never sees a half-written file: each file goes to a
 * temporary name in the same directory and is renamed over the old one (rename is atomic on one
 * file system). The downloads go first, then data.nq and units.json (the units the build publishes,
 * for the officials' area: src/releases/release-units.ts), then build-info.json, which names the data
 * version and lists the downloads: a server reads build-info.json, so it sees the new files only
 * once all of them are there. Downloads of an earlier build that this one no longer has are
 * removed last.
 */
export async function writeBuild(dir: string, out: ConvertOutput): Promise<void> {
  const downloads = join(dir, DOWNLOAD_DIR);
  await mkdir(downloads, { recursive: true });
  for (const f of out.files) await atomicWrite(downloads, f.name, f.bytes);
  await atomicWrite(dir, 'data.nq', out.nquads);
  await atomicWrite(dir, UNITS_FILE, `${JSON.stringify(out.units, null, 2)}\n`);
  await atomicWrite(dir, 'build-info.json', `${JSON.stringify(out.info, null, 2)}\n`);
  const kept = new Set(out.files.map((f) => f.name));
  for (const name of await readdir(downloads)) {
    if (!kept.has(name) && !name.startsWith('.')) await rm(join(downloads, name), { force: true });
  }
}

async function atomicWrite(dir: string, name: string, content: string | Buffer): Promise<void> {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, join(dir, name));
  } finally {
    await rm(tmp, { force: true });
  }
}
