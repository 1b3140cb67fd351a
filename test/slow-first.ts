import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that took longest in CI (seconds on 2 workers, run of 2026-12-07), slowest first.
 * Started first, they no longer end the run alone: without this, a fresh clone (no timing cache)
 * ordered files by size and the 56 s kill -9 test started last. Files not listed keep vitest's
 * own order after these. A stale list only costs time, never a result.
 */
const SLOW_FIRST = [
  'test/integration/import.test.ts', // 324
  'test/integration/corpus.test.ts', // 209
  'test/integration/fuzz.test.ts', // 116
  'test/carts/fold.property.test.ts', // 114
  'test/funnels/levels.property.test.ts', // 102
  'test/experiments/sums.property.test.ts', // 81
  'test/fault/dedup-mutation.test.ts', // 72
  'test/cluster/queries.test.ts', // 71
  'test/fault/outage.test.ts', // 68
  'test/integration/report-isolation.test.ts', // 64
  'test/funnels/engine.property.test.ts', // 60
  'test/fault/kill9.test.ts', // 56
  'test/fault/spool.test.ts', // 41
  'test/integration/funnels-api.test.ts', // 33
  'test/carts/seed.test.ts', // 31
];

export default class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
