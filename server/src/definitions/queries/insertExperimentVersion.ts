import type { Store } from '../../clickhouse/client.ts';
import { insertInto } from '../../clickhouse/insert.ts';

/** One version of an experiment definition (create, update or delete = a newer row). Unit: version. */
export interface ExperimentVersion {
  site_id: string;
  experiment_key: string;
  /** JSON text of the definition without its key. */
  definition: string;
  created_at: number;
  updated_at: number;
  deleted: 0 | 1;
}

export async function insertExperimentVersion(store: Store, row: ExperimentVersion): Promise<void> {
  await insertInto(store, 'experiments_v1', [row]);
}
