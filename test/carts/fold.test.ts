import { type EventRow, listCartStates } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { oracleCarts } from './oracle.ts';

/** Hand cases at each boundary of the cart definitions, in ClickHouse and in the oracle. */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

const T0 = Date.UTC(2026, 2, 10, 10);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
let n = 0;

/** Runs one case on a fresh site: ClickHouse and the oracle must both give `expected`. */
async function fold(
  events: (Partial<EventRow> & { ts: number })[],
  opts: { asOfMs?: number; timeoutMs?: number; windowMs?: number } = {},
) {
  const site = `fold-${n++}`;
  const rows = events.map((e) => eventRow(site, { source: 'browser', currency: 'EUR', ...e }));
  await insertRows(s.deps.store, rows);
  const scope = {
    site,
    fromMs: T0 - DAY,
    toMs: T0 + DAY,
    asOfMs: opts.asOfMs ?? T0 + 30 * DAY,
    timeoutMs: opts.timeoutMs ?? HOUR,
    windowMs: opts.windowMs ?? 7 * DAY,
  };
  const ch = await listCartStates(s.deps.store.analytics, {
    range: { site, fromMs: scope.fromMs, toMs: scope.toMs, tz: 'UTC' },
    asOfMs: scope.asOfMs,
    timeoutMs: scope.timeoutMs,
    windowMs: scope.windowMs,
  });
  const oracle = oracleCarts(rows, scope);
  expect(ch.map((c) => ({ ...c, value: Math.round(c.value * 1e4) }))).toEqual(
    oracle.map(({ value4, order_revenue4, dim: _d, ...c }) => ({
      ...c,
      value: value4,
      order_revenue: order_revenue4 / 1e4,
    })),
  );
  return ch;
}

const item = (id: string, price: number, quantity = 1) => ({
  id,
  name: id,
  price,
  quantity,
  category: '',
  variant: '',
});
const add = (ts: number, price: number, cart = 'c1', q = 1): Partial<EventRow> & { ts: number } => ({
  ts,
  type: 'add_to_cart',
  cart_id: cart,
  items: [item(`p${price}`, price, q)],
});
const buy = (
  ts: number,
  order: string,
  revenue: number,
  cart = 'c1',
  source: EventRow['source'] = 'browser',
) => ({
  ts,
  type: 'purchase',
  cart_id: cart,
  order_id: order,
  revenue,
  source,
});

describe('the inactivity timeout', () => {
  it('a cart exactly one timeout old is open; a millisecond older is abandoned', async () => {
    const [open] = await fold([add(T0, 10)], { asOfMs: T0 + HOUR });
    expect(open).toMatchObject({ status: 'open', value: 10, stage_rank: 1 });
    const [gone] = await fold([add(T0, 10)], { asOfMs: T0 + HOUR + 1 });
    expect(gone).toMatchObject({ status: 'abandoned', value: 10 });
  });

  it('the timeout is a parameter', async () => {
    const [c] = await fold([add(T0, 10)], { asOfMs: T0 + 5001, timeoutMs: 5000 });
    expect(c?.status).toBe('abandoned');
  });

  it('a purchase exactly one timeout after the last activity is a plain purchase, not a recovery', async () => {
    const [c] = await fold([add(T0, 10), buy(T0 + HOUR, 'o1', 10)]);
    expect(c).toMatchObject({ status: 'purchased', stage_rank: 1, order_id: 'o1' });
    const [r] = await fold([add(T0, 10), buy(T0 + HOUR + 1, 'o1', 10)]);
    expect(r?.status).toBe('recovered');
  });
});

describe('the recovery window', () => {
  it('a purchase at the window edge is a recovery; a millisecond later it is not', async () => {
    const edge = T0 + HOUR + 7 * DAY;
    const [r] = await fold([add(T0, 10), buy(edge, 'o1', 12)]);
    expect(r).toMatchObject({ status: 'recovered', order_revenue: 12, purchased_ms: edge });
    const [late] = await fold([add(T0, 10), buy(edge + 1, 'o1', 12)]);
    expect(late).toMatchObject({ status: 'abandoned', purchased_ms: edge + 1, stage_rank: 1 });
  });

  it('the window is a parameter', async () => {
    const [c] = await fold([add(T0, 10), buy(T0 + 2 * HOUR, 'o1', 10)], { windowMs: HOUR - 1 });
    expect(c?.status).toBe('abandoned');
  });
});

describe('a cart left and taken up again', () => {
  it('idle longer than the timeout, back and bought minutes later: recovered, from the first idle gap', async () => {
    const back = T0 + 3 * HOUR;
    const [c] = await fold([add(T0, 10), add(back, 5), buy(back + MIN, 'o1', 15)]);
    expect(c).toMatchObject({ status: 'recovered', abandoned_ms: T0 + HOUR, value: 15 });
  });

  it('the window counts from the first abandonment, not the return', async () => {
    const back = T0 + HOUR + 2 * DAY;
    const [c] = await fold([add(T0, 10), add(back, 5), buy(back + MIN, 'o1', 15)], { windowMs: DAY });
    expect(c).toMatchObject({ status: 'abandoned', abandoned_ms: T0 + HOUR });
  });

  it('not bought: active again means open, idle again means abandoned from the last activity', async () => {
    const back = T0 + 3 * HOUR;
    const [open] = await fold([add(T0, 10), add(back, 5)], { asOfMs: back + MIN });
    expect(open).toMatchObject({ status: 'open', abandoned_ms: 0 });
    const [gone] = await fold([add(T0, 10), add(back, 5)], { asOfMs: back + 2 * HOUR });
    expect(gone).toMatchObject({ status: 'abandoned', abandoned_ms: back + HOUR });
  });
});

