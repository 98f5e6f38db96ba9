import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/plainSummaryReporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store, CLI and server tests spawn processes and share a 2-core machine.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
