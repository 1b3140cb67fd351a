/**
 * Funnel correlation (issue 29): which behaviours or sources separate the units that converted
 * from those that dropped. Each candidate arrives as a 2×2 table of unit counts; these functions
 * give its odds ratio with an interval and a two-sided test of independence, and rank many
 * candidates with the Benjamini–Hochberg false discovery rate over those with enough support.
 */
import { chiSquareSf, criticalValue } from './distributions.ts';
import { benjaminiHochberg } from './multiple.ts';
import type { Interval } from './wilson.ts';

/**
 * Unit counts for one candidate (non-negative integers): rows "did it" / "didn't",
 * columns "converted" / "dropped", as the table [[a, b], [c, d]].
 */
export interface Table2x2 {
  /** Did it and converted. */
  a: number;
  /** Did it and dropped. */
  b: number;
  /** Didn't and converted. */
  c: number;
  /** Didn't and dropped. */
  d: number;
}

export interface OddsRatio {
  /** (a·d)/(b·c), on the corrected table when `corrected`. */
  estimate: number;
  /** ln of the estimate and its standard error √(1/a + 1/b + 1/c + 1/d). */
  logEstimate: number;
  standardError: number;
  /** Woolf's interval, exp(ln OR ± z·SE). */
  interval: Interval;
  /** True when a cell was zero and 0.5 was added to all four cells. */
  corrected: boolean;
}

/**
 * Odds ratio of converting for units that did it against units that didn't, with Woolf's
 * (log, normal) interval at `level`: exp(ln OR ± z·√(1/a + 1/b + 1/c + 1/d)).
 *
 * Haldane–Anscombe correction: when any of the four cells is zero, 0.5 is added to every cell
 * (all four, not only the zero ones) and both the estimate and the interval are computed on
 * that table; `corrected` says so. Without it a zero cell gives an odds ratio of 0 or ∞ and an
 * infinite standard error.
 *
 * Same as statsmodels `Table2x2(t).oddsratio` / `.oddsratio_confint(alpha)` when no cell is zero.
 * With a zero cell statsmodels (0.13.5, and its current source) replaces only the zero cells by
 * 0.5 although its docstring says it adds 0.5 to all cells; here it is added to all, which is
 * `Table2x2(t + 0.5)`.
 */
export function oddsRatio2x2(t: Table2x2, level = 0.95): OddsRatio {
  const corrected = t.a === 0 || t.b === 0 || t.c === 0 || t.d === 0;
  const shift = corrected ? 0.5 : 0;
  const [a, b, c, d] = [t.a + shift, t.b + shift, t.c + shift, t.d + shift];
  const logEstimate = Math.log(a) - Math.log(b) - Math.log(c) + Math.log(d);
  const standardError = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  const z = criticalValue(level);
  return {
    estimate: (a * d) / (b * c),
    logEstimate,
    standardError,
    interval: {
      low: Math.exp(logEstimate - z * standardError),
      high: Math.exp(logEstimate + z * standardError),
    },
    corrected,
  };
}

/**
 * scipy's relative tolerance for "as probable as the observed table": a table counts towards the
 * two-sided p-value when its probability is ≤ (1 + 1e-14)·P(observed), so that tables equally
 * probable in exact arithmetic are not split by rounding. Compared here in log space.
 */
const LOG_TIE = Math.log1p(1e-14);

/** Tables less probable than the observed one by more than e⁻⁶⁰ add nothing at 1e-9. */
const LOG_NEGLIGIBLE = 60;

/**
 * Two-sided Fisher exact p-value, as scipy `fisher_exact(table, alternative='two-sided')`: with
 * the margins fixed, `a` is hypergeometric; the p-value is the total probability of the tables
 * whose probability is ≤ (1 + 1e-14) times the observed one's. 1 when a row or column is empty.
 *
 * Log space, relative to the mode: ln P(x)/P(mode) is accumulated from the mode outwards by the
 * ratio P(x+1)/P(x) = (r₁ − x)(k − x) / ((x + 1)(r₂ − k + x + 1)), so large counts neither
 * overflow nor underflow. Not by log-gamma: sums of lgamma at 10,000 units are off by ~1e-12,
 * above the 1e-14 tolerance, and split ties ([[1505, 995], [3495, 4005]] would lose a fifth of
 * its p-value). The ratio's factors are exact integers (tables under 9·10⁷ units), so a table
 * and its mirror in a symmetric distribution (equal rows or equal columns) get bit-identical sums.
 * The walk stops where tables are e⁻⁶⁰ below the observed one.
 */
export function fisherExact2x2(t: Table2x2): number {
  const r1 = t.a + t.b;
  const r2 = t.c + t.d;
  const k = t.a + t.c;
  const lo = Math.max(0, k - r2);
  const hi = Math.min(k, r1);
  if (lo === hi) return 1;
  const mode = Math.floor(((k + 1) * (r1 + 1)) / (r1 + r2 + 2));
  const up = (x: number) => Math.log(((r1 - x) * (k - x)) / ((x + 1) * (r2 - k + x + 1)));
  const down = (x: number) => Math.log((x * (r2 - k + x)) / ((r1 - x + 1) * (k - x + 1)));

  let observed = 0;
  if (t.a > mode) for (let x = mode; x < t.a; x++) observed += up(x);
  else for (let x = mode; x > t.a; x--) observed += down(x);
  if (observed >= -LOG_TIE) return 1;

  // Σ P(x)/P(mode) over all tables (≥ 1) and Σ P(x)/P(observed) over those as probable or less.
  let total = 1;
  let tail = 0;
  const add = (logWeight: number): boolean => {
    total += Math.exp(logWeight);
    if (logWeight - observed <= LOG_TIE) tail += Math.exp(logWeight - observed);
    return logWeight >= observed - LOG_NEGLIGIBLE;
  };
  let logWeight = 0;
  for (let x = mode; x < hi; x++) {
    logWeight += up(x);
    if (!add(logWeight)) break;
  }
  logWeight = 0;
  for (let x = mode; x > lo; x--) {
    logWeight += down(x);
    if (!add(logWeight)) break;
  }
  return Math.min(1, Math.exp(observed + Math.log(tail) - Math.log(total)));
}

