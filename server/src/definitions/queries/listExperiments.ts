import { z } from 'zod';
import type { Store } from '../../clickhouse/client.ts';
import { defineQuery, runQuery } from '../../clickhouse/query.ts';
import { count } from '../../sql/range.ts';

/**
 * The live experiments of a site, latest version of each; or the one with key {key} when given.
 * Unit: experiment. A deleted key can be created again (its newest row is the new one).
 */
const query = defineQuery({
  name: 'listExperiments',
  sql: `
SELECT experiment_key, definition,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at
FROM {db:Identifier}.experiments_v1 FINAL
WHERE site_id = {site:String} AND deleted = 0 AND ({key:String} = '' OR experiment_key = {key:String})
ORDER BY created_at, experiment_key`,
  params: z.object({ site: z.string(), key: z.string() }),
  row: z.object({
    experiment_key: z.string(),
    /** JSON text of the definition without its key. */
    definition: z.string(),
    created_at: count,
    updated_at: count,
  }),
});

export type ExperimentRow = z.infer<typeof query.row>;

export function listExperiments(store: Store, site: string, key = ''): Promise<ExperimentRow[]> {
  return runQuery(store, query, { site, key });
}
