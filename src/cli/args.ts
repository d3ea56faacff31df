import { parseArgs } from 'node:util';

/** `--data DIR --out DIR --base URI`, shared by the convert and validate commands. */
export function cliArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      base: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  return values;
}
