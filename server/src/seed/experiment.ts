/**
 * The seeded button-colour experiment and the funnel the synthetic visitors walk through. These
 * numbers are the ground truth that reports and statistics built on the seeded data must recover.
 */

import { fnv1a } from './random.ts';

/** Variants of the `cta-color` experiment, assigned 50/50 per visitor. */
export const CTA_VARIANTS = ['red', 'green'] as const;
export type CtaVariant = (typeof CTA_VARIANTS)[number];

/**
 * `cta-color` colours the checkout buttons ("Continue", "Place order"). A visitor is assigned a
 * variant and sent an `exposure` event when the checkout page first renders (the first
 * `begin_checkout`); every later event of that visitor carries `exp: {'cta-color': variant}`.
 *
 * True effect: a visitor who begins checkout completes the purchase with probability 0.40 in `red`
 * and 0.50 in `green` (+10 points absolute, +25 % relative). Nothing else differs between variants,
 * and a visitor begins checkout at most once, so per-visitor checkout → purchase conversion by
 * variant estimates exactly these two numbers.
 */
export const CTA_EXPERIMENT = {
  key: 'cta-color',
  variants: CTA_VARIANTS,
  checkoutToPurchase: { red: 0.4, green: 0.5 } satisfies Record<CtaVariant, number>,
} as const;

/** Variants of the `cart-bundle` experiment, assigned 50/50 per visitor by a hash of its id. */
export const BUNDLE_VARIANTS = ['none', 'bundle'] as const;
export type BundleVariant = (typeof BUNDLE_VARIANTS)[number];

/**
 * `cart-bundle` offers a care kit on the cart page. A visitor is assigned when it first views
 * its cart (and sent an `exposure`); in `bundle` every cart it views gets the kit, priced at
 * `kitShare` of the cart's value (to the cent): its orders are 43 % bigger, while whether it
 * checks out or buys is drawn exactly as in `none`. True effect: average order value × 1.43,
 * conversion unchanged. The assignment and the kit use no random draw, so the rest of the
 * traffic (and the `cta-color` sample) is the same with or without this experiment.
 */
export const BUNDLE_EXPERIMENT = {
  key: 'cart-bundle',
  variants: BUNDLE_VARIANTS,
  kitShare: 0.43,
} as const;

/** The `cart-bundle` variant of a visitor: FNV-1a of its id and the key, by parity. */
export function bundleVariant(visitorId: string): BundleVariant {
  return BUNDLE_VARIANTS[fnv1a(`${BUNDLE_EXPERIMENT.key}:${visitorId}`) % 2] as BundleVariant;
}

/**
 * Probability of each funnel stage given the previous one, within one session. `addToCart` is
 * scaled by the traffic source's intent (email and paid visits buy more than social ones).
 */
export const FUNNEL = {
  /** Landing page → at least one product page. */
  viewProduct: 0.75,
  /** Product page viewed → another product page (repeated, at most 6 product pages). */
  anotherProduct: 0.45,
  /** Product pages viewed → add_to_cart, before scaling by intent. */
  addToCart: 0.3,
  /** Added to cart → view_cart. */
  viewCart: 0.75,
  /** Viewed cart → begin_checkout (only for visitors who never began checkout before). */
  beginCheckout: 0.6,
  /** begin_checkout → add_shipping_info. */
  addShippingInfo: 0.8,
  /** add_shipping_info → add_payment_info. */
  addPaymentInfo: 0.85,
} as const;

/** P(purchase | add_payment_info) that makes checkout → purchase equal the variant's true rate. */
export function purchaseGivenPayment(variant: CtaVariant): number {
  return CTA_EXPERIMENT.checkoutToPurchase[variant] / (FUNNEL.addShippingInfo * FUNNEL.addPaymentInfo);
}
