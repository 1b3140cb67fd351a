import { closeSync, existsSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ServerEventResult, ServerEventsResponse } from '@funnelhouse/schemas';
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

/** Keeps a request body well under the API's 4 MiB limit. */
const MAX_BATCH_BYTES = 2 * 1024 * 1024;

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
  try {
    let batch = newBatch();
    for await (const rec of readRecords(o, file, state)) {
      addRecord(batch, rec, o);
      if (batch.texts.length >= o.batchSize || batch.bytes >= MAX_BATCH_BYTES) {
        pending.push(send(batch, o));
        batch = newBatch();
        while (pending.length >= o.concurrency) await settleHead();
      }
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
  if (o.format === 'ndjson') return ndjsonRecords(file, state.offset, state.line + 1);
  const first = state.offset === 0 ? 2 : state.line + 1; // the header is line 1
  return csvRecords(file, state.offset, first, state.csvColumns, (cols) => {
    state.csvColumns = cols;
  });
}

function newBatch(): Batch {
  return { lastLine: 0, end: 0, lines: [], texts: [], bytes: 0, local: [] };
}

function addRecord(b: Batch, rec: InputRecord, o: ImportOptions): void {
  b.lastLine = rec.line;
  b.end = rec.end;
  if (rec.error || !rec.value) {
    b.local.push({ line: rec.line, code: 'unreadable_line', message: rec.error ?? 'unreadable' });
    return;
  }
  const mapped = toServerEvent(rec.value, rec.raw, o.map, o.format === 'csv');
  if ('error' in mapped) {
    b.local.push({ line: rec.line, code: 'invalid_timestamp', message: mapped.error });
    return;
  }
  const text = JSON.stringify(mapped.event);
  b.lines.push(rec.line);
  b.texts.push(text);
  b.bytes += text.length + 1;
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
