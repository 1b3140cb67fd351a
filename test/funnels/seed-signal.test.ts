import { readFileSync } from 'node:fs';
import type { CorrelationResult } from '@funnelhouse/schemas';
import { runSeed, SITE_SEARCH } from '@funnelhouse/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The signal `pnpm seed` plants (server/src/seed/search.ts), found by the README's correlation
 * question on what a plain `pnpm seed` sends (seed 1, 1,000 visitors, the last 48 hours): the
 * searchers pay twice as often, an odds ratio of about 2.2.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const block = [...README.matchAll(/```sh\n([\s\S]*?)```/g)]
  .map((m) => m[1] as string)
  .find((b) => b.includes('"value":"site_search"'));
const body = JSON.parse(/-d '([\s\S]*?)'/.exec(block ?? '')?.[1] ?? 'null') as Record<string, unknown>;

let s: TestServer;
let site: { id: string; site_key: string; api_key: string };
let seeded: string;
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'seeded');
  const lines: string[] = [];
  const code = await runSeed(['--url', s.url, '--site-key', site.site_key], (l) => lines.push(l));
  seeded = lines.join('\n');
  expect(code, seeded).toBe(0);
  await s.deps.ingest.drained();
}, 300_000);
afterAll(() => s.destroy());

it('the README question from product to payment finds site_search in success, odds ratio about 2.2', async () => {
  expect(body).toMatchObject({ range: '30d' });
  const res = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/correlation`, site.api_key, body);
  expect(res.status).toBe(200);
  const r = (await res.json()) as CorrelationResult;
  expect(r.steps).toEqual({ from: 0, to: 1 });
  // The seed's own record of the product viewers who searched: every one of them is a unit.
  const m = /of those who viewed a product: searched (\d+)\/(\d+) = .*, others (\d+)\/(\d+) =/.exec(seeded);
  if (!m) throw new Error(`no search sample line in:\n${seeded}`);
  const [searchedBuyers, searchedViewers, otherBuyers, otherViewers] = m.slice(1).map(Number);
  expect(r.units.converted + r.units.dropped).toBe((searchedViewers ?? 0) + (otherViewers ?? 0));
  expect(r.units.converted).toBe((searchedBuyers ?? 0) + (otherBuyers ?? 0));

  const search = r.success.find((c) => c.kind === 'event_name' && c.value === SITE_SEARCH.name);
  expect(search?.counts.did_converted).toBe(searchedBuyers);
  expect((search?.counts.did_converted ?? 0) + (search?.counts.did_dropped ?? 0)).toBe(searchedViewers);
  // The true 2.2 and ±2 standard errors of about 830 units, 75 of them paying.
  expect(search?.odds_ratio).toBeGreaterThan(1.5);
  expect(search?.odds_ratio).toBeLessThan(3.7);
  expect(search?.odds_ratio_interval.low).toBeGreaterThan(1);
  expect(search?.q_value).toBeLessThan(0.05);
  // Only the search sends custom events: the event type says the same.
  const custom = r.success.find((c) => c.kind === 'event_type' && c.value === 'custom');
  expect(custom?.counts).toEqual(search?.counts);
  expect(r.drop_off.some((c) => c.value === SITE_SEARCH.name || c.value === 'custom')).toBe(false);
}, 60_000);
