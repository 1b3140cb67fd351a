import { type ExperimentResult, MAX_UNDEFINED_VARIANTS } from '@funnelhouse/schemas';
import type { EventRow } from '@funnelhouse/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Any visitor may send any variant: 300 requests with 30,000 made-up variants gave a 4.4 MiB
 * answer and a 30,000-node dashboard view. The query returns the `MAX_UNDEFINED_VARIANTS` with
 * the most units and counts the rest; every other number is unchanged by the cut.
 */
let s: TestServer;
let site: { id: string; api_key: string };
const T = Date.parse('2026-03-10T10:00:00Z');
const MADE_UP = 3000;
/** Undefined variants with more than one unit: `big-k` has k + 1 units (k = 1…30). */
const BIG = 30;

beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'undefined flood');
  const rows: EventRow[] = [];
  let n = 0;
  const exposure = (variant: string) => {
    n += 1;
    rows.push(
      eventRow(site.id, {
        ts: T + n,
        visitor_id: `v${n}`,
        type: 'exposure',
        name: 'flood',
        experiments: { flood: variant },
      }),
    );
  };
  for (let i = 0; i < 40; i++) exposure(i % 2 === 0 ? 'a' : 'b');
  // Two visitors exposed to both a and b: their share is of every exposed unit, listed or not.
  for (const v of ['both-1', 'both-2'])
    for (const variant of ['a', 'b'])
      rows.push(
        eventRow(site.id, {
          ts: T,
          visitor_id: v,
          type: 'exposure',
          name: 'flood',
          experiments: { flood: variant },
        }),
      );
  for (let k = 1; k <= BIG; k++) for (let u = 0; u <= k; u++) exposure(`big-${k}`);
  for (let i = 0; i < MADE_UP; i++) exposure(`made-up-${i}`);
  await insertRows(s.deps.store, rows);
  const definition = {
    key: 'flood',
    name: 'Flooded',
    variants: [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ],
    control: 'a',
    status: 'running',
    primary_metric: { kind: 'conversion', event: { type: 'purchase' }, window_seconds: 3600 },
  };
  expect(
    (await api(s, 'POST', `/api/v1/sites/${site.id}/experiments`, site.api_key, definition)).status,
  ).toBe(201);
}, 180_000);
afterAll(() => s.destroy());

async function results(query: string): Promise<{ r: ExperimentResult; bytes: number }> {
  const res = await api(
    s,
    'GET',
    `/api/v1/sites/${site.id}/experiments/flood/results?${query}`,
    site.api_key,
  );
  expect(res.status).toBe(200);
  const text = await res.text();
  return { r: JSON.parse(text) as ExperimentResult, bytes: text.length };
}

it('lists the undefined variants with the most units, in SQL, and counts the rest', async () => {
  const { r, bytes } = await results('from=2026-03-10&to=2026-03-10');
  const top = Array.from({ length: MAX_UNDEFINED_VARIANTS }, (_, i) => ({
    variant: `big-${BIG - i}`,
    units: BIG - i + 1,
  }));
  expect(r.health.undefined_variants).toEqual(top);
  expect(r.health.undefined_variants_more).toBe(BIG - MAX_UNDEFINED_VARIANTS + MADE_UP);
  // The share still counts every unit, the left-out variants' too.
  const bigUnits = (BIG * (BIG + 3)) / 2;
  expect(r.health.multiple_exposures).toBe(2);
  expect(r.health.multiple_exposure_share).toBeCloseTo(2 / (40 + 2 + bigUnits + MADE_UP), 12);
  expect(r.variants.map((v) => v.units)).toEqual([20, 20]);
  expect(r.health.warnings).toEqual(['multiple_exposures', 'undefined_variants', 'low_sample']);
  // 3,030 undefined variants no longer make the answer grow with them.
  expect(bytes).toBeLessThan(16_000);
});

it('cuts the same way in the breakdown and over-time reads', async () => {
  const { r, bytes } = await results('from=2026-03-10&to=2026-03-10&over_time=1&breakdown=column:device');
  expect(r.health.undefined_variants).toHaveLength(MAX_UNDEFINED_VARIANTS);
  expect(r.health.undefined_variants_more).toBe(BIG - MAX_UNDEFINED_VARIANTS + MADE_UP);
  expect(bytes).toBeLessThan(32_000);
  // The explained query is the one that cuts: the rank and the count of the rest are in its SQL.
  const explained = await results('from=2026-03-10&to=2026-03-10&explain=1');
  const sql = explained.r.explain?.[0]?.sql ?? '';
  expect(sql).toContain('undefined_rank');
  expect(Object.values(explained.r.explain?.[0]?.params ?? {})).toContainEqual(['a', 'b']);
});
