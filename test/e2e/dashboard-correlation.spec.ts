import type {
  CollectEvent,
  CorrelationCandidate,
  CorrelationResult,
  FunnelDefinition,
  PathsResult,
} from '@funnelhouse/schemas';
import type { Locator, Page, Request } from '@playwright/test';
import { batch, pageview } from '../helpers/events.ts';
import { createSite, postCollect } from '../helpers/server.ts';
import { expect, expectAccessible, readNumber, screenshots, signIn, test } from './dashboard-fixtures.ts';

/** A correlation or a paths question on a shared machine. */
const ANSWER = { timeout: 30_000 };
const SEC = 1000;

/**
 * The planted signal (as in test/integration/funnel-correlation.test.ts): 100 visitors put a
 * product in the cart; the 40 who used the site search after that pay 20 times, the 60 others
 * 15 times. Those who do not pay browse on: 3 in 10 to /shipping then /faq, 2 in 10 to another
 * product, one each to /about, /blog, /contact and /returns, and 1 in 10 leave at once; so at
 * the default width of 5 the paths have an "Other" and a "(left the site)".
 */
const definition: FunnelDefinition = {
  steps: [
    { label: 'Product', match: [{ type: 'pageview', path: { op: 'exact', value: '/product' } }] },
    { label: 'Cart', match: [{ type: 'add_to_cart' }] },
    { label: 'Paid', match: [{ type: 'purchase' }] },
  ],
  order: 'ordered',
  window_seconds: 86_400,
  unit: 'visitor',
};
const AFTER: string[][] = [
  ['/shipping', '/faq'],
  ['/shipping', '/faq'],
  ['/shipping', '/faq'],
  ['/product/1001'],
  ['/product/2002'],
  ['/about'],
  ['/blog'],
  ['/contact'],
  ['/returns'],
  [],
];

function plantedEvents(now: number): CollectEvent[] {
  const events: CollectEvent[] = [];
  let dropped = 0;
  const visitor = (id: string, start: number, searches: boolean, pays: boolean) => {
    const who = { visitor_id: id, session_id: `${id}-s` };
    const at = (dt: number, over: Record<string, unknown>) =>
      events.push(pageview({ ...who, ts: start + dt, url: 'https://shop.example/product', ...over }));
    at(0, {});
    at(20 * SEC, { type: 'add_to_cart' });
    if (searches) at(25 * SEC, { type: 'custom', name: 'site_search' });
    if (pays) at(30 * SEC, { type: 'purchase', order_id: `o-${id}`, revenue: 20, currency: 'EUR' });
    else {
      const pages = AFTER[dropped++ % AFTER.length] ?? [];
      for (const [i, p] of pages.entries()) at((40 + 10 * i) * SEC, { url: `https://shop.example${p}` });
    }
  };
  const base = now - 3 * 3_600_000;
  for (let i = 0; i < 40; i++) visitor(`s${i}`, base + i * 60 * SEC, true, i < 20);
  for (let i = 0; i < 60; i++) visitor(`n${i}`, base + 3_600_000 + i * 60 * SEC, false, i < 15);
  return events;
}

