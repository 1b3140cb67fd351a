/**
 * The paths API against the oracle (`oracle.ts`) on random event streams: ties in time (broken by
 * event id), units with the start more than once, events outside the range, every start kind,
 * both directions and both node kinds, small widths so that "Other" is common.
 */
import type { EventRow } from '@funnelhouse/server';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventRow, insertRows } from '../funnels/rows.ts';
import { api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';
import { oracleTree, treeOfAnswer, unitPaths } from './oracle.ts';

let s: TestServer;
let site: { id: string; api_key: string };
beforeAll(async () => {
  s = await startTestServer();
  site = await createSite(s, 'paths-property');
}, 180_000);
afterAll(() => s.destroy());

/** Each run on its own day (a day apart): one site, no run sees another's events. */
const BASE = Date.UTC(2025, 6, 1);
const DAY = 86_400_000;
/** The range is [10 s, 40 s) of the run's day; events fall from 0 to 50 s. */
const FROM = 10_000;
const TO = 40_000;

const PATHS = [
  '/',
  '/a',
  '/a',
  '/a',
  '/b',
  '/b',
  '/p/1',
  '/p/22',
  '/p/x',
  '/u/0f0e0d0c0b0a09080706050403020100',
];
const eventArb = fc.record({
  v: fc.constantFrom('v1', 'v2', 'v3', 'v4', 'v5', 'v6'),
  // Few distinct times: ties are common.
  t: fc.integer({ min: 0, max: 25 }).map((k) => k * 2000),
  type: fc.constantFrom('pageview', 'pageview', 'pageview', 'click', 'custom', 'custom', 'purchase'),
  name: fc.constantFrom('x', 'y'),
  path: fc.constantFrom(...PATHS),
  device: fc.constantFrom('desktop', 'mobile'),
});

const startArb = fc.oneof(
  fc.constantFrom('/a', '/p/7', '/b').map((page) => ({ page })),
  fc.constantFrom(
    { event: { type: 'pageview' } },
    { event: { type: 'custom', name: 'x' } },
    { event: { type: 'click' } },
  ),
  fc.record({
    funnel: fc.record({
      definition: fc.constant({
        steps: [
          { match: [{ type: 'pageview', path: { op: 'exact', value: '/a' } }] },
          { match: [{ type: 'purchase' }] },
        ],
        window_seconds: 15,
      }),
      step: fc.constant(1),
      who: fc.constantFrom('dropped', 'converted', 'reached'),
    }),
  }),
  fc.record({
    funnel: fc.record({
      definition: fc.constant({
        steps: [{ match: [{ type: 'pageview' }] }, { match: [{ type: 'custom' }] }],
        window_seconds: 15,
      }),
      step: fc.constant(2),
      who: fc.constant('reached'),
    }),
  }),
);

const caseArb = fc.record({
  events: fc.array(eventArb, { minLength: 30, maxLength: 100 }),
  start: startArb,
  direction: fc.constantFrom('after', 'before'),
  depth: fc.integer({ min: 1, max: 4 }),
  width: fc.constantFrom(1, 1, 2, 3),
  node: fc.constantFrom('path', 'event'),
  filtered: fc.boolean(),
});

it('the API answers the oracle’s tree on random event streams', async () => {
  let run = 0;
  let ids = 0;
  const seen = { runs: 0, units: 0, other: 0, ended: 0, nonEmpty: 0 };
  await fc.assert(
    fc.asyncProperty(caseArb, async (c) => {
      const day = BASE + 2 * DAY * run++;
      const rows: EventRow[] = c.events.map((e) =>
        eventRow(site.id, {
          // Ids in random order against time, so that ties are broken both ways.
          event_id: `r${(ids++ * 7919) % 100_003}`.padEnd(8, 'z'),
          ts: day + e.t,
          visitor_id: `${e.v}`,
          type: e.type,
          name: e.type === 'custom' || e.type === 'click' ? e.name : '',
          path: e.path,
          device: e.device,
        }),
      );
      await insertRows(s.deps.store, rows);
      const q = {
        start: c.start,
        direction: c.direction,
        depth: c.depth,
        width: c.width,
        node: c.node,
        ...(c.filtered ? { filters: [{ column: 'device', op: 'eq', value: 'desktop' }] } : {}),
        from: new Date(day + FROM).toISOString(),
        to: new Date(day + TO).toISOString(),
        tz: 'UTC',
      };
      const res = await api(s, 'POST', `/api/v1/sites/${site.id}/paths`, site.api_key, q);
      const answer = (await res.json()) as Parameters<typeof treeOfAnswer>[0];
      expect(res.status, JSON.stringify(answer)).toBe(200);
      const paths = unitPaths(rows as never, q as never, { from: day + FROM, to: day + TO, now: Date.now() });
      expect(treeOfAnswer(answer)).toEqual(oracleTree(paths, q as never));
      seen.runs++;
      seen.units += answer.units;
      seen.other += answer.nodes.filter((n) => n.kind === 'other').length;
      seen.ended += answer.nodes.filter((n) => n.kind === 'end').length;
      if (answer.units > 0) seen.nonEmpty++;
    }),
    { numRuns: 40 },
  );
  // The generators reach the interesting cases, not only empty trees (typically about 25 of 40
  // runs with units, 10 "Other" nodes and 60 end nodes).
  expect(seen.nonEmpty, JSON.stringify(seen)).toBeGreaterThan(15);
  expect(seen.other, JSON.stringify(seen)).toBeGreaterThan(2);
  expect(seen.ended, JSON.stringify(seen)).toBeGreaterThan(10);
}, 120_000);
