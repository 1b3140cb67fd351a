import type { CollectEvent } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from '../helpers/api.ts';
import { batch, pageview } from '../helpers/events.ts';
import { storedRows } from '../helpers/rows.ts';
import { createSite, postCollect, startTestServer, type TestServer } from '../helpers/server.ts';

// What is scrubbed before a row is stored (README "What is stored"), end to end through /collect.

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqd3RzdWJqZWN0In0.c2lnbmF0dXJlMTIz';
const click = (over: Partial<CollectEvent> & { el: Record<string, unknown> }) =>
  ({ ...pageview(over), type: 'click' }) as CollectEvent;

describe('query string scrubbing, end to end', () => {
  it('stores no e-mail address or secret parameter value in any column', async () => {
    const site = await createSite(s);
    const secrets = ['jane.doe@example.com', 'hunter2secret', 'tok3nvalue', 'apik3yvalue', 'gclidvalue9'];
    const events = [
      pageview({
        url: 'https://shop.example/p?email=jane.doe@example.com&password=hunter2secret&q=shoes',
        referrer: 'https://other.example/?token=tok3nvalue&from=jane.doe%40example.com',
      }),
      pageview({
        url: 'https://shop.example/account/jane.doe@example.com?api_key=apik3yvalue&gclid=gclidvalue9',
      }),
      {
        ...pageview({ url: 'https://shop.example/c?access_token=tok3nvalue' }),
        type: 'click',
        el: { tag: 'a', href: 'mailto:jane.doe@example.com' },
      },
      {
        ...pageview({ url: 'https://shop.example/' }),
        type: 'click',
        el: { tag: 'a', href: 'https://shop.example/reset?token=tok3nvalue' },
      },
    ];
    const res = await postCollect(s, batch(site.site_key, events as never));
    expect(await res.json()).toEqual({ accepted: 4, dropped: 0, dropped_by_reason: {}, rejected: [] });
    const rows = await storedRows(s, site.id);
    expect(rows).toHaveLength(4);
    const dump = JSON.stringify(rows);
    for (const secret of secrets) expect(dump).not.toContain(secret);
    expect(dump).not.toContain('jane.doe%40example.com');
    expect(dump).toContain('q=shoes'); // ordinary parameters survive
    expect(rows.map((r) => r.click_id_kind)).toContain('gclid'); // the kind is kept, its value is not
  });
});

describe('secret URL parts, end to end', () => {
  it('scrubs url, referrer, link target and utm_* by pattern, and keeps ordinary parameters', async () => {
    const site = await createSite(s);
    const events = [
      click({
        id: 'sec-1',
        url: 'https://jane:hunter2pw@shop.example/cart;jsessionid=SESS1ON?accessToken=tok1&page=2&sort=price#access_token=tok2&expires_in=60',
        referrer: `https://login.example/cb?X-Amz-Signature=sig1&product_id=9#id_token=${JWT}`,
        utm: { source: 'newsletter', term: 'jane.doe@example.com', content: `c ${JWT}` },
        el: { tag: 'a', href: '/reset?reset_token=tok3&api-key=key1&q=shoes' },
      }),
    ];
    expect(await (await postCollect(s, batch(site.site_key, events))).json()).toEqual({
      accepted: 1,
      dropped: 0,
      dropped_by_reason: {},
      rejected: [],
    });
    const [row] = await storedRows(s, site.id);
    expect(row).toMatchObject({
      url: 'https://shop.example/cart;jsessionid=[redacted]?page=2&sort=price&accessToken=%5Bredacted%5D#expires_in=60&access_token=%5Bredacted%5D',
      path: '/cart;jsessionid=[redacted]',
      referrer:
        'https://login.example/cb?product_id=9&X-Amz-Signature=%5Bredacted%5D#id_token=%5Bredacted%5D',
      el_href: '/reset?q=shoes&reset_token=%5Bredacted%5D&api-key=%5Bredacted%5D',
      utm_source: 'newsletter',
      utm_term: '[redacted]',
      utm_content: '[redacted]',
    });
    const dump = JSON.stringify(row);
    for (const secret of [
      'hunter2pw',
      'SESS1ON',
      'tok1',
      'tok2',
      'tok3',
      'sig1',
      'key1',
      'jwtsubject',
      'jane',
    ])
      expect(dump).not.toContain(secret);
  });
});

describe('the scrub_emails site setting', () => {
  const text = 'Contact jane.doe@example.com today';
  const send = (key: string, id: string) =>
    postCollect(
      s,
      batch(key, [click({ id, title: text, props: { note: text, n: 1 }, el: { tag: 'button', text } })]),
    );

  it('keeps addresses in titles, click text and props by default, and redacts them once on', async () => {
    const site = await createSite(s);
    await send(site.site_key, 'before');
    const res = await admin(s, 'PATCH', `/api/v1/sites/${site.id}`, { scrub_emails: true });
    expect(((await res.json()) as { scrub_emails: boolean }).scrub_emails).toBe(true);
    await send(site.site_key, 'after');
    s = await s.restart(); // the setting is stored
    await send(site.site_key, 'restarted');

    const rows = await storedRows(s, site.id);
    const byId = (id: string) => rows.find((r) => r.event_id === id) ?? {};
    expect(byId('before')).toMatchObject({ title: text, el_text: text, props: { note: text, n: '1' } });
    const clean = 'Contact [redacted] today';
    for (const id of ['after', 'restarted'])
      expect(byId(id)).toMatchObject({ title: clean, el_text: clean, props: { note: clean, n: '1' } });
  });
});