/** The same request the page made, asked of the API directly. */
async function askAgain<T>(url: string, apiKey: string, req: Request): Promise<T> {
  const res = await fetch(`${url}${new URL(req.url()).pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: req.postData() ?? '',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const label = (c: CorrelationCandidate) =>
  c.kind === 'event_type'
    ? `Event: ${c.value}`
    : c.kind === 'event_name'
      ? `Custom event: ${c.value}`
      : `${c.property} = ${c.value}`;

/** Each shown row of a signal table says what the API said, formatted. */
async function expectSignals(page: Page, table: string, rows: CorrelationCandidate[]): Promise<void> {
  const shown = page.locator(`[data-table="${table}"] tbody tr`);
  await expect(shown).toHaveCount(Math.min(10, rows.length));
  for (const [i, c] of rows.slice(0, 10).entries()) {
    const row = shown.nth(i);
    const k = c.counts;
    await expect(row.locator('[data-field="signal"]')).toHaveText(label(c));
    expect(readNumber(await row.locator('[data-field="units"]').textContent())).toBe(
      k.did_converted + k.did_dropped,
    );
    expect(readNumber(await row.locator('[data-field="with"]').textContent())).toBeCloseTo(
      k.did_converted / (k.did_converted + k.did_dropped),
      3,
    );
    const notDid = k.not_converted + k.not_dropped;
    if (notDid > 0)
      expect(readNumber(await row.locator('[data-field="without"]').textContent())).toBeCloseTo(
        k.not_converted / notDid,
        3,
      );
    for (const [field, v] of [
      ['or', c.odds_ratio],
      ['or-low', c.odds_ratio_interval.low],
      ['or-high', c.odds_ratio_interval.high],
    ] as const)
      expect(readNumber(await row.locator(`[data-field="${field}"]`).textContent()), field).toBe(
        v >= 1000 ? Math.round(v) : Number(v.toPrecision(3)),
      );
    const q = (await row.locator('[data-field="q"]').textContent()) ?? '';
    if (q.startsWith('<')) expect(c.q_value).toBeLessThan(0.001);
    else expect(Math.abs(readNumber(q) - c.q_value)).toBeLessThan(0.00051);
  }
}

/** Labels of the Sankey outside its drawing, and whether its box scrolls sideways. */
function sankeyFit(where: Locator): Promise<{ outside: string[]; scrolls: boolean }> {
  return where.locator('.sankey-scroll').evaluate((box) => {
    const svg = box.querySelector('svg')?.getBoundingClientRect();
    const outside = Array.from(box.querySelectorAll('text'))
      .filter((t) => {
        const r = t.getBoundingClientRect();
        return !svg || r.left < svg.left || r.right > svg.right || r.top < svg.top || r.bottom > svg.bottom;
      })
      .map((t) => t.textContent ?? '');
    return { outside, scrolls: box.scrollWidth > box.clientWidth };
  });
}

/** Desktop as the screenshots were taken, and a phone. */
const WIDTHS = { desktop: 1280, phone: 390 };

test('funnels: why they dropped and where they went, from a step, as the API answers', async ({
  page,
  server,
  guard,
}) => {
  test.slow();
  const site = await createSite(server, 'Search shop');
  const events = plantedEvents(Date.now());
  for (let i = 0; i < events.length; i += 100)
    expect((await postCollect(server, batch(site.site_key, events.slice(i, i + 100)))).status).toBe(202);
  await signIn(page, server.url, site.api_key);
  const funnelUrl = `${server.url}/?site=${site.id}&view=funnels&range=7d&tz=UTC&def=${encodeURIComponent(JSON.stringify(definition))}`;
  await page.goto(funnelUrl);
  const cartToPaid = page.locator('.fstep[data-step="3"]');
  await expect(cartToPaid.locator('[data-field="dropped"]')).toHaveText('65', ANSWER);
  // Nobody dropped between the product and the cart: nothing to ask there.
  await expect(page.locator('.fstep[data-step="2"] .insight-button')).toHaveCount(0);

  // "Why did they drop here?" asks the correlation of step 2 → 3 (0-based 1 → 2).
  const asked = page.waitForRequest((r) => r.url().endsWith('/funnels/correlation'));
  await cartToPaid.getByRole('button', { name: 'Why did they drop here? (step 2 → 3)' }).click();
  const req = await asked;
  expect(JSON.parse(req.postData() ?? '{}')).toMatchObject({ steps: { from: 1, to: 2 } });
  await expect(page).toHaveURL(/insight=why&steps=2-3/);
  const panel = page.locator('section[data-insight="why"]');
  await expect(panel.getByRole('heading', { name: 'Why did they drop? Step 2 → 3' })).toBeFocused();
  await expect(panel.locator('[data-table="corr-success"] tbody tr').first()).toBeVisible(ANSWER);
  const r = await askAgain<CorrelationResult>(server.url, site.api_key, req);
  expect(r.units).toEqual({ converted: 35, dropped: 65 });
  // The planted signal is found, with its exact table.
  const search = r.success.find((c) => c.kind === 'event_name' && c.value === 'site_search');
  expect(search?.counts).toEqual({ did_converted: 20, did_dropped: 20, not_converted: 15, not_dropped: 45 });
  expect(search?.odds_ratio).toBeCloseTo(3, 9);
  await expectSignals(page, 'corr-success', r.success);
  await expectSignals(page, 'corr-drop-off', r.drop_off);
  await expect(panel.locator('[data-field="tested"]')).toContainText(
    `${r.tested} candidates tested, min support ${r.min_support} units`,
  );
  await expect(panel.locator('[data-field="corr-units"]')).toContainText(
    '35 went on to step 3 and 65 did not',
  );
  expect(r.excluded).toEqual([{ kind: 'event_type', value: 'purchase', reason: 'defines_step', step: 2 }]);
  await expect(panel.locator('[data-field="excluded"]')).toContainText('event purchase (step 3)');
  await expectAccessible(page);
  await screenshots(page, 'funnel-why', WIDTHS);

  // The state is the URL's: a reload shows the same panel.
  await page.reload();
  await expect(page.locator('[data-table="corr-success"] [data-field="signal"]').first()).toBeVisible(ANSWER);

  // "Where did they go?": the paths of the 65 who stopped at the cart.
  const askedPaths = page.waitForRequest((q) => q.url().endsWith('/paths'));
  await page
    .locator('.fstep[data-step="3"]')
    .getByRole('button', { name: 'Where did they go? (step 2 → 3)' })
    .click();
  const preq = await askedPaths;
  expect(JSON.parse(preq.postData() ?? '{}')).toMatchObject({
    start: { funnel: { step: 2, who: 'dropped' } },
    direction: 'after',
    node: 'path',
  });
  await expect(page).toHaveURL(/insight=where&steps=2-3/);
  const where = page.locator('section[data-insight="where"]');
  await expect(where.locator('[data-chart="sankey"]')).toBeVisible(ANSWER);
  const p = await askAgain<PathsResult>(server.url, site.api_key, preq);
  expect(p.units).toBe(65);
  await expect(where.locator('[data-field="paths-units"] strong')).toHaveText('65');
  // The diagram has a bar per node and a band per link; Other and the exit are drawn apart.
  await expect(where.locator('.sankey-node')).toHaveCount(p.nodes.length);
  await expect(where.locator('.sankey-link')).toHaveCount(p.links.length);
  const kinds = new Set(p.nodes.map((n) => n.kind));
  expect(kinds).toEqual(new Set(['start', 'label', 'other', 'end']));
  await expect(where.locator('.sankey-node.kind-end').first()).toContainText('(left the site)');
  await expect(where.locator('.sankey-node.kind-other').first()).toContainText('Other');
  // The table lists every node below the start with the API's visitors.
  const rows = where.locator('[data-table="paths"] tbody tr');
  await expect(rows).toHaveCount(p.nodes.length - 1);
  for (const n of p.nodes.filter((x) => x.kind !== 'start')) {
    const row = where.locator(`[data-table="paths"] tr[data-node="${n.id}"]`);
    await expect(row).toHaveAttribute('data-kind', n.kind);
    expect(readNumber(await row.locator('[data-field="units"]').textContent())).toBe(n.units);
  }
  const first = p.nodes.find((n) => n.level === 1 && n.kind === 'label');
  expect(first?.label).toBe('/shipping');
  await expect(where.locator('[data-table="paths"] tbody th').first()).toHaveText('/shipping');
  await where.getByText('The paths as a table').click();
  await expectAccessible(page);
  // Every label inside the drawing; on a desktop the whole diagram fits its card (no last column
  // cut off at the right edge), on a phone it scrolls sideways with its labels at full size.
  for (const [width, scrolls] of [
    [WIDTHS.desktop, false],
    [WIDTHS.phone, true],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await expect.poll(() => sankeyFit(where), `Sankey at ${width} px`).toEqual({ outside: [], scrolls });
  }
  await screenshots(page, 'funnel-where', WIDTHS);

  // Close: the panel and its URL state go.
  await where.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('section.insight')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('insight')).toBeNull();
  expect(guard.problems).toEqual([]);
});
