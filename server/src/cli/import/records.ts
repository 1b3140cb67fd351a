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
}

/**
 * NDJSON records from byte offset `start` (a line boundary), streaming: one chunk in memory at a
 * time, plus at most one partial line. Offsets are counted on the bytes, so `\r\n` files and
 * multi-byte characters resume exactly. Blank lines are skipped.
 */
export async function* ndjsonRecords(
  path: string,
  start: number,
  firstLine: number,
): AsyncGenerator<InputRecord> {
  let offset = start;
  let line = firstLine;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { start, highWaterMark: 256 * 1024 })) {
    let buf = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let nl = buf.indexOf(0x0a);
    while (nl !== -1) {
      offset += nl + 1;
      const rec = ndjsonRecord(buf.subarray(0, nl), line++, offset);
      if (rec) yield rec;
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(0x0a);
    }
    rest = Buffer.from(buf); // copy: do not keep the whole chunk alive for a short tail
  }
  if (rest.length > 0) {
    const rec = ndjsonRecord(rest, line, offset + rest.length);
    if (rec) yield rec;
  }
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
