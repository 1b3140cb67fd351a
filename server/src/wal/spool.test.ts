import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.ts';
import { segmentPath } from './files.ts';
import { encodeRecord, scanRecords } from './record.ts';
import { Spool, SpoolClosedError, SpoolFullError, SpoolWriteError } from './spool.ts';

type Row = { id: string; n: number };
const dirs: string[] = [];
function tempSpoolDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'funnelhouse-spool-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const open = (dir: string, over: Partial<Parameters<typeof Spool.open>[0]> = {}) =>
  Spool.open<Row>({ dir, maxBytes: 10_000_000, segmentBytes: 1_000_000, ...over });
const rows = (i: number, k = 2): Row[] => Array.from({ length: k }, (_, j) => ({ id: `r${i}-${j}`, n: i }));

/** Flushes everything through the reader API and returns the rows in log order. */
async function drain(spool: Spool<Row>, maxRows = 7): Promise<Row[]> {
  const out: Row[] = [];
  for (let b = await spool.nextBatch(maxRows); b; b = await spool.nextBatch(maxRows)) {
    await spool.markInflight(b.range);
    out.push(...b.rows);
    await spool.commit(b);
  }
  return out;
}

describe('record format', () => {
  it('reads back exactly the whole records before any truncation or flipped byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ id: fc.string(), n: fc.integer() }), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(),
        fc.boolean(),
        (batches, cut, flip) => {
          const recs = batches.map((b) => encodeRecord(b));
          const buf = Buffer.concat(recs);
          const at = cut % buf.length;
          const damaged = flip ? Buffer.from(buf) : buf.subarray(0, at);
          if (flip) damaged[at] = (damaged[at] as number) ^ 0xff;
          // Whole records that end at or before the damaged byte survive; nothing after it does.
          const ends = recs.map((_, i) => recs.slice(0, i + 1).reduce((n, r) => n + r.length, 0));
          const kept = ends.filter((e) => e <= at).length;
          const scan = scanRecords<Row>(damaged);
          expect(scan.records.map((r) => r.rows)).toEqual(batches.slice(0, kept));
          // A flipped byte always breaks its record (crc32 catches every single-byte error); a
          // cut leaves torn bytes unless it fell exactly between records.
          expect(scan.torn).toBe(flip || !(at === 0 || ends.includes(at)));
        },
      ),
    );
  });

  it('does not take a zero-filled tail for records', () => {
    const buf = Buffer.concat([encodeRecord([{ id: 'a', n: 1 }]), Buffer.alloc(64)]);
    const scan = scanRecords<Row>(buf);
    expect(scan.records).toHaveLength(1);
    expect(scan.torn).toBe(true);
  });
});

