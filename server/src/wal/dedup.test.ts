import { describe, expect, it } from 'vitest';
import type { EventRow } from '../enrich/row.ts';
import { firstInBatch, lookupWindow } from './dedup.ts';

const row = (event_id: string, ts: number, source: EventRow['source'] = 'browser') =>
  ({ site_id: 's', event_id, ts, source }) as EventRow;
const at = (iso: string) => Date.parse(iso);
const margins = { browserMs: 5 * 60_000, trustedMs: 300_000 };

describe('lookupWindow', () => {
  it('covers each row within its margin, on the days that touches', () => {
    const w = lookupWindow(
      [row('a', at('2026-03-10T12:00:00Z')), row('b', at('2026-03-10T12:00:30Z'))],
      margins,
    );
    expect(w).toEqual({
      days: ['2026-03-10'],
      fromMs: at('2026-03-10T11:55:00Z'),
      toMs: at('2026-03-10T12:05:30Z'),
    });
  });

  it('takes the day before or after when a margin crosses midnight (UTC)', () => {
    expect(lookupWindow([row('a', at('2026-03-10T00:02:00Z'))], margins).days).toEqual([
      '2026-03-09',
      '2026-03-10',
    ]);
    expect(lookupWindow([row('a', at('2026-03-10T23:58:00Z'))], margins).days).toEqual([
      '2026-03-10',
      '2026-03-11',
    ]);
  });

  it('lists only the days an import batch falls on, not the months between', () => {
    const w = lookupWindow(
      [row('a', at('2025-01-05T12:00:00Z'), 'import'), row('b', at('2026-02-01T12:00:00Z'), 'server')],
      { browserMs: 5 * 60_000, trustedMs: 0 },
    );
    expect(w.days).toEqual(['2025-01-05', '2026-02-01']);
    expect([w.fromMs, w.toMs]).toEqual([at('2025-01-05T12:00:00Z'), at('2026-02-01T12:00:00Z')]);
  });
});

describe('firstInBatch', () => {
  it('keeps the first of each id per space, whatever its ts', () => {
    const kept = firstInBatch([
      row('x', 1),
      row('x', 9e12),
      row('x', 2, 'server'),
      row('y', 3),
      row('x', 4, 'import'),
    ]);
    expect(kept.map((r) => [r.event_id, r.ts])).toEqual([
      ['x', 1],
      ['x', 2],
      ['y', 3],
    ]);
  });
});
