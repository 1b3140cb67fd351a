import { defineConfig } from 'vitest/config';
import SlowFirst from './test/slow-first.ts';

// chdb is one engine per process: the default `forks` pool with isolation gives every test file
// its own process (and data directory). `threads` would share one process and crashes chdb.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['{schemas,server,sdk,dashboard,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // The slowest files first, so that the run does not end on one long file (`test/slow-first.ts`).
    sequence: { sequencer: SlowFirst },
  },
});
