import { defineConfig } from '@playwright/test';
import { BROWSER_UA } from './helpers/server.ts';

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser download is not used. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e-build.ts',
  // Each worker starts its own server with its own embedded ClickHouse (one engine per process).
  workers: 2,
  fullyParallel: false,
  timeout: 60_000,
  // Reports run on a shared machine; a funnel answer can take a few seconds under load.
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // Headless Chromium announces itself as HeadlessChrome, which the server rightly drops as
        // a bot. Playwright's `userAgent` option does not reach keepalive requests that outlive
        // their page (beacons on navigation), so the browser-wide flag is used.
        `--user-agent=${BROWSER_UA}`,
      ],
    },
  },
});
