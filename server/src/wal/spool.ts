import { type FileHandle, mkdir, open, stat, truncate, unlink } from 'node:fs/promises';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import {
  type Checkpoint,
  listSegments,
  type Range,
  readCheckpoint,
  readRange,
  segmentPath,
  syncDir,
  writeCheckpoint,
} from './files.ts';
import { encodeRecord, scanRecords } from './record.ts';

export interface SpoolOptions {
  dir: string;
  /** Unflushed bytes allowed on disk; an append beyond it is refused with `SpoolFullError`. */
  maxBytes: number;
  /** A segment file is closed and a new one started once it holds this many bytes. */
  segmentBytes: number;
  metrics?: Metrics;
  log?: Logger;
}

/** A place in the log: just past a record. Ordered by segment, then offset. */
export interface Position {
  seg: number;
  off: number;
}

/** Records read for one flush: their range and rows in log order. */
export interface Batch<R> {
  range: Range;
  rows: R[];
  records: number;
  /** The batch ends a segment that is no longer appended to: later records are in the next one. */
  endsSegment: boolean;
}

export class SpoolFullError extends Error {
  override name = 'SpoolFullError';
}
export class SpoolClosedError extends Error {
  override name = 'SpoolClosedError';
}
export class SpoolWriteError extends Error {
  override name = 'SpoolWriteError';
}

interface Segment {
  n: number;
  /** Bytes of whole, synced records. */
  size: number;
}

interface Pending {
  buf: Buffer;
  resolve(pos: Position): void;
  reject(err: unknown): void;
}

const after = (a: Position, b: Position) => a.seg > b.seg || (a.seg === b.seg && a.off >= b.off);

/**
 * The write-ahead spool: an append-only log of accepted rows in numbered segment files.
 *
 * Writers: `append` queues a record; one write + fdatasync carries every record queued while the
 * previous sync ran (group commit), and each caller is answered after the sync that carried its
 * record. After a failed write the segment is abandoned (a new one is started), so a partial
 * write can only ever be a segment's tail, which the checksum detects at the next open.
 *
 * Reader (one flusher): `nextBatch` → `markInflight` → insert → `commit`. Fully flushed
 * segments are deleted.
 */
export class Spool<R> {
  private fh: FileHandle | undefined;
  private active = 0;
  private broken = false;
  private closed = false;
  private queue: Pending[] = [];
  private unsyncedBytes = 0;
  private writing: Promise<void> | undefined;
  private dataWaiters: (() => void)[] = [];
  private flushWaiters: { pos: Position; resolve(): void }[] = [];
  /** End of each synced group not yet flushed, with the time it was synced, oldest first. */
  private synced: { pos: Position; at: number }[] = [];
  private _pendingBytes = 0;
  private _pendingRecords = 0;

  private constructor(
    private readonly opts: SpoolOptions,
    private cp: Checkpoint,
    private segments: Segment[],
    private nextSegment: number,
  ) {}

  /** Opens (or creates) the spool in `opts.dir`; discards a torn tail of each segment. */
  static async open<R>(opts: SpoolOptions): Promise<Spool<R>> {
    await mkdir(opts.dir, { recursive: true });
    const nums = await listSegments(opts.dir);
    let cp = await readCheckpoint(opts.dir, nums[0] ?? 0);
    const segments: Segment[] = [];
    let records = 0;
    let bytes = 0;
    for (const n of nums) {
      const path = segmentPath(opts.dir, n);
      if (n < cp.seg) {
        await unlink(path); // flushed; its deletion was interrupted
        continue;
      }
      const size = (await stat(path)).size;
      const start = n === cp.seg ? Math.min(cp.off, size) : 0;
      const scan = scanRecords(await readRange(path, start, size), start);
      if (scan.torn) {
        opts.log?.warn('spool: discarded a torn record', { segment: n, bytes: size - scan.end });
        opts.metrics?.spoolTornBytes.inc(size - scan.end);
        await truncate(path, scan.end);
      }
      segments.push({ n, size: scan.end });
      records += scan.records.length;
      bytes += scan.end - start;
    }
    const inflight = cp.inflight && segments.find((s) => s.n === cp.inflight?.seg);
    if (cp.inflight && (!inflight || inflight.size < cp.inflight.to)) {
      // Cannot happen (a range is marked only once synced); never replay bytes that are gone.
      opts.log?.error('spool: in-flight range beyond the valid log; dropped', { ...cp.inflight });
      cp = { ...cp, inflight: null };
    }
    const nextSegment = Math.max(cp.seg, ...nums) + 1;
    if (!segments.some((s) => s.n === cp.seg)) {
      cp = { ...cp, seg: segments[0]?.n ?? nextSegment, off: 0, inflight: null };
    }
    await writeCheckpoint(opts.dir, cp);
    const spool = new Spool<R>(opts, cp, segments, nextSegment);
    spool._pendingBytes = bytes;
    spool._pendingRecords = records;
    // Records left by an earlier run count as synced now: their first sync time is not kept.
    const last = segments.at(-1);
    if (records > 0 && last) spool.synced.push({ pos: { seg: last.n, off: last.size }, at: Date.now() });
    spool.report();
    return spool;
  }

