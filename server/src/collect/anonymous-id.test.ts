import { describe, expect, it } from 'vitest';
import { DailySalt } from './anonymous-id.ts';

const DAY = 86_400_000;
const noon = Date.UTC(2026, 2, 10, 12);
const UA = 'Mozilla/5.0 Chrome/131';

describe('DailySalt (cookieless visitor ids)', () => {
  it('is stable within a UTC day and differs across days', () => {
    const s = new DailySalt();
    const start = s.visitorId('site', '203.0.113.7', UA, Date.UTC(2026, 2, 10, 0, 0, 0, 0));
    expect(s.visitorId('site', '203.0.113.7', UA, noon)).toBe(start);
    expect(s.visitorId('site', '203.0.113.7', UA, Date.UTC(2026, 2, 10, 23, 59, 59, 999))).toBe(start);
    const next = s.visitorId('site', '203.0.113.7', UA, noon + DAY);
    expect(next).not.toBe(start);
    expect(s.visitorId('site', '203.0.113.7', UA, noon + 2 * DAY)).not.toBe(next);
  });

  it('forgets old salts: returning to an earlier day gives a new id, not the old one', () => {
    const s = new DailySalt();
    const day1 = s.visitorId('site', '203.0.113.7', UA, noon);
    s.visitorId('site', '203.0.113.7', UA, noon + DAY);
    expect(s.visitorId('site', '203.0.113.7', UA, noon)).not.toBe(day1);
  });

  it('separates sites, addresses and user agents, and hides the address', () => {
    const s = new DailySalt();
    const id = s.visitorId('site', '203.0.113.7', UA, noon);
    expect(s.visitorId('other', '203.0.113.7', UA, noon)).not.toBe(id);
    expect(s.visitorId('site', '203.0.113.8', UA, noon)).not.toBe(id);
    expect(s.visitorId('site', '203.0.113.7', `${UA}x`, noon)).not.toBe(id);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(id).not.toContain('203');
  });

  it('uses a random salt: two servers give different ids the same day', () => {
    expect(new DailySalt().visitorId('s', '203.0.113.7', UA, noon)).not.toBe(
      new DailySalt().visitorId('s', '203.0.113.7', UA, noon),
    );
  });
});
