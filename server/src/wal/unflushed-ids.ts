/**
 * Keys (`id-space.ts`) of rows that are in the spool but not yet in ClickHouse, counted so that
 * one id accepted twice (two tabs of a retry) is held until both copies are flushed. The server
 * events API asks it so that an event sent again before the flusher ran is answered `duplicate`,
 * like one sent after: ClickHouse alone cannot know of rows still in the spool.
 */
export class UnflushedIds {
  private readonly held = new Map<string, number>();

  /** Holds `keys` until `flushed` settles. */
  hold(keys: readonly string[], flushed: Promise<void>): void {
    if (keys.length === 0) return;
    for (const k of keys) this.held.set(k, (this.held.get(k) ?? 0) + 1);
    void flushed.finally(() => {
      for (const k of keys) {
        const left = (this.held.get(k) ?? 1) - 1;
        if (left <= 0) this.held.delete(k);
        else this.held.set(k, left);
      }
    });
  }

  has(key: string): boolean {
    return this.held.has(key);
  }

  get size(): number {
    return this.held.size;
  }
}
