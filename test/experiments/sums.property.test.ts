import type { ExperimentMetric } from '@funnelhouse/schemas';
import { getExperimentSums } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exposureCounts } from '../../server/src/experiments/shape.ts';
import { insertRows } from '../funnels/rows.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { KEY, metricArb, rowsArb, scopeArb, shapeArb } from './generators.ts';
import { exposedUnits, oracleExposureCounts, oracleFunnelSums, oracleMetricSums } from './oracle.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

/** Sums of floats are compared to 1e-9 relative: ClickHouse and JS may add in another order. */
const close = (a: Record<string, unknown>[], b: Record<string, unknown>[]) => {
  expect(a.map((r) => Object.keys(r).sort())).toEqual(b.map((r) => Object.keys(r).sort()));
  a.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) {
      const w = (b[i] as Record<string, unknown>)[k];
      if (typeof v === 'number' && typeof w === 'number') {
        expect(Math.abs(v - w), `${k} of row ${i}: ${v} vs ${w}`).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(w)),
        );
      } else expect(v, k).toEqual(w);
    }
  });
};

it('ClickHouse and the oracle agree on exposures and every metric’s sufficient statistics', async () => {
  const runId = nanoid(6);
  let run = 0;
  const seen = {
    units: 0,
    multiple: 0,
    conversions: 0,
    orders: 0,
    capped: 0,
    percentile: 0,
    dated: 0,
    users: 0,
    segments: 0,
    covariate: 0,
    reached: 0,
    entered: 0,
    property: 0,
  };
  await fc.assert(
    fc.asyncProperty(rowsArb('_'), scopeArb, metricArb, shapeArb, async (generated, scope, metric, shape) => {
      // A fresh site per run: a shrunk case never meets an earlier run's rows.
      const site = `exp-${runId}-${run++}`;
      const rows = generated.map((r) => ({ ...r, site_id: site }));
      await insertRows(s.deps.store, rows);
      const range = { site, fromMs: scope.fromMs, toMs: scope.toMs, tz: 'UTC' };
      const ch = { range, key: KEY, ...scope, ...shape };
      const o = { site, key: KEY, ...scope, ...shape };
      const db = s.deps.store.analytics;
      const cap = metric.cap;
      const metrics: Exclude<ExperimentMetric, { kind: 'funnel' }>[] = [
        { kind: 'conversion', event: metric.event, window_seconds: metric.windowSeconds },
        { kind: 'revenue_per_visitor', cap },
        { kind: 'orders_per_visitor', cap },
        { kind: 'average_order_value', cap },
        {
          kind: 'property_sum',
          property: 'amt',
          event: metric.propertyEvent,
          window_seconds: metric.propertyWindow,
          cap,
        },
        {
          kind: 'property_mean',
          property: 'amt',
          event: metric.propertyEvent,
          window_seconds: metric.propertyWindow,
        },
      ];
      const funnel = {
        steps: metric.steps.map((e) => ({ match: [e] })),
        windowSeconds: metric.windowSeconds,
      };
      const all: ExperimentMetric[] = [
        ...metrics,
        { kind: 'funnel', steps: funnel.steps, window_seconds: funnel.windowSeconds },
      ];
      // One query reads every metric; each metric's rows are held to the oracle on their own.
      const { rows: rowsOut } = await getExperimentSums(db, ch, all);
      // Every metric's rows are the exposure counts too (multiple exposures as their own rows).
      const byKey = (xs: { multiple: number; variant: string }[]) =>
        [...xs].sort(
          (a, b) => a.multiple - b.multiple || (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0),
        );
      for (let i = 0; i < all.length; i++) {
        expect(byKey(exposureCounts(rowsOut.filter((r) => r.metric === i)))).toEqual(
          oracleExposureCounts(rows, o),
        );
      }
      const got = rowsOut.filter((r) => r.multiple === 0);
      metrics.forEach((m, i) => {
        const mine = got
          .filter((r) => r.metric === i)
          .map(
            ({ metric: _m, multiple: _x, reached: _r, currencies: _c, first_ms: _f, last_ms: _l, ...rest }) =>
              rest,
          );
        close(mine, oracleMetricSums(rows, o, m));
        const sum = (f: (r: (typeof mine)[number]) => number) => mine.reduce((n, r) => n + f(r), 0);
        if (m.kind === 'conversion') seen.conversions += sum((r) => r.sum_y);
        if (m.kind === 'average_order_value') seen.orders += sum((r) => r.sum_z);
        if (m.kind === 'revenue_per_visitor') seen.covariate += sum((r) => r.sum_z) > 0 ? 1 : 0;
        if (m.kind === 'property_mean') seen.property += sum((r) => r.sum_z);
      });
      const reached = got
        .filter((r) => r.metric === metrics.length)
        .map((r) => ({ variant: r.variant, segment: r.segment, n: r.n, reached: r.reached }));
      expect(reached).toEqual(oracleFunnelSums(rows, o, funnel));
      seen.reached += reached.reduce((n, r) => n + (r.reached[1] ?? 0), 0);
      seen.entered += reached.reduce((n, r) => n + (r.reached[0] ?? 0), 0);

      const exposed = [...exposedUnits(rows, o).values()];
      seen.units += exposed.filter((e) => e.variants.size === 1).length;
      seen.multiple += exposed.filter((e) => e.variants.size > 1).length;
      if (cap !== undefined) seen.capped++;
      if (typeof cap === 'object') seen.percentile++;
      if (shape.unit === 'user' && [...exposedUnits(rows, o).keys()].some((k) => k.startsWith('u:')))
        seen.users++;
      if (new Set(exposed.map((e) => e.segment)).size > 1) seen.segments++;
      if (scope.exposedFromMs > scope.fromMs || scope.exposedToMs < scope.toMs) seen.dated++;
    }),
    { numRuns: 120 },
  );
  // The generators must produce real experiments: a property over nothing proves nothing. The
  // bounds sit at about a quarter of what 120 random runs typically give (e.g. users 20,
  // segments 18, covariate 10, reached 8), so that a run never fails by chance.
  expect(seen.units).toBeGreaterThan(80);
  expect(seen.multiple).toBeGreaterThan(20);
  expect(seen.conversions).toBeGreaterThan(15);
  expect(seen.orders).toBeGreaterThan(35);
  expect(seen.capped).toBeGreaterThan(20);
  expect(seen.percentile).toBeGreaterThan(10);
  expect(seen.dated).toBeGreaterThan(20);
  expect(seen.users).toBeGreaterThan(4);
  expect(seen.segments).toBeGreaterThan(4);
  expect(seen.covariate).toBeGreaterThan(2);
  expect(seen.entered).toBeGreaterThan(20);
  expect(seen.reached).toBeGreaterThan(1);
  expect(seen.property).toBeGreaterThan(10);
}, 600_000);
