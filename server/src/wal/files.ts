import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** A byte range of one segment: records `[from, to)`. */
export interface Range {
  seg: number;
  from: number;
  to: number;
}

/**
 * What the flusher has made durable in the store. Everything before `(seg, off)` is stored.
 * `inflight` is the range being inserted right now: after a crash it is inserted again with the
 * same bounds, hence the same deduplication token, so ClickHouse drops the second copy.
 */
export interface Checkpoint {
  /** Random per spool directory, part of every token: a wiped spool never reuses old tokens. */
  spoolId: string;
  seg: number;
  off: number;
  inflight: Range | null;
}

const SEGMENT = /^(\d{12})\.seg$/;
const CHECKPOINT = 'checkpoint.json';

export const segmentPath = (dir: string, n: number) => join(dir, `${String(n).padStart(12, '0')}.seg`);

/** Segment numbers present in `dir`, ascending. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((n) => SEGMENT.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The saved checkpoint, or a fresh one (new spool id) when the directory has none. */
export async function readCheckpoint(dir: string, firstSegment: number): Promise<Checkpoint> {
  try {
    const cp = JSON.parse(await readFile(join(dir, CHECKPOINT), 'utf8')) as Checkpoint;
    if (typeof cp.spoolId === 'string' && Number.isInteger(cp.seg) && Number.isInteger(cp.off)) return cp;
    throw new Error(`unreadable spool checkpoint in ${dir}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { spoolId: randomBytes(8).toString('hex'), seg: firstSegment, off: 0, inflight: null };
  }
}

/** Replaces the checkpoint atomically: write a temporary file, fsync it, rename, fsync the dir. */
export async function writeCheckpoint(dir: string, cp: Checkpoint): Promise<void> {
  const tmp = join(dir, `${CHECKPOINT}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(cp));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, CHECKPOINT));
  await syncDir(dir);
}

/** Makes a created, renamed or deleted directory entry durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Reads `[from, to)` of a file. */
export async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(to - from);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}
