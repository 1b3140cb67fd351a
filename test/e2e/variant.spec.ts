import { assignVariant } from '../../sdk/src/assign.ts';
import { expect, expectEvents, test } from './shop.ts';

test('a visitor keeps their variant across reloads, with one exposure per experiment', async ({
  page,
  shop,
}) => {
  await shop.serve();
  await page.goto(`${shop.base}variant.html`);
  const seen = () =>
    page.evaluate(() => ({
      headline: (window as unknown as { headline?: string }).headline,
      cta: document.querySelector('#cta')?.getAttribute('data-fh-shown'),
    }));
  await expect
    .poll(seen)
    .toEqual({ headline: expect.stringMatching(/^[abc]$/), cta: expect.stringMatching(/^(green|red)$/) });
  const first = await seen();
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await expect.poll(seen).toEqual(first);
  }
  const rows = await expectEvents(shop, {
    expected: [
      { type: 'exposure', name: 'headline' },
      { type: 'exposure', name: 'cta-color' },
    ],
  });
  await expect.poll(async () => (await shop.rows()).filter((r) => r.type === 'pageview').length).toBe(4);
  const all = await shop.rows();
  const exposures = all.filter((r) => r.type === 'exposure');
  expect(exposures).toHaveLength(2);
  // An exposure row names the experiment; its variant is in the row's assignments.
  const shown = Object.fromEntries(
    exposures.map((r) => [r.name, (r.experiments as Record<string, string>)[r.name as string]]),
  );
  expect(shown).toEqual({ headline: first.headline, 'cta-color': first.cta });
  // Every page view after the assignments carries both.
  for (const pv of all.filter((r) => r.type === 'pageview')) {
    expect(pv.experiments).toEqual({ headline: first.headline, 'cta-color': first.cta });
  }
  // The browser's choice is the pure function's, from the stored visitor id.
  const visitor = rows[0]?.visitor_id as string;
  expect(assignVariant(visitor, 'headline', ['a', 'b', 'c'], [1, 1, 2])).toBe(first.headline);
  expect(assignVariant(visitor, 'cta-color', ['green', 'red'])).toBe(first.cta);
});
