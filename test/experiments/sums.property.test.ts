import { getConversionSums, getExposureCounts, getMeanSums, getRatioSums } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertRows } from '../funnels/rows.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { KEY, metricArb, rowsArb, scopeArb } from './generators.ts';
import {
  exposedVisitors,
  oracleConversionSums,
  oracleExposureCounts,
  oracleMeanSums,
  oracleRatioSums,
} from './oracle.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

it('ClickHouse and the oracle agree on exposures and every metric’s sufficient statistics', async () => {
  const runId = nanoid(6);
  let run = 0;
  const seen = { units: 0, multiple: 0, conversions: 0, orders: 0, capped: 0, dated: 0 };
  await fc.assert(
    fc.asyncProperty(rowsArb('_'), scopeArb, metricArb, async (generated, scope, metric) => {
      // A fresh site per run: a shrunk case never meets an earlier run's rows.
      const site = `exp-${runId}-${run++}`;
      const rows = generated.map((r) => ({ ...r, site_id: site }));
      await insertRows(s.deps.store, rows);
      const range = { site, fromMs: scope.fromMs, toMs: scope.toMs, tz: 'UTC' };
      const ch = { range, key: KEY, ...scope };
      const o = { site, key: KEY, ...scope };
      const db = s.deps.store.analytics;
      expect(await getExposureCounts(db, ch)).toEqual(oracleExposureCounts(rows, o));
      const conv = { event: metric.event, windowSeconds: metric.windowSeconds };
      expect(await getConversionSums(db, ch, conv)).toEqual(oracleConversionSums(rows, o, conv));
      for (const value of ['revenue', 'orders'] as const) {
        const m = { value, cap: metric.cap };
        expect(await getMeanSums(db, ch, m)).toEqual(oracleMeanSums(rows, o, m));
      }
      const ratio = await getRatioSums(db, ch, { cap: metric.cap });
      expect(ratio).toEqual(oracleRatioSums(rows, o, { cap: metric.cap }));

      const exposed = [...exposedVisitors(rows, o).values()];
      seen.units += exposed.filter((e) => e.variants.size === 1).length;
      seen.multiple += exposed.filter((e) => e.variants.size > 1).length;
      seen.conversions += oracleConversionSums(rows, o, conv).reduce((n, r) => n + r.conversions, 0);
      seen.orders += ratio.reduce((n, r) => n + r.sum_y, 0);
      if (metric.cap !== undefined) seen.capped++;
      if (scope.exposedFromMs > scope.fromMs || scope.exposedToMs < scope.toMs) seen.dated++;
    }),
    { numRuns: 120 },
  );
  // The generators must produce real experiments: a property over nothing proves nothing.
  expect(seen.units).toBeGreaterThan(80);
  expect(seen.multiple).toBeGreaterThan(20);
  expect(seen.conversions).toBeGreaterThan(15);
  expect(seen.orders).toBeGreaterThan(35);
  expect(seen.capped).toBeGreaterThan(25);
  expect(seen.dated).toBeGreaterThan(25);
}, 180_000);
