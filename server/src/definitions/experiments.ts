/**
 * Experiment definitions of a site (`experiments_v1`): list, get, create, replace, delete. The
 * stored JSON holds the fields in the schema's order, without the key (the key is the row's).
 */
import type { ExperimentDefinition, SavedExperiment, UpdateExperimentRequest } from '@funnelhouse/schemas';
import type { Store } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import { insertExperimentVersion } from './queries/insertExperimentVersion.ts';
import { type ExperimentRow, listExperiments } from './queries/listExperiments.ts';
import { nextVersionAt } from './version.ts';

export type { ExperimentRow };

/** A stored row as the definition it holds. */
export function definitionOf(r: ExperimentRow): ExperimentDefinition {
  return { key: r.experiment_key, ...(JSON.parse(r.definition) as UpdateExperimentRequest) };
}

export function savedExperiment(r: ExperimentRow): SavedExperiment {
  return {
    ...definitionOf(r),
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

export async function listSavedExperiments(store: Store, site: string): Promise<SavedExperiment[]> {
  return (await listExperiments(store, site)).map(savedExperiment);
}

/** The stored row of a live experiment; `404 not_found` when there is none. */
export async function loadExperiment(store: Store, site: string, key: string): Promise<ExperimentRow> {
  const [row] = await listExperiments(store, site, key);
  if (!row) throw new ApiError('not_found', 'Experiment not found');
  return row;
}

/** Stores a version (created and updated at the given times). */
export async function saveExperimentVersion(
  store: Store,
  site: string,
  key: string,
  fields: UpdateExperimentRequest,
  times: { c: number; u: number },
): Promise<SavedExperiment> {
  const row = {
    experiment_key: key,
    definition: JSON.stringify(fields),
    created_at: times.c,
    updated_at: times.u,
  };
  await insertExperimentVersion(store, { ...row, site_id: site, deleted: 0 });
  return savedExperiment(row);
}

/** A new experiment; `409 conflict` when the key is taken by a live one. */
export async function createExperiment(
  store: Store,
  site: string,
  { key, ...fields }: ExperimentDefinition,
): Promise<SavedExperiment> {
  if ((await listExperiments(store, site, key)).length > 0) {
    throw new ApiError('conflict', 'An experiment with this key exists; PUT replaces it');
  }
  const now = Date.now();
  return saveExperimentVersion(store, site, key, fields, { c: now, u: now });
}

export function replaceExperiment(
  store: Store,
  site: string,
  old: ExperimentRow,
  fields: UpdateExperimentRequest,
): Promise<SavedExperiment> {
  return saveExperimentVersion(store, site, old.experiment_key, fields, {
    c: old.created_at,
    u: nextVersionAt(old),
  });
}

export async function deleteExperiment(store: Store, site: string, old: ExperimentRow): Promise<void> {
  await insertExperimentVersion(store, {
    ...old,
    site_id: site,
    updated_at: nextVersionAt(old),
    deleted: 1,
  });
}
