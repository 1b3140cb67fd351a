/**
 * The hand cases' harness: events written as offsets from one instant, each case run on both the
 * oracle and the ClickHouse engine (a site per case), each demanded the hand-worked outcome.
 */
import type { FunnelDefinition, StepAlternative } from '@funnelhouse/schemas';
import { type EventRow, listFunnelUnits } from '@funnelhouse/server';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { type OracleOptions, oracleFunnel } from './oracle.ts';
import { asOracle, eventRow, insertRows } from './rows.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

export const T = Date.UTC(2026, 4, 4, 10);
export const sec = (x: number) => T + x * 1000;
export const ev = (unit: string, at: number, type: string, over: Partial<EventRow> = {}) =>
  ({ unit, at, type, over }) as const;
export type Ev = ReturnType<typeof ev>;
export const pv: StepAlternative = { type: 'pageview' };
export const click: StepAlternative = { type: 'click' };
export const buy: StepAlternative = { type: 'purchase' };
export const steps = (...alts: StepAlternative[]) => alts.map((a) => ({ match: [a] }));

export interface Expect {
  unit: string;
  furthest: number;
  levels: number[];
  fromEntry: number[];
  inProgress?: boolean;
  /** Checked only when given. */
  windowOpen?: boolean;
  entry?: number;
  breakdown?: string;
  skipped?: boolean;
}

/** Runs the case on both implementations and demands the hand-worked outcome from each. */
export async function check(
  def: FunnelDefinition,
  evs: Ev[],
  want: Expect[],
  o: Partial<OracleOptions> = {},
) {
  const site = `case-${nanoid(8)}`;
  const rows = evs.map((e) =>
    eventRow(site, { ts: sec(e.at), type: e.type, visitor_id: e.unit, session_id: `s-${e.unit}`, ...e.over }),
  );
  await insertRows(s.deps.store, rows);
  const opts: OracleOptions = { from: sec(0), to: sec(86_400), now: sec(30 * 86_400), ...o };
  const expected = want.map((w) => ({
    unit: w.unit,
    furthest: w.furthest,
    levels: w.levels,
    fromEntry: w.fromEntry.map((x) => x * 1000),
    inProgress: w.inProgress ?? false,
    ...(w.windowOpen !== undefined ? { windowOpen: w.windowOpen } : {}),
    ...(w.entry !== undefined ? { entryTs: sec(w.entry) } : {}),
    breakdown: w.breakdown ?? '',
    skipped: w.skipped ?? false,
  }));
  const pick = (
    u: {
      unit: string;
      furthest: number;
      levels: number[];
      fromEntry: number[];
      inProgress: boolean;
      windowOpen: boolean;
      entryTs: number;
      breakdown: string;
      skipped: boolean;
    },
    i: number,
  ) => ({
    unit: u.unit,
    furthest: u.furthest,
    levels: u.levels,
    fromEntry: u.fromEntry,
    inProgress: u.inProgress,
    ...(want[i]?.windowOpen !== undefined ? { windowOpen: u.windowOpen } : {}),
    ...(want[i]?.entry !== undefined ? { entryTs: u.entryTs } : {}),
    breakdown: u.breakdown,
    skipped: u.skipped,
  });
  expect(oracleFunnel(asOracle(rows), def, opts).map(pick), 'oracle').toEqual(expected);
  const engine = await listFunnelUnits(s.deps.store.analytics, site, def, opts);
  const asOutcome = engine.map((r) => ({
    ...r,
    fromEntry: r.from_entry,
    inProgress: r.in_progress,
    windowOpen: r.window_open,
    entryTs: r.entry_ms,
    breakdown: r.bd,
  }));
  expect(asOutcome.map(pick), 'engine').toEqual(expected);
}
