import type { CollectEvent, Item, Utm } from '@funnelhouse/schemas';
import { CATEGORIES, type Origin, PRODUCTS, type Product, SHOP } from './catalog.ts';
import {
  BUNDLE_EXPERIMENT,
  type BundleVariant,
  bundleVariant,
  CTA_EXPERIMENT,
  type CtaVariant,
  FUNNEL,
  purchaseGivenPayment,
} from './experiment.ts';
import { fnv1a, type Rng } from './random.ts';
import { SITE_SEARCH } from './search.ts';

type Fields = Partial<CollectEvent> & Record<string, unknown>;

/** What one visitor carries from session to session. */
export interface VisitorState {
  visitorId: string;
  currency: string;
  variant?: CtaVariant;
  /** `cart-bundle` variant, once the visitor viewed a cart (and was exposed). */
  bundle?: BundleVariant;
  beganCheckout: boolean;
  /** Uses the site search (`search.ts`). */
  searcher: boolean;
  /** The snippet keeps a cart id from the first add until purchase, across sessions. */
  cartId?: string;
}

/** The care kit `cart-bundle` adds: its price is set per cart. */
const KIT = { id: 'sku-care-kit', name: 'Care kit', category: 'accessories' };

interface Cart {
  id: string;
  items: Item[];
}

/**
 * Plays one session of one visitor, in order, as the snippet would report it: every event
 * carries the session's external referrer and landing campaign (`utm`), and the experiment
 * assignment once the visitor was exposed. Times are whole seconds (see `generate.ts`).
 */
export class SessionSim {
  readonly events: CollectEvent[] = [];
  private clock: number;
  private readonly utm: Utm | undefined;
  private cart: Cart | undefined;
  private searched = false;

  constructor(
    private readonly rng: Rng,
    private readonly visitor: VisitorState,
    private readonly origin: Origin,
    private readonly sessionId: string,
    start: number,
  ) {
    this.clock = start;
    const c = origin.campaign;
    this.utm = c && {
      source: c.source,
      medium: c.medium,
      campaign: c.campaign,
      ...(c.term ? { term: c.term } : {}),
      ...(c.clickId ? { click_id: c.clickId } : {}),
    };
  }

  /** Runs the whole session; returns the time of its last event. */
  run(): number {
    const viewed = this.browse(this.land());
    const boost = this.searched ? SITE_SEARCH.addToCartBoost : 1;
    if (viewed.length > 0 && this.rng.chance(FUNNEL.addToCart * this.origin.intent * boost)) {
      this.addToCart(viewed);
      if (this.rng.chance(FUNNEL.viewCart)) this.cartAndCheckout();
    }
    return this.clock;
  }

  /** The landing pageview: a product page (all paid clicks, 30 % of others), a category or home. */
  private land(): Product | undefined {
    const r = this.rng.float();
    if (this.origin.channel === 'paid_search' || r < 0.3) {
      const product = this.rng.pick(PRODUCTS);
      this.pageview(productPath(product), this.landingQuery());
      return product;
    }
    this.pageview(r < 0.5 ? `/c/${this.rng.pick(CATEGORIES)}` : '/', this.landingQuery());
    return undefined;
  }

  /** The landing URL's query: campaign tags and the ad click id, as an ad platform appends them. */
  private landingQuery(): string {
    const c = this.origin.campaign;
    if (!c) return '';
    const q = new URLSearchParams({ utm_source: c.source, utm_medium: c.medium, utm_campaign: c.campaign });
    if (c.term) q.set('utm_term', c.term);
    if (c.clickId) q.set(c.clickId, this.rng.id(32));
    return `?${q}`;
  }

  /**
   * Product pages viewed in this session (the landing page counts when it is one); a searcher
   * searches right after the first.
   */
  private browse(landed: Product | undefined): Product[] {
    const viewed: Product[] = landed ? [landed] : [];
    if (landed) this.search();
    else if (!this.rng.chance(FUNNEL.viewProduct)) return viewed;
    while (viewed.length < 6 && (viewed.length === 0 || this.rng.chance(FUNNEL.anotherProduct))) {
      const p = this.rng.pick(PRODUCTS);
      this.pageview(productPath(p));
      viewed.push(p);
      if (viewed.length === 1) this.search();
    }
    return viewed;
  }

