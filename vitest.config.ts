import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real processes, strace and git; two cores do not like many forks at once.
    maxWorkers: 2,
  },
});
