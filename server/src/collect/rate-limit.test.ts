import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import { enforce, TokenBuckets } from './rate-limit.ts';

describe('TokenBuckets', () => {
  it('allows a burst, then one request per refill interval, per key', () => {
    let now = 1_000_000;
    const b = new TokenBuckets({ perSecond: 2, burst: 3, now: () => now });
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0]);
    expect(b.take('a')).toBeCloseTo(0.5, 6); // one token every 500 ms
    expect(b.take('b')).toBe(0); // other keys have their own bucket
    now += 250;
    expect(b.take('a')).toBeCloseTo(0.25, 6);
    now += 250;
    expect(b.take('a')).toBe(0);
    now += 10_000; // refills to the burst, not beyond
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('a') > 0]).toEqual([0, 0, 0, true]);
  });

  it('is off at 0 per second', () => {
    const b = new TokenBuckets({ perSecond: 0, burst: 1 });
    for (let i = 0; i < 1000; i++) expect(b.take('a')).toBe(0);
  });

  it('forgets least recently used keys beyond maxKeys, which start full again', () => {
    const now = 0;
    const b = new TokenBuckets({ perSecond: 1, burst: 1, maxKeys: 10, now: () => now });
    b.take('old');
    expect(b.take('old')).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) b.take(`k${i}`);
    expect(b.take('old')).toBe(0);
  });

  it('enforce throws rate_limited with a whole-second Retry-After of at least 1', () => {
    const b = new TokenBuckets({ perSecond: 0.1, burst: 1, now: () => 0 });
    enforce(b, 'a', 'site');
    try {
      enforce(b, 'a', 'site');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('rate_limited');
      expect((err as ApiError).status).toBe(429);
      expect((err as ApiError).headers?.['Retry-After']).toBe('10');
    }
  });
});
