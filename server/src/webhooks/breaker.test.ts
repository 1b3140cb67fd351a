import { describe, expect, it } from 'vitest';
import { Breaker } from './breaker.ts';
import { Slots } from './slots.ts';

describe('Breaker', () => {
  it('opens after `limit` failures in a row, stays open for the cool-down, then lets one probe decide', () => {
    const b = new Breaker(3, 100);
    expect(b.record(false, 0)).toBeUndefined();
    expect(b.record(true, 1)).toBeUndefined(); // a success resets the count
    expect(b.record(false, 2)).toBeUndefined();
    expect(b.record(false, 3)).toBeUndefined();
    expect(b.state(3)).toBe('closed');
    expect(b.record(false, 10)).toBe('opened');
    expect(b.state(10)).toBe('open');
    expect(b.state(109)).toBe('open');
    expect(b.record(false, 50)).toBeUndefined(); // a request already in flight: no longer open
    expect(b.state(110)).toBe('half-open');
    expect(b.record(false, 110, true)).toBe('opened'); // the probe failed
    expect(b.state(209)).toBe('open');
    expect(b.state(210)).toBe('half-open');
    expect(b.record(true, 210, true)).toBe('closed');
    expect(b.state(210)).toBe('closed');
    expect(b.consecutiveFailures).toBe(0);
  });

  it('never opens with a limit of 0', () => {
    const b = new Breaker(0, 100);
    for (let i = 0; i < 50; i++) expect(b.record(false, i)).toBeUndefined();
    expect(b.state(50)).toBe('closed');
  });
});

describe('Slots', () => {
  it('holds at most `size` at once and serves the waiting in order', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const job = (n: number) =>
      slots.run(async () => {
        order.push(n);
        await new Promise<void>((r) => gates.push(r));
      });
    const all = [1, 2, 3, 4].map(job);
    await Promise.resolve();
    expect(order).toEqual([1, 2]);
    expect(slots.inUse).toBe(2);
    for (let i = 0; i < 4; i++) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(slots.inUse).toBe(0);
  });
});
