/**
 * Fixtures of the dashboard tests: a seeded site per worker (the `pnpm seed` shop traffic and the
 * `cta-color` experiment, posted through the real `/collect`), a signed-in page, and a guard that
 * fails a test on console errors, failed requests or any request to another host.
 */
import AxeBuilder from '@axe-core/playwright';
import { CTA_DEFINITION, generateTraffic, postTraffic, saveDefinition } from '@funnelhouse/server';
import type { Page } from '@playwright/test';
import { createSite } from '../helpers/server.ts';
import { test as base, expect } from './fixtures.ts';

export interface SeededSite {
  id: string;
  name: string;
  site_key: string;
  api_key: string;
}

/** Problems the page met: console errors, failed or 4xx/5xx requests, requests to other hosts. */
export interface Guard {
  problems: string[];
  /** Statuses a test provokes on purpose (a wrong key at sign-in), not counted as problems. */
  allow: (status: number, path: string) => void;
}

export const test = base.extend<{ guard: Guard }, { seeded: SeededSite }>({
  seeded: [
    async ({ server }, use) => {
      const site = await createSite(server, 'Demo shop');
      const traffic = generateTraffic({ seed: 11, visitors: 240, now: Date.now() });
      const sent = await postTraffic(traffic.visitors, {
        url: server.url,
        siteKey: site.site_key,
        concurrency: 16,
      });
      if (sent.failures.length > 0) throw new Error(`seed failed: ${JSON.stringify(sent.failures[0])}`);
      const saved = await saveDefinition(server.url, site.id, site.api_key, CTA_DEFINITION);
      if (saved !== 'created') throw new Error(`experiment not saved: ${JSON.stringify(saved)}`);
      await use({ ...site, name: 'Demo shop' });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  guard: async ({ page, server }, use) => {
    const problems: string[] = [];
    const allowed: string[] = [];
    const origin = new URL(server.url).origin;
    page.on('console', (m) => {
      // Chromium logs every 4xx/5xx as "Failed to load resource"; responses are checked below.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin)
        problems.push(`other host: ${r.url()}`);
    });
    page.on('requestfailed', (r) => {
      // A poll cut short by leaving the page is not a failure of the dashboard.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED')
        problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400 && !allowed.includes(`${r.status()} ${path}`))
        problems.push(`HTTP ${r.status()} ${path}`);
    });
    await use({
      problems,
      allow: (status, path) => allowed.push(`${status} ${path}`),
    });
    expect(problems).toEqual([]);
  },
});

export { expect };

/** Signs in by pasting a key into the form, as a user does. */
/** Types `key` into the sign-in form and submits it, whatever the answer. */
export async function submitKey(page: Page, url: string, key: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('API key or admin key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in with a valid key and waits until the session is saved. */
export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await submitKey(page, url, key);
  // The key is checked against the API before it is saved: a navigation before that would
  // land on the sign-in form again.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** No serious or critical axe-core violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad).toEqual([]);
}

/** Screenshots at desktop (1366) and phone (390) width, or the given ones, attached to the test and kept as files. */
export async function screenshots(
  page: Page,
  name: string,
  widths: { desktop: number; phone: number } = { desktop: 1366, phone: 390 },
): Promise<void> {
  for (const [label, width] of Object.entries(widths)) {
    await page.setViewportSize({ width, height: label === 'phone' ? 844 : 900 });
    // Charts resize on the next frame.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // Usable at this width: nothing wider than the screen (tables scroll inside their box).
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name} at ${width} px`,
    ).toBeLessThanOrEqual(width);
    const path = test.info().outputPath(`${name}-${label}.png`);
    await page.screenshot({ path, fullPage: true });
    await test.info().attach(`${name}-${label}`, { path, contentType: 'image/png' });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A number as the page writes it ("1,234", "12.5%", "$1,234.50"), back to a number. */
export function readNumber(text: string | null): number {
  const t = (text ?? '').replace(/[^\d.%−-]/g, '').replace('−', '-');
  return t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
}
