/**
 * Money metrics never add two currencies. The same orders on two sites: one with rates (every
 * order converted before a unit's total is summed and squared; a currency without a rate left
 * out and named), one without (a warning, and the numbers of the currency with most orders only).
 * The expected numbers are computed here by brute force from the orders listed.
 */
import type { ExperimentMetricResult, ExperimentResult } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
let rated: { id: string; api_key: string };
let unrated: { id: string; api_key: string };
const t = (hhmm: string) => Date.parse(`2026-03-10T${hhmm}:00Z`);

/** Per unit: its variant and its orders (amount, currency, a money `discount` property). */
const UNITS: { id: string; variant: string; orders: [number, string, number?][] }[] = [
  {
    id: 'a1',
    variant: 'a',
    orders: [
      [10, 'EUR', 2],
      [20, 'USD', 4],
    ],
  },
  { id: 'a2', variant: 'a', orders: [[40, 'USD']] },
  { id: 'a3', variant: 'a', orders: [[100, 'GBP']] },
  { id: 'a4', variant: 'a', orders: [] },
  { id: 'b1', variant: 'b', orders: [[30, 'EUR', 3]] },
  {
    id: 'b2',
    variant: 'b',
    orders: [
      [10, 'USD'],
      [6, 'USD', 1],
    ],
  },
  { id: 'b3', variant: 'b', orders: [[7, '']] },
  { id: 'b4', variant: 'b', orders: [] },
];
const RATES = { reporting_currency: 'EUR', rates: { USD: 0.5, JPY: 0.006 } };

function rows(site: string): EventRow[] {
  return UNITS.flatMap((u) => [
    eventRow(site, {
      visitor_id: u.id,
      ts: t('10:00'),
      type: 'exposure',
      name: 'cur',
      experiments: { cur: u.variant },
    }),
    ...u.orders.map(([revenue, currency, discount], k) =>
      eventRow(site, {
        visitor_id: u.id,
        ts: t(`11:0${k}`),
        type: 'purchase',
        order_id: `${u.id}-o${k}`,
        revenue,
        currency,
        props: discount === undefined ? {} : { discount: String(discount) },
      }),
    ),
  ]);
}

const definition = {
  key: 'cur',
  name: 'Currencies',
  variants: [
    { key: 'a', weight: 1 },
    { key: 'b', weight: 1 },
  ],
  control: 'a',
  status: 'running',
  primary_metric: { kind: 'revenue_per_visitor' },
  secondary_metrics: [
    { kind: 'average_order_value' },
    { kind: 'property_sum', property: 'discount', event: { type: 'purchase' }, money: true },
    { kind: 'orders_per_visitor' },
    { kind: 'property_sum', property: 'discount', event: { type: 'purchase' } },
  ],
};

beforeAll(async () => {
  s = await startTestServer();
  rated = await createSite(s);
  unrated = await createSite(s);
  await insertRows(s.deps.store, [...rows(rated.id), ...rows(unrated.id)]);
  for (const site of [rated, unrated]) {
    const res = await api(s, 'POST', `/api/v1/sites/${site.id}/experiments`, site.api_key, definition);
    expect(res.status).toBe(201);
  }
  const put = await api(s, 'PUT', `/api/v1/sites/${rated.id}/settings/currency-rates`, rated.api_key, RATES);
  expect(put.status).toBe(200);
}, 180_000);
afterAll(() => s.destroy());

async function results(site: { id: string; api_key: string }): Promise<ExperimentResult> {
  const path = `/api/v1/sites/${site.id}/experiments/cur/results?from=2026-03-10&to=2026-03-10`;
  const res = await api(s, 'GET', path, site.api_key);
  expect(res.status).toBe(200);
  return (await res.json()) as ExperimentResult;
}

/** Brute force: each unit's total of `amount(order)` (null = left out), per variant. */
function perUnit(variant: string, amount: (o: [number, string, number?]) => number | null) {
  return UNITS.filter((u) => u.variant === variant).map((u) =>
    u.orders.reduce((a, o) => a + (amount(o) ?? 0), 0),
  );
}
const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const variance = (xs: number[]) => xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1);

/** Mean and sample variance as the answer's sums give them. */
function fromSums(m: ExperimentMetricResult, variant: string) {
  const v = m.variants.find((x) => x.variant === variant);
  const sums = v?.sums as { sum: number; sum_sq: number };
  const n = v?.units ?? 0;
  return { value: v?.value, mean: sums.sum / n, variance: (sums.sum_sq - sums.sum ** 2 / n) / (n - 1) };
}

