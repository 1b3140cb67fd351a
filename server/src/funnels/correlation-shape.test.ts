import type { FunnelDefinition } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { excludedCandidates, shapeCorrelation } from './correlation-shape.ts';
import type { CorrelationCountRow } from './queries/getCorrelationCounts.ts';

const def: FunnelDefinition = {
  steps: [
    { match: [{ type: 'pageview' }] },
    { match: [{ type: 'add_to_cart' }, { type: 'custom', name: 'cart' }] },
    { match: [{ path: { op: 'exact', value: '/thanks' } }, { type: 'purchase' }] },
    { match: [{ type: 'add_to_cart' }] },
  ],
};

const row = (over: Partial<CorrelationCountRow>): CorrelationCountRow => ({
  kind: 'event_type',
  property: '',
  bucket: '',
  value: '',
  did: 0,
  did_converted: 0,
  found: 4,
  ...over,
});

describe('excludedCandidates', () => {
  it('lists the types and names a later step names, once, at their first step', () => {
    expect(excludedCandidates(def, 0)).toEqual([
      { kind: 'event_type', value: 'add_to_cart', reason: 'defines_step', step: 1 },
      { kind: 'event_type', value: 'custom', reason: 'defines_step', step: 1 },
      { kind: 'event_name', value: 'cart', reason: 'defines_step', step: 1 },
      { kind: 'event_type', value: 'purchase', reason: 'defines_step', step: 2 },
    ]);
    expect(excludedCandidates(def, 2)).toEqual([
      { kind: 'event_type', value: 'add_to_cart', reason: 'defines_step', step: 3 },
    ]);
  });
});

describe('shapeCorrelation', () => {
  it('builds each 2×2 table from the totals row and splits by direction', () => {
    const shaped = shapeCorrelation(
      [
        row({ kind: 'units', did: 100, did_converted: 35 }),
        row({ kind: 'event_name', value: 'site_search', did: 40, did_converted: 20 }),
        row({ kind: 'property', property: 'channel', bucket: 'other', did: 60, did_converted: 15 }),
        row({ kind: 'property', property: 'props.q', bucket: 'empty', did: 10, did_converted: 1 }),
        row({ kind: 'event_type', value: 'click', did: 50, did_converted: 17 }),
      ],
      30,
    );
    expect(shaped.units).toEqual({ converted: 35, dropped: 65 });
    expect(shaped.found).toBe(4);
    expect([shaped.tested, shaped.untested]).toEqual([3, 1]);
    expect(shaped.success.map((c) => [c.value, c.counts])).toEqual([
      ['site_search', { did_converted: 20, did_dropped: 20, not_converted: 15, not_dropped: 45 }],
    ]);
    expect(shaped.drop_off.map((c) => [c.property, c.bucket, c.value])).toEqual([
      ['channel', 'other', 'Other'],
      [undefined, undefined, 'click'],
    ]);
    expect(shaped.success[0]?.odds_ratio).toBeCloseTo(3, 12);
  });

  it('gives each candidate its units and the converted share of each row (null for an empty row)', () => {
    const shaped = shapeCorrelation(
      [
        row({ kind: 'units', did: 100, did_converted: 35 }),
        row({ kind: 'event_name', value: 'site_search', did: 40, did_converted: 20 }),
        row({ kind: 'event_type', value: 'pageview', did: 100, did_converted: 35 }),
      ],
      30,
    );
    const all = [...shaped.success, ...shaped.drop_off];
    expect(all.map((c) => [c.value, c.units, c.converted_share])).toEqual(
      expect.arrayContaining([
        ['site_search', 40, { did: 0.5, did_not: 0.25 }],
        ['pageview', 100, { did: 0.35, did_not: null }],
      ]),
    );
    expect(all).toHaveLength(2);
  });

  it('answers no units with no candidates', () => {
    expect(shapeCorrelation([], 30)).toEqual({
      units: { converted: 0, dropped: 0 },
      found: 0,
      tested: 0,
      untested: 0,
      success: [],
      drop_off: [],
    });
  });
});
