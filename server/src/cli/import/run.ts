import { closeSync, existsSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { LIMITS, type ServerEventResult, type ServerEventsResponse } from '@funnelhouse/schemas';
import { postServerEvents } from '../../client/server-events.ts';
import { type ColumnMap, toServerEvent } from './mapping.ts';
import { Progress } from './progress.ts';
import { csvRecords, type InputRecord, ndjsonRecords } from './records.ts';
import { freshState, type ImportState, loadState, saveState } from './state.ts';

export interface ImportOptions {
  url: string;
  site: string;
  key: string;
  file: string;
  format: 'ndjson' | 'csv';
  map: ColumnMap;
  statePath: string;
  rejectsPath: string;
  summaryPath: string;
  /** Events per request (the API takes at most 1000). */
  batchSize: number;
  /** Bytes of one request body, UTF-8, envelope included. Default the API's `LIMITS.serverBodyBytes`. */
  maxBatchBytes?: number;
  /** Bytes of one input line; a longer one is skipped while streaming. Default `LIMITS.serverBodyBytes`. */
  maxLineBytes?: number;
  /** Requests in flight at once: with one batch being filled, this bounds memory. */
  concurrency: number;
  progress: boolean;
  /** Set to stop reading; batches already sent are awaited and recorded. */
  stop: { requested: boolean };
}

/** A rejected input line, as written to the rejects file. */
interface Reject {
  line: number;
  id?: string | null;
  code: string;
  message: string;
  issues?: unknown;
}

interface Batch {
  lastLine: number;
  end: number;
  lines: number[];
  texts: string[];
  bytes: number;
  local: Reject[];
  result?: Promise<ServerEventsResponse | undefined>;
}

/**
 * The body `postServerEvents` sends around the events: `{"source":"import","events":[…]}`. A batch
 * is measured as this plus each event's UTF-8 bytes and a comma, so it is never over the limit:
 * counting characters let 1,000 Japanese events of 4.4 KB through as one 4.4 MB request (`413`,
 * nothing imported).
 */
const ENVELOPE_BYTES = Buffer.byteLength('{"source":"import","events":[]}');

export interface ImportSummary {
  file: string;
  site: string;
  complete: boolean;
  lines: number;
  accepted: number;
  stored: number;
  duplicates: number;
  rejected: number;
  rejected_by_code: Record<string, number>;
  rejects_file: string;
  state_file: string;
  resumed_from_line: number;
  this_run: { seconds: number; events: number; events_per_second: number };
  max_rss_mb: number;
}

/**
 * Streams a file of historical events through the server events API: bounded batches in flight,
 * each confirmed batch recorded (state + rejects) strictly in file order, so an interrupted run
 * resumes after the last line whose batch and all batches before it were confirmed.
 */
export async function runImport(o: ImportOptions): Promise<ImportSummary> {
  const file = resolve(o.file);
  const size = statSync(file).size;
  const state = loadState(o.statePath, file, o.site) ?? freshState(file, o.site);
  const resumedFrom = state.line;
  const rejects = openRejects(o.rejectsPath, state.rejectsBytes);
  const progress = new Progress(process.stderr, size, state.offset, o.progress);
  const started = performance.now();
  const run = { events: 0, ended: false };
  const pending: Batch[] = [];
  const commit = (b: Batch, res: ServerEventsResponse | undefined) => {
    const written = recordBatch(state, b, res, rejects);
    state.rejectsBytes += written;
    saveState(o.statePath, state);
    run.events += b.texts.length;
    progress.update({ bytes: state.offset, lines: state.line, events: run.events });
  };
  const settleHead = async () => {
    const b = pending[0] as Batch;
    const res = await b.result;
    pending.shift();
    commit(b, res);
  };
  const maxBytes = o.maxBatchBytes ?? LIMITS.serverBodyBytes;
  try {
    let batch = newBatch();
    const dispatch = async () => {
      pending.push(send(batch, o));
      batch = newBatch();
      while (pending.length >= o.concurrency) await settleHead();
    };
    for await (const rec of readRecords(o, file, state)) {
      const item = prepare(rec, o, maxBytes);
      // Full by bytes: the batch goes before this event, which starts the next one.
      if ('text' in item && batch.texts.length > 0 && batch.bytes + item.bytes > maxBytes) await dispatch();
      addRecord(batch, rec, item);
      if (batch.texts.length >= o.batchSize) await dispatch();
      if (o.stop.requested) break;
    }
    if (batch.lastLine > 0) pending.push(send(batch, o));
    while (pending.length > 0) await settleHead();
    run.ended = !o.stop.requested;
  } finally {
    // On a fatal error the batches still in flight are left unrecorded: a rerun sends them again.
    await Promise.allSettled(pending.map((b) => b.result));
    closeSync(rejects);
    progress.update({ bytes: state.offset, lines: state.line, events: run.events }, true);
    progress.done();
  }
  const summary = summarise(
    o,
    state,
    run.ended,
    resumedFrom,
    (performance.now() - started) / 1000,
    run.events,
  );
  writeFileSync(o.summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

function readRecords(o: ImportOptions, file: string, state: ImportState): AsyncGenerator<InputRecord> {
  if (o.format === 'ndjson') {
    return ndjsonRecords(file, state.offset, state.line + 1, o.maxLineBytes ?? LIMITS.serverBodyBytes);
  }
  const first = state.offset === 0 ? 2 : state.line + 1; // the header is line 1
  return csvRecords(file, state.offset, first, state.csvColumns, (cols) => {
    state.csvColumns = cols;
  });
}

function newBatch(): Batch {
  return { lastLine: 0, end: 0, lines: [], texts: [], bytes: ENVELOPE_BYTES, local: [] };
}

/** One record ready for a batch: the serialised event and its bytes, or why it is refused here. */
type Prepared = { text: string; bytes: number } | { reject: Omit<Reject, 'line'> };

function prepare(rec: InputRecord, o: ImportOptions, maxBytes: number): Prepared {
  if (rec.error || !rec.value) {
    return { reject: { code: rec.code ?? 'unreadable_line', message: rec.error ?? 'unreadable' } };
  }
  const mapped = toServerEvent(rec.value, rec.raw, o.map, o.format === 'csv');
  if ('error' in mapped) return { reject: { code: mapped.code, message: mapped.error } };
  const text = JSON.stringify(mapped.event);
  const bytes = Buffer.byteLength(text) + 1; // and its comma
  if (ENVELOPE_BYTES + bytes > maxBytes) {
    const message = `the event is ${bytes - 1} bytes as JSON; a request holds at most ${maxBytes - ENVELOPE_BYTES}`;
    return { reject: { id: idOf(mapped.event), code: 'line_too_long', message } };
  }
  return { text, bytes };
}

function idOf(event: Record<string, unknown>): string | null {
  return typeof event.id === 'string' ? event.id.slice(0, LIMITS.idLength) : null;
}

function addRecord(b: Batch, rec: InputRecord, item: Prepared): void {
  b.lastLine = rec.line;
  b.end = rec.end;
  if ('reject' in item) {
    b.local.push({ line: rec.line, ...item.reject });
    return;
  }
  b.lines.push(rec.line);
  b.texts.push(item.text);
  b.bytes += item.bytes;
}

function send(b: Batch, o: ImportOptions): Batch {
  b.result =
    b.texts.length === 0
      ? Promise.resolve(undefined)
      : postServerEvents(o.url, o.site, o.key, b.texts, { source: 'import' });
  b.result.catch(() => {}); // awaited in order later; do not report it as unhandled meanwhile
  return b;
}

/** Folds a confirmed batch into the state and appends its rejected lines; returns bytes written. */
function recordBatch(
  state: ImportState,
  b: Batch,
  res: ServerEventsResponse | undefined,
  fd: number,
): number {
  const rejected: Reject[] = [...b.local];
  for (const r of res?.results ?? []) {
    if (r.status === 'stored') state.counts.stored++;
    else if (r.status === 'duplicate') state.counts.duplicates++;
    else if (r.status === 'rejected') rejected.push(toReject(r, b.lines[r.index] ?? 0));
  }
  rejected.sort((x, y) => x.line - y.line);
  let text = '';
  for (const r of rejected) {
    text += `${JSON.stringify(r)}\n`;
    state.rejectedByCode[r.code] = (state.rejectedByCode[r.code] ?? 0) + 1;
  }
  state.counts.rejected += rejected.length;
  state.line = b.lastLine;
  state.offset = b.end;
  return text === '' ? 0 : writeSync(fd, text);
}

function toReject(r: Extract<ServerEventResult, { status: 'rejected' }>, line: number): Reject {
  return { line, id: r.id, code: r.code, message: r.message, ...(r.issues ? { issues: r.issues } : {}) };
}

/** Opens the rejects file for appending, cut back to what the saved state had confirmed. */
function openRejects(path: string, confirmedBytes: number): number {
  if (existsSync(path)) truncateSync(path, confirmedBytes);
  return openSync(path, 'a');
}

function summarise(
  o: ImportOptions,
  state: ImportState,
  complete: boolean,
  resumedFrom: number,
  seconds: number,
  events: number,
): ImportSummary {
  const c = state.counts;
  return {
    file: state.file,
    site: o.site,
    complete,
    lines: state.line,
    accepted: c.stored + c.duplicates,
    stored: c.stored,
    duplicates: c.duplicates,
    rejected: c.rejected,
    rejected_by_code: state.rejectedByCode,
    rejects_file: resolve(o.rejectsPath),
    state_file: resolve(o.statePath),
    resumed_from_line: resumedFrom,
    this_run: {
      seconds: round(seconds),
      events,
      events_per_second: Math.round(events / Math.max(seconds, 1e-3)),
    },
    max_rss_mb: round(process.resourceUsage().maxRSS / 1024),
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
