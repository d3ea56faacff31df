/**
 * Defaults needed before the configuration code (zod) is loaded: main.ts starts loading the build
 * from here. config.ts uses the same constants, so there is one default.
 */
export const DEFAULT_BUILD_DIR = 'build';
