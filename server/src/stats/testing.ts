/** Assertions shared by the stats tests (imported only by `*.test.ts`). */
import { expect } from 'vitest';

/** |actual − expected| ≤ tol·|expected|, or ≤ tol absolutely when expected is 0. */
export function expectRel(actual: number, expected: number, tol = 1e-9): void {
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tol * scale);
}
