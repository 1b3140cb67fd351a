import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Store } from '../clickhouse/client.ts';
import type { Config } from '../config.ts';
import type { EventRow } from '../enrich/row.ts';
import { idSpaceOf, rowIdKey } from '../id-space.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { insertEvents } from '../queries/insertEvents.ts';
import { BROWSER_REPLAY_MARGIN_MS, firstVersions, type ReplayMargins } from './dedup.ts';
import { Flusher } from './flusher.ts';
import { Spool } from './spool.ts';
import { UnflushedIds } from './unflushed-ids.ts';

/** The durable ingestion path: spool on disk, flusher into ClickHouse. */
export interface Ingest {
  spool: Spool<EventRow>;
  /**
   * Accepts the rows of one request; resolves once they are fsynced in the spool (in the
   * ack-after-store test mode: once they are in ClickHouse). Rejects with the spool's errors.
   */
  accept(rows: readonly EventRow[]): Promise<void>;
  /** Resolves when every row accepted so far is in ClickHouse. */
  drained(): Promise<void>;
  /**
   * Keys (`rowIdKey`) of trusted rows (server events, imports) accepted but not yet in
   * ClickHouse. Rows replayed from an earlier run are not listed: wait for `replayed()` first.
   */
  unflushed: UnflushedIds;
  /** Resolves once the records an earlier run left in the spool are in ClickHouse. */
  replayed(): Promise<void>;
  /** How far the flusher is behind: ms since the oldest record not yet in ClickHouse (0: none). */
  lagMs(): number;
  /** Refuses new rows, flushes the spool within `withinMs` (the rest is replayed at next start). */
  close(withinMs: number): Promise<void>;
}

/** Opens the spool in the data directory (replaying what an earlier run left) and starts flushing. */
export async function openIngest(
  config: Config,
  store: Store,
  metrics: Metrics,
  log: Logger,
): Promise<Ingest> {
  const spool = await Spool.open<EventRow>({ ...config.spool, metrics, log });
  if (spool.pendingRecords > 0) {
    log.info('spool: replaying unflushed records', {
      records: spool.pendingRecords,
      bytes: spool.pendingBytes,
    });
  }
  const t = config.test;
  const margins = replayMargins(config);
  const flusher = new Flusher<EventRow>({
    spool,
    maxRows: config.flushRows,
    intervalMs: config.flushMs,
    metrics,
    log,
    firstVersions: (rows) => (t.noIdFilter ? Promise.resolve(rows) : firstVersions(store, rows, margins)),
    // The mutation switch (no token) sends a fresh random token instead, so a replayed range is
    // inserted again. Merely leaving the token out would not do: ClickHouse then deduplicates
    // byte-identical blocks by hash, and chdb honours insert_deduplicate=0 only for a session's
    // first insert.
    insert: (rows, token) => insertEvents(store, rows, token ?? randomUUID()),
    hooks: testHooks(t, log),
  });
  const replay = spool.waitDrained();
  const unflushed = new UnflushedIds();
  flusher.start();
  return {
    spool,
    unflushed,
    replayed: () => replay,
    async accept(rows) {
      if (rows.length === 0) return;
      const pos = await spool.append(rows);
      const flushed = spool.waitFlushed(pos);
      unflushed.hold(rows.filter((r) => idSpaceOf(r.source) === 'trusted').map(rowIdKey), flushed);
      if (t.ackAfterStore) await flushed;
    },
    drained: () => spool.waitDrained(),
    lagMs: () => spool.lagMs,
    async close(withinMs) {
      await spool.closeWrites();
      await flusher.stop(withinMs);
      await spool.close();
      log.info('spool closed', { pending_records: spool.pendingRecords, pending_bytes: spool.pendingBytes });
    },
  };
}

/** How far from a stored copy's `ts` a replay is still caught (`dedup.ts`). */
export function replayMargins(config: Pick<Config, 'serverEventMaxFutureMs'>): ReplayMargins {
  return { browserMs: BROWSER_REPLAY_MARGIN_MS, trustedMs: config.serverEventMaxFutureMs };
}

/** The `FUNNELHOUSE_TEST_*` fault switches as flusher hooks; undefined when none is set. */
function testHooks(t: Config['test'], log: Logger) {
  const on = t.failInsertsFile !== undefined || t.crashAfterInserts > 0 || t.noToken || t.noIdFilter;
  if (!on) return undefined;
  log.warn('TEST fault switches are on: never run production like this', {
    fail_inserts_file: t.failInsertsFile,
    crash_after_inserts: t.crashAfterInserts,
    dedup_off: [t.noToken && 'token', t.noIdFilter && 'ids'].filter(Boolean).join(','),
  });
  let inserts = 0;
  return {
    noToken: t.noToken,
    beforeInsert() {
      if (t.failInsertsFile && existsSync(t.failInsertsFile)) {
        throw new Error('insert refused by the FUNNELHOUSE_TEST_FAIL_INSERTS switch');
      }
    },
    afterInsert() {
      inserts++;
      if (t.crashAfterInserts > 0 && inserts >= t.crashAfterInserts) {
        log.warn('TEST: killing this process (SIGKILL) after an insert, before its checkpoint');
        process.kill(process.pid, 'SIGKILL');
      }
    },
  };
}
