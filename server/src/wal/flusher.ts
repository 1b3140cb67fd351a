import { createHash } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Range } from './files.ts';
import type { Batch, Spool } from './spool.ts';

export interface FlusherOptions<R> {
  spool: Spool<R>;
  /** Writes rows; `token` is the same for every attempt at the same spool range. */
  insert(rows: R[], token: string | undefined): Promise<void>;
  /** The rows worth inserting: first version of each id, none already stored. */
  firstVersions(rows: R[]): Promise<R[]>;
  /** Rows per insert at most. */
  maxRows: number;
  /** How long records may wait for company before a flush. */
  intervalMs: number;
  /** Delay before retry n (0-based) after a failed flush. Default: 100 ms doubling, capped at 5 s. */
  backoffMs?: (retry: number) => number;
  /** Test switches (see `config.ts`): never set in production. */
  hooks?: { beforeInsert?(): void; afterInsert?(): void; noToken?: boolean };
  metrics?: Metrics;
  log?: Logger;
}

const defaultBackoff = (n: number) => Math.min(5000, 100 * 2 ** n);

/** The insert token of a spool range: deterministic, so a replayed range is dropped by the store. */
export function rangeToken(spoolId: string, r: Range): string {
  return createHash('sha256').update(`${spoolId}:${r.seg}:${r.from}:${r.to}`).digest('hex');
}

/**
 * Moves spooled records into the store, one batch at a time and in log order: a batch is sent
 * `intervalMs` after records arrive (at once while a backlog of full batches remains). A failed
 * batch is retried with capped backoff for as long as it takes; requests keep being accepted
 * into the spool meanwhile, up to its byte cap.
 */
export class Flusher<R> {
  private running: Promise<void> | undefined;
  private draining = false;
  private deadline = Number.POSITIVE_INFINITY;
  private wake: (() => void) | undefined;
  private failures = 0;
  private readonly backoff: (n: number) => number;

  constructor(private readonly opts: FlusherOptions<R>) {
    this.backoff = opts.backoffMs ?? defaultBackoff;
  }

  start(): void {
    this.running ??= this.loop().catch((err) => {
      this.opts.log?.error('spool flusher stopped', { error: String(err) });
    });
  }

  /**
   * Flushes what is spooled (call after `spool.closeWrites()`), giving up at `withinMs`: what is
   * left stays in the spool and is replayed at the next start.
   */
  async stop(withinMs: number): Promise<void> {
    this.draining = true;
    this.deadline = Date.now() + withinMs;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((r) => {
      timer = setTimeout(r, withinMs + 1000);
    });
    await Promise.race([this.running, limit]);
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    const { spool, maxRows, intervalMs } = this.opts;
    let backlog = false;
    while (!(this.draining && spool.pendingRecords === 0)) {
      await spool.waitForData();
      if (!backlog && !this.draining) await this.sleep(intervalMs);
      const batch = await spool.nextBatch(maxRows);
      if (!batch) {
        if (this.draining) return;
        await this.sleep(intervalMs);
        continue;
      }
      if (!(await this.flushWithRetry(batch))) return;
      // A full batch, or the tail of a closed segment with records after it, leaves records that
      // already waited: flush them at once. Waiting here cost a whole interval per segment.
      backlog = batch.rows.length >= maxRows || (batch.endsSegment && spool.pendingRecords > 0);
    }
  }

  /** True once `batch` is stored; false when shutdown's deadline passed first. */
  private async flushWithRetry(batch: Batch<R>): Promise<boolean> {
    const { spool, hooks } = this.opts;
    const token = hooks?.noToken ? undefined : rangeToken(spool.id, batch.range);
    await spool.markInflight(batch.range);
    for (let retry = 0; ; retry++) {
      const started = performance.now();
      try {
        const rows = await this.opts.firstVersions(batch.rows);
        if (rows.length > 0) {
          hooks?.beforeInsert?.();
          await this.opts.insert(rows, token);
          hooks?.afterInsert?.();
        }
        await spool.commit(batch);
        this.recordSuccess(batch, rows.length, performance.now() - started);
        return true;
      } catch (err) {
        this.recordFailure(batch, err);
        if (this.draining && Date.now() + this.backoff(retry) > this.deadline) return false;
        await this.sleep(this.backoff(retry));
      }
    }
  }

  private recordSuccess(batch: Batch<R>, inserted: number, ms: number): void {
    const m = this.opts.metrics;
    m?.flushes.inc({ result: 'ok' });
    m?.flushSeconds.observe(ms / 1000);
    m?.flushRows.inc(inserted);
    m?.duplicates.inc(batch.rows.length - inserted);
    this.opts.log?.debug('spool flush', {
      ...batch.range,
      rows: batch.rows.length,
      inserted,
      ms: Math.round(ms),
    });
    if (this.failures > 0) this.opts.log?.info('store writable again', { failed_attempts: this.failures });
    this.failures = 0;
  }

  private recordFailure(batch: Batch<R>, err: unknown): void {
    this.opts.metrics?.flushes.inc({ result: 'error' });
    // One line when the store goes away, then one per 20 attempts: an outage must not flood logs.
    if (this.failures++ % 20 === 0) {
      this.opts.log?.error('spool flush failed; retrying', {
        error: String(err),
        rows: batch.rows.length,
        attempts: this.failures,
        pending_records: this.opts.spool.pendingRecords,
      });
    }
  }

  /** Waits `ms`, or less when shutdown starts meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}
