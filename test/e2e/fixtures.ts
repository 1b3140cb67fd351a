import { test as base } from '@playwright/test';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * `server`: a real Funnelhouse server with embedded ClickHouse, one per Playwright worker (chdb
 * holds one data directory per process). Tests isolate themselves by creating their own site.
 * `pageErrors`: uncaught errors of the page; every test ends by asserting it is empty.
 */
export const test = base.extend<{ pageErrors: string[] }, { server: TestServer }>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
    async ({}, use) => {
      const s = await startTestServer();
      await use(s);
      await s.destroy();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await use(errors);
  },
});

export { expect } from '@playwright/test';