  /**
   * A searcher's query from the header's search box: the results page and the shop's event. No
   * random draw (the query from the session id, fixed delays), so a searcher draws what it drew
   * before the signal was planted until the boosted add to cart.
   */
  private search(): void {
    if (!this.visitor.searcher) return;
    const terms = SITE_SEARCH.terms;
    const query = terms[fnv1a(this.sessionId) % terms.length] as string;
    // Ids from the session: a searcher searches in each session that shows a product.
    const id = () => `${this.sessionId}-search-${this.events.length}`;
    this.emitAfter(12_000, 'pageview', '/search', {}, `?${new URLSearchParams({ q: query })}`, id());
    this.emitAfter(1_000, 'custom', '/search', { name: SITE_SEARCH.name, props: { query } }, '', id());
    this.searched = true;
  }

  private addToCart(viewed: Product[]): void {
    // The id is drawn either way, so the rest of the stream is the same as with a fresh cart.
    const id = this.rng.id(16);
    this.cart = { id: this.visitor.cartId ?? id, items: [] };
    this.visitor.cartId = this.cart.id;
    const lines = this.rng.chance(0.25) && viewed.length > 1 ? 2 : 1;
    for (const p of viewed.slice(-lines)) {
      const item = toItem(p, this.rng.chance(0.15) ? 2 : 1);
      this.cart.items.push(item);
      this.emit('click', productPath(p), {
        name: 'add_to_cart',
        el: { tag: 'button', id: 'add-to-cart', classes: 'btn btn-primary', text: 'Add to cart' },
      });
      this.emit('add_to_cart', productPath(p), this.money([item]));
    }
  }

  private cartAndCheckout(): void {
    this.pageview('/cart');
    this.emit('view_cart', '/cart', this.money());
    const items = this.cart?.items ?? [];
    if (items.length > 1 && this.rng.chance(0.3)) {
      this.emit('remove_from_cart', '/cart', this.money(items.splice(0, 1)));
    }
    this.offerBundle(items);
    if (this.visitor.beganCheckout || !this.rng.chance(FUNNEL.beginCheckout)) return;
    this.visitor.beganCheckout = true;
    this.pageview('/checkout');
    this.expose();
    this.emit('begin_checkout', '/checkout', this.money());
    this.emit('form_start', '/checkout', { form: { id: 'shipping', fields: ['name', 'address', 'city'] } });
    if (!this.rng.chance(FUNNEL.addShippingInfo)) return;
    this.emit('form_submit', '/checkout', { form: { id: 'shipping', fields: ['name', 'address', 'city'] } });
    this.emit('add_shipping_info', '/checkout', this.money());
    this.pageview('/checkout/payment');
    if (!this.rng.chance(FUNNEL.addPaymentInfo)) return;
    this.emit('add_payment_info', '/checkout/payment', this.money());
    if (!this.rng.chance(purchaseGivenPayment(this.variant()))) return;
    this.purchase();
  }

  /**
   * `cart-bundle`: exposed on the first cart view; in `bundle` the kit joins the cart at
   * `kitShare` of its value. At the cart view's time, without a random draw.
   */
  private offerBundle(items: Item[]): void {
    if (!this.visitor.bundle) {
      const variant = bundleVariant(this.visitor.visitorId);
      this.emitAfter(0, 'exposure', '/cart', { name: BUNDLE_EXPERIMENT.key, variant });
      this.visitor.bundle = variant;
    }
    if (this.visitor.bundle !== 'bundle' || items.some((i) => i.id === KIT.id)) return;
    const cents = items.reduce((sum, i) => sum + Math.round((i.price ?? 0) * 100) * (i.quantity ?? 1), 0);
    items.push({ ...KIT, price: Math.round(cents * BUNDLE_EXPERIMENT.kitShare) / 100, quantity: 1 });
  }

