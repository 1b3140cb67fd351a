import type { FunnelDefinition } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { keyLayout } from './units-sql.ts';

const DAY = 86_400_000;
const def = (steps: number, exclusions = 0): FunnelDefinition => ({
  steps: Array.from({ length: steps }, () => ({ match: [{ type: 'pageview' }] })),
  exclusions: Array.from({ length: exclusions }, () => ({
    match: [{ type: 'click' }],
    from_step: 1,
    to_step: 2,
  })),
});

/** Every field's bits, low to high, must be disjoint and fit the key's width. */
function fields(k: ReturnType<typeof keyLayout>, spanMs: number, breakdown: boolean) {
  const width = k.type === 'UInt64' ? 64 : 128;
  const tsBits = Math.ceil(Math.log2(spanMs + 1));
  return { width, bdEnd: breakdown ? 20 : 0, tsEnd: k.tsShift + tsBits };
}

describe('keyLayout', () => {
  it('packs a month-long 4-step funnel with a breakdown into a UInt64', () => {
    const k = keyLayout(def(4, 1), 29 * DAY, true);
    expect(k).toMatchObject({
      type: 'UInt64',
      maskShift: 20,
      rankShift: 25,
      tsShift: 28,
      rankNone: 7,
      exclBit: 4,
    });
    expect(fields(k, 29 * DAY, true).tsEnd).toBeLessThanOrEqual(64);
  });

  it('widens to a UInt128 for the largest definition over the longest span', () => {
    const span = 732 * DAY; // a 366-day range plus a 366-day window
    const k = keyLayout(def(20, 10), span, true);
    expect(k.type).toBe('UInt128');
    expect(k).toMatchObject({ maskShift: 20, rankShift: 50, tsShift: 55, rankNone: 31, exclBit: 20 });
    expect(fields(k, span, true).tsEnd).toBe(91);
  });

  it('keeps the rank of "no step" above every step rank', () => {
    for (let n = 2; n <= 20; n++) expect(keyLayout(def(n), DAY, false).rankNone).toBeGreaterThanOrEqual(n);
  });

  it('chooses the narrow key exactly while the time field fits 64 bits', () => {
    const k = keyLayout(def(20, 10), 1, true); // tsShift 55: 9 bits of time left
    const fits = 2 ** (64 - k.tsShift) - 1;
    expect(keyLayout(def(20, 10), fits, true).type).toBe('UInt64');
    expect(keyLayout(def(20, 10), fits + 1, true).type).toBe('UInt128');
  });
});
