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
 * Anyone with a public site key writes titles, names and link text, so a text cell that a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab, carriage return or
 * their full-width forms) is prefixed with `'`, as OWASP recommends for CSV injection
 * (csv-stringify's `escape_formulas`); numbers, negative ones included, are left alone.
 */
export function csvFromNdjson(ndjson: string): string {
  const records: unknown[][] = [];
  for (const line of ndjson.split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as Record<ExportColumn, unknown>;
    records.push(EXPORT_COLUMNS.map((col) => (JSON_COLUMNS.has(col) ? JSON.stringify(row[col]) : row[col])));
  }
  return stringify(records, { escape_formulas: true });
}