  /** The checkout page renders: assign the variant (50/50) and report the exposure. */
  private expose(): void {
    const variant = this.rng.pick(CTA_EXPERIMENT.variants);
    this.emit('exposure', '/checkout', { name: CTA_EXPERIMENT.key, variant });
    this.visitor.variant = variant;
  }

  private purchase(): void {
    const variant = this.variant();
    this.emit('click', '/checkout/payment', {
      name: 'place_order',
      el: { tag: 'button', id: 'place-order', classes: `btn cta-${variant}`, text: 'Place order' },
    });
    this.pageview('/checkout/thank-you');
    this.emit('purchase', '/checkout/thank-you', { ...this.money(), order_id: `ord-${this.rng.id(10)}` });
    this.cart = undefined;
    this.visitor.cartId = undefined;
  }

  private variant(): CtaVariant {
    if (!this.visitor.variant) throw new Error('visitor reached checkout without a variant');
    return this.visitor.variant;
  }

  private money(items = this.cart?.items ?? []): { items: Item[]; revenue: number; currency: string } {
    const cents = items.reduce((s, i) => s + Math.round((i.price ?? 0) * 100) * (i.quantity ?? 1), 0);
    return { items: items.map((i) => ({ ...i })), revenue: cents / 100, currency: this.visitor.currency };
  }

  private pageview(path: string, query = ''): void {
    this.emit('pageview', path, {}, query);
  }

  /** Appends one event a few seconds to a minute after the previous one. */
  private emit(type: CollectEvent['type'], path: string, fields: Fields, query = ''): void {
    if (this.events.length > 0) this.clock += this.rng.int(type === 'pageview' ? 8 : 2, 75) * 1000;
    this.push(this.rng.id(), type, path, fields, query);
  }

  /** Appends one event `ms` after the previous one; no random draw (its id comes from the visitor's). */
  private emitAfter(
    ms: number,
    type: CollectEvent['type'],
    path: string,
    fields: Fields,
    query = '',
    id = `${this.visitor.visitorId}-${type}-${this.events.length}`,
  ): void {
    this.clock += ms;
    this.push(id, type, path, fields, query);
  }

  private push(id: string, type: CollectEvent['type'], path: string, fields: Fields, query: string): void {
    const assigned = {
      ...(this.visitor.variant ? { [CTA_EXPERIMENT.key]: this.visitor.variant } : {}),
      ...(this.visitor.bundle ? { [BUNDLE_EXPERIMENT.key]: this.visitor.bundle } : {}),
    };
    const exp = Object.keys(assigned).length > 0 ? assigned : undefined;
    const event = {
      id,
      type,
      ts: this.clock,
      url: `${SHOP}${path}${query}`,
      title: titleOf(path),
      ...(this.origin.referrer ? { referrer: this.origin.referrer } : {}),
      ...(this.utm ? { utm: this.utm } : {}),
      visitor_id: this.visitor.visitorId,
      session_id: this.sessionId,
      ...(this.cart ? { cart_id: this.cart.id } : {}),
      ...(exp ? { exp } : {}),
      ...fields,
    };
    this.events.push(event as CollectEvent);
  }
}

export function productPath(p: Product): string {
  return `/products/${p.slug}`;
}

function toItem(p: Product, quantity: number): Item {
  return { id: p.id, name: p.name, price: p.price, quantity, category: p.category };
}

const TITLES: Record<string, string> = {
  '/': 'Home',
  '/cart': 'Your cart',
  '/search': 'Search results',
  '/checkout': 'Checkout',
  '/checkout/payment': 'Payment',
  '/checkout/thank-you': 'Thank you for your order',
};

function titleOf(path: string): string {
  const product = PRODUCTS.find((p) => path === productPath(p));
  const category = path.startsWith('/c/') ? path.slice(3) : undefined;
  return `${product?.name ?? TITLES[path] ?? category ?? path} | Funnel Shop`;
}
