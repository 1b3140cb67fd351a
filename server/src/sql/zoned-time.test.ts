import { describe, expect, it } from 'vitest';
import { zonedBounds, zonedMidnight } from './zoned-time.ts';

describe('zonedBounds', () => {
  it('reads bare dates as midnight in the zone, and a bare `to` as the whole day', () => {
    expect(zonedBounds('2026-03-10', '2026-03-10', 'UTC')).toEqual({
      from: Date.UTC(2026, 2, 10),
      to: Date.UTC(2026, 2, 11),
    });
    // Berlin is UTC+1 in winter.
    expect(zonedBounds('2026-03-10', '2026-03-10', 'Europe/Berlin').from).toBe(Date.UTC(2026, 2, 9, 23));
  });

  it('handles days that are 23 or 25 hours long', () => {
    // 2026-03-29: Berlin moves from UTC+1 to UTC+2; 2026-10-25 back.
    expect(zonedMidnight('2026-03-30', 'Europe/Berlin') - zonedMidnight('2026-03-29', 'Europe/Berlin')).toBe(
      23 * 3_600_000,
    );
    expect(zonedMidnight('2026-10-26', 'Europe/Berlin') - zonedMidnight('2026-10-25', 'Europe/Berlin')).toBe(
      25 * 3_600_000,
    );
    expect(zonedMidnight('2026-01-01', 'America/New_York')).toBe(Date.UTC(2026, 0, 1, 5));
  });

  it('takes instants with an offset as written and naive ones as wall time in the zone', () => {
    const r = zonedBounds('2026-03-10T12:00:00+02:00', '2026-03-10T12:00:00', 'Asia/Tokyo');
    expect(r.from).toBe(Date.UTC(2026, 2, 10, 10));
    expect(r.to).toBe(Date.UTC(2026, 2, 10, 3));
  });
});
