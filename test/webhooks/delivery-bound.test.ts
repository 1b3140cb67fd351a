import type { DeliveriesResponse, WebhookResponse } from '@funnelhouse/schemas';
import { createLogger, select, startWebhookWorker } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { startReceiver } from './receiver.ts';

/**
 * The delivery rows of a site: all read however many there are (paged by key), and the finished
 * ones no scan can reach deleted (rule in `server/src/webhooks/state.ts`). Each test runs its own
 * worker on the server's store with a clock it sets (`now`) and a page of 3 delivery rows, so
 * both run on a few carts; the server's own worker never polls here.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE: '1', FUNNELHOUSE_WEBHOOK_POLL_MS: '0' });
}, 180_000);
afterAll(() => s.destroy());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PAGE = 3;
const cartOf = (b: Record<string, unknown>) => (b.cart as { cart_id: string }).cart_id;

/** A site whose webhook posts to `url`; `setup` = the webhook's created_at. */
async function setup(url: string) {
  const site = await createSite(s);
  const path = `/api/v1/sites/${site.id}/webhooks/recovery`;
  const res = await api(s, 'PUT', path, site.api_key, { url, inactivity_timeout: 1, recovery_window: 3600 });
  expect(res.status).toBe(201);
  const hook = (await res.json()) as WebhookResponse;
  const deliveries = async () =>
    (
      (await (
        await api(s, 'GET', `${path}/deliveries?limit=1000`, site.api_key)
      ).json()) as DeliveriesResponse
    ).deliveries;
  // A test's site is the only one with a webhook while it runs (a worker scans every site).
  const remove = async () => expect((await api(s, 'DELETE', path, site.api_key)).status).toBe(204);
  return { site, hook, setup: Date.parse(hook.created_at), deliveries, remove };
}

function worker(clock: { now: number }, over: { maxAttempts: number; retryMs: number }) {
  return startWebhookWorker(
    s.deps.store,
    // Receivers here fail on purpose, many times in a row: no breaker (its test: webhook_head_of_line).
    { ...s.config.webhooks, pollMs: 0, breakerFailures: 0, ...over },
    createLogger('silent'),
    {
      now: () => clock.now,
      deliveryPage: PAGE,
    },
  );
}

const addToCart = (site: string, cart_id: string, ts: number) =>
  eventRow(site, { ts, type: 'add_to_cart', cart_id, revenue: 5, currency: 'EUR' });

/** Requests the receiver got per cart id and event. */
function tally(got: { event: string; body: Record<string, unknown> }[]) {
  const n: Record<string, number> = {};
  for (const g of got) {
    const k = `${cartOf(g.body)} ${g.event}`;
    n[k] = (n[k] ?? 0) + 1;
  }
  return n;
}

/** Delivery rows of a site in the table (latest version of each key): live and deleted. */
async function deliveryRows(site: string) {
  const [r] = await select<{ live: string; gone: string }>(
    s.deps.store,
    `SELECT countIf(deleted = 0) AS live, countIf(deleted = 1) AS gone
     FROM {db:Identifier}.site_state_v1 FINAL
     WHERE site_id = {site:String} AND kind = 'delivery'`,
    { site },
  );
  return { live: Number(r?.live), deleted: Number(r?.gone) };
}

