import { listFunnelUnits } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { funnelCaseArb } from './generators.ts';
import { oracleFunnel } from './oracle.ts';
import { asOracle, insertRows } from './rows.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

it('ClickHouse and the oracle agree on every unit: furthest step, steps counted, times, progress, breakdown', async () => {
  const runId = nanoid(6);
  let run = 0;
  const stats = {
    runs: 0,
    units: 0,
    deep: 0,
    full: 0,
    prog: 0,
    bd: 0,
    excl: 0,
    skipped: 0,
    unordered: 0,
    person: 0,
    touch: 0,
  };
  await fc.assert(
    fc.asyncProperty(
      funnelCaseArb,
      fc.constantFrom('UInt64' as const, 'UInt128' as const),
      async ({ def, rows, o }, keyType) => {
        const site = `prop-${runId}-${run++}`;
        const mine = rows.map((r) => ({ ...r, site_id: site }));
        await insertRows(s.deps.store, mine);
        // Both widths of the packed sort key: real queries get the wide one only for long spans
        // with many steps, exclusions and a breakdown.
        const got = await listFunnelUnits(s.deps.store.analytics, site, def, { ...o, keyType });
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
        stats.runs++;
        stats.units += want.length;
        stats.deep += want.filter((u) => u.furthest >= 2).length;
        stats.full += want.filter((u) => u.furthest === def.steps.length).length;
        stats.prog += want.filter((u) => u.in_progress).length;
        stats.bd += want.filter((u) => u.bd !== '').length;
        if (def.exclusions) stats.excl++;
        if (def.exclusions && def.exclusion_mode === 'unit') stats.person++;
        if (o.breakdown?.attribution) stats.touch += want.filter((u) => u.bd !== '').length;
        stats.skipped += want.filter((u) => u.skipped).length;
        if (def.order === 'unordered') stats.unordered += want.filter((u) => u.furthest >= 2).length;
      },
    ),
    { numRuns: 100 },
  );
  // The generators must produce real funnels, not empty ones: a property over nothing proves nothing.
  expect(stats.deep).toBeGreaterThan(20);
  expect(stats.full).toBeGreaterThan(5);
  expect(stats.prog).toBeGreaterThan(5);
  expect(stats.bd).toBeGreaterThan(5);
  expect(stats.skipped).toBeGreaterThan(5);
  expect(stats.unordered).toBeGreaterThan(5);
  expect(stats.person).toBeGreaterThan(5);
  expect(stats.touch).toBeGreaterThan(5);
}, 900_000);