export interface ChiSquare {
  statistic: number;
  /** Upper tail of chi-square with 1 degree of freedom. */
  pValue: number;
}

/**
 * Pearson's chi-square test of independence without continuity correction, as scipy
 * `chi2_contingency(table, correction=False)`: N·(ad − bc)² / (r₁·r₂·c₁·c₂), df 1.
 * @returns null when a row or column is empty (an expected count is 0; scipy raises).
 */
export function chiSquare2x2(t: Table2x2): ChiSquare | null {
  const { a, b, c, d } = t;
  const margins = (a + b) * (c + d) * (a + c) * (b + d);
  if (margins === 0) return null;
  const cross = a * d - b * c;
  const statistic = ((a + b + c + d) * cross * cross) / margins;
  return { statistic, pValue: chiSquareSf(statistic, 1) };
}

export interface IndependenceOptions {
  /** Fisher when an expected count is below this (Cochran's rule: 5). */
  minExpected?: number;
  /** Fisher when the table holds fewer units than this (40). */
  minTotal?: number;
}

export interface IndependenceTest {
  test: 'fisher' | 'chi_square';
  pValue: number;
}

/**
 * Two-sided test of independence for one table, choosing by Cochran's (1954) rule: Fisher's
 * exact test when any expected count r·c/N is below 5 or the total is below 40, Pearson's
 * chi-square (no continuity correction) otherwise. Cochran accepts chi-square from N = 20 when
 * all expected counts are ≥ 5; below 40 Fisher is used anyway, as it is exact and costs a few
 * dozen terms there. An empty row or column has an expected 0, so it goes to Fisher (p = 1).
 */
export function independenceTest2x2(t: Table2x2, options: IndependenceOptions = {}): IndependenceTest {
  const { minExpected = 5, minTotal = 40 } = options;
  const n = t.a + t.b + t.c + t.d;
  const rows = [t.a + t.b, t.c + t.d];
  const cols = [t.a + t.c, t.b + t.d];
  const smallest = (Math.min(...rows) * Math.min(...cols)) / n;
  const chi = n >= minTotal && smallest >= minExpected ? chiSquare2x2(t) : null;
  if (chi !== null) return { test: 'chi_square', pValue: chi.pValue };
  return { test: 'fisher', pValue: fisherExact2x2(t) };
}

export interface Correlation extends IndependenceTest {
  table: Table2x2;
  /** Units that did it, a + b. */
  support: number;
  oddsRatio: OddsRatio;
}

export interface CorrelateOptions extends IndependenceOptions {
  /** Level of the odds ratio's interval, 0.95 unless given. */
  level?: number;
}

/** One candidate: its odds ratio with interval and its test of independence. */
export function correlate2x2(t: Table2x2, options: CorrelateOptions = {}): Correlation {
  return {
    table: t,
    support: t.a + t.b,
    oddsRatio: oddsRatio2x2(t, options.level),
    ...independenceTest2x2(t, options),
  };
}

export interface Candidate<K> {
  key: K;
  table: Table2x2;
}

export interface RankedCorrelation<K> extends Correlation {
  key: K;
  /** Benjamini–Hochberg q-value over the tested candidates. */
  qValue: number;
}

export interface Ranking<K> {
  /** Odds ratio > 1: doing it goes with converting. */
  success: RankedCorrelation<K>[];
  /** Odds ratio < 1: doing it goes with dropping. */
  dropOff: RankedCorrelation<K>[];
  /** Candidates done by fewer than `minSupport` units: not tested, not in the BH family. */
  untested: K[];
}

export interface RankOptions extends CorrelateOptions {
  /** Units who did it (a + b) before a candidate is tested; 30 unless given. */
  minSupport?: number;
}

/**
 * Tests every candidate with at least `minSupport` units who did it, adjusts their p-values
 * together by Benjamini–Hochberg, and splits them by the direction of the odds ratio, each list
 * ordered by p-value, then by |ln OR| (largest first). An odds ratio of exactly 1 is in neither.
 */
export function rankCorrelations<K>(
  candidates: readonly Candidate<K>[],
  options: RankOptions = {},
): Ranking<K> {
  const { minSupport = 30 } = options;
  const tested = candidates.filter((c) => c.table.a + c.table.b >= minSupport);
  const results = tested.map((c) => ({ key: c.key, ...correlate2x2(c.table, options) }));
  const q = benjaminiHochberg(results.map((r) => r.pValue));
  const ranked = results
    .map((r, i) => ({ ...r, qValue: q[i] ?? 1 }))
    .sort(
      (x, y) => x.pValue - y.pValue || Math.abs(y.oddsRatio.logEstimate) - Math.abs(x.oddsRatio.logEstimate),
    );
  return {
    success: ranked.filter((r) => r.oddsRatio.estimate > 1),
    dropOff: ranked.filter((r) => r.oddsRatio.estimate < 1),
    untested: candidates.filter((c) => c.table.a + c.table.b < minSupport).map((c) => c.key),
  };
}