describe('experiment money metrics with the site’s currency rates', () => {
  const rate = (c: string) => (c === 'EUR' ? 1 : (RATES.rates as Record<string, number>)[c]);
  const converted = ([amount, c]: [number, string, number?]) => {
    const r = rate(c);
    return r === undefined ? null : amount * r;
  };

  it('converts each order before a unit’s total is summed and squared; mean and variance are the brute force’s', async () => {
    const r = await results(rated);
    const rpv = r.metrics[0] as ExperimentMetricResult;
    expect(rpv.currency).toBe('EUR');
    expect(rpv.missing_rates).toEqual(['', 'GBP']);
    expect(rpv.currencies).toEqual([
      { currency: 'USD', count: 4 },
      { currency: 'EUR', count: 2 },
      { currency: '', count: 1 },
      { currency: 'GBP', count: 1 },
    ]);
    for (const variant of ['a', 'b']) {
      const ys = perUnit(variant, converted);
      const got = fromSums(rpv, variant);
      expect(got.value).toBeCloseTo(mean(ys), 9);
      expect(got.mean).toBeCloseTo(mean(ys), 9);
      expect(got.variance).toBeCloseTo(variance(ys), 9);
    }
    // a1 ordered 10 EUR and 20 USD: one unit of 20 EUR, squared as 400 (not 10² + 10²).
    expect(perUnit('a', converted)).toEqual([20, 20, 0, 0]);
    expect(rpv.variants[0]?.sums).toMatchObject({ sum_sq: expect.closeTo(800, 9) });
    expect(r.health.warnings).not.toContain('mixed_currencies');
    expect(r.health.mixed_currencies).toEqual([]);
  });

  it('reads average order value over the converted orders only, and a money property converted too', async () => {
    const r = await results(rated);
    const [, aov, discount, orders, plain] = r.metrics as ExperimentMetricResult[];
    expect(aov?.currency).toBe('EUR');
    // a: 10 + 20·0.5 + 40·0.5 over 3 orders (GBP left out); b: 30 + 16·0.5 over 3 ('' left out).
    expect(aov?.variants.map((v) => v.value)).toEqual([40 / 3, 38 / 3].map((x) => expect.closeTo(x, 9)));
    expect(aov?.variants[0]?.sums).toMatchObject({ sum_x: 40, sum_y: 3 });
    expect(discount?.currency).toBe('EUR');
    expect(discount?.variants.map((v) => (v.sums as { sum: number }).sum)).toEqual([2 + 4 * 0.5, 3 + 0.5]);
    // Not money: no unit, every order or value counted.
    expect(orders).toMatchObject({ currency: null, currencies: [], missing_rates: [] });
    expect(orders?.variants.map((v) => (v.sums as { sum: number }).sum)).toEqual([4, 4]);
    expect(plain?.currency).toBeNull();
    expect(plain?.variants.map((v) => (v.sums as { sum: number }).sum)).toEqual([6, 4]);
  });
});

describe('experiment money metrics without rates, in several currencies', () => {
  it('warn, name the currencies and the one used (most orders), and read that currency’s orders only', async () => {
    const r = await results(unrated);
    expect(r.health.warnings).toContain('mixed_currencies');
    expect(r.health.mixed_currencies).toEqual([
      { role: 'primary', index: 0, currencies: ['', 'EUR', 'GBP', 'USD'], used: 'USD' },
      { role: 'secondary', index: 0, currencies: ['', 'EUR', 'GBP', 'USD'], used: 'USD' },
      // The discounts: one EUR value in each variant, one USD in each: a tie, broken by code.
      { role: 'secondary', index: 1, currencies: ['EUR', 'USD'], used: 'EUR' },
    ]);
    const text = r.verdict.warnings.find((w) => w.code === 'mixed_currencies')?.text ?? '';
    expect(text).toContain(
      'revenue per visitor (primary) reads only its USD amounts (of none, EUR, GBP, USD)',
    );
    expect(r.verdict.text).toContain(text);

    const [rpv, aov, discount] = r.metrics as ExperimentMetricResult[];
    expect(rpv?.currency).toBe('USD');
    const usd = ([amount, c]: [number, string, number?]) => (c === 'USD' ? amount : null);
    for (const variant of ['a', 'b']) {
      const ys = perUnit(variant, usd);
      const got = fromSums(rpv as ExperimentMetricResult, variant);
      expect(got.value).toBeCloseTo(mean(ys), 9);
      expect(got.variance).toBeCloseTo(variance(ys), 9);
    }
    expect(aov?.currency).toBe('USD');
    expect(aov?.variants.map((v) => v.sums)).toEqual([
      expect.objectContaining({ sum_x: 60, sum_y: 2 }),
      expect.objectContaining({ sum_x: 16, sum_y: 2 }),
    ]);
    expect(discount?.currency).toBe('EUR');
    expect(discount?.variants.map((v) => (v.sums as { sum: number }).sum)).toEqual([2, 3]);
  });

  it('reads the same currency in the breakdown and the series', async () => {
    const path = `/api/v1/sites/${unrated.id}/experiments/cur/results?from=2026-03-10&to=2026-03-10&over_time=1&breakdown=column:device`;
    const r = (await (await api(s, 'GET', path, unrated.api_key)).json()) as ExperimentResult;
    const segment = r.breakdown?.segments[0]?.metrics[0];
    expect(segment?.currency).toBe('USD');
    expect(segment?.variants.map((v) => (v.sums as { sum: number }).sum)).toEqual([60, 16]);
    expect(r.over_time?.at(-1)?.variants.map((v) => (v.sums as { sum: number }).sum)).toEqual([60, 16]);
  });
});