  /** Random id of this spool directory. */
  get id(): string {
    return this.cp.spoolId;
  }
  /** Synced bytes not yet flushed to the store. */
  get pendingBytes(): number {
    return this._pendingBytes;
  }
  /** Synced records (requests) not yet flushed to the store. */
  get pendingRecords(): number {
    return this._pendingRecords;
  }
  /** How long ago the oldest record not yet in the store was synced (acknowledged); 0 when none. */
  get lagMs(): number {
    const oldest = this.synced[0];
    return oldest ? Date.now() - oldest.at : 0;
  }

  /**
   * Appends the rows of one request as one record; resolves after it is on disk (fsynced).
   * @throws SpoolFullError at the byte cap, SpoolClosedError after `closeWrites`,
   *   SpoolWriteError when the disk refused the write (the record is not in the log).
   */
  append(rows: readonly R[]): Promise<Position> {
    if (this.closed) return this.refuse(new SpoolClosedError('spool is closed'), 'closed');
    const buf = encodeRecord(rows);
    if (this._pendingBytes + this.unsyncedBytes + buf.length > this.opts.maxBytes) {
      return this.refuse(new SpoolFullError('spool is full'), 'full');
    }
    this.unsyncedBytes += buf.length;
    const done = new Promise<Position>((resolve, reject) => this.queue.push({ buf, resolve, reject }));
    this.writing ??= this.writeLoop();
    return done;
  }

  private refuse(err: Error, result: string): Promise<never> {
    this.opts.metrics?.spoolAppends.inc({ result });
    return Promise.reject(err);
  }

