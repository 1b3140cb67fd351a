/**
 * A result whose money metrics' amounts are in several currencies, without rates, is read on the
 * top currency only. That used to take a second query (`one_currency`); the first read now carries
 * each money metric's sums per currency (`in_currency`), and `rowsInCurrency` picks one. Held here
 * to the second query it replaces, for every currency, on random experiments (caps, CUPED,
 * segments, user units, repeated order ids).
 */
import type { EventRow } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MoneyReading } from '../../server/src/experiments/money.ts';
import {
  getExperimentSums,
  type MetricSumsRow,
  rowsInCurrency,
} from '../../server/src/experiments/queries/getExperimentSums.ts';
import { insertRows } from '../funnels/rows.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { KEY, metricArb, rowsArb, scopeArb, shapeArb } from './generators.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

const CURRENCIES = ['EUR', 'USD', ''];
const SUMS = ['n', 'sum_y', 'sum_y_sq', 'sum_z', 'sum_z_sq', 'sum_yz'] as const;

/** The same rows, sums to 1e-9 relative (ClickHouse adds per-currency sums with `sumMap`). */
function expectSameSums(got: MetricSumsRow[], want: MetricSumsRow[], what: string) {
  const keys = (rs: MetricSumsRow[]) => rs.map((r) => [r.multiple, r.variant, r.segment, r.cap_at]);
  expect(keys(got), what).toEqual(keys(want));
  got.forEach((r, i) => {
    const w = want[i] as MetricSumsRow;
    expect(r.currencies, what).toEqual(w.currencies);
    for (const c of SUMS)
      expect(Math.abs(r[c] - w[c]), `${what} ${c} of row ${i}: ${r[c]} vs ${w[c]}`).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(w[c])),
      );
  });
}

it('the per-currency sums of the first read are the one-currency read’s, for every currency', async () => {
  const runId = nanoid(6);
  let run = 0;
  const seen = { mixed: 0, nonZero: 0, percentile: 0 };
  await fc.assert(
    fc.asyncProperty(
      rowsArb('_'),
      fc.infiniteStream(fc.constantFrom(...CURRENCIES)),
      scopeArb,
      metricArb,
      shapeArb,
      async (generated, currencies, scope, metric, shape) => {
        const site = `cur-${runId}-${run++}`;
        const rows: EventRow[] = generated.map((r) => ({
          ...r,
          site_id: site,
          currency: currencies.next().value as string,
        }));
        await insertRows(s.deps.store, rows);
        const db = s.deps.store.analytics;
        const ch = {
          range: { site, fromMs: scope.fromMs, toMs: scope.toMs, tz: 'UTC' },
          key: KEY,
          ...scope,
          ...shape,
        };
        const cap = metric.cap;
        const money = [
          { kind: 'revenue_per_visitor' as const, cap },
          { kind: 'average_order_value' as const, cap },
          {
            kind: 'property_sum' as const,
            property: 'amt',
            money: true,
            event: metric.propertyEvent,
            window_seconds: metric.propertyWindow,
            cap,
          },
          {
            kind: 'property_mean' as const,
            property: 'amt',
            money: true,
            window_seconds: metric.propertyWindow,
          },
        ];
        const metrics = [
          { kind: 'conversion' as const, event: metric.event, window_seconds: metric.windowSeconds },
          ...money,
        ];
        const asRecorded: (MoneyReading | undefined)[] = [
          undefined,
          ...money.map(() => ({ kind: 'as_recorded' as const })),
        ];
        const first = await getExperimentSums(db, ch, metrics, undefined, asRecorded);
        // The as-recorded sums are what they were: the per-currency ones only come beside them.
        const plain = await getExperimentSums(db, ch, metrics);
        expectSameSums(
          first.rows.map(({ in_currency: _, ...r }) => r),
          plain.rows,
          'as recorded',
        );
        const percentile = typeof cap === 'object';
        if (percentile) seen.percentile++;
        for (const currency of CURRENCIES) {
          const one: MoneyReading = { kind: 'one_currency', currency };
          const again = await getExperimentSums(db, ch, metrics, undefined, [
            undefined,
            ...money.map(() => one),
          ]);
          money.forEach((m, k) => {
            const i = k + 1;
            const mine = rowsInCurrency(
              first.rows.filter((r) => r.metric === i),
              currency,
            );
            // A percentile cap is of the one currency's values: that reading queries again.
            const percentileCapped = percentile && m.kind !== 'property_mean';
            if (percentileCapped) {
              // (No rows, no units: nothing to read again.)
              expect(mine).toEqual(first.rows.some((r) => r.metric === i) ? null : []);
              return;
            }
            const want = again.rows.filter((r) => r.metric === i);
            expectSameSums(mine as MetricSumsRow[], want, `${m.kind} in ${currency || "''"}`);
            if (want.some((r) => r.sum_y !== 0)) seen.nonZero++;
          });
        }
        const amounts = new Set(
          first.rows.filter((r) => r.metric === 1).flatMap((r) => Object.keys(r.currencies)),
        );
        if (amounts.size > 1) seen.mixed++;
      },
    ),
    { numRuns: 20 },
  );
  // The runs must hold real mixed-currency experiments, some with a percentile cap.
  expect(seen.mixed).toBeGreaterThan(1);
  expect(seen.nonZero).toBeGreaterThan(5);
  expect(seen.percentile).toBeGreaterThan(0);
  console.log('in-currency coverage', seen);
}, 600_000);