describe('value and contents', () => {
  it('an emptied cart is empty, never abandoned', async () => {
    const [c] = await fold([
      add(T0, 10),
      { ts: T0 + MIN, type: 'remove_from_cart', cart_id: 'c1', items: [item('p10', 10)] },
    ]);
    expect(c).toMatchObject({ status: 'empty', value: 0 });
  });

  it('a snapshot sets the value; adds and removes after it change it; quantities count', async () => {
    const [c] = await fold([
      add(T0, 10, 'c1', 3),
      { ts: T0 + MIN, type: 'view_cart', cart_id: 'c1', revenue: 25 },
      add(T0 + 2 * MIN, 4, 'c1', 2),
      { ts: T0 + 3 * MIN, type: 'remove_from_cart', cart_id: 'c1', revenue: 5 },
      { ts: T0 + 4 * MIN, type: 'add_payment_info', cart_id: 'c1', items: [item('x', 9.99, 3)] },
      add(T0 + 5 * MIN, 0.01),
    ]);
    expect(c).toMatchObject({ status: 'abandoned', value: 29.98, stage_rank: 4 });
  });

  it('events at the same millisecond follow their ids as strings (a prefix first), a later millisecond any id', async () => {
    const view = (ts: number, id: string, revenue: number, cart: string) => ({
      ts,
      event_id: id,
      type: 'view_cart',
      cart_id: cart,
      revenue,
    });
    const carts = await fold([
      // 'e10' < 'e9': the snapshot of 7 is the latest.
      view(T0, 'e9', 7, 'c1'),
      view(T0, 'e10', 30, 'c1'),
      // 'x' < 'x0': the add comes after the snapshot and counts.
      view(T0, 'x', 20, 'c2'),
      { ...add(T0, 5, 'c2'), event_id: 'x0' },
      // 'y' < 'y0': the add comes before the snapshot and does not.
      { ...add(T0, 5, 'c3'), event_id: 'y' },
      view(T0, 'y0', 20, 'c3'),
      // A later millisecond wins whatever its id.
      view(T0 + 1, 'a', 3, 'c4'),
      view(T0, 'zz', 40, 'c4'),
    ]);
    expect(carts.map((c) => [c.cart_id, c.value])).toEqual([
      ['c1', 7],
      ['c2', 25],
      ['c3', 20],
      ['c4', 3],
    ]);
  });

  it('a purchase without an earlier cart event makes no cart', async () => {
    expect(await fold([buy(T0, 'o1', 10)])).toEqual([]);
  });

  it('cart events after the purchase are not part of the cart', async () => {
    const [c] = await fold([add(T0, 10), buy(T0 + MIN, 'o1', 10), add(T0 + 2 * DAY, 50)]);
    expect(c).toMatchObject({ status: 'purchased', last_ms: T0, value: 10 });
  });
});

describe('orders', () => {
  it('one order per order id; the server’s figure wins; its cart id is enough', async () => {
    const [c] = await fold([
      add(T0, 10),
      buy(T0 + 2 * HOUR, 'o1', 10),
      { ...buy(T0 + 2 * HOUR + MIN, 'o1', 11.5, ''), source: 'server' },
      buy(T0 + 3 * HOUR, 'o2', 99),
    ]);
    expect(c).toMatchObject({ status: 'recovered', order_id: 'o1', order_revenue: 11.5 });
    const [server] = await fold([add(T0, 10), { ...buy(T0 + MIN, 'o9', 10), source: 'server' }]);
    expect(server).toMatchObject({ status: 'purchased', order_id: 'o9' });
  });

  it('two reports of one order received together: the smaller amount, whatever their ids', async () => {
    const at = T0 + 2 * MIN;
    const [c] = await fold([
      add(T0, 10),
      { ...buy(at, 'o1', 14), event_id: 'a-first', received_at: at },
      { ...buy(at, 'o1', 12), event_id: 'b-second', received_at: at },
    ]);
    expect(c).toMatchObject({ status: 'purchased', order_id: 'o1', order_revenue: 12 });
  });

  it('a duplicate row and a late event change nothing a re-run does not see', async () => {
    const rows = [add(T0, 10), add(T0 + MIN, 5)];
    const site = `fold-${n++}`;
    const stored = rows.map((e) => eventRow(site, { source: 'browser', currency: 'EUR', ...e }));
    await insertRows(s.deps.store, [...stored, ...stored]);
    const scope = {
      range: { site, fromMs: T0 - DAY, toMs: T0 + DAY, tz: 'UTC' },
      asOfMs: T0 + 2 * HOUR,
      timeoutMs: HOUR,
      windowMs: 7 * DAY,
    };
    const [c] = await listCartStates(s.deps.store.analytics, scope);
    expect(c).toMatchObject({ value: 15, status: 'abandoned' });
    // The browser's purchase arrives late (stored after the first report), timed before as_of.
    await insertRows(s.deps.store, [eventRow(site, buy(T0 + 30 * MIN, 'o1', 15))]);
    const [again] = await listCartStates(s.deps.store.analytics, scope);
    expect(again).toMatchObject({ value: 15, status: 'purchased', order_id: 'o1' });
  });
});
