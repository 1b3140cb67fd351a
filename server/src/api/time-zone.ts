import type { Store } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import { listTimeZones } from '../queries/listTimeZones.ts';

const zonesByStore = new WeakMap<Store, Promise<Map<string, string>>>();

/**
 * The engine's own spelling of a requested time zone. The query schema checks zones with `Intl`,
 * which ignores case (`america/new_york`) and knows zones that an older engine tzdata lacks; ClickHouse
 * fails on both with an error that would surface as a 500. Unknown zones get a 400 at `path`
 * (`tz`, or a site's `time_zone`) instead.
 */
export async function engineTimeZone(
  store: Store,
  tz: string,
  code: 'invalid_query' | 'invalid_body' = 'invalid_query',
  path = 'tz',
): Promise<string> {
  let zones = zonesByStore.get(store);
  if (!zones) {
    zones = listTimeZones(store).then((names) => new Map(names.map((n) => [n.toLowerCase(), n])));
    zones.catch(() => zonesByStore.delete(store));
    zonesByStore.set(store, zones);
  }
  const name = (await zones).get(tz.toLowerCase());
  if (!name) {
    const message = `time zone ${JSON.stringify(tz)} is not known to the database`;
    throw new ApiError(code, `Unknown time zone ${JSON.stringify(tz)}`, [
      { path, code: 'unknown_time_zone', message },
    ]);
  }
  return name;
}
