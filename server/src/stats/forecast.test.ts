import { describe, expect, it } from 'vitest';
import { Rng } from '../seed/random.ts';
import { tQuantile } from './distributions.ts';
import {
  countInterval,
  forecastOrders,
  type HistoryDay,
  historyWithData,
  MIN_HISTORY_DAYS,
  visitorsNeeded,
} from './forecast.ts';

/** Poisson draw by inversion (small means) or a rounded normal (large), seeded. */
function poisson(rng: Rng, mu: number): number {
  if (mu > 200) return Math.max(0, Math.round(mu + Math.sqrt(mu) * gauss(rng)));
  let k = 0;
  let p = Math.exp(-mu);
  let cdf = p;
  const u = rng.float();
  while (u > cdf) {
    k += 1;
    p *= mu / k;
    cdf += p;
  }
  return k;
}
function gauss(rng: Rng): number {
  const u = Math.max(rng.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

/** A shop with a weekly pattern: quiet weekends, a known conversion rate and order values. */
const WEEK = [40, 100, 110, 120, 110, 90, 45];
const RATE = 0.03;
function series(rng: Rng, days: number, startWeekday: number) {
  const out: (HistoryDay & { revenue: number; revenue_sq: number })[] = [];
  for (let i = 0; i < days; i++) {
    const weekday = (startWeekday + i) % 7;
    const visitors = poisson(rng, WEEK[weekday] as number);
    let orders = 0;
    let revenue = 0;
    let revenue_sq = 0;
    for (let v = 0; v < visitors; v++) {
      if (!rng.chance(RATE)) continue;
      orders += 1;
      const value = 20 + rng.float() * 60;
      revenue += value;
      revenue_sq += value * value;
    }
    out.push({ weekday, visitors, orders, revenue, revenue_sq });
  }
  return out;
}

describe('forecastOrders on synthetic series with a known rate and weekly seasonality', () => {
  it('recovers each weekday’s traffic and the rate, and its 95 % intervals cover about 95 % of futures', () => {
    const rng = new Rng(20260310);
    const runs = 400;
    let ordersIn = 0;
    let revenueIn = 0;
    let visitorsIn = 0;
    let saturday = 0;
    let rate = 0;
    for (let i = 0; i < runs; i++) {
      const history = series(rng, 56, 1);
      const futureDays = series(rng, 28, 1);
      const f = forecastOrders(
        history,
        futureDays.map((d) => d.weekday),
        [
          {
            currency: 'EUR',
            orders: history.reduce((s, d) => s + d.orders, 0),
            revenue: history.reduce((s, d) => s + d.revenue, 0),
            revenue_sq: history.reduce((s, d) => s + d.revenue_sq, 0),
          },
        ],
      );
      const actualOrders = futureDays.reduce((s, d) => s + d.orders, 0);
      const actualRevenue = futureDays.reduce((s, d) => s + d.revenue, 0);
      const actualVisitors = futureDays.reduce((s, d) => s + d.visitors, 0);
      if (actualOrders >= f.orders.low && actualOrders <= f.orders.high) ordersIn++;
      const r = f.revenue[0];
      if (r && actualRevenue >= r.low && actualRevenue <= r.high) revenueIn++;
      if (actualVisitors >= f.visitors.low && actualVisitors <= f.visitors.high) visitorsIn++;
      // Day 5 of the future (start Monday) is a Saturday.
      saturday += f.days[5]?.visitors ?? 0;
      rate += f.conversion_rate?.rate ?? 0;
    }
    expect(saturday / runs).toBeGreaterThan(45 * 0.97);
    expect(saturday / runs).toBeLessThan(45 * 1.03);
    expect(rate / runs).toBeGreaterThan(RATE * 0.97);
    expect(rate / runs).toBeLessThan(RATE * 1.03);
    // Integer quantiles make count intervals a little conservative.
    for (const [name, k] of [
      ['orders', ordersIn],
      ['revenue', revenueIn],
      ['visitors', visitorsIn],
    ] as const) {
      expect(k / runs, name).toBeGreaterThan(0.91);
      expect(k / runs, name).toBeLessThan(0.995);
    }
  });

  it('a plain average without weekdays would miss the weekend: the forecast follows the weekday', () => {
    const rng = new Rng(7);
    const history = series(rng, 56, 0);
    const f = forecastOrders(history, [0, 1, 2, 3, 4, 5, 6], []);
    const sunday = f.days[0]?.visitors ?? 0;
    const wednesday = f.days[3]?.visitors ?? 0;
    expect(sunday).toBeLessThan(50);
    expect(wednesday).toBeGreaterThan(105);
    expect(f.revenue).toEqual([]);
  });
});

describe('a short history', () => {
  it('starts at the first day with a visitor: earlier days are before the site sent anything', () => {
    const days = [0, 0, 0, 5, 0, 7].map((visitors, i) => ({ i, visitors }));
    expect(historyWithData(days).map((d) => d.i)).toEqual([3, 4, 5]);
    expect(historyWithData([{ visitors: 0 }])).toEqual([]);
    expect(MIN_HISTORY_DAYS).toBe(14);
  });

  it('widens the traffic interval by Student’s t with days − 7 degrees of freedom', () => {
    // Two weeks: Mondays at 40 and 60 (s² = 200), every other weekday 50 and 50.
    const history: HistoryDay[] = Array.from({ length: 14 }, (_, i) => ({
      weekday: i % 7,
      visitors: i % 7 === 1 ? (i < 7 ? 40 : 60) : 50,
      orders: 1,
    }));
    const f = forecastOrders(history, [1], []);
    expect(f.visitors.expected).toBe(50);
    // One future Monday: day variance s² plus the mean's s²/2.
    const half = tQuantile(0.975, 7) * Math.sqrt(200 * 1.5);
    expect(f.visitors.high - 50).toBeCloseTo(half, 9);
    expect(50 - f.visitors.low).toBeCloseTo(half, 9);
  });
});

describe('countInterval', () => {
  it('is the Poisson interval when the variance equals the mean', () => {
    // scipy.stats.poisson(10).ppf([0.025, 0.975]) = [4, 17]
    expect(countInterval(10, 10)).toEqual({ expected: 10, low: 4, high: 17 });
  });
  it('is the negative binomial interval when overdispersed', () => {
    // mean 10, var 30: scipy.stats.nbinom(5, 1/3).ppf([0.025, 0.975]) = [2, 23]
    expect(countInterval(10, 30)).toEqual({ expected: 10, low: 2, high: 23 });
  });
});

describe('visitorsNeeded', () => {
  it('gives target / rate and a larger number that reaches the target 90 % of the time', () => {
    const history = { visitors: 50_000, orders: 1_500 };
    const need = visitorsNeeded(300, history);
    expect(need.expected).toBe(Math.ceil(300 / (1500.5 / 50_000)));
    expect(need.with_chance).toBeGreaterThan(need.expected ?? 0);
    // Simulated: with that traffic at the true rate 3 %, the target is met about 90 % of the time.
    const rng = new Rng(99);
    let met = 0;
    for (let i = 0; i < 2000; i++) if (poisson(rng, 0.03 * (need.with_chance ?? 0)) >= 300) met++;
    expect(met / 2000).toBeGreaterThan(0.86);
    expect(met / 2000).toBeLessThan(0.94);
    expect(visitorsNeeded(10, { visitors: 0, orders: 0 })).toEqual({
      expected: null,
      with_chance: null,
      chance: 0.9,
    });
  });
});
