import type { Store } from '../clickhouse/client.ts';
import type { Logger } from '../logger.ts';
import { insertSiteState } from '../queries/insertSiteState.ts';
import { listSiteState } from '../queries/listSiteState.ts';

/** The `site_state_v1` kind of a key's last-used time: key = the key id, value = `{}`. */
const KIND = 'key_used' as const;

/**
 * When each secret API key was last used, for the key list. Authentication only notes the time
 * in memory (no query on the request path); the times that changed are written to
 * `site_state_v1` (kind `key_used`, the time as the row's version, so that with several
 * processes the latest wins) every `flushEvery` and at shutdown. So a crash loses at most one
 * interval of "last used", never a key. Only key ids are kept: never a key or its hash.
 */
export class KeyUsage {
  private readonly used = new Map<string, { siteId: string; at: number }>();
  private readonly dirty = new Set<string>();

  constructor(private readonly store: Store) {}

  /** Reads the stored times (all sites' rows of the kind; one small row per key). */
  async load(): Promise<void> {
    const rows = await listSiteState(this.store, { site: '', kind: KIND });
    for (const r of rows) {
      const mine = this.used.get(r.key);
      if (!mine || mine.at < r.updated_at) this.used.set(r.key, { siteId: r.site_id, at: r.updated_at });
    }
  }

  /** Notes a use of the key now. */
  touch(keyId: string, siteId: string, at = Date.now()): void {
    this.used.set(keyId, { siteId, at });
    this.dirty.add(keyId);
  }

  /** The last use of a key, in ms since the epoch; undefined when it was never used. */
  lastUsed(keyId: string): number | undefined {
    return this.used.get(keyId)?.at;
  }

  /** Writes the times that changed since the last flush, in one insert. */
  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    const rows = ids.flatMap((id) => {
      const u = this.used.get(id);
      return u
        ? [{ site_id: u.siteId, kind: KIND, key: id, value: '{}', updated_at: u.at, deleted: 0 as const }]
        : [];
    });
    try {
      await insertSiteState(this.store, rows);
    } catch (err) {
      for (const id of ids) this.dirty.add(id);
      throw err;
    }
  }

  /** Flushes every `ms` (a failure is logged and retried next time); returns the stop function. */
  flushEvery(ms: number, log: Pick<Logger, 'warn'>): () => void {
    const timer = setInterval(() => {
      this.flush().catch((err: unknown) => log.warn('key usage flush failed', { error: String(err) }));
    }, ms);
    timer.unref();
    return () => clearInterval(timer);
  }
}
