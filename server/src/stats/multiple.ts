/**
 * Multiple comparisons: several treatments, or several metrics, each tested at α would find
 * "something" far more often than α. Holm's step-down procedure controls the family-wise error
 * rate like Bonferroni but rejects at least as often. When many candidates are screened (funnel
 * correlation), Benjamini–Hochberg controls the false discovery rate instead, and finds more.
 */

/**
 * Holm–Bonferroni adjusted p-values, in the input order (as statsmodels
 * `multipletests(p, method='holm')[1]`): sort ascending, multiply the i-th smallest (from 0) by
 * m − i, carry the running maximum so the order is kept, cap at 1. Rejecting where the adjusted
 * value is ≤ α is Holm's procedure at level α.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Benjamini–Hochberg q-values, in the input order (as R `p.adjust(p, method = "BH")`): with the
 * values sorted ascending, q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j) (ranks from 1). Rejecting
 * where q ≤ α controls the false discovery rate at α for independent (or positively dependent)
 * tests: among many candidates, the expected share of false signals among those reported.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  order.forEach(({ p, i }, fromTop) => {
    // (m / j)·p in this order, as R: never below p in floating point.
    running = Math.min(running, (m / (m - fromTop)) * p);
    adjusted[i] = running;
  });
  return adjusted;
}
