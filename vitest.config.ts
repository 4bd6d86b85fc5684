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

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: PGlite instances are CPU-heavy, so keep the file-level parallelism modest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'] } },
      integration('pglite'),
      integration('postgres'),
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false } },
    ],
  },
});
