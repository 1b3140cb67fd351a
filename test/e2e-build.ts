/**
 * Playwright global setup: builds the dashboard, so the servers the tests start serve the
 * current source (esbuild takes well under a second).
 */
// @ts-expect-error build.mjs is plain JavaScript without types.
import { buildDashboard } from '../dashboard/build.mjs';

export default async function globalSetup(): Promise<void> {
  await buildDashboard();
}
