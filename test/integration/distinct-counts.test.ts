import type { OverviewResponse } from '@funnelhouse/schemas';
import { select } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISTINCT, EXACT_UP_TO, RELATIVE_STANDARD_ERROR } from '../../server/src/sql/distinct.ts';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * Visitors and sessions are counted by `DISTINCT` (`uniqCombined64`): exact while a set is small,
 * an estimate above, and the answer says which fields hold an estimate.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

/** The engine's distinct count of ids `prefix0 … prefix{n-1}` (what a report would read). */
async function distinctOf(n: number, seed: number): Promise<number> {
  const [row] = await select<{ u: string }>(
    s.deps.store,
    `SELECT ${DISTINCT('id')} AS u FROM (SELECT concat({p:String}, toString(number)) AS id FROM numbers({n:UInt64}))`,
    { n, p: `v${seed}-` },
  );
  return Number(row?.u);
}

describe('DISTINCT', () => {
  it('is exact for every size up to the exact limit and beyond it to the engine switch (4,096)', async () => {
    for (const n of [1, 2, 17, 100, 1_000, 3_999, EXACT_UP_TO, 4_096]) {
      for (const seed of [1, 2, 3]) expect(await distinctOf(n, seed)).toBe(n);
    }
  });

  it('stays within 4 standard errors (1.2 %) above the limit', async () => {
    const errors: number[] = [];
    for (const n of [5_000, 40_000, 400_000]) {
      for (const seed of [1, 2, 3]) errors.push((await distinctOf(n, seed)) / n - 1);
    }
    // Above the switch the count is an estimate: some come out off by a little.
    expect(errors.some((e) => e !== 0)).toBe(true);
    for (const e of errors) expect(Math.abs(e)).toBeLessThan(4 * RELATIVE_STANDARD_ERROR);
  });
});

describe('the overview says which counts are estimates', () => {
  const DAY = 86_400_000;
  const day = Date.UTC(2026, 10, 2);

  async function overview(site: { id: string; api_key: string }): Promise<OverviewResponse> {
    const res = await fetch(
      `${s.url}/api/v1/sites/${site.id}/overview?from=2026-11-02&to=2026-11-03&limit=3`,
      {
        headers: { authorization: `Bearer ${site.api_key}` },
      },
    );
    expect(res.status).toBe(200);
    return (await res.json()) as OverviewResponse;
  }

  it('none for a small site, whose counts are exact', async () => {
    const site = await createSite(s, 'distinct-small');
    await insertRows(
      s.deps.store,
      Array.from({ length: 300 }, (_, i) =>
        eventRow(site.id, { ts: day + i * 1000, visitor_id: `v${i % 120}`, session_id: `s${i % 150}` }),
      ),
    );
    const o = await overview(site);
    expect(o.totals).toEqual({ visitors: 120, sessions: 150, pageviews: 300, events: 300 });
    expect(o.distinct_counts).toEqual({
      exact_up_to: EXACT_UP_TO,
      relative_standard_error: RELATIVE_STANDARD_ERROR,
      estimated: [],
    });
  });

  it('names the fields above the limit; events and pageviews stay exact', async () => {
    const site = await createSite(s, 'distinct-large');
    // 9,000 visitors, one session each, over two days; 3,000 of them on /big on the first day.
    const rows = Array.from({ length: 9_000 }, (_, i) =>
      eventRow(site.id, {
        ts: day + (i % 2) * DAY + i,
        visitor_id: `v${i}`,
        session_id: `s${i}`,
        path: i % 3 === 0 ? '/big' : '/other',
      }),
    );
    await insertRows(s.deps.store, rows);
    const o = await overview(site);
    expect(o.totals.events).toBe(9_000);
    expect(o.totals.pageviews).toBe(9_000);
    for (const n of [o.totals.visitors, o.totals.sessions]) {
      expect(Math.abs(n / 9_000 - 1)).toBeLessThan(4 * RELATIVE_STANDARD_ERROR);
    }
    // Each day holds 4,500 visitors: above the limit too. /big has 3,000 visitors: exact.
    expect(o.distinct_counts.estimated).toEqual([
      'totals.visitors',
      'totals.sessions',
      'daily.visitors',
      'daily.sessions',
      'top.pages.visitors',
    ]);
    expect(o.top.pages.find((p) => p.value === '/big')).toEqual({
      value: '/big',
      visitors: 3_000,
      pageviews: 3_000,
    });
  });
});