describe('Spool', () => {
  it('keeps appended records across a reopen and hands them out in order', async () => {
    const dir = tempSpoolDir();
    const a = await open(dir);
    for (let i = 0; i < 10; i++) await a.append(rows(i));
    await a.close();
    const b = await open(dir);
    expect(b.pendingRecords).toBe(10);
    expect((await drain(b)).map((r) => r.n)).toEqual(Array.from({ length: 10 }, (_, i) => [i, i]).flat());
    expect(b.pendingRecords).toBe(0);
    expect(b.pendingBytes).toBe(0);
    await b.close();
  });

  it('shares one fsync among appends that arrive together (group commit)', async () => {
    const metrics = createMetrics();
    const spool = await open(tempSpoolDir(), { metrics });
    await Promise.all(Array.from({ length: 200 }, (_, i) => spool.append(rows(i))));
    const syncs = (await metrics.spoolSyncs.get()).values[0]?.value ?? 0;
    expect(syncs).toBeGreaterThanOrEqual(1);
    expect(syncs).toBeLessThan(20);
    expect(spool.pendingRecords).toBe(200);
    await spool.close();
  });

  it('rotates segments and deletes the ones fully flushed', async () => {
    const dir = tempSpoolDir();
    const spool = await open(dir, { segmentBytes: 2048 });
    for (let i = 0; i < 100; i++) await spool.append(rows(i, 5));
    const before = readdirSync(dir).filter((f) => f.endsWith('.seg')).length;
    expect(before).toBeGreaterThan(5);
    expect(await drain(spool, 50)).toHaveLength(500);
    await spool.append(rows(100)); // a new segment makes the last flushed one deletable
    await drain(spool);
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg')).length).toBeLessThanOrEqual(2);
    await spool.close();
  });

  it('takes a closed segment’s small tail into the batch, and leaves a large one for the next', async () => {
    const dir = tempSpoolDir();
    const spool = await open(dir, { segmentBytes: 600 });
    for (let i = 0; i < 30; i++) await spool.append(rows(i));
    // A batch never crosses segments: with no row limit it is the whole first (closed) segment.
    const whole = await spool.nextBatch(1e9);
    const n = whole?.rows.length ?? 0;
    expect(n).toBeGreaterThanOrEqual(12);
    expect(whole?.endsSegment).toBe(true);
    // One record (2 rows) left over is under a quarter of the batch: it rides along.
    const withTail = await spool.nextBatch(n - 2);
    expect(withTail?.rows.length).toBe(n);
    expect(withTail?.range.to).toBe(whole?.range.to);
    expect(withTail?.endsSegment).toBe(true);
    // Half the segment left over is not: the batch stops at the limit, the rest comes next.
    const half = Math.ceil(n / 4) * 2;
    const first = await spool.nextBatch(half);
    expect(first?.rows.length).toBe(half);
    expect(first?.endsSegment).toBe(false);
    if (first) {
      await spool.markInflight(first.range);
      await spool.commit(first);
    }
    const next = await spool.nextBatch(half);
    expect(next?.rows.map((r) => r.id)).toEqual(whole?.rows.slice(half, 2 * half).map((r) => r.id));
    await spool.close();
  });

  it('refuses appends beyond the byte cap, and accepts again once flushed', async () => {
    const spool = await open(tempSpoolDir(), { maxBytes: 1000 });
    let accepted = 0;
    let full: unknown;
    for (let i = 0; i < 100 && !full; i++) {
      await spool.append(rows(i)).then(
        () => accepted++,
        (e) => {
          full = e;
        },
      );
    }
    expect(full).toBeInstanceOf(SpoolFullError);
    expect(accepted).toBeGreaterThan(3);
    expect(spool.pendingBytes).toBeLessThanOrEqual(1000);
    expect(await drain(spool)).toHaveLength(accepted * 2);
    await expect(spool.append(rows(999))).resolves.toBeDefined();
    await spool.close();
  });

  it('answers a disk write error with SpoolWriteError and carries on in a new segment', async () => {
    const dir = tempSpoolDir();
    const spool = await open(dir);
    await spool.append(rows(1));
    await spool.close();
    // The next open writes segment 2 (segment 1 exists); make that one a disk that is full.
    const reopened = await open(dir);
    symlinkSync('/dev/full', segmentPath(dir, 2));
    await expect(reopened.append(rows(2))).rejects.toBeInstanceOf(SpoolWriteError);
    await reopened.append(rows(3));
    await reopened.close();
    const last = await open(dir);
    expect((await drain(last)).map((r) => r.n)).toEqual([1, 1, 3, 3]);
    await last.close();
  });

  it('replays an in-flight range with the same bounds even when more records followed', async () => {
    const dir = tempSpoolDir();
    const a = await open(dir);
    for (let i = 0; i < 5; i++) await a.append(rows(i));
    const first = await a.nextBatch(4);
    if (!first) throw new Error('no batch');
    await a.markInflight(first.range);
    for (let i = 5; i < 9; i++) await a.append(rows(i));
    await a.close(); // a crash between insert and commit looks the same on disk
    const b = await open(dir);
    const again = await b.nextBatch(1000);
    expect(again?.range).toEqual(first.range);
    expect(again?.rows).toEqual(first.rows);
    await b.close();
  });

  it('discards a torn last record at open and keeps what came before', async () => {
    const dir = tempSpoolDir();
    const a = await open(dir);
    for (let i = 0; i < 3; i++) await a.append(rows(i));
    await a.close();
    const seg = segmentPath(dir, 1);
    const size = readFileSync(seg).length;
    truncateSync(seg, size - 5);
    writeFileSync(join(dir, 'unrelated.txt'), 'x');
    const b = await open(dir);
    expect((await drain(b)).map((r) => r.n)).toEqual([0, 0, 1, 1]);
    await b.close();
  });

  it('refuses appends once closed', async () => {
    const spool = await open(tempSpoolDir());
    await spool.close();
    await expect(spool.append(rows(1))).rejects.toBeInstanceOf(SpoolClosedError);
  });
});
