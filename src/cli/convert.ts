import { writeBuild } from '../convert/write-build.js';
import { runConvert } from './run-convert.js';

const USAGE = 'usage: npm run convert -- [--data DIR] [--out DIR] [--base URI]\nConverts the spreadsheets in DIR (default: DATA_DIR or data) to N-Quads in --out (default: BUILD_DIR or build).\nOn any problem it prints them all, exits 1 and leaves --out as it was.';

const argv = process.argv.slice(2);
const out = await runConvert(USAGE, argv);
if (out) {
  const { cliArgs } = await import('./args.js');
  const dir = cliArgs(argv).out ?? process.env.BUILD_DIR ?? 'build';
  await writeBuild(dir, out);
  console.log(`wrote ${dir}/data.nq: ${out.info.quads} quads in ${Object.keys(out.info.graphs).length} graphs (data version ${out.info.dataVersion})`);
  for (const [g, n] of Object.entries(out.info.graphs)) console.log(`  ${n.toString().padStart(7)}  ${g}`);
}
