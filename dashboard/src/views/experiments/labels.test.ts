import { describe, expect, it } from 'vitest';
import { fmtP, fmtSigned, metricLabel } from './labels.ts';

describe('experiment labels', () => {
  it('name metrics, and format p-values and signed differences', () => {
    expect(metricLabel({ kind: 'revenue_per_visitor' })).toBe('revenue per visitor');
    expect(metricLabel({ kind: 'property_sum', property: 'items' })).toBe('property sum');
    expect([fmtP(0.01234), fmtP(0.00001), fmtP(null)]).toEqual(['0.0123', '< 0.0001', '–']);
    expect([fmtSigned(0.0123), fmtSigned(-1.5), fmtSigned(0)]).toEqual(['+0.012', '−1.5', '±0']);
  });
});