  private async writeLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      await this.writeGroup(group);
    }
    this.writing = undefined;
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    const data = Buffer.concat(group.map((p) => p.buf));
    this.unsyncedBytes -= data.length;
    let seg: Segment;
    try {
      seg = await this.activeSegment();
      const fh = this.fh as FileHandle;
      const { bytesWritten } = await fh.write(data, 0, data.length, null);
      if (bytesWritten !== data.length) throw new Error(`short write: ${bytesWritten} of ${data.length}`);
      await fh.datasync();
    } catch (err) {
      this.broken = true; // the segment may now end in a partial group: never append after it
      this.opts.log?.error('spool write failed', { error: String(err), records: group.length });
      this.opts.metrics?.spoolAppends.inc({ result: 'error' }, group.length);
      for (const p of group) p.reject(new SpoolWriteError(String(err)));
      return;
    }
    this.opts.metrics?.spoolSyncs.inc();
    this.opts.metrics?.spoolAppends.inc({ result: 'ok' }, group.length);
    let off = seg.size;
    seg.size += data.length;
    this._pendingBytes += data.length;
    this._pendingRecords += group.length;
    this.synced.push({ pos: { seg: seg.n, off: seg.size }, at: Date.now() });
    this.report();
    for (const p of group) {
      off += p.buf.length;
      p.resolve({ seg: seg.n, off });
    }
    for (const wake of this.dataWaiters.splice(0)) wake();
  }

  /** The segment being appended to; starts a new one when none, full, or after a failure. */
  private async activeSegment(): Promise<Segment> {
    const current = this.segments.at(-1);
    if (this.fh && !this.broken && current?.n === this.active && current.size < this.opts.segmentBytes) {
      return current;
    }
    const old = this.fh;
    this.fh = undefined;
    await old?.close().catch(() => undefined);
    const n = this.nextSegment++;
    this.fh = await open(segmentPath(this.opts.dir, n), 'a');
    await syncDir(this.opts.dir);
    this.active = n;
    this.broken = false;
    const seg = { n, size: 0 };
    this.segments.push(seg);
    return seg;
  }

  /** Resolves once there is something to flush, or the spool is closed. */
  waitForData(): Promise<void> {
    if (this._pendingRecords > 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.dataWaiters.push(resolve));
  }

  /** Resolves once everything up to `pos` is in the store. */
  waitFlushed(pos: Position): Promise<void> {
    if (after(this.cp, pos)) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push({ pos, resolve }));
  }

  /** Resolves once every record synced so far is in the store. */
  waitDrained(): Promise<void> {
    const last = this.segments.filter((s) => s.size > 0).at(-1);
    return last ? this.waitFlushed({ seg: last.n, off: last.size }) : Promise.resolve();
  }

  /**
   * The next records to flush: the saved in-flight range if a crash interrupted one (same bounds,
   * same token), else up to `maxRows` rows from the checkpoint, never crossing a segment.
   */
  async nextBatch(maxRows: number): Promise<Batch<R> | null> {
    if (this.cp.inflight) {
      const r = this.cp.inflight;
      const scan = scanRecords<R>(await readRange(segmentPath(this.opts.dir, r.seg), r.from, r.to), r.from);
      return {
        range: r,
        rows: scan.records.flatMap((x) => x.rows),
        records: scan.records.length,
        endsSegment: false,
      };
    }
    await this.skipFinishedSegments();
    const seg = this.segments.find((s) => s.n === this.cp.seg);
    if (!seg || this.cp.off >= seg.size) return null;
    const buf = await readRange(segmentPath(this.opts.dir, seg.n), this.cp.off, seg.size);
    const scan = scanRecords<R>(buf, this.cp.off, maxRows);
    if (scan.records.length === 0) return null;
    const records = [...scan.records];
    let end = scan.end;
    // The tail of a closed segment, when it is at most a quarter of this batch's bytes, rides
    // along: one insert instead of a full one and a small one (each insert has a fixed cost,
    // ≈ 100 ms on the development machine, and an 8 MiB segment held ≈ 11 k events, so every
    // segment cost two inserts). A batch is then at most about 1.25 × maxRows.
    const rest = seg.size - end;
    if (seg.n !== this.active && rest > 0 && rest * 4 <= end - this.cp.off) {
      const more = scanRecords<R>(buf.subarray(end - this.cp.off), end);
      if (!more.torn && more.end >= seg.size) {
        records.push(...more.records);
        end = more.end;
      }
    }
    return {
      range: { seg: seg.n, from: this.cp.off, to: end },
      rows: records.flatMap((x) => x.rows),
      records: records.length,
      endsSegment: end >= seg.size && seg.n !== this.active,
    };
  }

  /** Saves `range` as in flight before its insert starts. */
  async markInflight(range: Range): Promise<void> {
    if (this.cp.inflight) return;
    this.cp = { ...this.cp, inflight: range };
    await writeCheckpoint(this.opts.dir, this.cp);
  }

  /** Records that `batch` is in the store: moves the checkpoint past it. */
  async commit(batch: Batch<R>): Promise<void> {
    this.cp = { ...this.cp, seg: batch.range.seg, off: batch.range.to, inflight: null };
    await writeCheckpoint(this.opts.dir, this.cp);
    this._pendingBytes -= batch.range.to - batch.range.from;
    this._pendingRecords -= batch.records;
    let done = 0;
    while (done < this.synced.length && after(this.cp, (this.synced[done] as { pos: Position }).pos)) done++;
    this.synced.splice(0, done);
    this.report();
    const waiting = this.flushWaiters;
    this.flushWaiters = waiting.filter((w) => !after(this.cp, w.pos));
    for (const w of waiting) if (after(this.cp, w.pos)) w.resolve();
    await this.skipFinishedSegments();
  }

  /** Moves the checkpoint past flushed segments that are no longer appended to, deleting them. */
  private async skipFinishedSegments(): Promise<void> {
    for (;;) {
      const [first, next] = this.segments;
      if (!first || !next || first.n === this.active || this.cp.seg !== first.n || this.cp.off < first.size) {
        return;
      }
      this.cp = { ...this.cp, seg: next.n, off: 0 };
      await writeCheckpoint(this.opts.dir, this.cp);
      this.segments.shift();
      await unlink(segmentPath(this.opts.dir, first.n)).catch(() => undefined);
    }
  }

  private report(): void {
    this.opts.metrics?.spoolPendingBytes.set(this._pendingBytes);
    this.opts.metrics?.spoolPendingRecords.set(this._pendingRecords);
  }

  /** Refuses further appends and waits for queued ones to be written. */
  async closeWrites(): Promise<void> {
    this.closed = true;
    for (const wake of this.dataWaiters.splice(0)) wake();
    await this.writing;
  }

  /** Closes the segment file. Unflushed records stay on disk for the next open. */
  async close(): Promise<void> {
    await this.closeWrites();
    await this.fh?.close();
    this.fh = undefined;
  }
}
