import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CURRENT_LINK, buildTempDir, removeLeftovers, switchBuild } from '../convert/build-output.js';
import { DOWNLOAD_DIR } from '../convert/write-build.js';
import { cliArgs } from './args.js';
import { BuildLockedError, takeBuildLock } from './build-lock.js';
import { runConvert } from './run-convert.js';

const USAGE = 'usage: npm run convert -- [--data DIR] [--out DIR] [--base URI]\nConverts the spreadsheets in DIR (default: DATA_DIR or data) to a new build in --out (default: BUILD_DIR or build): --out/builds/{name}/, made current in one step by the link --out/current.\nOn any problem it prints them all, exits 1 and leaves the current build as it was.\nA second conversion into the same --out while one runs refuses (exit 1): the folder is locked (--out/.convert.lock).';

/** The --out folder, or undefined when the arguments are wrong or ask for help (runConvert says so). */
function outDir(argv: string[]): string | undefined {
  try {
    const args = cliArgs(argv);
    return args.help ? undefined : args.out ?? process.env.BUILD_DIR ?? 'build';
  } catch {
    return undefined;
  }
}

const argv = process.argv.slice(2);
const dir = outDir(argv);
let release: (() => Promise<void>) | undefined;
let locked = false;
if (dir !== undefined) {
  try {
    release = await takeBuildLock(dir);
  } catch (e) {
    if (!(e instanceof BuildLockedError)) throw e;
    console.error(e.message);
    process.exitCode = 1;
    locked = true;
  }
}
if (!locked) {
  try {
    // What a killed conversion left goes first, whatever this one's outcome: the lock says no live one is writing.
    if (dir !== undefined) await removeLeftovers(dir);
    // The downloads go straight into the temporary build as they are made (not all held in memory).
    const out = await runConvert(USAGE, argv, dir !== undefined ? { downloadDir: join(buildTempDir(dir), DOWNLOAD_DIR) } : {});
    if (!out && dir !== undefined) await rm(buildTempDir(dir), { recursive: true, force: true });
    if (out && dir !== undefined) {
      const built = await switchBuild(dir, out, { streamed: true });
      console.log(`wrote ${built} (now ${dir}/${CURRENT_LINK} -> ${relative(dir, built)}): ${out.info.quads} quads in ${Object.keys(out.info.graphs).length} graphs (data version ${out.info.dataVersion})`);
      for (const [g, n] of Object.entries(out.info.graphs)) console.log(`  ${n.toString().padStart(7)}  ${g}`);
    }
  } finally {
    await release?.();
  }
}
