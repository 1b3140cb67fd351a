import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, pageview } from '../helpers/events.ts';
import { countRows, storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

describe('restart', () => {
  it('keeps events, sites and keys: a batch sent over HTTP is readable after a restart', async () => {
    const site = await createSite(s, 'persisted');
    const events = [pageview({ id: 'r1' }), pageview({ id: 'r2', url: 'https://shop.example/cart' })];
    const res = await postCollect(s, batch(site.site_key, events));
    expect(res.status).toBe(202);

    s = await s.restart();
    expect(s.generated).toEqual({}); // nothing regenerated: admin key and demo site persisted
    expect(await countRows(s, site.id)).toBe(2);
    expect((await storedRows(s, site.id)).map((r) => r.path)).toEqual(['/products/1', '/cart']);

    // the site key still ingests and the API key still reads, through the new process state
    const again = await postCollect(s, batch(site.site_key, [pageview({ id: 'r3' })]));
    expect(again.status).toBe(202);
    const today = new Date().toISOString().slice(0, 10);
    const ov = await fetch(`${s.url}/api/v1/sites/${site.id}/overview?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${site.api_key}` },
    });
    expect(ov.status).toBe(200);
    expect(((await ov.json()) as { totals: { pageviews: number } }).totals.pageviews).toBe(3);
  });
});
