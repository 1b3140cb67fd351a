import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

/** One record of the input: its line number, the byte offset just after it, and its content. */
export interface InputRecord {
  /** NDJSON: the physical line. CSV: the record number, the header being line 1. */
  line: number;
  /** Byte offset in the file just past this record: where a resumed import starts reading. */
  end: number;
  /** Field name → value (NDJSON: the parsed object; CSV: the cells by column name). */
  value?: Record<string, unknown>;
  /** The raw text of the record (NDJSON) or its cells (CSV), for deriving a stable event id. */
  raw: string;
  /** Why the record could not be read, when it could not. */
  error?: string;
  /** With `error`: `line_too_long` for a line over the limit, else `unreadable_line`. */
  code?: 'unreadable_line' | 'line_too_long';
}

/**
 * NDJSON records from byte offset `start` (a line boundary), streaming: one chunk in memory at a
 * time, plus the pieces of at most one partial line of at most `maxLineBytes`. A longer line is
 * read through and discarded as it streams (never held whole: one 64 MiB line used to take
 * 625 MB and end the run) and comes out as a `line_too_long` record. Offsets are counted on the
 * bytes, so `\r\n` files and multi-byte characters resume exactly. Blank lines are skipped.
 */
export async function* ndjsonRecords(
  path: string,
  start: number,
  firstLine: number,
  maxLineBytes: number = Number.POSITIVE_INFINITY,
): AsyncGenerator<InputRecord> {
  let offset = start; // where the current line starts
  let line = firstLine;
  let pieces: Buffer[] = [];
  let held = 0; // bytes of the current line in `pieces`
  let dropped = 0; // bytes of the current line discarded: it is over the limit
  const finish = (last: Buffer, end: number): InputRecord | undefined => {
    const length = held + dropped + last.length;
    const rec =
      dropped > 0 || length > maxLineBytes
        ? tooLong(line, end, length, maxLineBytes)
        : ndjsonRecord(held > 0 ? Buffer.concat([...pieces, last]) : last, line, end);
    line++;
    offset = end;
    pieces = [];
    held = 0;
    dropped = 0;
    return rec;
  };
  for await (const chunk of createReadStream(path, { start, highWaterMark: 256 * 1024 })) {
    let buf = chunk as Buffer;
    let nl = buf.indexOf(0x0a);
    while (nl !== -1) {
      const rec = finish(buf.subarray(0, nl), offset + held + dropped + nl + 1);
      if (rec) yield rec;
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(0x0a);
    }
    if (buf.length === 0) continue;
    if (dropped > 0 || held + buf.length > maxLineBytes) {
      dropped += held + buf.length;
      pieces = [];
      held = 0;
    } else {
      pieces.push(Buffer.from(buf)); // a copy: do not keep the whole chunk alive for a short tail
      held += buf.length;
    }
  }
  if (held + dropped > 0) {
    const rec = finish(Buffer.alloc(0), offset + held + dropped);
    if (rec) yield rec;
  }
}

function tooLong(line: number, end: number, length: number, max: number): InputRecord {
  return {
    line,
    end,
    raw: '',
    code: 'line_too_long',
    error: `line is ${length} bytes; a line may hold at most ${max}`,
  };
}

function ndjsonRecord(bytes: Buffer, line: number, end: number): InputRecord | undefined {
  const raw = bytes.toString('utf8').trim();
  if (raw === '') return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { line, end, raw, error: 'line is not a JSON object' };
    }
    return { line, end, raw, value: value as Record<string, unknown> };
  } catch {
    return { line, end, raw, error: 'line is not valid JSON' };
  }
}

/**
 * CSV records (RFC 4180, parsed by csv-parse) from byte offset `start`. At the start of a file the
 * first record is the header; a resumed read starts mid-file, so it is given the `columns` the
 * first run saw. csv-parse reports the bytes consumed after each record, which gives `end`.
 */
export async function* csvRecords(
  path: string,
  start: number,
  firstLine: number,
  columns: string[] | undefined,
  onColumns: (columns: string[]) => void,
): AsyncGenerator<InputRecord> {
  const parser = createReadStream(path, { start, highWaterMark: 256 * 1024 }).pipe(
    parse({
      columns:
        columns ??
        ((header: string[]) => {
          onColumns(header);
          return header;
        }),
      info: true,
      bom: start === 0,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  let line = firstLine;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { bytes: number; invalid_field_length: number };
  }>) {
    const raw = JSON.stringify(record);
    yield { line: line++, end: start + info.bytes, raw, value: record };
  }
}
