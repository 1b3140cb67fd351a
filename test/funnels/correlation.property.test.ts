import type { CorrelationCandidate, CorrelationProperty, CorrelationResult } from '@funnelhouse/schemas';
import { type EventRow, excludedCandidates, getCorrelationCounts } from '@funnelhouse/server';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { type OracleCandidate, oracleCorrelation } from './correlation-oracle.ts';
import { BASE, definitionArb, dtArb, generatedRow } from './generators.ts';
import { asOracle, insertRows } from './rows.ts';

/**
 * The correlation API against the brute-force oracle on random event streams: every funnel order,
 * unit and exclusion the funnel generators make; few units, times on a coarse grid (ties are
 * common), units that enter several times, custom events with names, a per-event property with
 * more values than a property keeps (so "Other" rows occur) and unit-level properties.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(() => s.destroy());

const TYPES = ['pageview', 'click', 'add_to_cart', 'purchase', 'custom'] as const;
const NAMES = ['site_search', 'chat', ''];
const Q_VALUES = Array.from({ length: 24 }, (_, i) => `q${String(i).padStart(2, '0')}`);

function eventsArb(): fc.Arbitrary<EventRow[]> {
  const one = fc.record({
    dt: dtArb,
    type: fc.constantFrom(...TYPES),
    name: fc.constantFrom(...NAMES),
    path: fc.constantFrom('/a', '/b', '/c', '/a/x'),
    visitor: fc.constantFrom('v1', 'v2', 'v3', 'v4', 'v5', 'v6'),
    session: fc.constantFrom('s1', 's2', 's3', 's4', 's5'),
    user: fc.constantFrom('', 'u1', 'u2', 'u3'),
    cart: fc.constantFrom('', 'c1', 'c2', 'c3'),
    k: fc.option(fc.constantFrom('1', '2', '10', 'x', ''), { nil: undefined }),
    q: fc.option(fc.constantFrom(...Q_VALUES), { nil: undefined }),
    u: fc.option(fc.constantFrom('p1', 'p2', 'p3'), { nil: undefined }),
    channel: fc.constantFrom('direct', 'email', 'social'),
    country: fc.constantFrom('DE', 'FR', ''),
    e: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }),
  });
  return fc
    .array(one, { minLength: 20, maxLength: 100, size: 'max' })
    .map((xs) => xs.map((x) => generatedRow('placeholder', x)));
}

const PROPERTIES: CorrelationProperty[] = [
  'channel',
  'country',
  'landing_path',
  'experiments.e',
  'props.q',
  'props.k',
];

const caseArb = definitionArb.chain((def) =>
  fc.record({
    def: fc.constant(def),
    rows: eventsArb(),
    // Mostly from the entry (the default pair), so that most cases have units.
    steps: fc.oneof(
      {
        weight: 2,
        arbitrary: fc.integer({ min: 1, max: def.steps.length - 1 }).map((to) => ({ from: 0, to })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.nat(def.steps.length - 1), fc.nat(def.steps.length - 1))
          .filter(([a, b]) => a !== b)
          .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) })),
      },
    ),
    from: fc.constantFrom(0, 10_000, 40_000),
    to: fc.constantFrom(60_000, 100_000, 151_000),
    properties: fc.subarray(PROPERTIES),
    includeStepEvents: fc.boolean(),
  }),
);

/** The candidate's identity and counts as the oracle states them. */
function fromApi(c: CorrelationCandidate) {
  const bucket = c.bucket ?? '';
  return {
    kind: c.kind,
    property: c.property ?? '',
    bucket,
    value: bucket === 'value' || bucket === '' ? c.value : '',
    did: c.counts.did_converted + c.counts.did_dropped,
    didConverted: c.counts.did_converted,
  };
}

/** An odds ratio of exactly 1 (as computed, with the correction) puts a candidate in neither list. */
function evenOdds(x: OracleCandidate, converted: number, dropped: number): boolean {
  const [a, b] = [x.didConverted, x.did - x.didConverted];
  const [c, d] = [converted - a, dropped - b];
  const z = a === 0 || b === 0 || c === 0 || d === 0 ? 0.5 : 0;
  return (a + z) * (d + z) === (b + z) * (c + z);
}

const key = (x: { kind: string; property: string; bucket: string; value: string }) =>
  [x.kind, x.property, x.bucket, x.value].join('|');

