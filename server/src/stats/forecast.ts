/**
 * Orders and revenue forecast from a short daily history, and the traffic a target needs.
 *
 * Model (chosen for small shops with a few weeks of data, where anything richer mostly fits noise):
 * - Traffic: expected visitors on a future day = the mean of the history's days with the same
 *   weekday (weekly seasonality; no trend term). Its uncertainty: the weekday's day-to-day sample
 *   variance (each future day) plus the variance of the weekday mean (days independent).
 * - Conversion: orders per visitor is one Poisson rate r for all weekdays (weekly seasonality of
 *   orders comes through traffic), with the Jeffreys prior Gamma(½, 0): posterior Gamma(½ + O, V)
 *   for O orders over V visitors in the history.
 * - Orders over the horizon: Poisson(r × visitors), mixed over r's posterior and the traffic's
 *   uncertainty (law of total variance); the 95 % interval is that of a negative binomial with the
 *   same mean and variance (a normal one above 500 expected orders).
 * - Revenue per currency: each order falls in a currency with the history's share of orders and
 *   brings the history's mean order value there; a compound sum's mean and variance (order count,
 *   order value spread and the mean's own error), normal interval cut at 0.
 * Not modelled: trend, holidays, campaigns, price changes.
 */
import { normalQuantile, tQuantile } from './distributions.ts';

/**
 * Days of history (from the first day with a visitor) below which there is no forecast: 14
 * consecutive days hold every weekday twice, the fewest for which each weekday has a mean *and* a
 * day-to-day variance of its own (with one Monday, Mondays' spread is unknown; with none, the
 * model predicted 0 visitors on weekdays it never saw). Between 14 and a few weeks the
 * traffic interval takes Student's t with n − 7 degrees of freedom (7 weekday means estimated),
 * so it is wider the less history there is.
 */
export const MIN_HISTORY_DAYS = 14;

/**
 * The history the model learns from: the window's days from the first one with a visitor on.
 * Days before it are days before the site sent anything (a new site, or the snippet installed
 * late), not days without visitors; counting them as zeros predicted an empty future.
 */
export function historyWithData<T extends { visitors: number }>(days: readonly T[]): T[] {
  const first = days.findIndex((d) => d.visitors > 0);
  return first < 0 ? [] : days.slice(first);
}

export interface HistoryDay {
  /** 0 = Sunday … 6 = Saturday, in the report's zone. */
  weekday: number;
  visitors: number;
  orders: number;
}

export interface CurrencyHistory {
  currency: string;
  orders: number;
  revenue: number;
  /** Σ of squared order revenue. */
  revenue_sq: number;
}

export interface ForecastInterval {
  expected: number;
  low: number;
  high: number;
}

