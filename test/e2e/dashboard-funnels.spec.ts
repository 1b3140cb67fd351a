import type { FunnelResult, SavedFunnel } from '@funnelhouse/schemas';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, readNumber, screenshots, signIn, test } from './dashboard-fixtures.ts';

/** An answer on a shared machine: a funnel question is four queries (levels, step events, trend, previous period). */
const ANSWER = { timeout: 30_000 };

/** The funnel the page shows, asked of the API with the definition and breakdown in its URL. */
async function apiResultFor(
  page: Page,
  url: string,
  site: { id: string; api_key: string },
): Promise<FunnelResult> {
  const q = new URL(page.url()).searchParams;
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  const [kind, value] = (q.get('breakdown') ?? ':').split(/:(.*)/s);
  const res = await fetch(`${url}/api/v1/sites/${site.id}/funnels/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${site.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      definition: JSON.parse(q.get('def') ?? 'null'),
      from: dates[0],
      to: dates[1],
      tz: await page.getByLabel('Time zone').inputValue(),
      trend: 'day',
      compare: true,
      ...(kind && value ? { breakdown: { dimension: { [kind]: value } } } : {}),
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as FunnelResult;
}

/** Every step's units, conversion and drop-off as drawn, and the breakdown rows, equal the API's. */
async function expectSameNumbers(page: Page, r: FunnelResult): Promise<void> {
  await expect(page.locator('.fstep')).toHaveCount(r.overall.steps.length, ANSWER);
  for (const s of r.overall.steps) {
    const row = page.locator(`.fstep[data-step="${s.step}"]`);
    await expect(row.locator('[data-field="units"]')).toHaveText(s.units.toLocaleString('en-US'));
    expect(readNumber(await row.locator('[data-field="rate"]').textContent())).toBeCloseTo(
      s.from_entry.rate ?? 0,
      3,
    );
    if (s.step > 1)
      expect(readNumber(await row.locator('[data-field="dropped"]').textContent())).toBe(s.dropped);
  }
  const groups = r.breakdown ?? [];
  const rows = page.locator('[data-table="breakdown"] tbody tr');
  await expect(rows).toHaveCount(groups.length);
  for (const [i, g] of groups.entries()) {
    const cells = rows.nth(i).locator('td');
    expect(readNumber(await cells.nth(1).textContent())).toBe(g.steps[0]?.units);
    expect(readNumber(await cells.nth(2).textContent())).toBe(g.steps[g.steps.length - 1]?.units);
  }
}

test('funnels: build, break down, match the API, save, reload, load and delete', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  // Eight answers and two reloads on a machine others share.
  test.slow();
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=funnels&range=7d&tz=UTC`);
  await expect(page.locator('.fstep')).toHaveCount(2, ANSWER);
  // Add a third step, make it add_to_cart, and move it between visit and purchase.
  await page.getByRole('button', { name: 'Add a step' }).click();
  await page.getByLabel('Event', { exact: true }).nth(2).selectOption('add_to_cart');
  await page.getByLabel('Step 3 label').fill('Added to cart');
  await page.getByLabel('Step 3 label').press('Enter');
  await page.getByLabel('Step 3 label').blur();
  await page.getByRole('button', { name: 'Move step 3 up' }).click();
  await expect(page.getByLabel('Step 2 label')).toHaveValue('Added to cart');
  await page.getByRole('combobox', { name: 'Breakdown' }).selectOption('column:channel');
  await expect(page).toHaveURL(/breakdown=column%3Achannel/);
  await expect(page.locator('.fstep')).toHaveCount(3, ANSWER);
  await expect(page.locator('.fstep[data-step="2"] .fstep-label')).toContainText('Added to cart');
  const r = await apiResultFor(page, server.url, seeded);
  expect(r.overall.steps[0]?.units).toBeGreaterThan(50);
  expect(r.overall.steps[2]?.units).toBeGreaterThan(0);
  await expectSameNumbers(page, r);
  await expect(page.locator('[data-field="median"]')).not.toHaveText('–');
  await expectAccessible(page);
  await screenshots(page, 'funnels');

  // Save: the answer on screen is the saved funnel's, so it is not asked again; reload the page
  // with another range: the saved funnel is listed, loading it brings the same steps and the
  // breakdown back, and the answer for the new range is still the API's.
  const asked: string[] = [];
  page.on('request', (q) => {
    if (q.url().endsWith('/funnels/query')) asked.push(q.postData() ?? '');
  });
  await page.getByLabel('Funnel name').fill('Cart by channel');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as "Cart by channel".' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Funnels: Cart by channel' })).toBeVisible();
  await expect(page).toHaveURL(/funnel=/);
  await expect(page.locator('.fstep')).toHaveCount(3, ANSWER);
  await expectSameNumbers(page, r);
  expect(asked).toEqual([]);
  const savedId = new URL(page.url()).searchParams.get('funnel');
  const savedNow = (await (
    await fetch(`${server.url}/api/v1/sites/${seeded.id}/funnels/${savedId}`, {
      headers: { authorization: `Bearer ${seeded.api_key}` },
    })
  ).json()) as SavedFunnel;
  expect(savedNow.breakdown).toEqual({ dimension: { column: 'channel' } });
  expect(savedNow.definition).toEqual(JSON.parse(new URL(page.url()).searchParams.get('def') ?? 'null'));
  await page.goto(`${server.url}/?site=${seeded.id}&view=funnels&range=30d&tz=UTC`);
  await expect(page.locator('.fstep')).toHaveCount(2, ANSWER);
  await expect(page.getByRole('combobox', { name: 'Breakdown' })).toHaveValue('');
  await page.getByRole('button', { name: 'Cart by channel', exact: true }).click();
  await expect(page.getByLabel('Step 2 label')).toHaveValue('Added to cart');
  await expect(page.getByRole('combobox', { name: 'Breakdown' })).toHaveValue('column:channel');
  await expect(page.locator('.fstep')).toHaveCount(3, ANSWER);
  await expect(page.getByLabel('Funnel name')).toHaveValue('Cart by channel');
  await page.getByRole('combobox', { name: 'Breakdown' }).selectOption('column:device');
  await page.getByLabel('Order').selectOption('any');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Changes to "Cart by channel" saved.' }),
  ).toBeVisible();
  const id = new URL(page.url()).searchParams.get('funnel');
  const stored = await fetch(`${server.url}/api/v1/sites/${seeded.id}/funnels/${id}`, {
    headers: { authorization: `Bearer ${seeded.api_key}` },
  });
  const storedNow = (await stored.json()) as SavedFunnel;
  expect(storedNow.definition.order).toBe('any');
  expect(storedNow.breakdown).toEqual({ dimension: { column: 'device' } });
  await expect(page).toHaveURL(/%22order%22%3A%22any%22/);
  await expect(page.locator('[data-table="breakdown"] tbody tr').first()).toBeVisible(ANSWER);
  await expectSameNumbers(page, await apiResultFor(page, server.url, seeded));

  // `?funnel=ID` alone opens the saved funnel as saved: its steps, its breakdown, its answer.
  await page.goto(`${server.url}/?site=${seeded.id}&view=funnels&range=30d&tz=UTC&funnel=${id}`);
  await expect(page.getByRole('heading', { name: 'Funnels: Cart by channel' })).toBeVisible();
  await expect(page.getByLabel('Step 2 label')).toHaveValue('Added to cart');
  await expect(page.getByRole('combobox', { name: 'Breakdown' })).toHaveValue('column:device');
  await expect(page.getByLabel('Order')).toHaveValue('any');
  await expect(page).toHaveURL(/breakdown=column%3Adevice/);
  await expect(page.locator('[data-table="breakdown"] tbody tr').first()).toBeVisible(ANSWER);
  await expectSameNumbers(page, await apiResultFor(page, server.url, seeded));

  // A second funnel of the same name is refused, and says why.
  guard.allow(409, `/api/v1/sites/${seeded.id}/funnels`);
  await page.getByLabel('Funnel name').fill('cart by channel ');
  await page.getByRole('button', { name: 'Save as new' }).click();
  const taken = page.getByRole('alert').filter({ hasText: 'already named "Cart by channel"' });
  await expect(taken).toBeVisible();
  await expect(page.getByLabel('Funnel name')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  // Delete asks first: "No" keeps the funnel, "Yes, delete" deletes it.
  await page.getByRole('button', { name: 'Delete Cart by channel' }).click();
  const ask = page.getByRole('group', { name: 'Delete Cart by channel?' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: 'No' })).toBeFocused();
  await expectAccessible(page);
  await screenshots(page, 'funnels-delete-asks');
  await page.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete Cart by channel' })).toBeFocused();
  const kept = await fetch(`${server.url}/api/v1/sites/${seeded.id}/funnels`, {
    headers: { authorization: `Bearer ${seeded.api_key}` },
  });
  expect(((await kept.json()) as { funnels: unknown[] }).funnels).toHaveLength(1);
  await page.getByRole('button', { name: 'Delete Cart by channel' }).click();
  await ask.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByText('No saved funnels yet')).toBeVisible();
  const list = await fetch(`${server.url}/api/v1/sites/${seeded.id}/funnels`, {
    headers: { authorization: `Bearer ${seeded.api_key}` },
  });
  expect(((await list.json()) as { funnels: unknown[] }).funnels).toEqual([]);
  expect(guard.problems).toEqual([]);
});

