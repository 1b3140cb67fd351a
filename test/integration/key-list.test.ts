import type { ApiKeyListResponse } from '@funnelhouse/schemas';
import { apiKeyListResponseSchema } from '@funnelhouse/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../server/src/sites/registry.ts';
import { admin, api } from '../helpers/api.ts';
import { createSite, startTestServer, type TestServer } from '../helpers/server.ts';

/**
 * The admin's list of a site's secret API keys: ids (what revoking takes), creation, last use
 * (noted in memory on each authenticated request, written at shutdown and every minute), never a
 * key or its hash.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

const idOf = (key: string) => key.split('_')[1] as string;
async function list(siteId: string): Promise<ApiKeyListResponse> {
  const res = await admin(s, 'GET', `/api/v1/sites/${siteId}/keys`);
  expect(res.status).toBe(200);
  return apiKeyListResponseSchema.parse(await res.json());
}

describe('key list', () => {
  it('lists each live key with its kind, creation and last use, survives a restart, and names no secret', async () => {
    const site = await createSite(s, 'keys');
    const other = await createSite(s, 'other site');
    const second = (
      (await (await admin(s, 'POST', `/api/v1/sites/${site.id}/keys`)).json()) as { api_key: string }
    ).api_key;
    const fresh = await list(site.id);
    expect(fresh.site_id).toBe(site.id);
    expect(fresh.keys.map((k) => k.id)).toEqual([idOf(site.api_key), idOf(second)]);
    for (const k of fresh.keys) {
      expect(k.kind).toBe('api');
      expect(Date.parse(k.created_at)).toBeGreaterThan(Date.now() - 60_000);
      expect(k.last_used_at).toBeNull();
    }

    const before = Date.now();
    expect((await api(s, 'GET', '/api/v1/key', site.api_key)).status).toBe(200);
    const after = Date.now();
    const used = await list(site.id);
    const first = used.keys.find((k) => k.id === idOf(site.api_key));
    const lastUsed = Date.parse(first?.last_used_at ?? '');
    expect(lastUsed).toBeGreaterThanOrEqual(before);
    expect(lastUsed).toBeLessThanOrEqual(after);
    expect(used.keys.find((k) => k.id === idOf(second))?.last_used_at).toBeNull();
    // Another site's list is its own.
    expect((await list(other.id)).keys.map((k) => k.id)).toEqual([idOf(other.api_key)]);

    // No secret: neither a key, its secret part, nor its hash.
    const text = JSON.stringify(used);
    for (const key of [site.api_key, second]) {
      expect(text).not.toContain(key.split('_').slice(2).join('_'));
      expect(text).not.toContain(hashKey(key));
    }

    // Revoked: gone from the list.
    expect((await admin(s, 'DELETE', `/api/v1/sites/${site.id}/keys/${idOf(second)}`)).status).toBe(200);
    expect((await list(site.id)).keys.map((k) => k.id)).toEqual([idOf(site.api_key)]);

    // The last use is written at shutdown and read back at start.
    s = await s.restart();
    const again = await list(site.id);
    expect(again.keys).toEqual([{ ...first, last_used_at: new Date(lastUsed).toISOString() }]);
  });

  it('is for the admin key only, and 404 for an unknown site', async () => {
    const site = await createSite(s, 'guarded');
    const mine = await api(s, 'GET', `/api/v1/sites/${site.id}/keys`, site.api_key);
    expect(mine.status).toBe(403);
    expect((await admin(s, 'GET', '/api/v1/sites/nosuchsite/keys')).status).toBe(404);
  });
});
