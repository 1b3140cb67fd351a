import type {
  CartAbandonmentResponse,
  CartListResponse,
  OrdersSummaryResponse,
  RevenueResponse,
} from '@funnelhouse/schemas';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, screenshots, signIn, test } from './dashboard-fixtures.ts';

/** The page's formatting of a money value (en-US), written again here. */
const money = (n: number | null, currency: string) =>
  n == null
    ? '–'
    : currency === ''
      ? `${n.toFixed(2)} (no currency)`
      : new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(n);

async function get<T>(url: string, key: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** The page's change against the previous period ("+12.5%", "new", "±0%"), written again here. */
function change(now: number, before: number): string {
  if (before === 0) return now === 0 ? '±0%' : 'new';
  const c = (now - before) / before;
  const pct = new Intl.NumberFormat('en-US', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(Math.abs(c));
  return `${c > 0 ? '+' : c < 0 ? '−' : '±'}${pct}`;
}

/** The currencies left out, as the page says it ("JPY has no rate: not included"). */
function said(codes: string[]): string {
  const named = codes.filter((c) => c !== '');
  const parts = named.length
    ? [`${named.join(', ')} ${named.length === 1 ? 'has' : 'have'} no rate: not included`]
    : [];
  if (named.length < codes.length) parts.push('amounts with no currency: not included');
  return parts.join('; ');
}

/** The rate field of a currency's row in the settings form. */
const rateOf = (page: Page, currency: string) =>
  page.locator(`.rates tr[data-row="${currency}"]`).getByRole('textbox').nth(1);

/** The last 365 days in UTC, as the settings view asks for the currencies seen. */
function lastYear(): string {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
  return new URLSearchParams({ from, to, tz: 'UTC' }).toString();
}

/** The header's dates and zone, as the view asked the API for them. */
async function viewRange(page: Page): Promise<string> {
  const dates = (await page.locator('.dates').textContent())?.split('–').map((d) => d.trim()) ?? [];
  const tz = await page.getByLabel('Time zone').inputValue();
  return new URLSearchParams({ from: dates[0] ?? '', to: dates[1] ?? '', tz }).toString();
}

test('settings: a reporting currency saved in the view is kept, and revenue shows the API’s converted figure', async ({
  page,
  server,
  seeded,
  guard,
}) => {
  const site = `/api/v1/sites/${seeded.id}`;
  const ratesPath = `${site}/settings/currency-rates`;
  // Four views, each looked at twice (desktop, phone) and checked by axe.
  test.setTimeout(180_000);
  try {
    await signIn(page, server.url, seeded.api_key);
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL(/view=settings/);
    await expect(page.locator('[data-saved="none"]')).toBeVisible();

    // Every currency of the site's orders is listed, none with a rate yet.
    const seen = (
      await get<OrdersSummaryResponse>(server.url, seeded.api_key, `${site}/orders/summary?${lastYear()}`)
    ).by_currency
      .map((c) => c.currency)
      .filter((c) => c !== '');
    expect(seen).toEqual(expect.arrayContaining(['USD', 'EUR', 'GBP']));
    for (const c of seen) await expect(rateOf(page, c)).toHaveValue('');

    // A rate the server refuses: its 400 issue is shown by field, nothing is saved.
    guard.allow(400, ratesPath);
    await page.getByLabel('Reporting currency (ISO 4217 code)').fill('EUR');
    await rateOf(page, 'USD').fill('-1');
    await page.getByRole('button', { name: 'Save rates' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Not saved:');
    await expect(alert.locator('[data-path="rates.USD"]')).toContainText('Rate of USD:');
    await expect(page.locator('[data-saved="none"]')).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, 'settings-error');

    // A rate added, then removed: only what the form shows when saved is kept.
    await page.getByRole('button', { name: 'Add a rate' }).click();
    const last = page.locator('.rates tbody tr').last();
    await last.getByRole('textbox').first().fill('JPY');
    await last.getByRole('textbox').nth(1).fill('0.0061');
    await rateOf(page, 'USD').fill('0.92');
    await page.getByRole('button', { name: 'Save rates' }).click();
    await expect(page.getByRole('status')).toContainText('Saved.');
    await expect(page.locator('[data-rate="JPY"]')).toHaveText('1 JPY = 0.0061 EUR');
    await page.getByRole('button', { name: /^Remove rate \d+ \(JPY\)$/ }).click();
    await page.getByRole('button', { name: 'Save rates' }).click();
    await expect(page.locator('[data-rate="JPY"]')).toHaveCount(0);
    await expect(page.locator('[data-rate="USD"]')).toHaveText('1 USD = 0.92 EUR');

    // Kept on the server: a reload shows the saved values in the form and the list.
    await page.reload();
    await expect(page.getByLabel('Reporting currency (ISO 4217 code)')).toHaveValue('EUR');
    await expect(rateOf(page, 'USD')).toHaveValue('0.92');
    await expect(rateOf(page, 'GBP')).toHaveValue('');
    await expect(page.locator('[data-field="reporting-currency"]')).toHaveText('EUR');
    expect(await get(server.url, seeded.api_key, ratesPath)).toEqual({
      currency_rates: { reporting_currency: 'EUR', rates: { USD: 0.92 } },
    });
    await expectAccessible(page);
    await screenshots(page, 'settings-saved');

    // Overview: one revenue card, the server's converted figure; the currencies behind a disclosure.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByLabel('Range').selectOption('30d');
    const card = page.locator('[data-kpi="revenue"]');
    await expect(card).toBeVisible();
    const q = await viewRange(page);
    const o = await get<OrdersSummaryResponse>(server.url, seeded.api_key, `${site}/orders/summary?${q}`);
    const orep = o.reporting;
    if (!orep) throw new Error('the orders summary has no reporting object');
    expect(orep.currency).toBe('EUR');
    expect(orep.missing_rates).toContain('GBP'); // the seed sells in GBP, CAD and AUD too
    expect(o.by_currency.length).toBeGreaterThan(1);
    await expect(page.locator('[data-kpi^="revenue-"]')).toHaveCount(0);
    await expect(card.locator('.kpi-label')).toHaveText('Revenue (EUR)');
    await expect(card.locator('[data-reporting="EUR"]')).toHaveText(money(orep.revenue, 'EUR'));
    await expect(card).toContainText(said(orep.missing_rates));
    const detail = card.locator('details');
    await expect(detail.locator('li').first()).toBeHidden();
    await detail.locator('summary').click();
    await expect(detail.locator('li')).toHaveCount(o.by_currency.length);
    for (const c of o.by_currency)
      await expect(detail.locator(`[data-currency="${c.currency}"]`)).toContainText(
        money(c.revenue, c.currency),
      );
    await expectAccessible(page);
    await screenshots(page, 'overview-reporting');

    // Carts: the money of the abandoned carts in EUR first, as the API converted it.
    await page.getByRole('link', { name: 'Carts & revenue' }).click();
    const a = await get<CartAbandonmentResponse>(
      server.url,
      seeded.api_key,
      `${site}/carts/abandonment?${q}`,
    );
    const ca = a.totals.reporting;
    if (!ca) throw new Error('the carts answer has no reporting object');
    for (const [kpi, field] of [
      ['abandoned-value', 'abandoned_value'],
      ['lost-value', 'lost_value'],
      ['recovered-revenue', 'recovered_revenue'],
    ] as const) {
      const k = page.locator(`[data-kpi="${kpi}"]`);
      await expect(k.locator('[data-reporting="EUR"]')).toHaveText(money(ca[field], 'EUR'));
      await expect(k.locator('.kpi-label')).toHaveText(/\(EUR\)$/);
      if (ca.missing_rates.length) await expect(k).toContainText(said(ca.missing_rates));
      // Against the previous period in EUR too (the API converts both periods at today's rates),
      // when that period had carts; without any, a note replaces every comparison.
      const before = a.previous.totals.reporting;
      if (!before) throw new Error('the previous period has no reporting object');
      if (a.previous.totals.carts > 0)
        await expect(k.locator('.kpi-change')).toContainText(change(ca[field], before[field]));
      else await expect(k.locator('.kpi-change')).toHaveCount(0);
    }
    // The list: each cart in its own currency, its converted value under it ("no rate" without one).
    const list = await get<CartListResponse>(
      server.url,
      seeded.api_key,
      `${site}/carts/abandoned?${q}&status=abandoned&sort=value&order=desc&limit=20&offset=0`,
    );
    const kinds = new Set<string>();
    for (const c of list.carts) {
      const cell = page.locator(`[data-table="carts"] tr[data-cart="${c.cart_id}"] [data-field="value"]`);
      await expect(cell).toContainText(money(c.value, c.currency));
      const conv = c.reporting?.value ?? null;
      kinds.add(c.currency === 'EUR' ? 'same' : conv == null ? 'none' : 'converted');
      if (c.currency === 'EUR') await expect(cell.locator('.in-reporting')).toHaveCount(0);
      else if (conv == null) await expect(cell.locator('.in-reporting')).toHaveText('no rate');
      else await expect(cell.locator('[data-reporting="EUR"]')).toHaveText(money(conv, 'EUR'));
    }
    expect([...kinds].sort()).toEqual(['converted', 'none', 'same']);
    const abandoned = page.locator('[data-kpi="abandoned-value"] details');
    await expect(abandoned.locator('li').first()).toBeHidden();
    await abandoned.locator('summary').click();
    for (const m of a.totals.abandoned_value)
      await expect(abandoned.locator(`[data-currency="${m.currency}"]`)).toContainText(
        money(m.amount, m.currency),
      );
    for (const st of a.by_stage)
      await expect(
        page.locator(
          `[data-table="stages"] tr[data-stage="${st.stage}"] [data-field="abandoned-value"] [data-reporting]`,
        ),
      ).toHaveText(money(st.reporting?.abandoned_value ?? null, 'EUR'));
    await expectAccessible(page);
    await screenshots(page, 'carts-reporting');

    // Revenue: the totals and each channel's cells in EUR first, the detail on demand.
    const r = await get<RevenueResponse>(server.url, seeded.api_key, `${site}/revenue?${q}`);
    const rep = r.totals.reporting;
    if (!rep) throw new Error('the revenue answer has no reporting object');
    expect(r.totals.by_currency.length).toBeGreaterThan(1);
    const rev = page.locator('[data-kpi="rev-revenue"]');
    await expect(rev.locator('[data-reporting="EUR"]')).toHaveText(money(rep.revenue, 'EUR'));
    await expect(page.locator('[data-kpi="rev-aov"] [data-reporting="EUR"]')).toHaveText(
      money(rep.average_order_value, 'EUR'),
    );
    const byChannel = await get<RevenueResponse>(
      server.url,
      seeded.api_key,
      `${site}/revenue?${q}&breakdown=channel`,
    );
    const groups = byChannel.breakdown?.groups ?? [];
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      const cell = page.locator(`[data-table="revenue"] tr[data-group="${g.value}"] [data-field="revenue"]`);
      await expect(cell.locator('[data-reporting="EUR"]')).toHaveText(
        money(g.reporting?.revenue ?? null, 'EUR'),
      );
    }
    const first = groups.find((g) => g.by_currency.length > 0);
    if (first) {
      const cell = page.locator(
        `[data-table="revenue"] tr[data-group="${first.value}"] [data-field="revenue"]`,
      );
      await cell.locator('summary').click();
      for (const c of first.by_currency)
        await expect(cell.locator(`[data-currency="${c.currency}"]`)).toContainText(
          money(c.revenue, c.currency),
        );
    }
    await expect(page.locator('[data-section="revenue"] [data-note="missing-rates"]')).toHaveText(
      `Converted figures: ${said(rep.missing_rates)}.`,
    );
    await expectAccessible(page);
    await screenshots(page, 'revenue-reporting');

    // Removing the rates brings back the per-currency cards.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Remove the reporting currency' }).click();
    await expect(page.locator('[data-saved="none"]')).toBeVisible();
    await page.getByRole('link', { name: 'Overview' }).click();
    await expect(page.locator('[data-kpi^="revenue-"]')).toHaveCount(o.by_currency.length);
  } finally {
    // The seeded site is shared by the worker's other spec files: leave it without rates.
    await fetch(`${server.url}${ratesPath}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${seeded.api_key}` },
    });
  }
});
