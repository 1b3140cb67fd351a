/**
 * Saved funnels of a site (`funnels_v1`): list, get, create, replace, delete. A name is unique
 * among a site's live funnels as a reader tells names apart.
 */
import {
  type FunnelBreakdown,
  type FunnelDefinition,
  normaliseSavedDefinition,
  type SavedFunnel,
  type SaveFunnelRequest,
} from '@funnelhouse/schemas';
import { nanoid } from 'nanoid';
import type { Store } from '../clickhouse/client.ts';
import { ApiError } from '../errors.ts';
import { insertFunnelVersion } from './queries/insertFunnelVersion.ts';
import { type FunnelRow, listFunnels } from './queries/listFunnels.ts';
import { nextVersionAt } from './version.ts';

export type { FunnelRow };

/** A stored definition as the engine reads it (older saves normalised). */
export const savedDefinition = (r: FunnelRow): FunnelDefinition =>
  normaliseSavedDefinition(JSON.parse(r.definition) as FunnelDefinition);

export function savedFunnel(r: FunnelRow): SavedFunnel {
  return {
    id: r.funnel_id,
    name: r.name,
    definition: savedDefinition(r),
    ...(r.breakdown ? { breakdown: JSON.parse(r.breakdown) as FunnelBreakdown } : {}),
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

/** The stored text of a save request's definition and breakdown ('' for none). */
const stored = (req: SaveFunnelRequest) => ({
  name: req.name,
  definition: JSON.stringify(req.definition),
  breakdown: req.breakdown ? JSON.stringify(req.breakdown) : '',
});

/** Names are compared as a reader tells them apart: ignoring case and surrounding spaces. */
const sameName = (a: string, b: string) =>
  a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'accent' }) === 0;

/**
 * Refuses a name another live funnel of the site has (`409 duplicate_name`): two funnels a reader
 * cannot tell apart in the list. Checked before the write; the table has no unique key, so two
 * saves racing with one name can both pass, which costs a rename, not data.
 */
async function uniqueName(store: Store, site: string, name: string, self = ''): Promise<void> {
  const taken = (await listFunnels(store, site)).find((f) => f.funnel_id !== self && sameName(f.name, name));
  if (taken) {
    throw new ApiError(
      'duplicate_name',
      `A saved funnel is already named "${taken.name}": choose another name`,
      [{ path: 'name', code: 'duplicate_name', message: 'another saved funnel has this name' }],
    );
  }
}

export async function listSavedFunnels(store: Store, site: string): Promise<SavedFunnel[]> {
  return (await listFunnels(store, site)).map(savedFunnel);
}

/** The stored row of a live funnel; `404 not_found` when there is none. */
export async function loadFunnel(store: Store, site: string, id: string): Promise<FunnelRow> {
  const [row] = await listFunnels(store, site, id);
  if (!row) throw new ApiError('not_found', 'Funnel not found');
  return row;
}

export async function createFunnel(store: Store, site: string, req: SaveFunnelRequest): Promise<SavedFunnel> {
  await uniqueName(store, site, req.name);
  const now = Date.now();
  const row = { funnel_id: nanoid(12), ...stored(req), created_at: now, updated_at: now };
  await insertFunnelVersion(store, { ...row, site_id: site, deleted: 0 });
  return savedFunnel(row);
}

export async function replaceFunnel(
  store: Store,
  site: string,
  old: FunnelRow,
  req: SaveFunnelRequest,
): Promise<SavedFunnel> {
  await uniqueName(store, site, req.name, old.funnel_id);
  const row = { ...old, ...stored(req), updated_at: nextVersionAt(old) };
  await insertFunnelVersion(store, { ...row, site_id: site, deleted: 0 });
  return savedFunnel(row);
}

export async function deleteFunnel(store: Store, site: string, old: FunnelRow): Promise<void> {
  await insertFunnelVersion(store, { ...old, site_id: site, updated_at: nextVersionAt(old), deleted: 1 });
}
