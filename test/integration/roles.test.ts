import type { OverviewResponse } from '@funnelhouse/schemas';
import { type Config, createLogger, loadConfig, type RunningServer, startServer } from '@funnelhouse/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteRegistry } from '../../server/src/sites/registry.ts';
import { batch, pageview } from '../helpers/events.ts';
import { ADMIN_KEY, createSite, postCollect, startTestServer } from '../helpers/server.ts';
import { daysAgo, postEvents, serverPageview } from '../helpers/server-events.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * `FUNNELHOUSE_ROLE` on the embedded engine, one role after another on one data directory (the
 * embedded engine allows one process per directory; against a server they run side by side).
 * The configuration checks refuse `ingest` without `CLICKHOUSE_URL`, so the role is set on the
 * parsed configuration here: what is tested is the routing and the machinery each role runs.
 */
const dir = tempDir();
let site: { id: string; site_key: string; api_key: string };

function configFor(role: Config['role'], path = dir.path): Config {
  const base = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    FUNNELHOUSE_DATA_DIR: path,
    FUNNELHOUSE_ADMIN_KEY: ADMIN_KEY,
    FUNNELHOUSE_TRUST_PROXY: '1',
    FUNNELHOUSE_FLUSH_MS: '20',
    FUNNELHOUSE_RATE_LIMIT_IP: '0',
    FUNNELHOUSE_RATE_LIMIT_SITE: '0',
    FUNNELHOUSE_TEST_ACK_AFTER_STORE: '1',
  });
  return { ...base, role };
}

const start = (role: Config['role']) => startServer(configFor(role), createLogger('silent'));
const get = (s: RunningServer, path: string, key = site.api_key) =>
  fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

async function code(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return body.error?.code;
}

beforeAll(async () => {
  // A one-box start migrates and holds the site both roles below use.
  const s = await startTestServer({}, dir.path);
  site = await createSite(s);
  await s.close();
}, 120_000);
afterAll(() => dir.remove());

describe('FUNNELHOUSE_ROLE', () => {
  it('ingest: /collect and the server events API only; analytics, admin, docs and dashboard are 404', async () => {
    const s = await start('ingest');
    try {
      expect(
        (await postCollect(s, batch(site.site_key, [pageview({ visitor_id: 'v-ingest' })]))).status,
      ).toBe(202);
      const { status } = await postEvents(s, site.id, site.api_key, [serverPageview(daysAgo(1).ms)]);
      expect(status).toBe(200);
      expect((await get(s, '/healthz')).status).toBe(200);
      expect((await get(s, '/readyz')).status).toBe(200);
      const day = new Date().toISOString().slice(0, 10);
      for (const path of [
        `/api/v1/sites/${site.id}/overview?from=${day}&to=${day}`,
        `/api/v1/sites/${site.id}/events?from=${day}&to=${day}`,
        `/api/v1/sites/${site.id}/funnels`,
        '/api/v1/sites',
        '/api/v1/openapi.json',
        '/',
      ]) {
        const res = await get(s, path, path === '/api/v1/sites' ? ADMIN_KEY : site.api_key);
        expect([path, res.status]).toEqual([path, 404]);
        expect(await code(res)).toBe('not_found');
      }
      const create = await fetch(`${s.url}/api/v1/sites`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x' }),
      });
      expect(create.status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('api: reads what the ingest node stored; /collect and server events are 404; no spool', async () => {
    const s = await start('api');
    try {
      const res = await postCollect(s, batch(site.site_key, [pageview({ visitor_id: 'v-api' })]));
      expect(res.status).toBe(404);
      expect(await code(res)).toBe('not_found');
      const { status } = await postEvents(s, site.id, site.api_key, [serverPageview(daysAgo(1).ms)]);
      expect(status).toBe(404);
      const from = daysAgo(2).day;
      const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const ov = await get(s, `/api/v1/sites/${site.id}/overview?from=${from}&to=${to}`);
      expect(ov.status).toBe(200);
      // The browser pageview and the server pageview the ingest node stored, nothing from here.
      expect(((await ov.json()) as OverviewResponse).totals.pageviews).toBe(2);
      expect((await get(s, '/api/v1/openapi.json')).status).toBe(200);
      await expect(s.deps.ingest.drained()).resolves.toBeUndefined();
      await expect(s.deps.ingest.accept([])).rejects.toThrow(/does not ingest/);
    } finally {
      await s.close();
    }
  });

  it('ingest: refuses to start on a store nobody migrated', async () => {
    const fresh = tempDir();
    try {
      await expect(startServer(configFor('ingest', fresh.path), createLogger('silent'))).rejects.toThrow(
        /migrations pending/,
      );
    } finally {
      fresh.remove();
    }
  });

  it('sites and keys written by another process reach a registry at its next refresh', async () => {
    const s = await start('api');
    const other = new SiteRegistry(s.deps.store);
    try {
      await other.load();
      const { site: made, apiKey } = await other.createSite('Made elsewhere');
      expect(s.deps.registry.byId(made.site_id)).toBeUndefined();
      const stop = s.deps.registry.refreshEvery(50, createLogger('silent'));
      try {
        await until(() => s.deps.registry.siteOfApiKey(apiKey) === made.site_id);
        expect(s.deps.registry.bySiteKey(made.site_key)?.site_id).toBe(made.site_id);
        const keyId = apiKey.split('_')[1] ?? '';
        expect(await other.revokeApiKey(made.site_id, keyId)).toBe(true);
        await until(() => s.deps.registry.siteOfApiKey(apiKey) === undefined);
      } finally {
        stop();
      }
    } finally {
      await s.close();
    }
  });
});

/** Waits for `ok`, polling at most 100 times 50 ms apart (a refresh runs every 50 ms). */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(ok()).toBe(true);
}
