import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, select } from '../clickhouse/client.ts';
import { insertCompact } from '../clickhouse/insert.ts';
import { migrate } from '../clickhouse/migrate.ts';
import { loadConfig } from '../config.ts';
import { baseRow, EVENT_COLUMNS, type EventRow } from '../enrich/row.ts';
import { insertEvents } from './insertEvents.ts';

/**
 * Issue 32 §6, on the real engine. The chdb connection turns `clickhouse_settings` into `SET …`
 * statements on its session, so a setting outlives the query that carried it. Were the
 * flusher's `insert_deduplication_token` left set, the next insert into `events_v1` on that
 * connection (one written without a token of its own) would carry it, and the table would drop
 * its rows as a replay of the flushed batch: lost, without an error. Every insert helper states
 * its token (an empty one when it has none), so no later insert inherits one.
 */
const dir = mkdtempSync(join(tmpdir(), 'funnelhouse-dedup-token-'));
let store: Store;
beforeAll(async () => {
  store = await openStore(loadConfig({ FUNNELHOUSE_DATA_DIR: dir }).clickhouse);
  await migrate(store);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 11, 1);
let seq = 0;
/** `n` distinct rows of one site (each case its own site). */
function rows(site: string, n: number): EventRow[] {
  return Array.from({ length: n }, () => {
    seq += 1;
    const ev = { id: `e${seq}`, type: 'pageview', ts: T0 + seq, url: `https://a.example/${seq}` } as const;
    return { ...baseRow(site, ev, T0 + seq), visitor_id: `v${seq}`, session_id: `s${seq}` };
  });
}

/** An insert into `events_v1` that names no token (the way every other table is written). */
const insertWithoutToken = (r: EventRow[]) =>
  insertCompact(
    store,
    'events_v1',
    EVENT_COLUMNS,
    r.map((row) => EVENT_COLUMNS.map((c) => row[c])),
  );

async function stored(site: string): Promise<number> {
  const [row] = await select<{ n: string }>(
    store,
    'SELECT count() AS n FROM {db:Identifier}.events_v1 WHERE site_id = {site:String}',
    { site },
  );
  return Number(row?.n);
}

describe('insert_deduplication_token on one chdb connection', () => {
  it('the session keeps a setting after the query that carried it (the suspicion’s premise)', async () => {
    await insertEvents(store, rows('premise', 2), 'token-premise');
    const [row] = await select<{ t: string }>(store, "SELECT getSetting('insert_deduplication_token') AS t");
    expect(row?.t).toBe('token-premise');
  });

  it('an insert without a token after one with a token is stored', async () => {
    await insertEvents(store, rows('a', 3), 'token-a');
    await insertWithoutToken(rows('a', 4));
    expect(await stored('a')).toBe(7);
  });

  it('an insert with another token after one with a token is stored', async () => {
    await insertEvents(store, rows('b', 3), 'token-b1');
    await insertEvents(store, rows('b', 4), 'token-b2');
    expect(await stored('b')).toBe(7);
  });

  it('the reverse: an insert with a token after one without is stored', async () => {
    await insertWithoutToken(rows('c', 3));
    await insertEvents(store, rows('c', 4), 'token-c');
    expect(await stored('c')).toBe(7);
  });

  it('a replay with the same token is still dropped, also after an insert without one', async () => {
    const batch = rows('d', 5);
    await insertEvents(store, batch, 'token-d');
    await insertWithoutToken(rows('d', 2));
    await insertEvents(store, batch, 'token-d');
    expect(await stored('d')).toBe(7);
  });
});
