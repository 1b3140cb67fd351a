import type { CorrelationCandidate } from '@funnelhouse/schemas';
import { expect, it } from 'vitest';
import { candidateLabel, fmtQ, fmtRatio } from './signals.ts';

it('writes odds ratios with three significant digits', () => {
  expect(fmtRatio(3)).toBe('3');
  expect(fmtRatio(2.456789)).toBe('2.46');
  expect(fmtRatio(0.012345)).toBe('0.0123');
  expect(fmtRatio(123.456)).toBe('123');
  expect(fmtRatio(12_345.6)).toBe('12,346');
  expect(fmtRatio(Number.POSITIVE_INFINITY)).toBe('∞');
});

it('writes q-values to a tenth of a thousandth at least, small ones as a bound', () => {
  expect(fmtQ(0.3)).toBe('0.300');
  expect(fmtQ(0.01706)).toBe('0.017');
  expect(fmtQ(0.005)).toBe('0.0050');
  expect(fmtQ(0.0009)).toBe('< 0.001');
});

it('names a candidate by its kind', () => {
  const c = { kind: 'property', property: 'channel', value: 'social' } as CorrelationCandidate;
  expect(candidateLabel(c)).toBe('channel = social');
  expect(candidateLabel({ ...c, kind: 'event_name', value: 'site_search' })).toBe(
    'Custom event: site_search',
  );
  expect(candidateLabel({ ...c, kind: 'event_type', value: 'pageview' })).toBe('Event: pageview');
});
