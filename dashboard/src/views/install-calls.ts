/**
 * The snippet calls the Install page shows, in the forms the README documents ("What it sends"),
 * with example values. test/e2e/dashboard-install.spec.ts holds each to the README's form and runs
 * it in Chromium on a page with the snippet, where it must store its event.
 */

/** The README's pre-load stub: calls made before f.js has loaded are queued, then replayed. */
export const STUB = '<script>window.fh=window.fh||function(){(fh.q=fh.q||[]).push(arguments)}</script>';

export interface TrackingCall {
  id: 'cart' | 'purchase' | 'experiment';
  title: string;
  when: string;
  code: string;
}

export const TRACKING_CALLS: readonly TrackingCall[] = [
  {
    id: 'cart',
    title: 'Cart',
    when:
      'When a product goes into the cart (one item; or several as { items, revenue, currency }). ' +
      'remove_from_cart, view_cart, begin_checkout, add_shipping_info and add_payment_info take the same fields.',
    code: "fh('add_to_cart', { id: 'SKU-42', name: 'Blue mug', price: 12.5, quantity: 2, currency: 'EUR' });",
  },
  {
    id: 'purchase',
    title: 'Purchase',
    when: 'On the order confirmation page, once per order (currency: an ISO 4217 code).',
    code: `fh('purchase', {
  order_id: 'A-1001',
  revenue: 25,
  currency: 'EUR',
  items: [{ id: 'SKU-42', name: 'Blue mug', price: 12.5, quantity: 2 }],
});`,
  },
  {
    id: 'experiment',
    title: 'Experiment',
    when:
      'Where the page shows a variant: the visitor gets one, always the same, and one exposure event is sent. ' +
      'Define the experiment under Experiments to see its results.',
    code: `fh('variant', 'cta-color', ['green', 'red'], [50, 50], (v) => {
  document.documentElement.dataset.ctaColor = v;
});`,
  },
];
