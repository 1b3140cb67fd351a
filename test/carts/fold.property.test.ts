import { type EventRow, getCartGroupSums, listCartStates } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertRows } from '../funnels/rows.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { BASE, eventsArb, MINUTE, scopeArb } from './generators.ts';
import { type OracleCart, oracleCarts } from './oracle.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

/** The oracle's carts in the query's units (amounts as numbers, no dimension). */
const asRows = (cs: OracleCart[]) =>
  cs.map(({ value4, order_revenue4, dim: _d, ...c }) => ({
    ...c,
    value: value4,
    order_revenue: order_revenue4 / 1e4,
  }));

it('ClickHouse folds every cart as the oracle does, before and after late rows arrive', async () => {
  const runId = nanoid(6);
  let run = 0;
  const seen = { carts: 0, open: 0, abandoned: 0, recovered: 0, purchased: 0, empty: 0, changed: 0 };
  await fc.assert(
    fc.asyncProperty(eventsArb('_'), scopeArb, async (generated, sc) => {
      // A fresh site per run: a shrunk case never meets an earlier run's rows.
      const site = `carts-${runId}-${run++}`;
      const onSite = (rs: EventRow[]) => rs.map((r) => ({ ...r, site_id: site }));
      const [first, second] = [onSite(generated.first), onSite(generated.second)];
      const scope = {
        site,
        fromMs: BASE + sc.fromMin * MINUTE,
        toMs: BASE + (sc.fromMin + sc.spanMin) * MINUTE,
        asOfMs: BASE + sc.asOfMin * MINUTE,
        timeoutMs: sc.timeoutMin * MINUTE,
        windowMs: sc.windowMin * MINUTE,
      };
      const ch = {
        range: { site, fromMs: scope.fromMs, toMs: scope.toMs, tz: 'UTC' },
        asOfMs: scope.asOfMs,
        timeoutMs: scope.timeoutMs,
        windowMs: scope.windowMs,
      };
      const db = s.deps.store.analytics;
      const read = async () =>
        (await listCartStates(db, ch)).map((c) => ({ ...c, value: Math.round(c.value * 1e4) }));
      await insertRows(s.deps.store, first);
      const before = await read();
      expect(before).toEqual(asRows(oracleCarts(first, scope)));
      await insertRows(s.deps.store, second);
      const after = await read();
      const expected = oracleCarts([...first, ...second], scope);
      expect(after).toEqual(asRows(expected));
      if (JSON.stringify(before) !== JSON.stringify(after)) seen.changed++;
      // The breakdown's sums per channel at creation, status, purchase and currencies.
      const groups = await getCartGroupSums(db, ch, 'channel', '');
      const want = new Map<string, { carts: number; value: number; order_revenue: number }>();
      for (const c of oracleCarts([...first, ...second], scope, (r) => r.channel)) {
        const k = [c.dim, c.status, c.purchased_ms !== 0, c.currency, c.order_currency].join('|');
        const g = want.get(k) ?? { carts: 0, value: 0, order_revenue: 0 };
        want.set(k, {
          carts: g.carts + 1,
          value: g.value + c.value4,
          order_revenue: g.order_revenue + c.order_revenue4,
        });
      }
      const got = new Map(
        groups.map((g) => [
          [g.dim, g.status, g.purchased, g.currency, g.order_currency].join('|'),
          {
            carts: g.carts,
            value: Math.round(g.value * 1e4),
            order_revenue: Math.round(g.order_revenue * 1e4),
          },
        ]),
      );
      expect(got).toEqual(want);
      seen.carts += expected.length;
      for (const c of expected) seen[c.status]++;
    }),
    { numRuns: 200 },
  );
  console.info('cart property coverage', seen);
  // The generators must reach every status, and late rows must change answers.
  expect(seen.carts).toBeGreaterThan(200);
  for (const k of ['abandoned', 'recovered', 'purchased', 'empty'] as const)
    expect(seen[k], k).toBeGreaterThan(8);
  expect(seen.open).toBeGreaterThan(3);
  expect(seen.changed).toBeGreaterThan(20);
}, 900_000);
