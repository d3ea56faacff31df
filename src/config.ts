import { z } from 'zod';

/**
 * The service's configuration, read once from the environment at start-up (design.md,
 * "Configuration"). `loadConfig` is pure: tests pass their own env instead of mutating
 * process.env. Every key here is listed in README.md; a test keeps the two in step.
 */
const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    BASE_URI: z.url({ protocol: /^https?$/ }).optional(),
    DATA_DIR: z.string().min(1).default('data'),
    BUILD_DIR: z.string().min(1).default('build'),
    QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    MAX_QUERY_RESULTS: z.coerce.number().int().positive().default(10_000),
    /** Worker threads that hold a copy of the store and run queries (default: 2). */
    QUERY_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** A spreadsheet (XLSX or CSV) larger than this is refused before it is read. */
    MAX_FILE_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
    /** An XLSX whose zip entries unpack to more than this is refused (zip bombs). */
    MAX_UNZIPPED_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  })
  .transform((c) => {
    const base = c.BASE_URI ?? `http://localhost:${c.PORT}/`;
    return { ...c, BASE_URI: base };
  })
  .refine((c) => c.BASE_URI.endsWith('/'), {
    message: 'BASE_URI must end with "/" (every URI we mint is BASE_URI + a path)',
    path: ['BASE_URI'],
  })
  .refine((c) => !/[?#]/.test(c.BASE_URI), {
    message: 'BASE_URI must not have a query or a fragment',
    path: ['BASE_URI'],
  });

export type Config = z.output<typeof schema>;

/** The keys the environment may set, for README's configuration table and its test. */
export const CONFIG_KEYS = [
  'PORT', 'HOST', 'BASE_URI', 'DATA_DIR', 'BUILD_DIR', 'QUERY_TIMEOUT_MS', 'MAX_QUERY_RESULTS', 'QUERY_WORKERS',
  'LOG_LEVEL', 'MAX_FILE_BYTES', 'MAX_UNZIPPED_BYTES',
] as const;

export class ConfigError extends Error {
  readonly code = 'LG_ERR_CONFIG';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const picked: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = i.path.join('.') || '(config)';
      return `${key}=${JSON.stringify(picked[key] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