it('the API and the oracle count the same units for every candidate', async () => {
  const stats = { runs: 0, units: 0, candidates: 0, other: 0, cut: 0, names: 0, both: 0 };
  await fc.assert(
    fc.asyncProperty(caseArb, async (k) => {
      const site = await createSite(s, 'corr-prop');
      const rows = k.rows.map((r) => ({ ...r, site_id: site.id }));
      await insertRows(s.deps.store, rows);
      const res = await api(s, 'POST', `/api/v1/sites/${site.id}/funnels/correlation`, site.api_key, {
        definition: k.def,
        from: new Date(BASE + k.from).toISOString(),
        to: new Date(BASE + k.to).toISOString(),
        steps: k.steps,
        properties: k.properties,
        min_support: 1,
        include_step_events: k.includeStepEvents,
      });
      expect(res.status).toBe(200);
      const got = (await res.json()) as CorrelationResult;
      const want = oracleCorrelation(asOracle(rows), k.def, {
        from: BASE + k.from,
        to: BASE + k.to,
        now: got.now,
        stepFrom: k.steps.from,
        stepTo: k.steps.to,
        properties: k.properties,
        includeStepEvents: k.includeStepEvents,
      });
      expect(got.units).toEqual({ converted: want.converted, dropped: want.dropped });
      expect(got.candidates_found).toBe(want.found);
      expect(got.tested).toBe(want.candidates.length);
      const listed = [...got.success, ...got.drop_off]
        .map(fromApi)
        .sort((a, b) => (key(a) < key(b) ? -1 : 1));
      const expected = want.candidates
        .filter((x) => !evenOdds(x, want.converted, want.dropped))
        .sort((a, b) => (key(a) < key(b) ? -1 : 1));
      expect(listed).toEqual(expected);

      // The query itself with a top of 1 value per property and a cut at 8 candidates, so that
      // "Other" rows and the cut happen on these small streams.
      const small = { topValues: 1, limit: 8 };
      const excluded = k.includeStepEvents ? [] : excludedCandidates(k.def, k.steps.from);
      const bounds = { from: BASE + k.from, to: BASE + k.to, now: got.now };
      const rowsGot = await getCorrelationCounts(s.deps.store.analytics, site.id, k.def, {
        ...bounds,
        ...small,
        stepFrom: k.steps.from,
        stepTo: k.steps.to,
        cohorts: 'all',
        properties: k.properties,
        excludedTypes: excluded.filter((x) => x.kind === 'event_type').map((x) => x.value),
        excludedNames: excluded.filter((x) => x.kind === 'event_name').map((x) => x.value),
      });
      const cut = oracleCorrelation(asOracle(rows), k.def, {
        ...bounds,
        ...small,
        stepFrom: k.steps.from,
        stepTo: k.steps.to,
        properties: k.properties,
        includeStepEvents: k.includeStepEvents,
      });
      const [head, ...rest] = rowsGot;
      if (head) {
        expect(head).toMatchObject({ kind: 'units', did: cut.converted + cut.dropped, found: cut.found });
        expect(head.did_converted).toBe(cut.converted);
      } else expect(cut.converted + cut.dropped).toBe(0);
      expect(
        rest.map((r) => ({
          kind: r.kind,
          property: r.property,
          bucket: r.bucket,
          value: r.value,
          did: r.did,
          didConverted: r.did_converted,
        })),
      ).toEqual(cut.candidates);
      stats.other += cut.candidates.filter((x) => x.bucket === 'other').length;
      stats.cut += cut.found > cut.candidates.length ? 1 : 0;
      stats.runs++;
      stats.units += want.converted + want.dropped;
      stats.candidates += want.candidates.length;
      stats.names += want.candidates.filter((x) => x.kind === 'event_name').length;
      // A candidate present in only one group (a cell of zero) with both groups there.
      stats.both += want.candidates.filter(
        (x) => want.converted > 0 && want.dropped > 0 && (x.didConverted === 0 || x.didConverted === x.did),
      ).length;
    }),
    // 30 runs: at 20 the candidates' floor below failed once in CI (70 of 80).
    { numRuns: 30 },
  );
  console.info('correlation property coverage', stats);
  // The generated cases must hold units, candidates and folded values, or the property says little.
  expect(stats.units).toBeGreaterThan(30);
  expect(stats.candidates).toBeGreaterThan(80);
  expect(stats.names).toBeGreaterThan(5);
  expect(stats.both).toBeGreaterThan(5);
  expect(stats.other).toBeGreaterThan(2);
  expect(stats.cut).toBeGreaterThan(2);
}, 300_000);
