import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // Real browsers and real sockets on a shared 2-core machine: one retry keeps a
          // timing hiccup from failing CI; a test that fails twice still fails.
          retry: 1,
          globalSetup: ['tests/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
