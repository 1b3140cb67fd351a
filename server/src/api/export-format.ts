import { EXPORT_COLUMNS, type ExportColumn } from '@funnelhouse/schemas';
import { stringify } from 'csv-stringify/sync';
import type { EventPageRow } from '../queries/listEventsPage.ts';

const JSON_COLUMNS = new Set<ExportColumn>(['form_fields', 'items', 'experiments', 'props']);

/** A stored row in the export's column order, with times as ISO-8601 UTC. */
export function exportRecord(r: EventPageRow): Record<ExportColumn, unknown> {
  const out = {} as Record<ExportColumn, unknown>;
  for (const col of EXPORT_COLUMNS) {
    if (col === 'ts') out.ts = new Date(r.ts_ms).toISOString();
    else if (col === 'received_at') out.received_at = new Date(r.received_ms).toISOString();
    else out[col] = r[col];
  }
  return out;
}

/** One page as NDJSON lines. */
export function ndjsonPage(rows: readonly EventPageRow[]): string {
  let s = '';
  for (const r of rows) s += `${JSON.stringify(exportRecord(r))}\n`;
  return s;
}

/** The CSV header line. */
export function csvHeader(): string {
  return stringify([[...EXPORT_COLUMNS]]);
}

/**
 * One page as CSV records (RFC 4180 quoting by csv-stringify); arrays and maps are JSON text in
 * their cell, so a spreadsheet shows them and a program can parse them back.
 */
export function csvPage(rows: readonly EventPageRow[]): string {
  return stringify(
    rows.map((r) => {
      const rec = exportRecord(r);
      return EXPORT_COLUMNS.map((col) => (JSON_COLUMNS.has(col) ? JSON.stringify(rec[col]) : rec[col]));
    }),
  );
}
