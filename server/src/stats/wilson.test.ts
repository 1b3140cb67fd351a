import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.ts';

/**
 * Reference values from statsmodels 0.13.5 (Debian python3-statsmodels 0.13.5+dfsg-7):
 *   from statsmodels.stats.proportion import proportion_confint
 *   proportion_confint(count, nobs, alpha=0.05, method='wilson')
 */
const REFERENCE: [number, number, number, number][] = [
  [0, 10, 0.0, 0.27753279986288926],
  [1, 10, 0.017876213095072924, 0.40415002679523854],
  [5, 10, 0.23659309051256394, 0.7634069094874361],
  [10, 10, 0.7224672001371106, 1.0],
  [81, 263, 0.2552885198782742, 0.36620957698280004],
  [250, 1000, 0.2241530989836914, 0.27776028025908617],
  [1, 1, 0.2065493143772374, 1.0],
  [3, 7, 0.15821985525146964, 0.7495416354723428],
  [999, 1000, 0.9943574414020421, 0.9998234536293739],
];

describe('wilsonInterval', () => {
  it.each(REFERENCE)('%i of %i matches statsmodels', (x, n, low, high) => {
    const ci = wilsonInterval(x, n);
    expect(ci?.low).toBeCloseTo(low, 12);
    expect(ci?.high).toBeCloseTo(high, 12);
  });

  it('has no interval without trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
