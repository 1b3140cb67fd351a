import type { CartAbandonmentResponse } from '@funnelhouse/schemas';
import { runSeed } from '@funnelhouse/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

it('pnpm seed leaves carts that the reports show abandoned, recovered and bought right away', async () => {
  const site = await createSite(s, 'seeded carts');
  const lines: string[] = [];
  const args = ['--url', s.url, '--site-key', site.site_key, '--site', site.id, '--key', site.api_key];
  const code = await runSeed([...args, '--visitors', '3000', '--seed', '11'], (l) => lines.push(l));
  expect(code, lines.join('\n')).toBe(0);
  await s.deps.ingest.drained();
  const res = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/carts/abandonment?range=30d&breakdown=channel`,
    site.api_key,
  );
  expect(res.status).toBe(200);
  const r = (await res.json()) as CartAbandonmentResponse;
  const t = r.totals;
  process.stdout.write(
    `[figures] seeded carts: ${JSON.stringify({ ...t, abandonment_rate: t.abandonment_rate?.rate })}\n`,
  );
  expect(t.carts).toBeGreaterThan(100);
  expect(t.abandoned).toBeGreaterThan(50);
  expect(t.purchased).toBeGreaterThan(10);
  expect(t.recovered).toBeGreaterThan(0);
  expect(t.abandoned_value[0]?.amount).toBeGreaterThan(0);
  expect(t.recovered_revenue[0]?.amount).toBeGreaterThan(0);
  expect(r.breakdown?.groups.length).toBeGreaterThan(2);
  expect(r.by_stage.find((x) => x.stage === 'checkout')?.abandoned).toBeGreaterThan(0);
}, 300_000);
