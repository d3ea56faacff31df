import { defineConfig } from 'vitest/config';

/**
 * Two projects: 'embedded', every test on the embedded store (as before), and 'remote', the route,
 * content-negotiation and SPARQL protocol suites again with STORE=remote on a real Virtuoso
 * (tests/remote-setup.ts starts one for the run and loads the build; tests/server-helpers.ts reads
 * LG_TEST_STORE), plus the remote store's own tests.
 */
const REMOTE_SUITES = [
  'tests/routes.test.ts',
  'tests/etag-representations.test.ts',
  'tests/rdf-aliases.test.ts',
  'tests/sparql-protocol.test.ts',
  'tests/sparql-endpoint.test.ts',
  'tests/remote-*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['tests/**/*.test.ts'],
          // The remote store's own tests need the 'remote' project's Virtuoso.
          exclude: ['tests/remote-*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'remote',
          include: REMOTE_SUITES,
          globalSetup: ['tests/global-setup.ts', 'tests/remote-setup.ts'],
          env: { LG_TEST_STORE: 'remote' },
        },
      },
    ],
  },
});
