import { EXPORT_COLUMNS, type ExportColumn } from '@funnelhouse/schemas';
import { stringify } from 'csv-stringify/sync';

const JSON_COLUMNS = new Set<ExportColumn>(['form_fields', 'items', 'experiments', 'props']);

/** The CSV header line. */
export function csvHeader(): string {
  return stringify([[...EXPORT_COLUMNS]]);
}

/**
 * A page of NDJSON export lines as CSV records (RFC 4180 quoting by csv-stringify); arrays and
 * maps are JSON text in their cell, so a spreadsheet shows them and a program can parse them back.
 */
export function csvFromNdjson(ndjson: string): string {
  const records: unknown[][] = [];
  for (const line of ndjson.split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as Record<ExportColumn, unknown>;
    records.push(EXPORT_COLUMNS.map((col) => (JSON_COLUMNS.has(col) ? JSON.stringify(row[col]) : row[col])));
  }
  return stringify(records);
}
