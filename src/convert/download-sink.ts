import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DownloadFile, type DownloadInfo, describeFile } from '../catalog/dumps.js';
import { writeDurably } from './write-build.js';

/**
 * Where the converter puts each download as soon as it is made (issue #12, "stream the dumps"):
 * either kept in memory for writeBuild (ConvertOutput.files: the tests' and the small callers'
 * way), or written at once, flushed to disk, into the build's `download/` directory, so that the
 * converter holds one file at a time rather than every dump and slice of the country (at 10x, more
 * than a GB of buffers). Either way it returns what build-info.json lists of each.
 *
 * The directory is made at the first file: a conversion that fails its checks writes nothing. It
 * lies inside a temporary build directory that becomes a build only by a rename (write-build.ts),
 * so a kill -9 while the downloads are written leaves no partial build, only a directory the next
 * run sweeps.
 */
export interface DownloadSink {
  put(file: DownloadFile): Promise<DownloadInfo>;
  /** The files kept in memory (none when they go to a directory). */
  readonly kept: DownloadFile[];
}

export function downloadSink(dir: string | undefined): DownloadSink {
  const names = new Set<string>();
  const kept: DownloadFile[] = [];
  let made = false;
  return {
    kept,
    async put(file) {
      if (names.has(file.name)) throw new Error(`two downloads are named ${file.name}`);
      names.add(file.name);
      const info = describeFile(file);
      if (dir === undefined) {
        kept.push(file);
        return info;
      }
      if (!made) {
        await mkdir(dir, { recursive: true });
        made = true;
      }
      await writeDurably(join(dir, file.name), file.bytes);
      return info;
    },
  };
}
