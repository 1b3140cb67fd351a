import { ATTRIBUTION_MODELS } from '@funnelhouse/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CreditParams, credit, orderTouches, type Touch } from './attribution.ts';

const DAY = 86_400_000;
const GA: CreditParams = { halfLifeMs: 7 * DAY, first: 0.4, last: 0.4 };
const CONVERTED = Date.UTC(2026, 2, 30, 12);
const touch = (daysBefore: number, value: string, direct = false, session = value): Touch => ({
  at: CONVERTED - daysBefore * DAY,
  session,
  value,
  direct,
});

describe('attribution credit', () => {
  /**
   * Google Ads' attribution models, as summarised at
   * https://marketing-for-newbie.kejyun.com/en/google-ads/conversion/attribution-model: time decay
   * uses a 7-day half-life, so a click 8 days before a conversion gets half the credit of a click
   * 1 day before; its table gives weights 1, 0.5, 0.25 and 0.125 to clicks 1, 8, 15 and 22 days
   * before. Position-based: 40 % to the first and the last interaction, the other 20 % spread
   * evenly over the middle ones; linear: equal shares.
   */
  const path = orderTouches([
    touch(22, 'display'),
    touch(15, 'social'),
    touch(8, 'paid search'),
    touch(1, 'organic search'),
  ]);

  it('time decay gives the Google Ads weights 0.125 : 0.25 : 0.5 : 1, normalised', () => {
    const c = credit('time_decay', path, GA);
    const w = [0.125, 0.25, 0.5, 1];
    expect(c).toEqual(w.map((x) => expect.closeTo(x / 1.875, 12)));
    expect((c[3] ?? 0) / (c[2] ?? 1)).toBeCloseTo(2, 12);
  });

  it('position-based gives 40 / 10 / 10 / 40 over four touches, linear 25 each', () => {
    expect(credit('position_based', path, GA)).toEqual(
      [0.4, 0.1, 0.1, 0.4].map((x) => expect.closeTo(x, 12)),
    );
    expect(credit('linear', path, GA)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(credit('first_touch', path, GA)).toEqual([1, 0, 0, 0]);
    expect(credit('last_touch', path, GA)).toEqual([0, 0, 0, 1]);
  });

  it('last non-direct passes over direct visits (organic search, then direct: organic search)', () => {
    // The Google Analytics example of the model: first through organic search, bought after a
    // direct visit; the direct visit gets nothing.
    const t = orderTouches([touch(3, 'organic search'), touch(0, 'direct', true)]);
    expect(credit('last_non_direct', t, GA)).toEqual([1, 0]);
    expect(credit('last_touch', t, GA)).toEqual([0, 1]);
    // Only direct visits: the last one.
    const d = orderTouches([touch(3, 'direct', true, 'a'), touch(1, 'direct', true, 'b')]);
    expect(credit('last_non_direct', d, GA)).toEqual([0, 1]);
  });

  it('position-based: one touch gets all, two share in proportion to the ends', () => {
    expect(credit('position_based', [touch(1, 'a')], GA)).toEqual([1]);
    expect(credit('position_based', orderTouches([touch(2, 'a'), touch(1, 'b')]), GA)).toEqual([0.5, 0.5]);
    const skew = { ...GA, first: 0.6, last: 0.2 };
    const two = credit('position_based', orderTouches([touch(2, 'a'), touch(1, 'b')]), skew);
    expect(two[0]).toBeCloseTo(0.75, 12);
    expect(two[1]).toBeCloseTo(0.25, 12);
  });

  it('orders ties by session id', () => {
    const t = orderTouches([touch(1, 'b', false, 's2'), touch(1, 'a', false, 's1')]);
    expect(t.map((x) => x.session)).toEqual(['s1', 's2']);
    expect(credit('first_touch', t, GA)).toEqual([1, 0]);
  });

  it('every model gives a conversion a credit of 1, none negative; a single touch gets all of it', () => {
    const params = fc.record({
      halfLifeMs: fc.double({ min: 0.1 * DAY, max: 90 * DAY, noNaN: true }),
      first: fc.double({ min: 0, max: 0.5, noNaN: true }),
      last: fc.double({ min: 0, max: 0.5, noNaN: true }),
    });
    const touches = fc.array(
      fc.record({
        at: fc.integer({ min: CONVERTED - 90 * DAY, max: CONVERTED }),
        session: fc.string({ maxLength: 3 }),
        value: fc.constantFrom('a', 'b', ''),
        direct: fc.boolean(),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(touches, params, (ts, p) => {
        const t = orderTouches(ts);
        for (const m of ATTRIBUTION_MODELS) {
          const c = credit(m, t, p);
          expect(c).toHaveLength(t.length);
          expect(c.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
          for (const x of c) expect(x).toBeGreaterThanOrEqual(0);
          if (t.length === 1) expect(c).toEqual([1]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
