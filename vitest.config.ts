import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Starts one real PostgreSQL and one real Temporal dev server for the whole run.
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two test files at a time keeps the servers responsive.
    maxWorkers: 2,
    // The default report for people, then one plain closing line for CI's log reader.
    reporters: ['default', './tests/support/plain-summary.reporter.ts'],
  },
})
