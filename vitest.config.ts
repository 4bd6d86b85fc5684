// Three projects: fast unit tests once, and every integration test twice, on the embedded
// PGlite and on the real PostgreSQL (each run creates and drops its own database).
import { defineConfig } from 'vitest/config';

const integration = (db: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: db,
    include: ['test/integration/**/*.test.ts'],
    env: { TEST_DB: db },
  },
});

// CI asks for a JSON report per run (npm test runs the browser tests in a second run, after the
// rest, so the 2-core machine is not running Chromium beside two databases' worth of tests).
const reportDir = process.env.VITEST_REPORT_DIR;
const runName = process.argv.includes('browser') ? 'browser' : process.argv.includes('faults') ? 'faults' : 'main';

export default defineConfig({
  test: {
    reporters: reportDir ? ['default', 'json'] : ['default'],
    outputFile: reportDir ? { json: `${reportDir}/${runName}.json` } : undefined,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: PGlite instances are CPU-heavy, so keep the file-level parallelism modest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'] } },
      integration('pglite'),
      integration('postgres'),
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false } },
      // The fault suite runs alone, one file at a time, on the real PostgreSQL: it kills servers,
      // restarts PostgreSQL itself and drops clients, which would break tests running beside it.
      { extends: true, test: { name: 'faults', include: ['test/faults/**/*.test.ts'], fileParallelism: false, env: { TEST_DB: 'postgres' }, testTimeout: 600_000 } },
    ],
  },
});
