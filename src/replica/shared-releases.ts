/**
 * The publishing instance's releases as a replica sees them on a shared volume: RELEASES_FROM is
 * the publisher's STATE_DIR, where src/releases/release-service.ts keeps each release under
 * releases/{n}/ (data.nq, build-info.json, download/) and names the live one in live.json, written
 * then renamed after every publication. A replica only reads these files.
 *
 * The pointer's own `dir` is not used: it is a path on the publisher's file system, and the shared
 * volume may be mounted elsewhere on a replica. The number is enough: releases/{n} under
 * RELEASES_FROM is the same directory wherever the volume is mounted.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { BuildInfo } from '../convert/convert.js';
import type { LoadedRelease } from '../releases/live-store.js';
import { type OpenOptions, openReleaseStore } from '../store/open-release-store.js';

/** release-service.ts's LIVE_POINTER, not imported: that module brings the whole publishing path with it. */
const LIVE_POINTER = 'live.json';

/** Where release n of the followed publisher is (build-release.ts's releaseDir, under RELEASES_FROM). */
export function sharedReleaseDir(from: string, n: number): string {
  return join(resolve(from), 'releases', String(n));
}

/**
 * The release live.json names: its number, or undefined while there is no live.json yet (the
 * publisher has not published its first release). A file that is not a pointer throws: with the
 * publisher's write-then-rename it is never half-written, so it is something else on the volume.
 */
export async function readLivePointer(from: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(from, LIVE_POINTER), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const n = (JSON.parse(text) as { n?: unknown }).n;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new Error(`${join(from, LIVE_POINTER)} names no release: ${text.slice(0, 200)}`);
  return n;
}

/** build-info.json of a shared release, with the one field everything is keyed on checked. */
export async function readBuildInfo(dir: string): Promise<BuildInfo> {
  const file = join(dir, 'build-info.json');
  const info = JSON.parse(await readFile(file, 'utf8')) as BuildInfo;
  if (typeof info.dataVersion !== 'string' || !/^[0-9a-f]+$/.test(info.dataVersion)) throw new Error(`${file} has no data version`);
  return info;
}

/**
 * Opens release n's store from the shared directory. `ready` rejects (and the store closes itself)
 * when data.nq does not hash to build-info.json's dataVersion, as at start-up: a damaged or
 * half-copied release is never served.
 */
export async function openSharedRelease(config: Config, from: string, n: number, opts: OpenOptions = {}): Promise<{ release: LoadedRelease; ready: Promise<void> }> {
  const dir = sharedReleaseDir(from, n);
  const info = await readBuildInfo(dir);
  const { store, ready } = openReleaseStore(config, { n, dir, info }, opts);
  return { release: { n, dir, info, store }, ready };
}
