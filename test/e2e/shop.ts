import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Request } from '@playwright/test';
import { storedRows } from '../helpers/rows.ts';
import { createSite } from '../helpers/server.ts';
import { test as base, expect } from './fixtures.ts';

const FIXTURES = new URL('../fixtures/', import.meta.url);

export type Row = Record<string, unknown>;

interface PageConfig {
  tag: string;
  csp?: string;
  server: string;
}

export interface Shop {
  site: { id: string; site_key: string; api_key: string };
  serverUrl: string;
  /** Base URL of this test's shop pages (ends with '/'). */
  base: string;
  /** The URL path of a shop page, as stored in the `path` column. */
  path(file: string): string;
  /**
   * Serves `test/fixtures/*.html` under `base` (GET and POST), with `{{SNIPPET}}` replaced by the
   * snippet tag for this test's site plus `attrs`, `{{SERVER}}` by the server URL, and the
   * optional `csp` sent as the page's Content-Security-Policy; `tag` replaces the snippet tag whole.
   */
  serve(opts?: { attrs?: string; csp?: string; tag?: string }): Promise<void>;
  /** Every `/collect` request the page made, with its parsed body. */
  posts: { request: Request; body: { events: { id: string; type: string }[] } }[];
  /** Rows of this test's site, straight from ClickHouse. */
  rows(): Promise<Row[]>;
}

/**
 * The shop's pages come from a real HTTP server on 127.0.0.1 (one per worker), while the
 * Funnelhouse server answers on `localhost` and another port: every post is cross-origin, as on
 * a customer's site. (Pages are not served through \`page.route\`: with interception on,
 * Chromium drops about half of the keepalive requests a page sends while it unloads, which
 * is exactly what these tests check.) Each test gets its own path prefix and its own site.
 */
export const test = base.extend<{ shop: Shop }, { pages: { url: string; configs: Map<string, PageConfig> } }>(
  {
    pages: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
      async ({}, use) => {
        const configs = new Map<string, PageConfig>();
        const http: Server = createServer((req, res) => {
          const [, token = '', file = ''] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
          const cfg = configs.get(token);
          let html: string;
          try {
            if (!cfg || !/^[\w-]+\.html$/.test(file)) throw new Error('not found');
            html = readFileSync(new URL(file, FIXTURES), 'utf8');
          } catch {
            res.writeHead(404).end('not found');
            return;
          }
          res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            ...(cfg.csp ? { 'content-security-policy': cfg.csp } : {}),
          });
          res.end(html.replaceAll('{{SNIPPET}}', cfg.tag).replaceAll('{{SERVER}}', cfg.server));
        });
        await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
        await use({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, configs });
        await new Promise((resolve) => http.close(resolve));
      },
      { scope: 'worker' },
    ],
    shop: async ({ page, server, pages, pageErrors }, use, info) => {
      const site = await createSite(server, 'e2e shop');
      const token = `t${info.workerIndex}-${info.testId}-${info.repeatEachIndex}`;
      const posts: Shop['posts'] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(`${server.url}/collect`)) {
          posts.push({ request, body: JSON.parse(request.postData() ?? '{}') });
        }
      });
      const shop: Shop = {
        site,
        serverUrl: server.url,
        base: `${pages.url}/${token}/`,
        path: (file) => `/${token}/${file}`,
        posts,
        rows: () => storedRows(server, site.id),
        async serve({ attrs = '', csp, tag: own } = {}) {
          const tag =
            own ?? `<script defer src="${server.url}/f.js" data-site="${site.site_key}" ${attrs}></script>`;
          pages.configs.set(token, { tag, csp, server: server.url });
        },
      };
      await use(shop);
      pages.configs.delete(token);
      expect(pageErrors, 'errors thrown in the host page').toEqual([]);
    },
  },
);

export { expect };

/** True when `row` has every field of `want` (nested objects and arrays compared whole). */
function matches(row: Row, want: Row): boolean {
  return Object.entries(want).every(([k, v]) =>
    v instanceof RegExp ? v.test(String(row[k])) : JSON.stringify(row[k]) === JSON.stringify(v),
  );
}

/**
 * Runs `action`, then waits until every `expected` row is stored for the shop's site (each a
 * partial row: only the fields given are compared) and checks that no `refuted` row is. In the
 * manner of plausible's tracker tests, but read back from ClickHouse rather than the network.
 * Returns the site's rows.
 */
export async function expectEvents(
  shop: Shop,
  { action, expected, refuted = [] }: { action?: () => Promise<unknown>; expected: Row[]; refuted?: Row[] },
): Promise<Row[]> {
  await action?.();
  let rows: Row[] = [];
  await expect
    .poll(
      async () => {
        rows = await shop.rows();
        return expected.filter((want) => !rows.some((r) => matches(r, want)));
      },
      { timeout: 15_000, message: 'expected events not stored' },
    )
    .toEqual([]);
  for (const no of refuted)
    expect(
      rows.filter((r) => matches(r, no)),
      'refuted event stored',
    ).toEqual([]);
  return rows;
}

/** Every event id of the site is stored exactly once. */
export async function expectStoredOnce(shop: Shop): Promise<void> {
  const ids = (await shop.rows()).map((r) => r.event_id as string);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect(dup, 'event ids stored more than once').toEqual([]);
}

/** Events waiting in the origin's storage: every page's queue (`fh_q<page>`) together. */
export function queuedEvents(page: Page): Promise<number> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('fh_q'))
      .reduce((n, k) => n + JSON.parse(localStorage.getItem(k) || '[]').length, 0),
  );
}

/** Waits until nothing is left to send (every queue in the origin's storage is empty). */
export async function drained(page: Page): Promise<void> {
  await expect.poll(() => queuedEvents(page), { timeout: 15_000 }).toBe(0);
}