export interface Forecast {
  conversion_rate: { rate: number; low: number; high: number } | null;
  visitors: ForecastInterval;
  orders: ForecastInterval;
  revenue: ({ currency: string } & ForecastInterval)[];
  /** Expected visitors and orders per future day, in the order given. */
  days: { visitors: number; orders: number }[];
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sampleVar = (xs: readonly number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Traffic per weekday: mean, day variance and the variance of the mean (fallback: all days). */
function weekdayTraffic(history: readonly HistoryDay[]) {
  const all = history.map((d) => d.visitors);
  const allVar = sampleVar(all);
  return Array.from({ length: 7 }, (_, w) => {
    const xs = history.filter((d) => d.weekday === w).map((d) => d.visitors);
    const src = xs.length > 0 ? xs : all;
    const v = src.length >= 2 ? sampleVar(src) : allVar;
    return { mean: src.length > 0 ? mean(src) : 0, dayVar: v, meanVar: src.length > 0 ? v / src.length : 0 };
  });
}

/** Quantiles of a count with this mean and variance: negative binomial (Poisson if var ≤ mean), normal when large. */
export function countInterval(mu: number, variance: number, level = 0.95): ForecastInterval {
  const a = (1 - level) / 2;
  if (mu <= 0) return { expected: 0, low: 0, high: 0 };
  if (mu > 500) {
    const z = normalQuantile(1 - a) * Math.sqrt(variance);
    return { expected: mu, low: Math.max(0, Math.floor(mu - z)), high: Math.ceil(mu + z) };
  }
  // pmf(0) and the recurrence pmf(n+1) = pmf(n) · ratio(n): Poisson, or NB(size k, p = k/(k+μ)).
  const overdispersed = variance > mu * (1 + 1e-9);
  const k = overdispersed ? (mu * mu) / (variance - mu) : Number.POSITIVE_INFINITY;
  const p = overdispersed ? k / (k + mu) : 1;
  let pmf = overdispersed ? Math.exp(k * Math.log(p)) : Math.exp(-mu);
  const ratio = (n: number) => (overdispersed ? ((n + k) / (n + 1)) * (1 - p) : mu / (n + 1));
  let cdf = pmf;
  let n = 0;
  let low = -1;
  while (cdf < 1 - a && n < 1e6) {
    if (low < 0 && cdf >= a) low = n;
    pmf *= ratio(n);
    n += 1;
    cdf += pmf;
  }
  if (low < 0) low = n;
  return { expected: mu, low, high: n };
}

/**
 * The forecast over future days given by weekday. `level` is the interval's coverage.
 * @returns null rates when the history has no visitors.
 */
export function forecastOrders(
  history: readonly HistoryDay[],
  future: readonly number[],
  currencies: readonly CurrencyHistory[],
  level = 0.95,
): Forecast {
  const traffic = weekdayTraffic(history);
  const visitorsH = history.reduce((s, d) => s + d.visitors, 0);
  const ordersH = history.reduce((s, d) => s + d.orders, 0);
  const alpha = 0.5 + ordersH;
  const r = visitorsH > 0 ? alpha / visitorsH : 0;
  const varR = visitorsH > 0 ? alpha / visitorsH ** 2 : 0;
  // Future traffic: Σ weekday means; variance: day noise per day + the means' error (k_w² · var/n_w).
  const perWeekday = new Array<number>(7).fill(0);
  for (const w of future) perWeekday[w] = (perWeekday[w] ?? 0) + 1;
  let v = 0;
  let varV = 0;
  perWeekday.forEach((k, w) => {
    const t = traffic[w] as (typeof traffic)[number];
    v += k * t.mean;
    varV += k * t.dayVar + k * k * t.meanVar;
  });
  const mu = r * v;
  const varN = mu + (varR + r * r) * (varV + v * v) - r * r * v * v;
  const z = normalQuantile(1 - (1 - level) / 2);
  // The weekday means and variances are estimates from n days (7 means): t with n − 7 df.
  const zV = history.length > 7 ? tQuantile(1 - (1 - level) / 2, history.length - 7) : z;
  const totalOrders = currencies.reduce((s, c) => s + c.orders, 0);
  const revenue = currencies
    .filter((c) => c.orders > 0)
    .map((c) => {
      const share = c.orders / totalOrders;
      const aov = c.revenue / c.orders;
      const spread = Math.max(0, c.revenue_sq / c.orders - aov * aov);
      const nC = share * mu;
      const varNC = share * share * varN + share * (1 - share) * mu;
      const varR2 = nC * spread + varNC * aov * aov + (nC * nC * spread) / c.orders;
      const half = z * Math.sqrt(varR2);
      return {
        currency: c.currency,
        expected: nC * aov,
        low: Math.max(0, nC * aov - half),
        high: nC * aov + half,
      };
    })
    .sort((a, b) => b.expected - a.expected);
  const rateLow = visitorsH > 0 ? Math.max(0, r - z * Math.sqrt(varR)) : 0;
  return {
    conversion_rate: visitorsH > 0 ? { rate: r, low: rateLow, high: r + z * Math.sqrt(varR) } : null,
    visitors: { expected: v, low: Math.max(0, v - zV * Math.sqrt(varV)), high: v + zV * Math.sqrt(varV) },
    orders: countInterval(mu, varN, level),
    revenue,
    days: future.map((w) => {
      const m = traffic[w]?.mean ?? 0;
      return { visitors: m, orders: m * r };
    }),
  };
}

/**
 * Visitors needed for `target` orders at the history's conversion: the expected number
 * (target / rate), and the number that reaches the target with probability `chance` under the
 * same Poisson–Gamma model (normal approximation), or null when no traffic is enough (the rate
 * is too uncertain) or there is no history.
 */
export function visitorsNeeded(
  target: number,
  history: { visitors: number; orders: number },
  chance = 0.9,
): { expected: number | null; with_chance: number | null; chance: number } {
  if (history.visitors <= 0) return { expected: null, with_chance: null, chance };
  const alpha = 0.5 + history.orders;
  const r = alpha / history.visitors;
  const varR = alpha / history.visitors ** 2;
  const z = normalQuantile(chance);
  const enough = (v: number) => r * v - z * Math.sqrt(r * v + v * v * varR) >= target;
  let hi = target / r;
  for (let i = 0; i < 60 && !enough(hi); i++) hi *= 2;
  if (!enough(hi)) return { expected: Math.ceil(target / r), with_chance: null, chance };
  let lo = 0;
  for (let i = 0; i < 100 && hi - lo > 0.5; i++) {
    const mid = (lo + hi) / 2;
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return { expected: Math.ceil(target / r), with_chance: Math.ceil(hi), chance };
}
