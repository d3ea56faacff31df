/**
 * The Triple Pattern Fragments interface's path (design.md, fixed paths), on its own so that the
 * route's registration and the pages that link to it do not load the interface's page and strings.
 */
export const FRAGMENTS_PATH = '/fragments';
