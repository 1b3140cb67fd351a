import { crc32 } from 'node:zlib';

/**
 * Spool record layout, little-endian:
 *
 *   u32 payload length | u32 crc32(length bytes ‖ payload) | payload (UTF-8 JSON array of rows)
 *
 * The checksum covers the length too, so a garbled length is caught as surely as a garbled
 * payload. A zero length is never written: a zero-filled tail (which a crash can leave on some
 * file systems) would otherwise read as a valid empty record, because crc32 of nothing is 0.
 */
export const HEADER_BYTES = 8;
/** Larger than any collect body can produce once enriched; a bigger length means garbage. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** Encodes one record: the rows of one accepted request. */
export function encodeRecord(rows: readonly unknown[]): Buffer {
  const payload = Buffer.from(JSON.stringify(rows), 'utf8');
  if (payload.length > MAX_PAYLOAD_BYTES) throw new RangeError('spool record too large');
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(checksum(out.subarray(0, 4), payload), 4);
  payload.copy(out, HEADER_BYTES);
  return out;
}

function checksum(lengthBytes: Buffer, payload: Buffer): number {
  return crc32(payload, crc32(lengthBytes));
}

/** One record found in a segment: its byte range and its decoded rows. */
export interface ScannedRecord<R> {
  offset: number;
  end: number;
  rows: R[];
}

export interface ScanResult<R> {
  records: ScannedRecord<R>[];
  /** Offset just past the last whole, valid record read. */
  end: number;
  /** True when bytes after `end` exist but do not form a valid record (a torn write). */
  torn: boolean;
  /** Rows in `records`. */
  rows: number;
}

/**
 * Reads records from `buf` (a segment's bytes starting at file offset `base`) until the end,
 * the first invalid record, or `maxRows` rows. Stops at the first invalid record: everything
 * after it in the same segment is discarded, which is safe because a segment is never written
 * again after a failed write (see `Spool`), so only an unacknowledged tail can be invalid.
 */
export function scanRecords<R>(buf: Buffer, base = 0, maxRows = Number.POSITIVE_INFINITY): ScanResult<R> {
  const records: ScannedRecord<R>[] = [];
  let pos = 0;
  let rows = 0;
  while (pos < buf.length && rows < maxRows) {
    const record = readOne<R>(buf, pos);
    if (!record) return { records, end: base + pos, torn: true, rows };
    records.push({ offset: base + pos, end: base + pos + record.size, rows: record.rows });
    rows += record.rows.length;
    pos += record.size;
  }
  return { records, end: base + pos, torn: false, rows };
}

function readOne<R>(buf: Buffer, pos: number): { rows: R[]; size: number } | undefined {
  if (buf.length - pos < HEADER_BYTES) return undefined;
  const length = buf.readUInt32LE(pos);
  if (length === 0 || length > MAX_PAYLOAD_BYTES || buf.length - pos - HEADER_BYTES < length) {
    return undefined;
  }
  const payload = buf.subarray(pos + HEADER_BYTES, pos + HEADER_BYTES + length);
  if (checksum(buf.subarray(pos, pos + 4), payload) !== buf.readUInt32LE(pos + 4)) return undefined;
  try {
    const rows = JSON.parse(payload.toString('utf8')) as unknown;
    if (!Array.isArray(rows)) return undefined;
    return { rows: rows as R[], size: HEADER_BYTES + length };
  } catch {
    return undefined;
  }
}
