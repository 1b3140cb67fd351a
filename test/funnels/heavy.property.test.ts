/**
 * Heavy units against the oracle: hundreds of events per unit, so that a step matches many events
 * and a unit has many attempts whose paths overlap (the engine follows them through per-position
 * arrays, server/src/funnels/chains-sql.ts). Same definitions, breakdowns and ranges as the
 * engine property; fewer runs, since the oracle is quadratic per unit.
 */
import { listFunnelUnits } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { heavyCaseArb } from './generators.ts';
import { oracleFunnel } from './oracle.ts';
import { asOracle, insertRows } from './rows.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

it('on units of hundreds of matching events, ClickHouse and the oracle agree on every unit', async () => {
  const runId = nanoid(6);
  let run = 0;
  const stats = { units: 0, deep: 0, full: 0, skipped: 0, crowded: 0, orders: new Set<string>() };
  await fc.assert(
    fc.asyncProperty(heavyCaseArb, async ({ def, rows, o }) => {
      const site = `heavy-${runId}-${run++}`;
      const mine = rows.map((r) => ({ ...r, site_id: site }));
      await insertRows(s.deps.store, mine);
      const got = await listFunnelUnits(s.deps.store.analytics, site, def, o);
      const want = oracleFunnel(asOracle(mine), def, o).map((u) => ({
        unit: u.unit,
        furthest: u.furthest,
        levels: u.levels,
        from_entry: u.fromEntry,
        from_prev: u.fromPrevious,
        in_progress: u.inProgress,
        window_open: u.windowOpen,
        entry_ms: u.entryTs,
        bd: u.breakdown,
        skipped: u.skipped,
      }));
      expect(got).toEqual(want);
      stats.units += want.length;
      stats.deep += want.filter((u) => u.furthest >= 2).length;
      stats.full += want.filter((u) => u.furthest === def.steps.length).length;
      stats.skipped += want.filter((u) => u.skipped).length;
      // Units counted past step 1 with 50 or more events of their own: the case this file is for.
      const perUnit = new Map<string, number>();
      for (const r of mine) perUnit.set(r.visitor_id, (perUnit.get(r.visitor_id) ?? 0) + 1);
      if ((def.unit ?? 'visitor') === 'visitor')
        stats.crowded += want.filter((u) => u.furthest >= 2 && (perUnit.get(u.unit) ?? 0) >= 50).length;
      if (want.some((u) => u.furthest >= 2)) stats.orders.add(def.order ?? 'ordered');
    }),
    { numRuns: 40 },
  );
  // A property over empty funnels proves nothing: units must get far, on crowded units, in every order.
  expect(stats.deep).toBeGreaterThan(20);
  expect(stats.full).toBeGreaterThan(5);
  expect(stats.crowded).toBeGreaterThan(5);
  expect(stats.skipped).toBeGreaterThan(0);
  expect(stats.orders.size).toBe(4);
}, 900_000);
