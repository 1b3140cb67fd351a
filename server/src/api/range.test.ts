import { describe, expect, it } from 'vitest';
import { relativeDays } from './range.ts';

describe('relative ranges', () => {
  it.each([
    ['today', '2026-03-15', '2026-03-15', '2026-03-15'],
    ['yesterday', '2026-03-01', '2026-02-28', '2026-02-28'],
    ['7d', '2026-03-03', '2026-02-25', '2026-03-03'],
    ['30d', '2026-03-15', '2026-02-14', '2026-03-15'],
    ['month', '2026-03-15', '2026-03-01', '2026-03-15'],
    ['last_month', '2026-03-15', '2026-02-01', '2026-02-28'],
    ['last_month', '2026-01-31', '2025-12-01', '2025-12-31'],
    ['12mo', '2026-03-15', '2025-04-01', '2026-03-15'],
    ['12mo', '2028-02-29', '2027-03-01', '2028-02-29'],
  ] as const)('%s on %s is %s .. %s', (range, today, from, to) => {
    expect(relativeDays(range, today)).toEqual({ from, to });
  });
});