describe('the delivery rows', () => {
  it('are all read, page after page: with more than a page, none is announced twice and all are retried', async () => {
    // Every delivery's first attempt fails and its second succeeds.
    const rx = await startReceiver({ answer: (n) => (n === 1 ? 500 : 200) });
    const { site, hook, setup: t0, deliveries, remove } = await setup(rx.url);
    rx.setSecret(hook.secret as string);
    const carts = Array.from({ length: 8 }, (_, i) => `c${i}`); // 8 deliveries: 3 pages of 3
    await insertRows(
      s.deps.store,
      carts.map((c, i) => addToCart(site.id, c, t0 + 1000 + i)),
    );
    const clock = { now: t0 + 60_000 };
    const w = worker(clock, { maxAttempts: 3, retryMs: 10_000 });
    await w.runOnce(); // records 8, each sent once (500)
    expect(rx.got).toHaveLength(8);
    for (const step of [1, 2, 3]) {
      clock.now += step * 60_000; // every retry is due
      await w.runOnce();
    }
    await w.stop();
    // Two requests per cart (the failure and its retry), each id the same both times.
    expect(tally(rx.got)).toEqual(Object.fromEntries(carts.map((c) => [`${c} cart.abandoned`, 2])));
    expect(new Set(rx.got.map((g) => g.id)).size).toBe(8);
    expect(rx.got.every((g) => g.signatureOk)).toBe(true);
    const ds = await deliveries();
    expect(ds.map((d) => d.cart_id).sort()).toEqual(carts);
    for (const d of ds) {
      expect(d.status).toBe('delivered');
      expect(d.attempts.map((a) => [a.attempt, a.status_code])).toEqual([
        [1, 500],
        [2, 200],
      ]);
    }
    expect(await deliveryRows(site.id)).toEqual({ live: 8, deleted: 0 });
    await remove();
    await rx.close();
  });

  it('are deleted once finished and out of the scan’s reach; pending and reachable ones stay; none is announced again', async () => {
    // `bad` and `pend` always fail; the others are delivered at once.
    const rx = await startReceiver({
      answer: (_n, _id, b) => (['bad', 'pend'].includes(cartOf(b)) ? 500 : 200),
    });
    const { site, hook, setup: t0, deliveries, remove } = await setup(rx.url);
    rx.setSecret(hook.secret as string);
    const t1 = t0 + HOUR;
    const events = [
      addToCart(site.id, 'old-ok', t0 + 1000),
      addToCart(site.id, 'old-rec', t0 + 1000),
      eventRow(site.id, {
        ts: t0 + 30 * 60_000,
        source: 'server',
        type: 'purchase',
        cart_id: 'old-rec',
        order_id: 'o1',
        revenue: 5,
        currency: 'EUR',
      }),
      addToCart(site.id, 'bad', t0 + 1000),
      addToCart(site.id, 'pend', t1 + 11 * HOUR),
      addToCart(site.id, 'edge', t1 + 12 * HOUR),
      addToCart(site.id, 'recent', t1 + 20 * DAY - HOUR),
    ];
    await insertRows(s.deps.store, events);
    const clock = { now: t1 };
    // Retries an hour apart (the backoff's cap), so a pass an hour or more after the last
    // retries each pending delivery once.
    const w = worker(clock, { maxAttempts: 4, retryMs: HOUR });
    const at = async (t: number) => {
      clock.now = t;
      await w.runOnce();
    };
    await at(t1); // old-ok, old-rec (abandoned, recovered) delivered; bad #1
    await at(t1 + 2 * HOUR); // bad #2
    await at(t1 + 4 * HOUR); // bad #3
    await at(t1 + 6 * HOUR); // bad #4: failed
    await at(t1 + 12 * HOUR); // pend #1 (pending; next at +1 h)
    await at(t1 + 12.5 * HOUR); // edge delivered (pend not due)
    await at(t1 + 20 * DAY); // recent delivered; pend #2
    const before = {
      'old-ok cart.abandoned': 1,
      'old-rec cart.abandoned': 1,
      'old-rec cart.recovered': 1,
      'bad cart.abandoned': 4,
      'pend cart.abandoned': 2,
      'edge cart.abandoned': 1,
      'recent cart.abandoned': 1,
    };
    expect(tally(rx.got)).toEqual(before);
    expect(await deliveryRows(site.id)).toEqual({ live: 7, deleted: 0 });

    // 38 d + 12 h 15 min after the first deliveries: the scan looks at carts created from
    // far − 37 d = t1 + 1 d 12 h 15 min on, and finished deliveries created before
    // far − 38 d = t1 + 12 h 15 min are deleted: old-ok, old-rec's two and bad (created at t1).
    // pend (t1 + 12 h) is older but pending: kept, and retried; edge (t1 + 12 h 30 min) is out of
    // the scan's reach but within the day's margin: kept; recent is within reach: kept.
    const far = t1 + 38 * DAY + 12.25 * HOUR;
    await at(far); // pend #3
    const live = async () =>
      Object.fromEntries((await deliveries()).map((d) => [d.cart_id, [d.status, d.attempts.length]]));
    expect(await live()).toEqual({ pend: ['pending', 3], edge: ['delivered', 1], recent: ['delivered', 1] });
    expect(await deliveryRows(site.id)).toEqual({ live: 3, deleted: 4 });

    await at(far + 2 * HOUR); // pend #4: failed; edge now past the margin: deleted
    expect(await live()).toEqual({ pend: ['failed', 4], recent: ['delivered', 1] });
    await at(far + 4 * HOUR); // pend finished and past the bound: deleted
    await at(far + 6 * HOUR);
    await w.stop();
    expect(await live()).toEqual({ recent: ['delivered', 1] });
    expect(await deliveryRows(site.id)).toEqual({ live: 1, deleted: 6 });
    // The carts are still in the events, yet none was announced again after its row went.
    const [stored] = await select<{ carts: string }>(
      s.deps.store,
      `SELECT uniqExact(cart_id) AS carts FROM {db:Identifier}.events_v1 WHERE site_id = {site:String}`,
      { site: site.id },
    );
    expect(Number(stored?.carts)).toBe(6);
    expect(tally(rx.got)).toEqual({ ...before, 'pend cart.abandoned': 4 });
    expect(rx.got.every((g) => g.signatureOk)).toBe(true);
    await remove();
    await rx.close();
  });
});
