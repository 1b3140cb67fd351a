import { readFileSync } from 'node:fs';
import { expectAccessible, screenshots, signIn } from './dashboard-fixtures.ts';
import { expect, expectEvents, test } from './shop.ts';

/**
 * The Install page's cart, purchase and experiment calls are the README's documented forms, and
 * each, pasted into a page that has the Install page's own tag, stores its event.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const SENDS = README.slice(README.indexOf('### What it sends'), README.indexOf('### Delivery'));
/** The field names the README gives a call's object, e.g. `fh('purchase', {order_id, revenue, …})`. */
function documentedFields(name: string): string[] {
  const m = new RegExp(`fh\\('${name}', \\{([^}]*)\\}\\)`).exec(SENDS);
  if (!m) throw new Error(`the README documents no fh('${name}', {…}) form`);
  return (m[1] as string).split(',').map((f) => f.trim());
}
const STUB = /```html\n(<script>window\.fh=[^\n]*<\/script>)\n```/.exec(README)?.[1];

/** What a call passes to `fh`, read by running it against a recorder (no browser needed). */
function argsOf(code: string): unknown[][] {
  const calls: unknown[][] = [];
  new Function('fh', code)((...args: unknown[]) => calls.push(args));
  return calls;
}

test('install: the cart, purchase and experiment calls are the documented forms, and each stores its event', async ({
  page,
  context,
  shop,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shop.serverUrl });
  await signIn(page, shop.serverUrl, shop.site.api_key);
  await page.goto(`${shop.serverUrl}/?site=${shop.site.id}&view=install`);
  const calls = page.getByRole('region', { name: '2. Send carts, orders and experiments' });
  await expect(calls.locator('[data-call="stub"]')).toHaveText(STUB ?? 'the README has no stub');
  const code = async (id: string) => (await calls.locator(`[data-call="${id}"]`).textContent()) ?? '';
  const cart = await code('cart');
  const purchase = await code('purchase');
  const experiment = await code('experiment');

  // The forms: names and fields as the README documents them.
  const itemFields = documentedFields('add_to_cart');
  const [[cartName, cartFields] = []] = argsOf(cart);
  expect(cartName).toBe('add_to_cart');
  expect(itemFields).toEqual(expect.arrayContaining(Object.keys(cartFields as object)));
  const [[purchaseName, order] = []] = argsOf(purchase);
  expect(purchaseName).toBe('purchase');
  const o = order as { items: object[] };
  expect(documentedFields('purchase')).toEqual(expect.arrayContaining(Object.keys(o)));
  for (const item of o.items) expect(itemFields).toEqual(expect.arrayContaining(Object.keys(item)));
  // `fh('variant', 'cta-color', ['green', 'red'], [50, 50], (v) => …)`
  expect(SENDS).toContain("fh('variant', 'cta-color', ['green', 'red'], [50, 50], (v) => …)");
  const [[variantName, key, variants, weights, callback] = []] = argsOf(experiment);
  expect([variantName, key, variants, weights, typeof callback]).toEqual([
    'variant',
    'cta-color',
    ['green', 'red'],
    [50, 50],
    'function',
  ]);

  // Copy gives the code as shown.
  await calls.getByRole('button', { name: 'Copy the purchase call' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(purchase);
  await expectAccessible(page);
  await screenshots(page, 'install-calls');

  // Run in Chromium on a shop page carrying the Install page's tag (site key, integrity).
  const tag = (await page.locator('[data-snippet]').textContent()) ?? '';
  expect(tag).toContain(`data-site="${shop.site.site_key}"`);
  await shop.serve({ tag });
  await page.goto(`${shop.base}blank.html`);
  for (const c of [cart, purchase, experiment]) await page.evaluate(c);
  await expectEvents(shop, {
    expected: [
      { type: 'add_to_cart', currency: 'EUR' },
      { type: 'purchase', order_id: 'A-1001', revenue: 25, currency: 'EUR' },
      { type: 'exposure', name: 'cta-color' },
    ],
  });
  const shown = await page.evaluate(() => document.documentElement.dataset.ctaColor);
  expect(['green', 'red']).toContain(shown);
});
