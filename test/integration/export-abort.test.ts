import { createLogger } from '@funnelhouse/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { metricValue } from '../helpers/metrics.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * A client that leaves an export mid-download is expected traffic, as on every other route
 * (`app.ts` `isClientAbort`): counted in `funnelhouse_requests_aborted_total`, noted at debug
 * level, never an error line (each abort was logged as `export failed … Query aborted`).
 */
let s: TestServer;
let site: { id: string; api_key: string };
const logged: { level: string; msg: string }[] = [];
const DAY = 86_400_000;
const FIRST = Date.parse('2020-01-01T10:00:00Z');

beforeAll(async () => {
  const log = createLogger('debug', (line) => {
    logged.push(JSON.parse(line) as { level: string; msg: string });
  });
  s = await startTestServer({}, undefined, log);
  site = await createSite(s, 'export-abort');
  // 60,000 events over six years: the export reads page after page (a window of at most 32
  // days each), about 25 MB of NDJSON, more than the socket buffers and the client's own hold.
  // So however slowly this process runs, the server is still writing when the client leaves
  // (with 55 events a descheduled client could find the whole body done before it aborted).
  const EVENTS = 60_000;
  const step = Math.floor((6 * 365 * DAY) / EVENTS);
  await insertRows(
    s.deps.store,
    Array.from({ length: EVENTS }, (_, i) => eventRow(site.id, { ts: FIRST + i * step, event_id: `x${i}` })),
  );
}, 120_000);
afterAll(() => s.destroy());

it('counts an export the client leaves as aborted, logged at debug level, not as an error', async () => {
  const before = await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/api"');
  const controller = new AbortController();
  const res = await fetch(
    `${s.url}/api/v1/sites/${site.id}/events/export?from=2020-01-01&to=2026-12-31&format=ndjson`,
    { headers: { authorization: `Bearer ${site.api_key}` }, signal: controller.signal },
  );
  expect(res.status).toBe(200);
  const reader = res.body?.getReader();
  expect((await reader?.read())?.done).toBe(false); // the first page has arrived
  controller.abort();
  const exportLines = () => logged.filter((l) => /export/.test(l.msg));
  // Wait for the server's verdict on the abort: a count, or (without the rule) an error line.
  while (
    (await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/api"')) === before &&
    !logged.some((l) => l.level === 'error')
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  expect(await metricValue(s, 'funnelhouse_requests_aborted_total', 'route="/api"')).toBe(before + 1);
  expect(exportLines().map((l) => [l.level, l.msg])).toEqual([['debug', 'client closed the export']]);
  expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
}, 60_000);
