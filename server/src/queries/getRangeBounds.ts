import { type Store, select } from '../clickhouse/client.ts';
import type { RangeParams } from '../sql/range.ts';

/**
 * A report range `[from, to)` as epoch milliseconds, read exactly as `SITE_RANGE` reads it (a bare
 * date is midnight in {tz}), so code that pages through a range agrees with the reports.
 */
const SQL = `
SELECT
  toUnixTimestamp64Milli(parseDateTime64BestEffort({from:String}, 3, {tz:String})) AS from_ms,
  toUnixTimestamp64Milli(parseDateTime64BestEffort({to:String}, 3, {tz:String})) AS to_ms`;

export async function getRangeBounds(
  store: Store,
  p: Omit<RangeParams, 'site'>,
): Promise<{ fromMs: number; toMs: number }> {
  const [r] = await select<{ from_ms: string | number; to_ms: string | number }>(store, SQL, { ...p });
  return { fromMs: Number(r?.from_ms), toMs: Number(r?.to_ms) };
}
