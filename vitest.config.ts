import { defineConfig } from 'vitest/config';

/**
 * Two projects: 'embedded', every test on the embedded store (as before), and 'remote', the route,
 * content-negotiation and SPARQL protocol suites again with STORE=remote on a real Virtuoso
 * (tests/remote-setup.ts starts one for the run and loads the build; tests/server-helpers.ts reads
 * LG_TEST_STORE), plus the remote store's own tests.
 */
/**
 * Tests that measure time, race timers or kill processes at chosen moments, or load the machine on
 * purpose: they run one at a time, after the others, so that another test's load cannot make them
 * fail. The others run two at a time (a CI machine has two cores; most of a test's time is waiting
 * on a child process, a browser or a server): the suite took 15 minutes one file at a time.
 * A test that only waits longer under load (a browser, a conversion, scrypt) is not one of them:
 * accounts, data-cube-ic-endpoint, error-reports, export-static, fragments, hostile-inputs, maps and
 * publish-authz assert nothing about time (their only bounds are guards of a minute or more), nor
 * does convert-crash, whose kills are aimed from events of its own child (its start, its temporary
 * directory appearing): a slower machine moves where they land, and every landing must hold.
 */
const ALONE = [
  'tests/dockerfile.test.ts',
  'tests/hostile-requests.test.ts', 'tests/hostile-server.test.ts',
  'tests/live-store.test.ts', 'tests/metrics.test.ts', 'tests/publish-auth.test.ts', 'tests/publish-crash.test.ts',
  'tests/publish-swap.test.ts', 'tests/read-sheet-bounds.test.ts', 'tests/release-service.test.ts', 'tests/replicas-cache.test.ts',
  'tests/reports-crash.test.ts', 'tests/request-timeout.test.ts', 'tests/sparql-answer-memory.test.ts', 'tests/sparql-engine-crash.test.ts',
  'tests/sparql-fairness.test.ts', 'tests/sparql-limits.test.ts', 'tests/sparql-parse-off-thread.test.ts', 'tests/sparql-queue-deadline.test.ts',
  'tests/sparql-refusal-log.test.ts', 'tests/sparql-result-bytes.test.ts', 'tests/start.test.ts', 'tests/store-document-load.test.ts',
  'tests/store.test.ts', 'tests/upload-isolation.test.ts', 'tests/utf8-request-target.test.ts', 'tests/zip-inflate-limit.test.ts',
];

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
          exclude: ['tests/remote-*.test.ts', ...ALONE],
          globalSetup: ['tests/global-setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'embedded-alone',
          include: ALONE,
          globalSetup: ['tests/global-setup.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'remote',
          include: REMOTE_SUITES,
          globalSetup: ['tests/global-setup.ts', 'tests/remote-setup.ts'],
          env: { LG_TEST_STORE: 'remote' },
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
