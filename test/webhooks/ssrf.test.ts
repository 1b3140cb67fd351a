import type { DeliveriesResponse, ErrorBody, WebhookResponse } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { startReceiver } from './receiver.ts';

/**
 * A server WITHOUT `FUNNELHOUSE_WEBHOOK_ALLOW_PRIVATE` (the default of a hosted install): a
 * webhook may not reach loopback, private, link-local (cloud metadata) or other special
 * addresses, neither as a literal host when it is set nor through a name at delivery.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    FUNNELHOUSE_WEBHOOK_POLL_MS: '0',
    FUNNELHOUSE_WEBHOOK_RETRY_MS: '20',
    FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS: '2',
  });
}, 180_000);
afterAll(() => s.destroy());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhook addresses on a server without private addresses allowed', () => {
  it('refuses a literal IP host in a refused range when the URL is set: 400 refused_address', async () => {
    expect(s.config.webhooks.allowPrivate).toBe(false);
    const site = await createSite(s);
    const path = `/api/v1/sites/${site.id}/webhooks/recovery`;
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://2130706433/hook', // 127.0.0.1 as one number
      'http://0.0.0.0/hook',
      'https://[fd00::1]/hook',
    ]) {
      const res = await api(s, 'PUT', path, site.api_key, { url });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code, url).toBe('refused_address');
      expect(body.error.issues?.[0]).toMatchObject({ path: 'url', code: 'refused_address' });
    }
    // Scheme, credentials: invalid bodies, with the path of the problem.
    for (const url of ['ftp://crm.example/x', 'https://user:pw@crm.example/x', 'file:///etc/passwd']) {
      const res = await api(s, 'PUT', path, site.api_key, { url });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code, url).toBe('invalid_body');
      expect(body.error.issues?.[0]?.path, url).toBe('url');
    }
    // Nothing was stored; a public host is accepted.
    expect((await api(s, 'GET', path, site.api_key)).status).toBe(404);
    expect((await api(s, 'PUT', path, site.api_key, { url: 'https://crm.example/x' })).status).toBe(201);
  });

  it('refuses at delivery a name that resolves to loopback: each attempt logged, the receiver never called', async () => {
    const rx = await startReceiver();
    const site = await createSite(s);
    const path = `/api/v1/sites/${site.id}/webhooks/recovery`;
    const url = rx.url.replace('127.0.0.1', 'localhost');
    const res = await api(s, 'PUT', path, site.api_key, { url, inactivity_timeout: 1 });
    expect(res.status).toBe(201);
    rx.setSecret(((await res.json()) as WebhookResponse).secret as string);
    await insertRows(s.deps.store, [
      eventRow(site.id, {
        ts: Date.now(),
        type: 'add_to_cart',
        cart_id: 'c1',
        revenue: 5,
        currency: 'EUR',
        items: [{ id: 'p', name: 'P', price: 5, quantity: 1, category: '', variant: '' }],
      }),
    ]);
    await sleep(1100);
    const deliveries = async () =>
      ((await (await api(s, 'GET', `${path}/deliveries`, site.api_key)).json()) as DeliveriesResponse)
        .deliveries;
    // Passes until the delivery is settled; bounded by a count of passes, not by time.
    for (let i = 0; i < 30; i++) {
      await s.webhooks.runOnce();
      const ds = await deliveries();
      if (ds.length === 1 && ds[0]?.status !== 'pending') break;
      await sleep(30);
    }
    const [d] = await deliveries();
    // Retried by the rules like any failure, then given up after FUNNELHOUSE_WEBHOOK_MAX_ATTEMPTS.
    expect(d?.status).toBe('failed');
    expect(d?.attempts).toHaveLength(2);
    for (const a of d?.attempts ?? [])
      expect(a).toMatchObject({
        status_code: null,
        error: 'refused_address: localhost resolves to a loopback address',
      });
    expect(rx.got).toEqual([]);
    await rx.close();
  });
});
