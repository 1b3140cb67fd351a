import { createHash } from 'node:crypto';

export interface FlushInfo {
  rows: number;
  ms: number;
  ok: boolean;
  attempts: number;
  error?: string;
}

export interface WriteBufferOptions<R> {
  /** Writes one batch. `token` is the same for every attempt at the same batch. */
  insert(rows: R[], token: string): Promise<void>;
  /** A stable id of a row, used to derive the batch's deduplication token. */
  idOf(row: R): string;
  /** Flush as soon as this many rows wait. */
  maxRows?: number;
  /** Flush at most this long after the first row arrived. */
  intervalMs?: number;
  /** Attempts per batch before its waiters are told it failed. */
  attempts?: number;
  /** Delay before attempt n (1-based) after a failure. */
  backoffMs?: (attempt: number) => number;
  onFlush?(info: FlushInfo): void;
}

interface Waiter {
  count: number;
  resolve(): void;
  reject(err: unknown): void;
}

export class BufferClosedError extends Error {
  override name = 'BufferClosedError';
}

/**
 * Group commit: callers `add` rows and are answered only once their rows are written. Rows from
 * many requests share one insert, made on size, on a timer, or at close. Flushes run one at a
 * time, and a retried batch keeps its deduplication token so the store writes it at most once.
 *
 * @example
 * const buf = new WriteBuffer({ insert: (rows, token) => db.insert(rows, token), idOf: (r) => r.id });
 * await buf.add(rows); // resolved after the insert that carried them succeeded
 */
export class WriteBuffer<R> {
  private rows: R[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxRows: number;
  private readonly intervalMs: number;
  private readonly attempts: number;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly opts: WriteBufferOptions<R>) {
    this.maxRows = opts.maxRows ?? 10_000;
    this.intervalMs = opts.intervalMs ?? 200;
    this.attempts = opts.attempts ?? 3;
    this.backoffMs = opts.backoffMs ?? ((n) => 50 * 4 ** (n - 1));
  }

  /** Rows waiting for the next flush. */
  get pending(): number {
    return this.rows.length;
  }

  add(rows: readonly R[]): Promise<void> {
    if (this.closed) return Promise.reject(new BufferClosedError('write buffer is closed'));
    if (rows.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => {
      this.waiters.push({ count: rows.length, resolve, reject });
    });
    this.rows.push(...rows);
    if (this.rows.length >= this.maxRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
    return done;
  }

  /** Writes everything added so far; resolves when that write (and earlier ones) ended. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.rows;
    const waiters = this.waiters;
    this.rows = [];
    this.waiters = [];
    if (rows.length === 0) return this.chain;
    this.chain = this.chain.then(() => this.write(rows, waiters));
    return this.chain;
  }

  /** Refuses new rows, then flushes what is waiting. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async write(rows: R[], waiters: Waiter[]): Promise<void> {
    const token = createHash('sha256')
      .update(rows.map((r) => this.opts.idOf(r)).join('\n'))
      .digest('hex');
    const started = performance.now();
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        await this.opts.insert(rows, token);
        this.opts.onFlush?.({
          rows: rows.length,
          ms: performance.now() - started,
          ok: true,
          attempts: attempt,
        });
        for (const w of waiters) w.resolve();
        return;
      } catch (err) {
        lastError = err;
        if (attempt < this.attempts) await sleep(this.backoffMs(attempt));
      }
    }
    this.opts.onFlush?.({
      rows: rows.length,
      ms: performance.now() - started,
      ok: false,
      attempts: this.attempts,
      error: String(lastError),
    });
    for (const w of waiters) w.reject(lastError);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
