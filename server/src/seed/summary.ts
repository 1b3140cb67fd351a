import { BUNDLE_EXPERIMENT, type BundleVariant, CTA_EXPERIMENT, type CtaVariant } from './experiment.ts';
import type { Traffic } from './generate.ts';
import { SITE_SEARCH } from './search.ts';

export interface VariantSample {
  /** Visitors who began checkout (and were exposed). */
  checkouts: number;
  /** Of those, visitors who purchased. */
  purchases: number;
  /** The true checkout → purchase rate the generator used. */
  trueRate: number;
}

/** Visitors who viewed a product page, and of those the ones who bought. */
export interface ProductSample {
  viewers: number;
  buyers: number;
}

export interface TrafficSummary {
  visitors: number;
  people: number;
  crawlers: number;
  /** Sessions of people only: crawlers' events are dropped as bots, so the overview never counts theirs. */
  sessions: number;
  events: number;
  /** Events of crawlers: the server must drop exactly these. */
  crawlerEvents: number;
  orders: number;
  experiment: Record<CtaVariant, VariantSample>;
  /** `cart-bundle`: exposed visitors, and their orders and revenue after exposure (one currency each). */
  bundle: Record<BundleVariant, { exposed: number; orders: number; revenue: number }>;
  /** The site-search signal (`search.ts`): product viewers who searched, and the others. */
  search: { searched: ProductSample; others: ProductSample };
}

/** Counts of what was generated, and the experiment's realised sample next to its true rates. */
export function summarizeTraffic(t: Traffic): TrafficSummary {
  const experiment = Object.fromEntries(
    CTA_EXPERIMENT.variants.map((v) => [
      v,
      { checkouts: 0, purchases: 0, trueRate: CTA_EXPERIMENT.checkoutToPurchase[v] },
    ]),
  ) as Record<CtaVariant, VariantSample>;
  const s: TrafficSummary = {
    visitors: t.visitors.length,
    people: 0,
    crawlers: 0,
    sessions: 0,
    events: 0,
    crawlerEvents: 0,
    orders: 0,
    experiment,
    bundle: Object.fromEntries(
      BUNDLE_EXPERIMENT.variants.map((v) => [v, { exposed: 0, orders: 0, revenue: 0 }]),
    ) as TrafficSummary['bundle'],
    search: { searched: { viewers: 0, buyers: 0 }, others: { viewers: 0, buyers: 0 } },
  };
  for (const v of t.visitors) {
    s.events += v.events.length;
    if (v.bot) {
      s.crawlers++;
      s.crawlerEvents += v.events.length;
      continue;
    }
    s.people++;
    s.sessions += v.sessions.length;
    const orders = v.events.filter((e) => e.type === 'purchase').length;
    s.orders += orders;
    if (v.variant) {
      experiment[v.variant].checkouts++;
      if (orders > 0) experiment[v.variant].purchases++;
    }
    if (v.events.some((e) => e.type === 'pageview' && e.url.includes('/products/'))) {
      const searched = v.events.some((e) => e.type === 'custom' && e.name === SITE_SEARCH.name);
      const sample = searched ? s.search.searched : s.search.others;
      sample.viewers++;
      if (orders > 0) sample.buyers++;
    }
    if (v.bundle) {
      const b = s.bundle[v.bundle];
      b.exposed++;
      // Every purchase follows a cart view, so all of a visitor's orders are after its exposure.
      for (const e of v.events) {
        if (e.type !== 'purchase') continue;
        b.orders++;
        b.revenue += e.revenue ?? 0;
      }
    }
  }
  return s;
}
