import { runConvert } from './run-convert.js';

const USAGE = 'usage: npm run validate -- [--data DIR] [--base URI]\nRuns every check of the converter on DIR (default: DATA_DIR or data) and writes nothing.';

const out = await runConvert(USAGE, process.argv.slice(2));
if (out) console.log(`valid: ${out.info.quads} quads in ${Object.keys(out.info.graphs).length} graphs (data version ${out.info.dataVersion})`);
