import { type Config, ConfigError, loadConfig } from '../config.js';
import { ProblemsError, formatProblem } from '../errors.js';
import { fileLimits } from '../convert/check-file.js';
import { type ConvertOptions, type ConvertOutput, convert } from '../convert/convert.js';
import { cliArgs } from './args.js';

/**
 * Shared body of `npm run convert` and `npm run validate`: parse arguments and configuration,
 * run the pipeline, print every problem (file, sheet, row, column, reason) and set the exit code.
 */
export async function runConvert(usage: string, argv: string[], extra: Pick<ConvertOptions, 'downloadDir'> = {}): Promise<ConvertOutput | undefined> {
  let args: ReturnType<typeof cliArgs>;
  try {
    args = cliArgs(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
  if (args.help) {
    console.log(usage);
    return undefined;
  }
  let config: Config;
  try {
    config = loadConfig({ ...process.env, ...(args.base ? { BASE_URI: args.base } : {}) });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exitCode = 2;
    return undefined;
  }
  const dataDir = args.data ?? config.DATA_DIR;
  try {
    return await convert({
      dataDir,
      base: config.BASE_URI,
      limits: fileLimits(config),
      ...extra,
    });
  } catch (e) {
    if (!(e instanceof ProblemsError)) throw e;
    for (const p of e.problems) console.error(formatProblem(p));
    console.error(`\n${e.problems.length} problem(s) in ${dataDir}; nothing was written.`);
    process.exitCode = 1;
    return undefined;
  }
}
