/**
 * Content-addressed files under STATE_DIR/blobs: an uploaded workbook is stored once under its
 * SHA-256 and named by it everywhere else (uploads, releases). A file is written to a temporary
 * name, flushed to disk, then renamed into place, so a blob that exists is complete; a kill -9
 * leaves at most a temporary file, which `sweepBlobTemps` removes at start-up.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const HEX64 = /^[0-9a-f]{64}$/;

export class BlobStore {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'blobs');
    mkdirSync(this.dir, { recursive: true });
  }

  /** Stores the bytes (once: an existing blob is not rewritten) and returns their SHA-256. */
  put(bytes: Buffer): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const final = this.path(sha256);
    const sub = join(this.dir, sha256.slice(0, 2));
    mkdirSync(sub, { recursive: true });
    const tmp = join(sub, `.${sha256}.${process.pid}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, final);
    return sha256;
  }

  /** The file of a blob; the hash is checked first, so no caller can name a path with it. */
  path(sha256: string): string {
    if (!HEX64.test(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.path(sha256));
  }

  /** Removes temporary files a killed process left behind (never a complete blob). */
  sweepTemps(): number {
    let removed = 0;
    for (const sub of readdirSync(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      for (const name of readdirSync(join(this.dir, sub))) {
        if (name.endsWith('.tmp')) {
          rmSync(join(this.dir, sub, name), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}
