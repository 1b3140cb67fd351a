import { LIMITS } from '@funnelhouse/schemas';
import { besideGood, body, collector, ev, eventsRejected, rejected, storedOne } from './build.ts';
import type { CorpusCase } from './types.ts';

/**
 * Amounts and numbers that would overflow a report or make it non-finite (issue 25, items 1, 11,
 * 12): an order beyond ±`LIMITS.moneyMax` or a browser's negative one is refused per event with
 * its own code, and nothing is stored for it; the bound itself is stored exactly. The reports at
 * the bound are checked in `test/revenue/money-overflow.property.test.ts` (a corpus case sends
 * one request and cannot wait for the flush a report needs). Settings and definitions that made
 * answers non-finite or nonsense are refused at the door.
 */
const MAX = LIMITS.moneyMax;
const EVENTS_PATH = '/api/v1/sites/$SITE_ID/events';
const good = ev('good');
const purchase = (id: string, revenue: number, over: Record<string, unknown> = {}) =>
  ev(id, { type: 'purchase', order_id: `o-${id}`, revenue, currency: 'JPY', ...over });
const line = (price: number) => [{ id: 'sku', price, quantity: 1_000_000 }];

/** [name, event, code]: browser events refused with that code. */
const BROWSER_REFUSED: [string, Record<string, unknown>, string][] = [
  ['purchase of 1e12', purchase('m1', 1e12), 'money_out_of_range'],
  ['purchase of -1e12', purchase('m2', -1e12), 'money_out_of_range'],
  ['purchase a ten-thousandth past the bound', purchase('m3', MAX + 0.0001), 'money_out_of_range'],
  ['purchase of 1e308', purchase('m4', 1e308), 'money_out_of_range'],
  ['negative purchase (a refund from a browser)', purchase('m5', -5), 'negative_revenue'],
  ['negative purchase at the bound', purchase('m6', -MAX), 'negative_revenue'],
  [
    'negative cart revenue',
    ev('m7', { type: 'begin_checkout', revenue: -0.01, currency: 'JPY' }),
    'negative_revenue',
  ],
  ['item price of 1e12', ev('m8', { type: 'add_to_cart', items: line(1e12) }), 'money_out_of_range'],
  ['item price of -1e12', ev('m9', { type: 'add_to_cart', items: line(-1e12) }), 'money_out_of_range'],
  ['purchase line past the bound', purchase('m10', 1, { items: line(-MAX - 1) }), 'money_out_of_range'],
];

/** [name, event, revenue read back]: browser events at the bound, stored exactly. */
const BROWSER_STORED: [string, Record<string, unknown>, number][] = [
  ['purchase at the bound', purchase('s1', MAX), MAX],
  ['purchase a ten-thousandth under the bound', purchase('s2', MAX - 0.0001), MAX - 0.0001],
  ['line at the bound, a million of it', ev('s3', { type: 'add_to_cart', items: line(MAX) }), 0],
  ['negative line (a discount) at the bound', ev('s4', { type: 'add_to_cart', items: line(-MAX) }), 0],
];

const experiment = (over: Record<string, unknown>) => ({
  key: 'money',
  name: 'Money',
  status: 'running',
  variants: [
    { key: 'a', weight: 1 },
    { key: 'b', weight: 1 },
  ],
  control: 'a',
  primary_metric: { kind: 'revenue_per_visitor' },
  ...over,
});

export function moneyCases(): CorpusCase[] {
  const { out, add } = collector('money_overflow', 'money');
  for (const [name, event, code] of BROWSER_REFUSED) {
    add(`collect/${name}`, { body: body([good, event]), expect: besideGood(code) });
  }
  add('collect/alone: purchase of -1e12', {
    body: body([purchase('m11', -1e12)]),
    expect: eventsRejected([{ index: 0, code: 'money_out_of_range' }], 0),
  });
  for (const [name, event, revenue] of BROWSER_STORED) {
    const id = event.id as string;
    add(`collect/${name}`, {
      body: body([event]),
      expect: storedOne([{ event_id: id, column: 'revenue', value: revenue }]),
    });
  }
  // The server events API: refunds may be negative, but not past the bound.
  const server = (revenue: number) => ({ ...purchase(`srv-${revenue}`, revenue), session_id: undefined });
  add('server/refund at the bound', {
    path: EVENTS_PATH,
    body: { events: [server(-MAX)] },
    expect: {
      status: 200,
      outcome: 'stored',
      answer: { results: [{ index: 0, status: 'stored' }] },
      rows: 1,
      readback: [{ event_id: `srv-${-MAX}`, column: 'revenue', value: -MAX }],
    },
  });
  for (const revenue of [1e12, -1e12, -MAX - 0.0001]) {
    add(`server/purchase of ${revenue}`, {
      path: EVENTS_PATH,
      body: { events: [server(revenue)] },
      expect: {
        status: 200,
        outcome: 'stored',
        answer: { rejected: 1, results: [{ index: 0, status: 'rejected', code: 'money_out_of_range' }] },
        rows: 0,
      },
    });
  }
  // Currency rates: a converted sum must stay finite.
  for (const [name, rate] of [
    ['1e308', 1e308],
    ['past the largest', LIMITS.currencyRateMax * 10],
    ['denormal', 1e-320],
    ['under the smallest', LIMITS.currencyRateMin / 10],
  ] as const) {
    add(`rates/${name}`, {
      method: 'PUT',
      path: '/api/v1/sites/$SITE_ID/settings/currency-rates',
      body: { reporting_currency: 'EUR', rates: { JPY: rate } },
      expect: rejected('invalid_body'),
    });
  }
  // Experiment definitions and plans.
  const variants = (w: number) => [
    { key: 'a', weight: 1 },
    { key: 'b', weight: w },
  ];
  for (const [name, over] of [
    ['denormal weight', { variants: variants(1e-320) }],
    ['weight under a millionth', { variants: variants(1e-7) }],
    ['start in year 0', { start_at: '0000-01-01T00:00:00Z' }],
    ['start in 1999', { start_at: '1999-12-31T23:59:59Z' }],
    ['end in 2100', { end_at: '2100-01-01T00:00:00Z' }],
  ] as const) {
    add(`experiment/${name}`, {
      path: '/api/v1/sites/$SITE_ID/experiments',
      body: experiment(over),
      expect: rejected('invalid_body'),
    });
  }
  for (const [name, query] of [
    ['without mde_relative', 'baseline_rate=0.4&daily_units=200'],
    ['mde_relative not a number', 'baseline_rate=0.4&mde_relative=abc'],
  ]) {
    add(`plan/${name}`, {
      method: 'GET',
      path: `/api/v1/sites/$SITE_ID/experiment-plan?${query}`,
      expect: rejected('invalid_query'),
    });
  }
  return out;
}