test('funnels: a range the API refuses shows what happened; an unknown zone in the URL falls back', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  guard.allow(400, `/api/v1/sites/${seeded.id}/funnels/query`);
  await signIn(page, server.url, seeded.api_key);
  await page.goto(
    `${server.url}/?site=${seeded.id}&view=funnels&range=custom&from=2024-01-01&to=2026-06-30&tz=UTC`,
  );
  const alert = page.getByRole('alert').filter({ hasText: 'Could not load this view' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('invalid_body');
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
  await page.goto(`${server.url}/?site=${seeded.id}&view=overview&range=7d&tz=Mars%2FOlympus`);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByLabel('Time zone')).not.toHaveValue('Mars/Olympus');
  await expect(page.locator('[data-kpi="visitors"]')).toBeVisible();
  expect(guard.problems).toEqual([]);
});

test('funnels: a field keeps what is typed while an answer arrives, and the query gets all of it', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  test.slow();
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=funnels&range=7d&tz=UTC`);
  await expect(page.locator('.fstep')).toHaveCount(2, ANSWER);
  // Hold the next answer back and let it land while the path is half typed.
  const bodies: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/funnels/query')) bodies.push(r.postData() ?? '');
  });
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  await page.route('**/funnels/query', async (route) => {
    await gate;
    await route.continue();
  });
  await page.getByLabel('Step 1 label').fill('Saw a product');
  await page.getByLabel('Step 1 label').blur();
  await expect(page.locator('.status[aria-busy="true"]')).toBeVisible();
  const path = page.getByLabel('Page path (* = anything)').nth(0);
  await path.click();
  await page.keyboard.type('/prod', { delay: 60 });
  const answered = page.waitForResponse((r) => r.url().endsWith('/funnels/query'));
  release();
  await answered;
  await expect(page.locator('.fstep')).toHaveCount(2, ANSWER);
  await page.keyboard.type('ucts/*', { delay: 60 });
  await expect(path).toHaveValue('/products/*');
  await path.blur();
  await expect(page).toHaveURL(/%2Fproducts%2F\*/);
  await expect(path).toHaveValue('/products/*');
  await expect.poll(() => bodies.some((b) => b.includes('"/products/*"'))).toBe(true);
  const def = JSON.parse(new URL(page.url()).searchParams.get('def') ?? '{}');
  expect(def.steps[0].match[0].path).toEqual({ op: 'wildcard', value: '/products/*' });
  await expect(page.locator('.fstep')).toHaveCount(2, ANSWER);
  await expect(page.locator('[data-warn="no-match"]')).toHaveCount(0, ANSWER);

  // A typo in step 2's path matches no event: the step says so, in the builder and in the answer.
  const path2 = page.getByLabel('Page path (* = anything)').nth(1);
  await path2.fill('/checkout/thank-yuo*');
  await path2.blur();
  await expect(page).toHaveURL(/thank-yuo/);
  const warn = page.getByRole('listitem', { name: 'Step 2' }).locator('[data-warn="no-match"]');
  await expect(warn).toHaveText(/No event in this range matches this step/, ANSWER);
  await expect(page.locator('.fstep[data-step="2"] [data-warn="no-match"]')).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Step 1' }).locator('[data-warn="no-match"]')).toHaveCount(
    0,
  );
  await expectAccessible(page);
  await screenshots(page, 'funnels-step-matches-nothing');
  await path2.fill('/checkout/thank-you*');
  await path2.blur();
  await expect(page.locator('.fstep[data-step="2"] [data-field="units"]')).not.toHaveText('0', ANSWER);
  await expect(page.locator('[data-warn="no-match"]')).toHaveCount(0, ANSWER);
  expect(guard.problems).toEqual([]);
});

/**
 * Each option of the select, measured in the select's font, and whether it fits inside the select
 * (its padding and the arrow aside): what the closed select shows when that option is chosen.
 */
async function optionsThatDoNotFit(page: Page, label: string): Promise<string[]> {
  return page.getByLabel(label, { exact: true }).evaluate((el) => {
    const s = el as HTMLSelectElement;
    const css = getComputedStyle(s);
    const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
    ctx.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
    const room =
      s.clientWidth - Number.parseFloat(css.paddingLeft) - Number.parseFloat(css.paddingRight) - 20;
    return Array.from(s.options, (o) => o.text).filter((t) => ctx.measureText(t).width > room);
  });
}

test('funnels: the Order choices read in full at desktop and phone width; the answer speaks plainly', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  await signIn(page, server.url, seeded.api_key);
  await page.goto(`${server.url}/?site=${seeded.id}&view=funnels&range=7d&tz=UTC`);
  await expect(page.locator('.fstep')).toHaveCount(2, ANSWER);
  await expect(page.getByLabel('Order', { exact: true }).locator('option')).toHaveCount(4);
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await optionsThatDoNotFit(page, 'Order'), `at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  // Seeded traffic is hours old and the window a day: some units are still inside it.
  const open = page.locator('[data-field="in-progress"]').first();
  await expect(open).toBeVisible(ANSWER);
  await expect(open).toContainText('may still continue');
  await expect(open.locator('[title]')).toHaveAttribute(
    'title',
    /time to complete the funnel has not run out/,
  );
  await expect(page.getByText('window open')).toHaveCount(0);
  await expect(page.getByLabel('Time to complete (hours)')).toHaveValue('24');
  await expectAccessible(page);
  await screenshots(page, 'funnels-order-and-words');
  expect(guard.problems).toEqual([]);
});
