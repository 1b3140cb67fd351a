import type { FunnelDefinition, FunnelUnit } from '@funnelhouse/schemas';
import { getFunnelLevels, type LevelRow } from '@funnelhouse/server';
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { funnelCaseArb } from './generators.ts';
import { oracleFunnel } from './oracle.ts';
import { oracleLevels } from './oracle-aggregate.ts';
import { asOracle, insertRows } from './rows.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const key = (r: LevelRow) => `${r.overall ? 1 : 0}|${r.kind}|${r.value}|${r.level}`;
const sorted = (rows: LevelRow[]) =>
  [...rows]
    .sort((a, b) => (key(a) < key(b) ? -1 : 1))
    .map((r) => ({ ...r, overall: r.overall, kind: r.overall ? '-' : r.kind }));

type FunnelCase = typeof funnelCaseArb extends fc.Arbitrary<infer T> ? T : never;

/** Demands the oracle's per-step rows from getFunnelLevels; says whether some unit got past step 1. */
async function checkLevels(
  { def, bd, rows, o }: FunnelCase,
  mature: boolean,
  site: string,
): Promise<{ deep: boolean; multi: number }> {
  const mine = rows.map((r) => ({ ...r, site_id: site }));
  await insertRows(s.deps.store, mine);
  const got = await getFunnelLevels(s.deps.store.analytics, site, def, {
    ...o,
    cohorts: mature ? 'mature' : 'all',
  });
  const units = oracleFunnel(asOracle(mine), def, o);
  const want = oracleLevels(units, def.steps.length, bd ? (bd.limit ?? 10) : undefined, mature);
  // Level 0 carries the skipped units (overall, and in the no-value group since they have none).
  const skipped = got.rows.filter((r) => r.level === 0 && r.overall).map((r) => r.reached);
  const skippedWant = units.filter((u) => u.skipped).length;
  expect(skipped).toEqual(skippedWant > 0 ? [skippedWant] : []);
  const a = sorted(got.rows.filter((r) => r.level > 0));
  const b = sorted(want);
  expect(a.map(({ fromEntry, fromPrevious, ...r }) => r)).toEqual(
    b.map(({ fromEntry, fromPrevious, ...r }) => r),
  );
  a.forEach((r, i) => {
    const w = b[i] as LevelRow;
    const close = (x: number[], y: number[]) => expect(x).toEqual(y.map((v) => expect.closeTo(v, 6)));
    if (r.timed > 0) close(r.fromEntry, w.fromEntry);
    if (r.timed > 0 && r.level > 1) close(r.fromPrevious, w.fromPrevious);
  });
  // Outcomes beyond a unit's first: its extra groups (every_touch attribution).
  const multi = units.filter((u, i) => units.findIndex((x) => x.unit === u.unit) !== i).length;
  return { deep: units.some((u) => u.furthest > 1), multi };
}

it('per-step counts, timing quantiles, histograms and breakdown groups agree with the oracle', async () => {
  const runId = nanoid(6);
  let run = 0;
  let nonEmpty = 0;
  await fc.assert(
    fc.asyncProperty(funnelCaseArb, fc.boolean(), async (c, mature) => {
      if ((await checkLevels(c, mature, `lvl-${runId}-${run++}`)).deep) nonEmpty++;
    }),
    { numRuns: 40 },
  );
  expect(nonEmpty).toBeGreaterThan(5);
}, 900_000);

it('with every_touch attribution a unit counts once in each of its groups, once in "other" and overall', async () => {
  const runId = nanoid(6);
  let run = 0;
  let multi = 0;
  // Plain one-type steps in a long window, so that units get far and carry several values.
  const shortDef = fc.record({
    order: fc.constantFrom('ordered' as const, 'any' as const, 'unordered' as const),
    types: fc.array(fc.constantFrom('pageview', 'click', 'add_to_cart', 'purchase'), {
      minLength: 2,
      maxLength: 3,
    }),
    unit: fc.constantFrom<FunnelUnit>('visitor', 'session'),
  });
  const allEvents = fc
    .record({
      c: funnelCaseArb,
      d: shortDef,
      dimension: fc.constantFrom({ column: 'channel' as const }, { property: 'k' }),
      limit: fc.integer({ min: 1, max: 2 }),
    })
    .map(({ c, d, dimension, limit }) => {
      const def: FunnelDefinition = {
        order: d.order,
        unit: d.unit,
        window_seconds: 600,
        steps: d.types.map((type) => ({ match: [{ type }] })),
      };
      const breakdown = { dimension, limit, attribution: 'every_touch' as const };
      return { ...c, def, bd: breakdown, o: { ...c.o, breakdown } };
    });
  await fc.assert(
    fc.asyncProperty(allEvents, fc.boolean(), async (c, mature) => {
      multi += (await checkLevels(c, mature, `lva-${runId}-${run++}`)).multi;
    }),
    { numRuns: 60 },
  );
  expect(multi).toBeGreaterThan(5);
}, 900_000);
