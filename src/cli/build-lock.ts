import { link, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The lock file `npm run convert` holds in its --out folder while it converts and writes. */
export const LOCK_FILE = '.convert.lock';

/** Another live process holds the lock of the folder: the conversion refuses (exit 1). */
export class BuildLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `another conversion (pid ${pid}) is writing into ${dir} (lock ${join(dir, LOCK_FILE)}); ` +
      'nothing was converted: wait for it to finish, then run this one again',
    );
    this.name = 'BuildLockedError';
  }
}

/** Whether a process with this id runs (EPERM: it runs, as another user). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function pidIn(path: string): Promise<number | undefined> {
  try {
    return Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The lock's own temporary files a conversion killed with -9 left (`.convert.lock.{pid}.tmp`
 * written before the link, `.convert.lock.stale.{pid}` while taking a stale lock over): removed
 * when their process no longer runs, so a killed run leaves nothing behind for long.
 */
async function sweepLockLeftovers(dir: string): Promise<void> {
  const pattern = new RegExp(`^${LOCK_FILE.replace(/\./g, '\\.')}\\.(?:(\\d+)\\.tmp|stale\\.(\\d+))$`);
  for (const name of await readdir(dir)) {
    const m = pattern.exec(name);
    const pid = Number(m?.[1] ?? m?.[2]);
    if (m && pid !== process.pid && !alive(pid)) await rm(join(dir, name), { force: true });
  }
}

/**
 * Takes the lock of a build folder: `DIR/.convert.lock`, created exclusively (a link, which fails
 * if it exists) with this process's id already in it, so two conversions into one folder cannot interleave their files (a build whose
 * downloads do not match its build-info.json, issue #11). A lock whose process no longer runs (a
 * conversion killed with -9) is stale and taken over: it is first renamed away, which only one
 * process can do, and put back (exclusively, with link) if it turns out to be live after all.
 * Resolves to the function that releases the lock; throws BuildLockedError if a live process holds it.
 */
export async function takeBuildLock(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  await sweepLockLeftovers(dir);
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written under a name of our own, then linked into place: link() fails if the lock exists
    // (exclusive like O_EXCL) and the lock is never seen without its process id in it.
    const mine = `${path}.${process.pid}.tmp`;
    await writeFile(mine, `${process.pid}\n`);
    try {
      await link(mine, path);
      return async () => {
        if (await pidIn(path) === process.pid) await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await rm(mine, { force: true });
    }
    const holder = await pidIn(path);
    if (holder === undefined) continue; // released meanwhile: try again
    // A lock being written has no pid yet; NaN is read as stale only if it is still empty later.
    if (Number.isNaN(holder)) {
      await new Promise((r) => setTimeout(r, 100));
      const again = await pidIn(path);
      if (again === undefined || !Number.isNaN(again)) continue;
    } else if (alive(holder)) {
      throw new BuildLockedError(dir, holder);
    }
    const aside = `${path}.stale.${process.pid}`;
    try {
      await rename(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process took it over first
      throw e;
    }
    const moved = await pidIn(aside);
    if (moved !== undefined && !Number.isNaN(moved) && alive(moved) && moved !== process.pid) {
      // Between the read and the rename another process took the stale lock over: give it back.
      await link(aside, path).catch(() => undefined);
      await rm(aside, { force: true });
      throw new BuildLockedError(dir, moved);
    }
    await rm(aside, { force: true });
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}
