import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSequential,
  confidenceSequenceHalfWidth,
  sequentialPValue,
  sequentialRho,
} from './sequential.ts';
import { expectRel } from './testing.ts';

/**
 * Reference values: the paper's formulas (see sequential.ts) evaluated in numpy 2.4 —
 *   rho = sqrt((l + log(l + 1))/N), l = −2·log(α)
 *   hw = sqrt(se2·n · 2k/(n²ρ²) · log(sqrt(k)/α)), k = nρ² + 1
 *   p = min(1, sqrt(k)·exp(−d²·n·ρ²/(2·se2·k)))
 * The same forms are in GrowthBook's gbstats (`sequential_rho`, "eq. 161";
 * `sequential_interval_halfwidth`, "eq. 9"; `sequential_p_value`, "eq. 155"). That the
 * sequence keeps its promise is checked by simulation in simulation.test.ts.
 */
describe('confidence sequence', () => {
  it('ρ for α = 0.05, n* = 5000 and α = 0.01, n* = 20000', () => {
    expectRel(sequentialRho(0.05, 5000), 0.03984006677137368, 1e-12);
    expectRel(sequentialRho(0.01, 20000), 0.02401430963062984, 1e-12);
  });

  it.each([
    [4e-5, 10000, 0.02, 0.05, 5000, 0.019362482032677705, 0.037223329929311114],
    [0.25, 400, 1.2, 0.05, 5000, 2.042932115792552, 0.4178521324834602],
    [1e-4, 50000, 0.05, 0.01, 20000, 0.036115353765107355, 3.0948387868000585e-5],
    [4e-5, 10000, 0.01, 0.05, 5000, 0.019362482032677705, 1],
  ])('se² %d, n %d, Δ %d, α %d, n* %d', (se2, n, d, alpha, plannedN, half, p) => {
    const rho = sequentialRho(alpha, plannedN);
    expectRel(confidenceSequenceHalfWidth(se2, n, rho, alpha), half, 1e-12);
    expectRel(sequentialPValue(d, se2, n, rho), p, 1e-11);
  });

  it('is wider than the fixed-horizon interval, also at the planned size', () => {
    const half = confidenceSequenceHalfWidth(4e-5, 5000, sequentialRho(0.05, 5000), 0.05);
    expect(half).toBeGreaterThan(1.959963984540054 * Math.sqrt(4e-5));
  });

  it('rejects at α exactly when the sequence excludes 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.integer({ min: 10, max: 1e6 }),
        (d, se2, n) => {
          const control = { n: Math.floor(n / 2), value: 0, variance: se2 / 2 };
          const treatment = { n: n - Math.floor(n / 2), value: d, variance: se2 / 2 };
          const r = compareSequential(control, treatment, { plannedN: 5000 });
          const excludes = r.absolute.interval.low > 0 || r.absolute.interval.high < 0;
          const margin = Math.abs(Math.abs(d) - (r.absolute.interval.high - d)) < 1e-9 * (1 + Math.abs(d));
          return margin || excludes === r.pValue < 0.05;
        },
      ),
    );
  });
});
