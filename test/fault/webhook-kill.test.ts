import type { WebhookResponse } from '@funnelhouse/schemas';
import { afterAll, expect, it } from 'vitest';
import { admin, api } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { ServerRunner } from '../helpers/process.ts';
import { postCollect } from '../helpers/server.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startReceiver } from '../webhooks/receiver.ts';

const dir = tempDir();
afterAll(() => dir.remove());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CARTS = 30;
/** Requests in flight to one site at once: the most that can be in flight at the kill. */
const SITE_CONCURRENCY = 2;

/**
 * A real server process sends the announcements of 30 abandoned carts to a real receiver and
 * is killed with SIGKILL in the middle; a new process on the same data directory finishes them.
 * Every cart is announced, every delivery id once, and at most the ones in flight at the kill
 * (FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY) are received twice (the documented at-least-once rule);
 * recoveries then follow, once each.
 */
it('announces every abandoned cart, none twice beyond the ones in flight, across a kill -9', async () => {
  const rx = await startReceiver({ delayMs: 40 });
  const runner = new ServerRunner(dir.path, {
    FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE: '1', // the receiver is on 127.0.0.1
    FUNNELHOUSE_WEBHOOK_POLL_MS: '100',
    FUNNELHOUSE_WEBHOOK_RETRY_MS: '50',
    FUNNELHOUSE_WEBHOOK_SITE_CONCURRENCY: String(SITE_CONCURRENCY),
    FUNNELHOUSE_FLUSH_MS: '20',
  });
  let p = await runner.start();
  const site = (await (await admin(p, 'POST', '/api/v1/sites', { name: 'hooks' })).json()) as {
    id: string;
    site_key: string;
    api_key: string;
  };
  const hook = (await (
    await api(p, 'PUT', `/api/v1/sites/${site.id}/webhooks/recovery`, site.api_key, {
      url: rx.url,
      inactivity_timeout: 1,
      recovery_window: 3600,
    })
  ).json()) as WebhookResponse;
  rx.setSecret(hook.secret as string);
  const cartEvents = Array.from({ length: CARTS }, (_, i) =>
    pageview({
      type: 'add_to_cart',
      cart_id: `cart-${i}`,
      visitor_id: `v-${i}`,
      items: [{ id: 'p1', price: 10 + i, quantity: 1 }],
      currency: 'EUR',
    } as Parameters<typeof pageview>[0]),
  );
  expect((await postCollect(p, batch(site.site_key, cartEvents))).status).toBe(202);

  // Kill once a third of the announcements arrived (bounded by a count of polls).
  for (let i = 0; i < 600 && rx.got.length < CARTS / 3; i++) await sleep(20);
  expect(rx.got.length).toBeGreaterThanOrEqual(CARTS / 3);
  expect((await p.stop('SIGKILL')).signal).toBe('SIGKILL');
  const atKill = rx.got.length;
  expect(atKill, 'killed in the middle').toBeLessThan(CARTS);

  p = await runner.start();
  const ids = () => new Set(rx.got.map((g) => g.id));
  for (let i = 0; i < 600 && ids().size < CARTS; i++) await sleep(50);
  const abandoned = rx.got.filter((g) => g.event === 'cart.abandoned');
  const carts = new Set(abandoned.map((g) => (g.body.cart as { cart_id: string }).cart_id));
  expect(carts.size, 'every cart announced').toBe(CARTS);
  expect(ids().size).toBe(CARTS);
  expect(rx.got.length - CARTS, 'repeats: only the deliveries in flight at the kill').toBeLessThanOrEqual(
    SITE_CONCURRENCY,
  );
  expect(rx.got.every((g) => g.signatureOk)).toBe(true);

  // Five carts are bought: one cart.recovered each, and nothing else is sent again.
  const before = rx.got.length;
  const purchases = Array.from({ length: 5 }, (_, i) =>
    pageview({
      type: 'purchase',
      cart_id: `cart-${i}`,
      visitor_id: `v-${i}`,
      order_id: `o-${i}`,
      revenue: 10 + i,
      currency: 'EUR',
    } as Parameters<typeof pageview>[0]),
  );
  expect((await postCollect(p, batch(site.site_key, purchases))).status).toBe(202);
  for (let i = 0; i < 600 && rx.got.length < before + 5; i++) await sleep(50);
  await sleep(500); // a few more polls: nothing else may arrive
  const recovered = rx.got.slice(before);
  expect(recovered.map((g) => g.event)).toEqual(Array(5).fill('cart.recovered'));
  expect(new Set(recovered.map((g) => (g.body.cart as { cart_id: string }).cart_id)).size).toBe(5);

  const log = (await (
    await api(p, 'GET', `/api/v1/sites/${site.id}/webhooks/recovery/deliveries?limit=1000`, site.api_key)
  ).json()) as { deliveries: { status: string; attempts: unknown[] }[] };
  expect(log.deliveries).toHaveLength(CARTS + 5);
  expect(log.deliveries.every((d) => d.status === 'delivered')).toBe(true);
  process.stdout.write(
    `[figures] webhook kill -9: ${atKill} received before the kill, ${rx.got.length} requests for ${CARTS + 5} deliveries\n`,
  );
  expect((await p.stop('SIGTERM')).code).toBe(0);
  await rx.close();
}, 300_000);
